package dev.otto.core.plan;

import dev.otto.core.OttoException;
import dev.otto.core.library.Primitive;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Condition;
import dev.otto.core.model.ConditionGate;
import dev.otto.core.model.Environment;
import dev.otto.core.model.Gate;
import dev.otto.core.model.LibraryStep;
import dev.otto.core.model.LibraryUse;
import dev.otto.core.model.Lock;
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
import dev.otto.core.plan.Conditions.Truth;
import dev.otto.core.plan.Op.Guard;
import dev.otto.core.plan.Op.Position;
import dev.otto.core.validate.Glob;
import dev.otto.core.validate.LibraryCalls;
import dev.otto.core.validate.Problem;
import dev.otto.core.validate.StageTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Lowers a validated pipeline to a plan for one context. */
final class Lowering {
  private final Pipeline pipeline;
  private final RunContext context;
  private final StageTree tree;
  private final List<Problem> warnings;
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, Environment> environments = new HashMap<>();
  private final Map<String, Cache> caches = new HashMap<>();
  private final Map<String, LibraryUse> libraries = new HashMap<>();
  /** The names of the locks each stage holds while it runs, its groups' included, by node index. */
  private final Map<Integer, Set<String>> held = new HashMap<>();

  Lowering(Pipeline pipeline, RunContext context, StageTree tree, List<Problem> warnings) {
    this.pipeline = pipeline;
    this.context = context;
    this.tree = tree;
    this.warnings = warnings;
    pipeline.environments().forEach(e -> environments.put(e.name(), e));
    pipeline.caches().forEach(c -> caches.put(c.name(), c));
    pipeline.libraries().forEach(l -> libraries.put(l.id(), l));
  }

  Plan plan() {
    resolveParameters();
    checkRollback();
    int size = tree.nodes().size();
    StageStatus[] status = new StageStatus[size];
    String[] reason = new String[size];
    Runtime[] runtime = new Runtime[size];
    String[] runtimeSource = new String[size];
    String[] environment = new String[size];
    List<PlannedStage> stages = new ArrayList<>(size);
    for (int index : tree.order()) {
      StageTree.Node node = tree.node(index);
      Stage stage = node.stage;
      int parent = node.parent;
      environment[index] = stage.environment().orElse(parent >= 0 ? environment[parent] : null);
      resolveRuntime(node, runtime, runtimeSource);
      if (rolledBackWithout(node, parent >= 0 ? environment[parent] : null)) {
        status[index] = StageStatus.SKIP;
        reason[index] = "a rollback of '" + context.rollback().get() + "' runs only the stages that deploy there";
      } else {
        decide(node, status, reason, environment[index]);
      }
      List<Op> ops = status[index] == StageStatus.SKIP ? List.of() : lower(node, environment[index]);
      stages.add(new PlannedStage(
          node.id,
          node.path,
          parent >= 0 ? Optional.of(tree.node(parent).id) : Optional.empty(),
          node.children.stream().map(c -> tree.node(c).id).toList(),
          node.isGroup() && node.parallel,
          status[index],
          Optional.ofNullable(reason[index]),
          runtime[index],
          Optional.ofNullable(runtimeSource[index]),
          status[index] == StageStatus.SKIP ? List.of() : stage.services(),
          Optional.ofNullable(environment[index]),
          Optional.ofNullable(node.origin),
          stage.timeout(),
          node.dependsOn.stream().map(d -> tree.node(d).id).toList(),
          node.runsEvenIfSkipped.stream().map(d -> tree.node(d).id).toList(),
          ops));
    }
    return new Plan(pipeline.name(), context, pipeline.parameters(), values, pipeline.libraries(),
        pipeline.environments(), pipeline.secrets().stream().map(SecretRef::name).toList(), pipeline.caches(),
        pipeline.blueprints(), stages, warnings);
  }

