package dev.otto.testkit;

import dev.otto.core.model.SecretBinding;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Assertions on one stage of a plan: where it sits in the order, what it deploys to, what gates
 * it, which caches and secrets it touches, where it runs, where it came from.
 *
 * <pre>{@code
 * assertThat(pipeline).stage("Deploy > Production")
 *     .runsAfter("Deploy > Pre-production").usesEnvironment("production")
 *     .isGatedByApproval().receivesSecret("heroku-api-key").doesNotReceiveSecret("rubygems-api-key");
 * }</pre>
 */
public final class StageAssert extends OttoAssert<StageAssert, PlannedStage> {
  private final Plan plan;

  StageAssert(Plan plan, PlannedStage stage, Failures failures) {
    super(stage, StageAssert.class, failures);
    this.plan = plan;
  }

  private String name() {
    return "stage '" + actual.id() + "' of pipeline '" + plan.pipeline() + "' (" + plan.context() + ")";
  }

  /** The stage waits for {@code other} to finish before it starts, directly or through others. */
  public StageAssert runsAfter(String other) {
    requireStage(other);
    return check(before(actual.id()).contains(other), "\nExpecting " + name() + "\nto run after:\n  "
        + quote(other) + "\nbut it does not wait for it; it waits for:\n  " + before(actual.id()));
  }

  /** The stage starts before {@code other} starts, and {@code other} waits for it. */
  public StageAssert runsBefore(String other) {
    requireStage(other);
    return check(before(other).contains(actual.id()), "\nExpecting " + name() + "\nto run before:\n  "
        + quote(other) + "\nbut " + quote(other) + " does not wait for it; it waits for:\n  " + before(other));
  }

  /** Neither stage waits for the other, and neither holds the other: they may run at the same time. */
  public StageAssert runsInParallelWith(String other) {
    requireStage(other);
    boolean ordered = before(actual.id()).contains(other) || before(other).contains(actual.id())
        || ancestors(actual.id()).contains(other) || ancestors(other).contains(actual.id());
    return check(!ordered, "\nExpecting " + name() + "\nto run in parallel with:\n  " + quote(other)
        + "\nbut one of them waits for, or holds, the other");
  }

  /** The stage deploys to the environment {@code name}. */
  public StageAssert usesEnvironment(String name) {
    return check(actual.environment().filter(name::equals).isPresent(), "\nExpecting " + name()
        + "\nto use the environment:\n  " + quote(name) + "\nbut it uses:\n  "
        + actual.environment().map(OttoAssert::quote).orElse("no environment"));
  }

  /** The stage runs where {@code runtime} says, as explain describes it, e.g. {@code container ruby}. */
  public StageAssert runsOn(String runtime) {
    return check(actual.runtime().describe().equals(runtime), "\nExpecting " + name() + "\nto run on:\n  "
        + quote(runtime) + "\nbut it runs on:\n  " + quote(actual.runtime().describe()));
  }

  /** An approval gates the stage, on entry or exit; with prompts, one of them has each prompt. */
  public StageAssert isGatedByApproval(String... prompts) {
    List<Op.AwaitApproval> approvals = ops(Op.AwaitApproval.class).toList();
    check(!approvals.isEmpty(), "\nExpecting " + name() + "\nto be gated by an approval\nbut it has none");
    for (String prompt : prompts) {
      check(approvals.stream().anyMatch(a -> a.prompt().equals(prompt)), "\nExpecting " + name()
          + "\nto be gated by the approval:\n  " + quote(prompt) + "\nbut its approvals are:\n  "
          + approvals.stream().map(Op.AwaitApproval::prompt).toList());
    }
    return myself;
  }

  /** No approval gates the stage. */
  public StageAssert isNotGatedByApproval() {
    return check(ops(Op.AwaitApproval.class).findAny().isEmpty(), "\nExpecting " + name()
        + "\nnot to be gated by an approval\nbut it waits for:\n  "
        + ops(Op.AwaitApproval.class).map(Op.AwaitApproval::prompt).toList());
  }

  /** A webhook gates the stage. */
  public StageAssert isGatedByWebhook() {
    return check(ops(Op.AwaitWebhook.class).findAny().isPresent(), "\nExpecting " + name()
        + "\nto be gated by a webhook\nbut it has none");
  }

  /** A poll gates the stage. */
  public StageAssert isGatedByPoll() {
    return check(ops(Op.Poll.class).findAny().isPresent(), "\nExpecting " + name()
        + "\nto be gated by a poll\nbut it has none");
  }

