package dev.otto.core.validate;

import static dev.otto.core.validate.Problem.error;
import static dev.otto.core.validate.Problem.warning;

import dev.otto.core.library.ActionSpec;
import dev.otto.core.library.Primitive;
import dev.otto.core.library.StepLibrary;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Condition;
import dev.otto.core.model.ConditionGate;
import dev.otto.core.model.Gate;
import dev.otto.core.model.LibraryStep;
import dev.otto.core.model.LibraryUse;
import dev.otto.core.model.Parameter;
import dev.otto.core.model.PollGate;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.Service;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.Step;
import dev.otto.core.model.WebhookGate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of each stage (structure, references, runtime, gates, conditions, steps) and of the
 * order between stages (caches saved before they are restored, same-as runtimes of earlier
 * stages).
 */
final class StageChecks {
  private final Declarations declared;
  private final List<Problem> problems;
  private final StageTree tree;
  /** The artifacts some step archives, and where each artifact a step restores (not promotes) is restored. */
  private final java.util.Set<String> archived = new java.util.HashSet<>();
  private final Map<String, String> restored = new java.util.LinkedHashMap<>();

  StageChecks(Declarations declared, StageTree tree) {
    this.declared = declared;
    this.problems = declared.problems;
    this.tree = tree;
  }

  void check() {
    for (StageTree.Node node : tree.nodes()) {
      checkStage(node);
    }
    if (tree.order() != null) {
      checkCacheOrder();
      checkSameAsOrder();
      checkServiceRuntimes();
    }
    checkCachesRestored();
    checkArtifactsArchived();
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
    if (stage.keepsGoing() && !group) {
      problems.add(error(Rule.CHILDREN_SETTING, where.get(), "the stage has no child stages, so there is nothing for "
          + "keepGoing() to keep going.", "give keepGoing() to the group or matrix whose children should go on when "
          + "one fails, or remove it."));
    }
    if (stage.timeout().isPresent()) {
      if (node.isGroup()) {
        problems.add(error(Rule.GROUP_SETTING, where.get(), "the stage has child stages, so a timeout on it has no steps "
            + "to bound.", "give the timeout to the child stages, or to their steps."));
      } else {
        declared.checkDuration(where, "stage timeout", stage.timeout());
      }
    }
    for (String cache : stage.restores()) {
      if (!declared.caches.containsKey(cache) && !declared.refused("cache", cache)) {
        problems.add(unknownCache(where.get(), cache));
      }
    }
    for (String cache : stage.saves()) {
      if (!declared.caches.containsKey(cache) && !declared.refused("cache", cache)) {
        problems.add(unknownCache(where.get(), cache));
      }
    }
    stage.environment().ifPresent(name -> {
      if (!declared.environments.containsKey(name) && !declared.refused("environment", name)) {
        problems.add(error(Rule.UNKNOWN_ENVIRONMENT, where.get(), "the stage deploys to '" + Names.printable(name)
            + "', which is not declared.", "declare it with p.environment(\"" + Names.printable(name) + "\", ...)."));
      }
    });
    declared.checkLocks(where.get(), stage.locks());
    stage.runtime().ifPresent(runtime -> checkRuntime(where, runtime));
    checkServices(where, node);
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

  private void checkServices(At where, StageTree.Node node) {
    List<Service> services = node.stage.services();
    if (services.isEmpty()) {
      return;
    }
    if (node.isGroup()) {
      problems.add(error(Rule.GROUP_SETTING, where.get(), "the stage has child stages, so services on it have no "
          + "steps to serve.", "declare the services on the child stages whose steps use them."));
      return;
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Service service : services) {
      At at = () -> where.get() + " > service '" + Names.printable(service.name()) + "'";
      if (!Names.isHostName(service.name())) {
        problems.add(error(Rule.SERVICE, at.get(), "'" + Names.printable(service.name()) + "' cannot be a service's "
            + "name, which steps use as a host name.", "use 1 to 63 lower-case letters, digits and '-', starting and "
            + "ending with a letter or digit, e.g. 'db'."));
      } else if (!names.add(service.name())) {
        problems.add(error(Rule.SERVICE, at.get(), "the stage has two services named '" + service.name() + "'.",
            "give each service of a stage a name of its own."));
      }
      if (service.image().isBlank()) {
        problems.add(error(Rule.SERVICE, at.get(), "the service has no image.",
            "name its image, e.g. s.service(\"db\", \"postgres:16\")."));
      } else if (leftover(service.image())) {
        problems.add(error(Rule.MATRIX_PLACEHOLDER, at.get(), "the image '" + Names.printable(service.image())
            + "' uses " + Templates.leftover(service.image()) + ", which no matrix axis fills.",
            "use the name of an axis of this stage's matrix."));
      }
      declared.checkVariables(at, service.env().keySet());
      if (service.healthCheck().filter(String::isBlank).isPresent()) {
        problems.add(error(Rule.SERVICE, at.get(), "the health check is blank.",
            "give a command that succeeds once the service is ready, e.g. \"pg_isready -h 127.0.0.1\", or none."));
      }
      declared.checkDuration(at, "start timeout", Optional.of(service.startTimeout()));
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
          problems.add(error(Rule.CONDITION_ON_EXIT, where.get(), "the exit gate '" + c.describe()
              + "' is a condition, which is decided from the run's context before the stage starts, so as an exit "
              + "gate it would neither wait nor decide anything.",
              "move the condition to when(...) or enter(...), or wait on an approval, a webhook or a poll."));
        }
      } else if (gate instanceof ApprovalGate a) {
        checkWait(where, gate, a.timeout());
      } else if (gate instanceof WebhookGate w) {
        checkWait(where, gate, w.timeout());
      } else if (gate instanceof PollGate p) {
        checkWait(where, gate, p.timeout());
        declared.checkDuration(where.get(), "poll interval of " + p.describe(), Optional.of(p.interval()));
        p.maxInterval().ifPresent(max -> declared.checkDuration(where.get(), "maximum poll interval", Optional.of(max)));
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
      declared.checkDuration(where.get(), "timeout of " + gate.describe(), timeout);
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
      if (depth > PipelineChecker.MAX_CONDITION_DEPTH) {
        problems.add(error(Rule.CONDITION_TOO_DEEP, where.get(), "a condition is nested more than "
            + PipelineChecker.MAX_CONDITION_DEPTH + " levels deep.", "simplify it: and/or take any number of operands."));
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
      } else if (condition instanceof Condition.Changed changed) {
        for (String glob : changed.globs()) {
          Glob.error(glob).ifPresent(e -> problems.add(error(Rule.INVALID_GLOB, where.get(), e + ".",
              "write globs of paths from the repository's root, such as 'services/api/**' or 'docs/*.md'.")));
        }
      } else if (condition instanceof Condition.ParamEquals param) {
        Parameter parameter = declared.parameters.get(param.name());
        if (parameter == null && !declared.refused("parameter", param.name())) {
          problems.add(error(Rule.UNDECLARED_PARAMETER, where.get(), "the condition '" + condition + "' uses the parameter '"
              + Names.printable(param.name()) + "', which is not declared.",
              "declare it, e.g. p.booleanParam(\"" + Names.printable(param.name()) + "\", false, \"what it decides\")."));
        } else if (parameter != null && !Declarations.accepts(parameter, param.value())) {
          problems.add(error(Rule.CONDITION_NEVER_TRUE, where.get(), "the condition '" + condition + "' can never be true: '"
              + Names.printable(param.value()) + "' is not a valid " + Declarations.describe(parameter) + ".",
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
        declared.checkVariables(at, sh.env().keySet());
        declared.checkBindings(at, sh.secrets());
        declared.checkDuration(at, "timeout", sh.timeout());
        if (sh.retries() < 0 || sh.retries() > 10) {
          problems.add(error(Rule.INVALID_RETRIES, at.get(), "the step is retried " + sh.retries() + " times.",
              "retry a step between 0 and 10 times."));
        } else if (sh.retries() > 0) {
          declared.checkDuration(at, "retry backoff", java.util.Optional.of(sh.retryBackoff()));
        }
      } else if (step instanceof LibraryStep call) {
        checkLibraryStep(at, call);
      }
    }
  }

  private void checkLibraryStep(At at, LibraryStep call) {
    LibraryUse use = declared.libraries.get(call.library());
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
    boolean valid = declared.checkArguments(at.get(), Rule.LIBRARY_ARGUMENT, "action '" + library.id() + "."
        + call.action() + "'", action.get().parameters(), call.arguments());
    if (valid && declared.configured.contains(use.id())) {
      checkArtifacts(at, use, call);
    }
  }

  /**
   * Checks the artifacts a library step stores and restores. Their names become folders of the
   * run and their paths are read from the workspace, so neither may lead elsewhere. Planning
   * reports a library that fails to expand, with the place of the step.
   */
  private void checkArtifacts(At at, LibraryUse use, LibraryStep call) {
    List<Primitive> primitives;
    try {
      primitives = LibraryCalls.expand(use, call);
    } catch (RuntimeException e) {
      return;
    }
    for (Primitive primitive : primitives) {
      if (primitive instanceof Primitive.StoreArtifact store) {
        archived.add(store.name());
        checkArtifactName(at, store.name());
        for (String path : store.paths()) {
          if (!Names.isWorkspacePath(path)) {
            problems.add(error(Rule.ARTIFACT, at.get(), "the artifact path '" + Names.printable(path)
                + "' is not a relative path inside the workspace.", "use paths relative to the workspace, e.g. 'dist/'."));
          }
        }
      } else if (primitive instanceof Primitive.RestoreArtifact restore) {
        if (restore.deployedTo().isEmpty() && Names.isIdentifier(restore.name())) {
          restored.putIfAbsent(restore.name(), at.get());
        }
        checkArtifactName(at, restore.name());
        restore.deployedTo().filter(name -> !declared.environments.containsKey(name)
            && !declared.refused("environment", name)).ifPresent(name ->
            problems.add(error(Rule.UNKNOWN_ENVIRONMENT, at.get(), "the step promotes the artifact '"
                + Names.printable(restore.name()) + "' from '" + Names.printable(name) + "', which is not declared.",
                "declare it with p.environment(\"" + Names.printable(name) + "\", ...).")));
      }
    }
  }

  /**
   * An artifact a step restores from its own run must be archived by some stage of the pipeline:
   * one that none archives can only fail the step that restores it.
   */
  private void checkArtifactsArchived() {
    restored.forEach((name, at) -> {
      if (!archived.contains(name)) {
        problems.add(warning(Rule.ARTIFACT_NEVER_ARCHIVED, at, "the step restores the artifact '" + Names.printable(name)
            + "', which no step of the pipeline archives, so it can only fail.",
            "archive it in a stage that runs before this one (std.archive(\"" + Names.printable(name)
                + "\", \"dist/\")), or check the name" + (archived.isEmpty() ? "" : ": the pipeline archives "
                + archived.stream().sorted().map(a -> "'" + a + "'").toList()) + "."));
      }
    });
  }

  private void checkArtifactName(At at, String name) {
    if (!Names.isIdentifier(name)) {
      problems.add(error(Rule.ARTIFACT, at.get(), "'" + Names.printable(name) + "' is not a valid artifact name.",
          Names.IDENTIFIER_RULE + ", e.g. 'dist'."));
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
        // A stage that restores what it saves itself keeps the cache from one run to the next.
        if (!declared.caches.containsKey(cache) || node.stage.saves().contains(cache)) {
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

  /** A cache that no stage restores is saved for nothing; the pipeline works, so it is a warning. */
  private void checkCachesRestored() {
    Set<String> restored = new HashSet<>();
    Set<String> saved = new HashSet<>();
    for (StageTree.Node node : tree.nodes()) {
      restored.addAll(node.stage.restores());
      saved.addAll(node.stage.saves());
    }
    for (String cache : declared.caches.keySet()) {
      if (!restored.contains(cache)) {
        problems.add(warning(Rule.CACHE_NEVER_RESTORED, declared.top + " > cache '" + cache + "'", saved.contains(cache)
            ? "the cache '" + cache + "' is saved, but no stage restores it, so saving it only takes time."
            : "no stage saves or restores the cache '" + cache + "'.",
            "restore it in the stages that need its files, e.g. restores(" + cache + "), or remove it."));
      }
    }
  }

  /**
   * Services run beside a stage's container on a network of their own, where steps reach them by
   * name; a stage whose steps run elsewhere could not reach them that way, so it may not have any.
   */
  private void checkServiceRuntimes() {
    Runtime[] runtimes = new Runtime[tree.nodes().size()];
    for (int index : tree.order()) {
      StageTree.Node node = tree.node(index);
      Runtime own = node.stage.runtime().orElse(null);
      if (own instanceof Runtime.SameAs sameAs) {
        int target = tree.find(sameAs.stage());
        runtimes[index] = target < 0 ? null : runtimes[target];
      } else if (own != null) {
        runtimes[index] = own;
      } else {
        runtimes[index] = node.parent >= 0 ? runtimes[node.parent] : Runtime.local();
      }
      if (!node.stage.services().isEmpty() && runtimes[index] != null
          && !(runtimes[index] instanceof Runtime.Container)) {
        problems.add(error(Rule.SERVICE_WITHOUT_CONTAINER, tree.where(node), "the stage has services, but its steps run "
            + "as " + runtimes[index].describe() + ", which cannot reach a service by its name.",
            "run the stage in a container, e.g. .runtime(docker(\"ruby:3.3\")), or start what it needs in a step."));
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
  }}