  private void resolveParameters() {
    List<String> problems = new ArrayList<>();
    Map<String, Parameter> declared = new LinkedHashMap<>();
    pipeline.parameters().forEach(p -> declared.put(p.name(), p));
    for (String given : context.parameters().keySet()) {
      if (!declared.containsKey(given)) {
        problems.add("'" + given + "' is not a parameter of the pipeline; declared: " + declared.keySet());
      }
    }
    for (Parameter parameter : declared.values()) {
      String value = context.parameters().get(parameter.name());
      if (value == null && context.isKnown()) {
        value = parameter.defaultValue().orElse(null);
      }
      if (value == null) {
        if (context.isKnown()) {
          problems.add("the parameter '" + parameter.name() + "' has no default, so the run must give a value");
        }
        continue;
      }
      if (!parameter.type().accepts(value)
          || parameter.type() == Parameter.Type.CHOICE && !parameter.choices().contains(value)) {
        problems.add("'" + value + "' is not a valid value of parameter '" + parameter.name() + "' ("
            + parameter.type().name().toLowerCase(java.util.Locale.ROOT)
            + (parameter.type() == Parameter.Type.CHOICE ? " of " + parameter.choices() : "") + ")");
        continue;
      }
      values.put(parameter.name(), value);
    }
    if (!problems.isEmpty()) {
      throw new InvalidRunContextException(pipeline.name(), problems);
    }
  }

  private void checkRollback() {
    context.rollback().filter(name -> !environments.containsKey(name)).ifPresent(name -> {
      throw new InvalidRunContextException(pipeline.name(), List.of("'" + name + "' is not an environment of the "
          + "pipeline, so the run cannot roll it back; declared: " + environments.keySet().stream().sorted().toList()));
    });
  }

  /**
   * Whether the run rolls an environment back and the stage takes no part: neither it nor a stage
   * inside it deploys there.
   */
  private boolean rolledBackWithout(StageTree.Node node, String inherited) {
    return context.rollback().isPresent() && !reaches(node, inherited, context.rollback().get());
  }

  private boolean reaches(StageTree.Node node, String inherited, String environment) {
    String own = node.stage.environment().orElse(inherited);
    if (environment.equals(own)) {
      return true;
    }
    return node.children.stream().anyMatch(child -> reaches(tree.node(child), own, environment));
  }

  /** In a rollback, the artifacts a stage deploying to the environment restores are those it ran before. */
  private List<Op> rolledBack(List<Op> ops) {
    String environment = context.rollback().orElseThrow();
    return ops.stream().map(op -> op instanceof Op.RestoreArtifact restore ? (Op) new Op.RestoreArtifact(
        restore.name(), Optional.of(new Op.Deployed(environment, true)), restore.guard()) : op).toList();
  }

  private void resolveRuntime(StageTree.Node node, Runtime[] runtime, String[] source) {
    int index = node.index;
    Optional<Runtime> own = node.stage.runtime();
    if (own.isPresent() && own.get() instanceof Runtime.SameAs sameAs) {
      int target = tree.find(sameAs.stage());
      runtime[index] = runtime[target];
      source[index] = "same as '" + sameAs.stage() + "'";
    } else if (own.isPresent()) {
      runtime[index] = own.get();
    } else if (node.parent >= 0) {
      runtime[index] = runtime[node.parent];
      source[index] = "from '" + tree.node(node.parent).id + "'";
    } else {
      runtime[index] = Runtime.local();
      source[index] = "default";
    }
  }