  /** A condition the plan could not decide gates the stage, and its text contains {@code condition}. */
  public StageAssert isGatedByCondition(String condition) {
    return check(actual.status() == dev.otto.core.plan.StageStatus.UNDECIDED
        && actual.reason().filter(r -> r.contains(condition)).isPresent(), "\nExpecting " + name()
        + "\nto be gated by a condition containing:\n  " + quote(condition) + "\nbut it is "
        + actual.status().word() + actual.reason().map(r -> " (" + r + ")").orElse(""));
  }

  public StageAssert savesCache(String cache) {
    return check(ops(Op.SaveCache.class).anyMatch(c -> c.cache().equals(cache)), "\nExpecting " + name()
        + "\nto save the cache:\n  " + quote(cache) + "\nbut it saves:\n  "
        + ops(Op.SaveCache.class).map(Op.SaveCache::cache).toList());
  }

  public StageAssert restoresCache(String cache) {
    return check(ops(Op.RestoreCache.class).anyMatch(c -> c.cache().equals(cache)), "\nExpecting " + name()
        + "\nto restore the cache:\n  " + quote(cache) + "\nbut it restores:\n  "
        + ops(Op.RestoreCache.class).map(Op.RestoreCache::cache).toList());
  }

  /** A process of the stage (a step, a notification, a probe) receives the secret {@code name}. */
  public StageAssert receivesSecret(String name) {
    return check(secrets().contains(name), "\nExpecting " + name() + "\nto receive the secret:\n  " + quote(name)
        + "\nbut its processes receive:\n  " + secrets());
  }

  /** No process of the stage receives the secret {@code name}. */
  public StageAssert doesNotReceiveSecret(String name) {
    return check(!secrets().contains(name), "\nExpecting " + name() + "\nnot to receive the secret:\n  "
        + quote(name) + "\nbut a process of it does");
  }

  /** A step of the stage runs a script containing {@code text}. */
  public StageAssert runsScriptContaining(String text) {
    List<String> scripts = processes().map(Op.RunProcess::script).toList();
    return check(scripts.stream().anyMatch(s -> s.contains(text)), "\nExpecting " + name()
        + "\nto run a script containing:\n  " + quote(text) + "\nbut its scripts are:\n  " + scripts);
  }

  /** The stage came from a blueprint or convention whose description contains {@code origin}. */
  public StageAssert cameFrom(String origin) {
    return check(actual.origin().filter(o -> o.contains(origin)).isPresent(), "\nExpecting " + name()
        + "\nto come from:\n  " + quote(origin) + "\nbut it came from:\n  "
        + actual.origin().map(OttoAssert::quote).orElse("the pipeline itself"));
  }

  private <T extends Op> Stream<T> ops(Class<T> type) {
    return actual.ops().stream().filter(type::isInstance).map(type::cast);
  }

  private Stream<Op.RunProcess> processes() {
    return actual.processes().stream();
  }

  private Set<String> secrets() {
    Set<String> names = new LinkedHashSet<>();
    processes().forEach(p -> p.secrets().stream().map(SecretBinding::secret).forEach(names::add));
    return names;
  }

  private void requireStage(String id) {
    if (plan.stage(id).isEmpty()) {
      throw new IllegalArgumentException("pipeline '" + plan.pipeline() + "' has no stage '" + id + "'; its stages "
          + "are " + plan.stages().stream().map(PlannedStage::id).toList());
    }
  }

  /** The stages that finish before {@code id} starts. */
  private Set<String> before(String id) {
    Set<String> result = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(id));
    Set<String> seen = new LinkedHashSet<>();
    while (!todo.isEmpty()) {
      PlannedStage stage = plan.stage(todo.pop()).orElseThrow();
      if (!seen.add(stage.id())) {
        continue;
      }
      for (String dependency : stage.dependsOn()) {
        result.add(dependency);
        result.addAll(descendants(dependency));
        todo.push(dependency);
      }
      stage.parent().ifPresent(todo::push);
    }
    return result;
  }

  private Set<String> descendants(String id) {
    Set<String> result = new LinkedHashSet<>();
    for (String child : plan.stage(id).orElseThrow().children()) {
      result.add(child);
      result.addAll(descendants(child));
    }
    return result;
  }

  private Set<String> ancestors(String id) {
    Set<String> result = new LinkedHashSet<>();
    for (var parent = plan.stage(id).orElseThrow().parent(); parent.isPresent();
        parent = plan.stage(parent.get()).orElseThrow().parent()) {
      result.add(parent.get());
    }
    return result;
  }
}
