package dev.otto.core.internal;

import static dev.otto.core.validate.Problem.error;
import static dev.otto.core.validate.Problem.warning;

import dev.otto.core.library.ActionSpec;
import dev.otto.core.library.ParamSpec;
import dev.otto.core.library.StepLibrary;
import dev.otto.core.library.ValueType;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Condition;
import dev.otto.core.model.ConditionGate;
import dev.otto.core.model.Environment;
import dev.otto.core.model.Gate;
import dev.otto.core.model.LibraryStep;
import dev.otto.core.model.LibraryUse;
import dev.otto.core.model.Parameter;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.PollGate;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.SecretRef;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.Step;
import dev.otto.core.model.WebhookGate;
import dev.otto.core.validate.Problem;
import dev.otto.core.validate.Rule;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a whole pipeline and returns every problem, never throwing on bad input. The stage
 * structure is checked by {@link StageTree}; this class checks declarations and references.
 */
public final class PipelineChecker {
  /** The deepest nesting of a condition; printing and deciding one recurse. */
  public static final int MAX_CONDITION_DEPTH = 256;

  private final Pipeline pipeline;
  private final List<Problem> problems = new ArrayList<>();
  private final String top;
  private final Set<String> secrets = new HashSet<>();
  private final Map<String, Environment> environments = new HashMap<>();
  private final Map<String, Parameter> parameters = new HashMap<>();
  private final Map<String, Cache> caches = new HashMap<>();
  private final Map<String, LibraryUse> libraries = new HashMap<>();
  private StageTree tree;

  private PipelineChecker(Pipeline pipeline) {
    this.pipeline = pipeline;
    this.top = Where.pipeline(pipeline.name());
  }

  /** The result of a check: the problems, and the tree the planner reuses when there are no errors. */
  public record Result(List<Problem> problems, StageTree tree) {}

  public static Result check(Pipeline pipeline) {
    PipelineChecker checker = new PipelineChecker(pipeline);
    checker.run();
    return new Result(List.copyOf(checker.problems), checker.tree);
  }

  private void run() {
    Names.displayNameError(pipeline.name()).ifPresent(e -> problems.add(error(Rule.PIPELINE_NAME, top, e + ".",
        "name the pipeline with printable text of at most " + Names.MAX_DISPLAY_LENGTH + " characters, without '>'.")));
    checkSecrets();
    checkParameters();
    checkEnvironments();
    checkCaches();
    checkLibraries();
    if (pipeline.stages().isEmpty()) {
      problems.add(error(Rule.EMPTY_PIPELINE, top, "the pipeline has no stages.",
          "add at least one stage, e.g. stage(\"Build\", s -> s.steps(sh(\"make\")))."));
    }
    tree = StageTree.of(pipeline, problems);
    for (StageTree.Node node : tree.nodes()) {
      checkStage(node);
    }
    if (tree.order() != null) {
      checkCacheOrder();
      checkSameAsOrder();
    }
  }

  private void checkSecrets() {
    for (SecretRef secret : pipeline.secrets()) {
      if (!Names.isIdentifier(secret.name())) {
        problems.add(error(Rule.SECRET_NAME, top, "'" + Names.printable(secret.name()) + "' is not a valid secret name.",
            "use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. 'heroku-api-key'."));
      } else if (!secrets.add(secret.name())) {
        problems.add(error(Rule.DUPLICATE_SECRET, top, "the secret '" + secret.name() + "' is declared twice.",
            "declare each secret once and share its handle."));
      }
    }
  }