  private void decide(StageTree.Node node, StageStatus[] status, String[] reason, String environment) {
    int index = node.index;
    StageStatus parentStatus = node.parent >= 0 ? status[node.parent] : StageStatus.RUN;
    if (parentStatus == StageStatus.SKIP) {
      status[index] = StageStatus.SKIP;
      reason[index] = "its group '" + tree.node(node.parent).id + "' is skipped";
      return;
    }
    List<String> unknown = new ArrayList<>();
    for (int dependency : node.dependsOn) {
      // In a rollback, what the stages that deploy depend on does not run; they run nonetheless.
      if (node.runsEvenIfSkipped.contains(dependency) || context.rollback().isPresent()) {
        continue;
      }
      if (status[dependency] == StageStatus.SKIP) {
        status[index] = StageStatus.SKIP;
        reason[index] = "'" + tree.node(dependency).id + "' was skipped: " + reason[dependency];
        return;
      }
      if (status[dependency] == StageStatus.UNDECIDED) {
        unknown.add("'" + tree.node(dependency).id + "' runs");
      }
    }
    List<Condition> conditions = new ArrayList<>();
    node.stage.when().ifPresent(conditions::add);
    for (Gate gate : node.stage.enter()) {
      if (gate instanceof ConditionGate c) {
        conditions.add(c.condition());
      }
    }
    for (Condition condition : conditions) {
      Truth truth = Conditions.evaluate(condition, context, values);
      if (truth == Truth.FALSE) {
        status[index] = StageStatus.SKIP;
        reason[index] = "[" + condition + "] is false";
        return;
      }
      if (truth == Truth.UNKNOWN) {
        unknown.add("[" + condition + "]");
      }
    }
    if (environment != null) {
      Environment env = environments.get(environment);
      if (!env.allowedBranches().isEmpty()) {
        String allowed = "environment '" + environment + "' allows only branches " + env.allowedBranches();
        if (!context.isKnown()) {
          unknown.add(allowed);
        } else if (context.branch().map(b -> env.allowedBranches().stream().noneMatch(g -> Glob.matches(g, b)))
            .orElse(true)) {
          status[index] = StageStatus.SKIP;
          reason[index] = allowed + " and this run is on " + context.branch().map(b -> "'" + b + "'").orElse("no branch");
          return;
        }
      }
    }
    if (!unknown.isEmpty()) {
      status[index] = StageStatus.UNDECIDED;
      reason[index] = "runs only if " + String.join(" and ", unknown);
    } else if (parentStatus == StageStatus.UNDECIDED) {
      status[index] = StageStatus.UNDECIDED;
      reason[index] = "its group '" + tree.node(node.parent).id + "' is conditional";
    } else {
      status[index] = StageStatus.RUN;
    }
  }

  private List<Op> lower(StageTree.Node node, String environmentName) {
    Stage stage = node.stage;
    Environment environment = environmentName == null ? null : environments.get(environmentName);
    List<Op> ops = new ArrayList<>();
    ops.add(new Op.BeginStage(node.id));
    int waits = 0;
    boolean deploysHere = stage.environment().isPresent();
    lowerLocks(node, deploysHere ? environment : null, ops);
    if (deploysHere && environment.requiresApproval()) {
      ops.add(new Op.AwaitApproval(node.id + "#enter-" + ++waits, Position.ENTER,
          "Deploy to '" + environment.name() + "'?", List.of(), environment.approvalTimeout(), Gate.OnTimeout.FAIL));
    }
    for (Gate gate : stage.enter()) {
      Op wait = lowerWait(gate, node.id + "#enter-" + (waits + 1), Position.ENTER, environment);
      if (wait != null) {
        ops.add(wait);
        waits++;
      }
    }
    if (node.isGroup()) {
      ops.add(new Op.AwaitChildren(node.children.stream().map(c -> tree.node(c).id).toList(), node.parallel,
          stage.keepsGoing()));
    } else {
      for (String name : stage.restores()) {
        Cache cache = caches.get(name);
        ops.add(new Op.RestoreCache(name, cache.paths(), cache.keyFiles(), cache.fallbacks()));
      }
      lowerSteps(node, stage.steps(), Guard.NORMAL, environment, ops);
      for (String name : stage.saves()) {
        Cache cache = caches.get(name);
        ops.add(new Op.SaveCache(name, cache.paths(), cache.keyFiles(), cache.fallbacks()));
      }
    }
    waits = 0;
    for (Gate gate : stage.exit()) {
      Op wait = lowerWait(gate, node.id + "#exit-" + (waits + 1), Position.EXIT, environment);
      if (wait != null) {
        ops.add(wait);
        waits++;
      }
    }
    lowerSteps(node, stage.onSuccess(), Guard.ON_SUCCESS, environment, ops);
    lowerSteps(node, stage.onFailure(), Guard.ON_FAILURE, environment, ops);
    lowerSteps(node, stage.always(), Guard.ALWAYS, environment, ops);
    ops.add(new Op.EndStage(node.id));
    return context.rollback().filter(r -> r.equals(environmentName)).isPresent() ? rolledBack(ops) : ops;
  }

