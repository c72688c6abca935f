package dev.otto.testkit;

import dev.otto.core.engine.Deployment;
import dev.otto.testkit.simulation.Execution;
import dev.otto.testkit.simulation.SimulatedRun;
import java.util.List;

/**
 * Assertions on a simulated run: the order stages started in, the notifications that fired, and
 * what each step received (variables and secret names; never secret values).
 *
 * <p>Stages and steps are named by globs, with the rule {@code simulation.step(...)} scripts
 * them by: a glob matches a stage's path, or a step's script or label, whole, and {@code *}
 * stands for any text: {@code ranStep("Deploy > *", "git push*")}.
 *
 * <pre>{@code
 * assertThat(run).startedStages("Build", "Test", "Deploy", "Deploy > Pre-production")
 *     .firedNotification("Fire on warlock mountain!")
 *     .ranStepReceivingSecret("Deploy > Pre-production", "git push", "heroku-api-key")
 *     .deployed("production");
 * }</pre>
 */
public final class SimulatedRunAssert extends OttoAssert<SimulatedRunAssert, SimulatedRun> {

  SimulatedRunAssert(SimulatedRun run, Failures failures) {
    super(run, SimulatedRunAssert.class, failures);
  }

  /** Exactly these stages started, in this order. */
  public SimulatedRunAssert startedStages(String... stages) {
    isNotNull();
    return check(actual.startedStages().equals(List.of(stages)), "\nExpecting the simulated run to start:\n  "
        + List.of(stages) + "\nbut it started:\n  " + actual.startedStages());
  }

  /** A notification whose text contains {@code text} fired. */
  public SimulatedRunAssert firedNotification(String text) {
    isNotNull();
    return check(actual.notifications().stream().anyMatch(n -> n.contains(text)), "\nExpecting the simulated run "
        + "to fire a notification containing:\n  " + quote(text) + "\nbut it fired:\n  " + actual.notifications());
  }

  /** No notification whose text contains {@code text} fired. */
  public SimulatedRunAssert didNotFireNotification(String text) {
    isNotNull();
    return check(actual.notifications().stream().noneMatch(n -> n.contains(text)), "\nExpecting the simulated run "
        + "not to fire a notification containing:\n  " + quote(text) + "\nbut it fired:\n  " + actual.notifications());
  }

  /** A stage of the run deployed to {@code environment} and succeeded: the environment's record says so. */
  public SimulatedRunAssert deployed(String environment) {
    isNotNull();
    List<Deployment> entries = actual.deployments(environment);
    return check(entries.stream().anyMatch(Deployment::succeeded), "\nExpecting the simulated run to deploy to "
        + quote(environment) + "\nbut " + (entries.isEmpty() ? "the environment's record has no entry of the run"
        : "its deployments there ended " + entries.stream().map(d -> d.stage() + " " + d.status()).toList()));
  }

  /** No stage of the run succeeded in deploying to {@code environment}. */
  public SimulatedRunAssert didNotDeploy(String environment) {
    isNotNull();
    List<Deployment> entries = actual.deployments(environment);
    return check(entries.stream().noneMatch(Deployment::succeeded), "\nExpecting the simulated run not to deploy to "
        + quote(environment) + "\nbut " + entries.stream().filter(Deployment::succeeded).map(Deployment::stage)
        .toList() + " did");
  }

  /** A process of a stage matching {@code stage} whose script or label matches {@code step} ran. */
  public SimulatedRunAssert ranStep(String stage, String step) {
    return check(!matching(stage, step).isEmpty(), "\nExpecting a stage matching " + quote(stage)
        + " to run a step matching:\n  " + quote(step) + "\nbut it ran:\n  " + labels(stage) + hint(step));
  }

  /** No process of a stage matching {@code stage} whose script or label matches {@code step} ran. */
  public SimulatedRunAssert didNotRunStep(String stage, String step) {
    List<Execution> ran = matching(stage, step);
    return check(ran.isEmpty(), "\nExpecting no stage matching " + quote(stage) + " to run a step matching:\n  "
        + quote(step) + "\nbut it ran:\n  " + ran.stream().map(Execution::label).toList());
  }

  /** A process of a stage matching {@code stage}, matching {@code step}, ran and received the secret {@code secret}. */
  public SimulatedRunAssert ranStepReceivingSecret(String stage, String step, String secret) {
    List<Execution> ran = matching(stage, step);
    return check(ran.stream().anyMatch(e -> e.secrets().contains(secret)), "\nExpecting a step of a stage matching "
        + quote(stage) + " matching " + quote(step) + " to receive the secret:\n  " + quote(secret) + "\nbut "
        + (ran.isEmpty() ? "no such step ran" : "it received:\n  " + ran.get(0).secrets()));
  }

  /** No process of the run received the secret {@code secret}. */
  public SimulatedRunAssert noStepReceivedSecret(String secret) {
    isNotNull();
    List<String> receivers = actual.executions().stream().filter(e -> e.secrets().contains(secret))
        .map(e -> e.stage() + ": " + e.label()).toList();
    return check(receivers.isEmpty(), "\nExpecting no step to receive the secret:\n  " + quote(secret)
        + "\nbut these did:\n  " + receivers);
  }

  /** A process of a stage matching {@code stage}, matching {@code step}, ran with {@code variable} set to {@code value}. */
  public SimulatedRunAssert ranStepWithVariable(String stage, String step, String variable, String value) {
    List<Execution> ran = matching(stage, step);
    return check(ran.stream().anyMatch(e -> value.equals(e.env().get(variable))), "\nExpecting a step of a stage "
        + "matching " + quote(stage) + " matching " + quote(step) + " to run with " + variable + "=" + value + "\nbut "
        + (ran.isEmpty() ? "no such step ran" : "its variables were:\n  " + ran.get(0).env()));
  }

  private List<Execution> matching(String stage, String step) {
    isNotNull();
    return actual.executions(stage, step);
  }

  private List<String> labels(String stage) {
    return actual.executions(stage, "*").stream().map(Execution::label).toList();
  }

  /** A reminder of the rule when a glob without {@code *} names only part of what ran. */
  private String hint(String step) {
    return step.contains("*") ? "" : "\n(a step glob matches the whole script or label; use " + quote(step + "*")
        + " for steps that begin with it)";
  }
}