  private void checkParameters() {
    for (Parameter parameter : pipeline.parameters()) {
      String name = parameter.name();
      if (!Names.isIdentifier(name)) {
        problems.add(error(Rule.PARAMETER_DECLARATION, top, "'" + Names.printable(name) + "' is not a valid parameter name.",
            "use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit."));
        continue;
      }
      if (parameters.putIfAbsent(name, parameter) != null) {
        problems.add(error(Rule.PARAMETER_DECLARATION, top, "the parameter '" + name + "' is declared twice.",
            "declare each parameter once."));
        continue;
      }
      if (parameter.type() == Parameter.Type.CHOICE && parameter.choices().isEmpty()) {
        problems.add(error(Rule.PARAMETER_DECLARATION, top, "the choice parameter '" + name + "' has no choices.",
            "list the allowed values."));
      }
      parameter.defaultValue().ifPresent(value -> {
        if (!accepts(parameter, value)) {
          problems.add(error(Rule.PARAMETER_DECLARATION, top, "the default '" + Names.printable(value)
              + "' of parameter '" + name + "' is not a valid " + describe(parameter) + ".",
              "give a default of the parameter's type."));
        }
      });
    }
  }

  static boolean accepts(Parameter parameter, String value) {
    return parameter.type().accepts(value)
        && (parameter.type() != Parameter.Type.CHOICE || parameter.choices().contains(value));
  }

  static String describe(Parameter parameter) {
    return parameter.type() == Parameter.Type.CHOICE
        ? "choice of " + parameter.choices()
        : parameter.type().name().toLowerCase(java.util.Locale.ROOT);
  }

  private void checkEnvironments() {
    for (Environment environment : pipeline.environments()) {
      String name = environment.name();
      String where = top + " > environment '" + Names.printable(name) + "'";
      if (!Names.isIdentifier(name)) {
        problems.add(error(Rule.ENVIRONMENT_NAME, where, "'" + Names.printable(name) + "' is not a valid environment name.",
            "use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. 'production'."));
        continue;
      }
      if (environments.putIfAbsent(name, environment) != null) {
        problems.add(error(Rule.DUPLICATE_ENVIRONMENT, where, "the environment '" + name + "' is declared twice.",
            "declare each environment once and share its handle."));
        continue;
      }
      checkVariables(() -> where, environment.settings().keySet());
      checkBindings(() -> where, environment.secrets());
      for (String glob : environment.allowedBranches()) {
        Glob.error(glob).ifPresent(e -> problems.add(error(Rule.INVALID_GLOB, where, e + ".",
            "write branch globs such as 'main' or 'release/*'.")));
      }
      checkDuration(where, "approval timeout", Optional.of(environment.approvalTimeout()));
    }
  }

  private void checkCaches() {
    for (Cache cache : pipeline.caches()) {
      String where = top + " > cache '" + Names.printable(cache.name()) + "'";
      if (!Names.isIdentifier(cache.name())) {
        problems.add(error(Rule.CACHE_DECLARATION, where, "'" + Names.printable(cache.name()) + "' is not a valid cache name.",
            "use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. 'gems'."));
      } else if (caches.putIfAbsent(cache.name(), cache) != null) {
        problems.add(error(Rule.CACHE_DECLARATION, where, "the cache '" + cache.name() + "' is declared twice.",
            "declare each cache once and share its handle."));
      } else if (cache.paths().isEmpty()) {
        problems.add(error(Rule.CACHE_DECLARATION, where, "the cache '" + cache.name() + "' has no paths.",
            "list the workspace paths it keeps, e.g. 'vendor/'."));
      }
      for (String path : cache.paths()) {
        if (path.isBlank() || path.startsWith("/") || path.equals("..") || path.startsWith("../") || path.contains("/../")) {
          problems.add(error(Rule.CACHE_DECLARATION, where, "the path '" + Names.printable(path)
              + "' is not a relative path inside the workspace.", "use paths relative to the workspace, e.g. 'vendor/'."));
        }
      }
    }
  }

  private void checkLibraries() {
    for (LibraryUse use : pipeline.libraries()) {
      String where = top + " > library '" + Names.printable(use.id()) + "'";
      if (libraries.putIfAbsent(use.id(), use) != null) {
        problems.add(error(Rule.DUPLICATE_LIBRARY, where, "the library '" + use.id() + "' is used twice.",
            "use each library once; its handle can make any number of steps."));
        continue;
      }
      checkArguments(where, Rule.LIBRARY_CONFIG, "configuration", use.library().configSpec(), use.config());
    }
  }