  /**
   * The stage's own locks, then those of the environment it deploys to, each once. A lock a group
   * holds is not taken again by its children, who would wait for their own group.
   */
  private void lowerLocks(StageTree.Node node, Environment deploysTo, List<Op> ops) {
    Set<String> names = new LinkedHashSet<>(
        node.parent >= 0 ? held.getOrDefault(node.parent, Set.of()) : Set.of());
    List<Lock> locks = new ArrayList<>(node.stage.locks());
    if (deploysTo != null) {
      locks.addAll(deploysTo.locks());
    }
    for (Lock lock : locks) {
      if (names.add(lock.name())) {
        ops.add(new Op.AcquireLock(node.id + "#lock-" + lock.name(), lock.name(), lock.mode(), Lock.MAX_WAIT));
      }
    }
    held.put(node.index, names);
  }

  private Op lowerWait(Gate gate, String id, Position position, Environment environment) {
    if (gate instanceof ApprovalGate a) {
      return new Op.AwaitApproval(id, position, a.prompt(), a.approvers(), a.timeout().get(), a.onTimeout());
    }
    if (gate instanceof WebhookGate w) {
      return new Op.AwaitWebhook(id, position, w.description(), w.timeout().get(), w.onTimeout());
    }
    if (gate instanceof PollGate p) {
      return new Op.Poll(id, position, p.description(), process(p.probe(), Guard.NORMAL, environment), p.interval(),
          p.backoff(), p.maxInterval().orElse(p.interval()), p.timeout().get(), p.onTimeout());
    }
    return null;
  }

  private void lowerSteps(StageTree.Node node, List<Step> steps, Guard guard, Environment environment, List<Op> ops) {
    for (Step step : steps) {
      if (step instanceof ShStep sh) {
        ops.add(process(sh, guard, environment));
      } else {
        LibraryStep call = (LibraryStep) step;
        for (Primitive primitive : expand(node, call)) {
          ops.add(op(primitive, guard));
        }
      }
    }
  }

  private Op.RunProcess process(ShStep sh, Guard guard, Environment environment) {
    if (environment == null && sh.secrets().isEmpty()) {
      return new Op.RunProcess(sh.label(), sh.script(), sh.env(), List.of(), sh.timeout(), sh.retries(),
          sh.retryBackoff(), guard);
    }
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, SecretBinding> secrets = new LinkedHashMap<>();
    if (environment != null) {
      env.putAll(environment.settings());
      environment.secrets().forEach(b -> secrets.put(b.variable(), b));
    }
    env.putAll(sh.env());
    sh.secrets().forEach(b -> secrets.put(b.variable(), b));
    secrets.keySet().forEach(env::remove);
    return new Op.RunProcess(sh.label(), sh.script(), env, new ArrayList<>(secrets.values()), sh.timeout(),
        sh.retries(), sh.retryBackoff(), guard);
  }

  /** The op a library's primitive stands for, with the guard of the step that called the library. */
  private static Op.StepOp op(Primitive primitive, Guard guard) {
    if (primitive instanceof Primitive.Run run) {
      List<SecretBinding> secrets = new ArrayList<>();
      run.secrets().forEach((variable, secret) -> secrets.add(SecretBinding.asEnv(secret, variable)));
      return new Op.RunProcess(run.label(), run.script(), run.env(), secrets, Optional.empty(), guard);
    } else if (primitive instanceof Primitive.Emit emit) {
      return new Op.Emit(emit.event(), emit.message(), guard);
    } else if (primitive instanceof Primitive.StoreArtifact store) {
      return new Op.StoreArtifact(store.name(), store.paths(), guard);
    }
    Primitive.RestoreArtifact restore = (Primitive.RestoreArtifact) primitive;
    return new Op.RestoreArtifact(restore.name(), restore.deployedTo().map(env -> new Op.Deployed(env, false)), guard);
  }

  private List<Primitive> expand(StageTree.Node node, LibraryStep call) {
    LibraryUse use = libraries.get(call.library());
    try {
      return LibraryCalls.expand(use, call);
    } catch (RuntimeException e) {
      throw new OttoException("the step library '" + use.id() + "' failed to expand '" + call.action() + "' at "
          + tree.where(node) + ": " + e.getMessage(), e);
    }
  }
}