  private void checkArguments(String where, Rule rule, String what, List<ParamSpec> specs, Map<String, Object> given) {
    Map<String, ParamSpec> byName = new LinkedHashMap<>();
    for (ParamSpec spec : specs) {
      byName.put(spec.name(), spec);
    }
    for (Map.Entry<String, Object> entry : given.entrySet()) {
      ParamSpec spec = byName.get(entry.getKey());
      if (spec == null) {
        problems.add(error(rule, where, "the " + what + " has no parameter '" + Names.printable(entry.getKey()) + "'.",
            "use one of " + byName.keySet() + "."));
      } else if (!spec.type().accepts(entry.getValue())) {
        problems.add(error(rule, where, "the " + what + " parameter '" + spec.name() + "' must be a " + spec.type().word()
            + ", not " + typeOf(entry.getValue()) + ".", "pass a " + spec.type().word() + "."));
      } else if (spec.type() == ValueType.SECRET && !secrets.contains(((SecretRef) entry.getValue()).name())) {
        problems.add(undeclaredSecret(where, ((SecretRef) entry.getValue()).name()));
      }
    }
    for (ParamSpec spec : specs) {
      if (spec.required() && !given.containsKey(spec.name())) {
        problems.add(error(rule, where, "the " + what + " needs the parameter '" + spec.name() + "' ("
            + spec.description() + ").", "give a " + spec.type().word() + " for '" + spec.name() + "'."));
      }
    }
  }

  private static String typeOf(Object value) {
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof List) {
      return "a list";
    }
    return "a " + value.getClass().getSimpleName();
  }

  private Problem undeclaredSecret(String where, String name) {
    return error(Rule.UNDECLARED_SECRET, where, "the secret '" + Names.printable(name) + "' is not declared.",
        "declare it on the pipeline first, e.g. var key = p.secret(\"" + Names.printable(name) + "\").");
  }

  /**
   * A place problems are reported at, built only when a problem is found: most stages have none,
   * and building paths for all of them would dominate the cost of validating a large pipeline.
   */
  @FunctionalInterface
  private interface At {
    String get();

    default At then(String what, int n) {
      return () -> get() + " > " + what + " " + n;
    }
  }

  private void checkStage(StageTree.Node node) {
    Stage stage = node.stage;
    At where = () -> tree.where(node);
    boolean group = node.isGroup() || !stage.stages().isEmpty() || stage.matrix().isPresent();
    if (!group && stage.steps().isEmpty()) {
      problems.add(error(Rule.EMPTY_STAGE, where.get(), "the stage has neither steps nor child stages.",
          "add steps, e.g. .steps(sh(\"make test\")), or child stages, or remove the stage."));
    }
    if (node.isGroup() && !stage.steps().isEmpty()) {
      problems.add(error(Rule.STEPS_AND_CHILDREN, where.get(), "the stage has both steps and child stages.",
          "move the steps into a child stage of their own."));
    }
    if (node.isGroup() && (!stage.restores().isEmpty() || !stage.saves().isEmpty())) {
      problems.add(error(Rule.GROUP_SETTING, where.get(),
          "the stage has child stages, so it restores and saves no caches itself.",
          "move restores(...) and saves(...) to the child stages that use the files."));
    }
    for (String cache : stage.restores()) {
      if (!caches.containsKey(cache)) {
        problems.add(unknownCache(where.get(), cache));
      }
    }
    for (String cache : stage.saves()) {
      if (!caches.containsKey(cache)) {
        problems.add(unknownCache(where.get(), cache));
      }
    }
    stage.environment().ifPresent(name -> {
      if (!environments.containsKey(name)) {
        problems.add(error(Rule.UNKNOWN_ENVIRONMENT, where.get(), "the stage deploys to '" + Names.printable(name)
            + "', which is not declared.", "declare it with p.environment(\"" + Names.printable(name) + "\", ...)."));
      }
    });
    stage.runtime().ifPresent(runtime -> checkRuntime(where, runtime));
    stage.when().ifPresent(c -> checkCondition(where, c));
    checkGates(where, stage.enter(), false);
    checkGates(where, stage.exit(), true);
    checkSteps(where, "step", stage.steps());
    checkSteps(where, "success notification", stage.onSuccess());
    checkSteps(where, "failure notification", stage.onFailure());
    checkSteps(where, "notification", stage.always());
  }

  private Problem unknownCache(String where, String cache) {
    return error(Rule.UNKNOWN_CACHE, where, "the cache '" + Names.printable(cache) + "' is not declared.",
        "declare it with p.cache(\"" + Names.printable(cache) + "\", paths...).");
  }

  private void checkRuntime(At where, Runtime runtime) {
    String value = runtime instanceof Runtime.Container c ? c.image()
        : runtime instanceof Runtime.Agent a ? a.label() : null;
    String what = runtime instanceof Runtime.Container ? "container image" : "agent label";
    if (value != null && value.isBlank()) {
      problems.add(error(Rule.INVALID_RUNTIME, where.get(), "the " + what + " is blank.",
          "name it, e.g. docker(\"ruby:3.3\") or agent(\"linux\")."));
    } else if (value != null && leftover(value)) {
      problems.add(error(Rule.MATRIX_PLACEHOLDER, where.get(), "the " + what + " '" + Names.printable(value)
          + "' uses " + Templates.leftover(value) + ", which no matrix axis fills.",
          "use the name of an axis of this stage's matrix."));
    }
    if (runtime instanceof Runtime.SameAs s && tree.find(s.stage()) < 0) {
      problems.add(error(Rule.UNKNOWN_STAGE, where.get(), "its runtime is the same as " + Where.quoted(s.stage())
          + ", but no stage has that path.", "refer to an existing stage that runs before this one."));
    }
  }

  private static boolean leftover(String text) {
    return Templates.leftover(text) != null;
  }

  private void checkGates(At where, List<Gate> gates, boolean exit) {
    for (Gate gate : gates) {
      if (gate instanceof ConditionGate c) {
        checkCondition(where, c.condition());
        if (exit) {
          problems.add(warning(Rule.CONDITION_ON_EXIT, where.get(), "the exit gate '" + c.describe()
              + "' is decided before the stage starts, so it cannot depend on what the stage did.",
              "move the condition to when(...) or enter(...)."));
        }
      } else if (gate instanceof ApprovalGate a) {
        checkWait(where, gate, a.timeout());
      } else if (gate instanceof WebhookGate w) {
        checkWait(where, gate, w.timeout());
      } else if (gate instanceof PollGate p) {
        checkWait(where, gate, p.timeout());
        checkDuration(where.get(), "poll interval of " + p.describe(), Optional.of(p.interval()));
        p.maxInterval().ifPresent(max -> checkDuration(where.get(), "maximum poll interval", Optional.of(max)));
        if (!(p.backoff() >= 1.0) || p.backoff() > 100 || Double.isInfinite(p.backoff())) {
          problems.add(error(Rule.INVALID_DURATION, where.get(), "the backoff factor " + p.backoff() + " of " + p.describe()
              + " is not between 1 and 100.", "use 1 for a fixed interval, or a factor such as 2."));
        }
        checkSteps(where, "probe", List.of(p.probe()));
      }
    }
  }

  private void checkWait(At where, Gate gate, Optional<Duration> timeout) {
    if (timeout.isEmpty()) {
      problems.add(error(Rule.WAIT_WITHOUT_TIMEOUT, where.get(), "the " + gate.describe() + " has no timeout.",
          "give every wait a timeout, e.g. .timeout(Duration.ofHours(24))."));
    } else {
      checkDuration(where.get(), "timeout of " + gate.describe(), timeout);
    }
  }

  private void checkDuration(At where, String what, Optional<Duration> duration) {
    if (duration.isPresent() && (duration.get().isNegative() || duration.get().isZero())) {
      checkDuration(where.get(), what, duration);
    }
  }

  private void checkDuration(String where, String what, Optional<Duration> duration) {
    if (duration.isPresent() && (duration.get().isNegative() || duration.get().isZero())) {
      problems.add(error(Rule.INVALID_DURATION, where, "the " + what + " is " + duration.get() + ".",
          "use a positive duration."));
    }
  }

  private void checkCondition(At where, Condition root) {
    Deque<Condition> pending = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    pending.push(root);
    depths.push(1);
    while (!pending.isEmpty()) {
      Condition condition = pending.pop();
      int depth = depths.pop();
      if (depth > MAX_CONDITION_DEPTH) {
        problems.add(error(Rule.CONDITION_TOO_DEEP, where.get(), "a condition is nested more than "
            + MAX_CONDITION_DEPTH + " levels deep.", "simplify it: and/or take any number of operands."));
        return;
      }
      if (condition instanceof Condition.And and) {
        and.operands().forEach(c -> {
          pending.push(c);
          depths.push(depth + 1);
        });
      } else if (condition instanceof Condition.Or or) {
        or.operands().forEach(c -> {
          pending.push(c);
          depths.push(depth + 1);
        });
      } else if (condition instanceof Condition.Not not) {
        pending.push(not.operand());
        depths.push(depth + 1);
      } else if (condition instanceof Condition.Match match && match.test() == Condition.Test.MATCHES) {
        Glob.error(match.pattern()).ifPresent(e -> problems.add(error(Rule.INVALID_GLOB, where.get(), e + ".",
            "write globs such as 'release/*' or 'v*'.")));
      } else if (condition instanceof Condition.ParamEquals param) {
        Parameter declared = parameters.get(param.name());
        if (declared == null) {
          problems.add(error(Rule.UNDECLARED_PARAMETER, where.get(), "the condition '" + condition + "' uses the parameter '"
              + Names.printable(param.name()) + "', which is not declared.",
              "declare it, e.g. p.parameter(booleanParam(\"" + Names.printable(param.name()) + "\").defaultValue(false))."));
        } else if (!accepts(declared, param.value())) {
          problems.add(error(Rule.CONDITION_NEVER_TRUE, where.get(), "the condition '" + condition + "' can never be true: '"
              + Names.printable(param.value()) + "' is not a valid " + describe(declared) + ".",
              "compare with a value of the parameter's type."));
        }
      }
    }
  }

  private void checkSteps(At where, String what, List<Step> steps) {
    int n = 0;
    for (Step step : steps) {
      n++;
      At at = where.then(what, n);
      if (step instanceof ShStep sh) {
        if (sh.script().isBlank()) {
          problems.add(error(Rule.EMPTY_SCRIPT, at.get(), "the script is blank.", "give the step a command, e.g. sh(\"make\")."));
        } else if (leftover(sh.script())) {
          problems.add(error(Rule.MATRIX_PLACEHOLDER, at.get(), "the script uses " + Templates.leftover(sh.script())
              + ", which no matrix axis fills.", "use the name of an axis of this stage's matrix."));
        }
        checkVariables(at, sh.env().keySet());
        checkBindings(at, sh.secrets());
        checkDuration(at, "timeout", sh.timeout());
      } else if (step instanceof LibraryStep call) {
        checkLibraryStep(at, call);
      }
    }
  }

  private void checkLibraryStep(At at, LibraryStep call) {
    LibraryUse use = libraries.get(call.library());
    if (use == null) {
      problems.add(error(Rule.UNKNOWN_LIBRARY, at.get(), "the step calls the library '" + Names.printable(call.library())
          + "', which the pipeline does not use.", "add it with p.use(...) before using its steps."));
      return;
    }
    StepLibrary library = use.library();
    Optional<ActionSpec> action = library.actions().stream().filter(a -> a.name().equals(call.action())).findFirst();
    if (action.isEmpty()) {
      problems.add(error(Rule.UNKNOWN_ACTION, at.get(), "the library '" + library.id() + "' has no action '"
          + Names.printable(call.action()) + "'.", "use one of " + library.actions().stream().map(ActionSpec::name).toList() + "."));
      return;
    }
    checkArguments(at.get(), Rule.LIBRARY_ARGUMENT, "action '" + library.id() + "." + call.action() + "'",
        action.get().parameters(), call.arguments());
  }

  private void checkVariables(At where, Iterable<String> names) {
    for (String name : names) {
      if (!Names.isVariable(name)) {
        problems.add(error(Rule.VARIABLE_NAME, where.get(), "'" + Names.printable(name) + "' is not a valid environment variable name.",
            "use letters, digits and '_', not starting with a digit, e.g. 'HEROKU_API_KEY'."));
      }
    }
  }

  private void checkBindings(At where, List<SecretBinding> bindings) {
    if (bindings.isEmpty()) {
      return;
    }
    Set<String> variables = new HashSet<>();
    for (SecretBinding binding : bindings) {
      if (!secrets.contains(binding.secret())) {
        problems.add(undeclaredSecret(where.get(), binding.secret()));
      }
      if (!Names.isVariable(binding.variable())) {
        problems.add(error(Rule.VARIABLE_NAME, where.get(), "'" + Names.printable(binding.variable())
            + "' is not a valid environment variable name for the secret '" + Names.printable(binding.secret()) + "'.",
            "use letters, digits and '_', not starting with a digit, e.g. 'HEROKU_API_KEY'."));
      } else if (!variables.add(binding.variable())) {
        problems.add(error(Rule.VARIABLE_NAME, where.get(), "two secrets are bound to $" + binding.variable() + ".",
            "bind each secret to a variable of its own."));
      }
    }
  }

  private void checkCacheOrder() {
    Map<String, List<Integer>> savers = new HashMap<>();
    for (StageTree.Node node : tree.nodes()) {
      for (String cache : node.stage.saves()) {
        savers.computeIfAbsent(cache, k -> new ArrayList<>()).add(node.index);
      }
    }
    Map<String, BitSet> afterSavers = new HashMap<>();
    for (StageTree.Node node : tree.nodes()) {
      for (String cache : node.stage.restores()) {
        if (!caches.containsKey(cache)) {
          continue;
        }
        List<Integer> saving = savers.get(cache);
        if (saving == null) {
          problems.add(error(Rule.CACHE_NOT_SAVED_BEFORE, tree.where(node), "the stage restores the cache '" + cache
              + "', but no stage saves it.", "add saves(" + cache + ") to a stage that runs before this one."));
          continue;
        }
        BitSet after = afterSavers.computeIfAbsent(cache,
            k -> tree.after(saving.stream().mapToInt(Integer::intValue).toArray()));
        if (!StageTree.startsWithin(after, node.index)) {
          problems.add(error(Rule.CACHE_NOT_SAVED_BEFORE, tree.where(node), "the stage restores the cache '" + cache
              + "', but no stage that saves it runs before this one (saved by "
              + Where.quoted(tree.node(saving.get(0)).path) + ").",
              "save the cache in an earlier stage, or make this stage run after the one that saves it."));
        }
      }
    }
  }

  private void checkSameAsOrder() {
    Map<Integer, BitSet> afterTarget = new HashMap<>();
    for (StageTree.Node node : tree.nodes()) {
      if (node.stage.runtime().orElse(null) instanceof Runtime.SameAs sameAs) {
        int target = tree.find(sameAs.stage());
        if (target < 0) {
          continue;
        }
        BitSet after = afterTarget.computeIfAbsent(target, tree::after);
        if (!StageTree.startsWithin(after, node.index)) {
          problems.add(error(Rule.SAME_AS_NOT_BEFORE, tree.where(node), "its runtime is the same as "
              + Where.quoted(sameAs.stage()) + ", but that stage does not run before this one.",
              "point same-as at a stage that runs earlier, or make this stage run after it."));
        }
      }
    }
  }
}
