package dev.otto.core.engine;

import dev.otto.core.plan.Plan;
import java.util.List;
import java.util.Optional;

/**
 * What a host asks of an engine, whichever engine it is: start runs of plans, find a run in
 * progress, list and answer its waits. The local {@link LocalEngine} runs plans in this process;
 * {@code otto-temporal}'s engine runs them on a Temporal cluster. A host written against this
 * interface switches engines without changing its pipelines, and {@link
 * dev.otto.core.http.EngineEndpoint} serves any of them over HTTP.
 */
public interface Engine {

  /** Starts {@code plan} and returns at once. */
  RunHandle start(Plan plan);

  /** Runs {@code plan} to its end. */
  default RunResult run(Plan plan) {
    return start(plan).result().join();
  }

  /** The run with that id, while it has not ended. */
  Optional<RunHandle> run(String runId);

  /**
   * The record of {@code environment}: every stage that deployed there, newest first, as the
   * store the engine's runs record in keeps it; empty when nothing was deployed there.
   *
   * @throws IllegalStateException if the engine was given no store to read (an engine on
   *     Temporal reads the store its workers record in only when it is given it)
   */
  List<Deployment> deployments(String environment);

  /** Every wait of every run in progress that this engine knows of, by run. */
  List<PendingWait> waits();

  /**
   * Decides an approval of a run.
   *
   * @throws WaitRefusedException if there is no such run or approval, the wait is not an approval,
   *     {@code decision.by()} is not among its approvers, or the approval ended already (decided,
   *     timed out or cancelled); nothing changes then
   */
  void decide(String runId, String waitId, Decision decision);

  /**
   * Resolves the webhook wait that was given {@code token} (in {@link RunEvent.WaitStarted}),
   * with the caller's payload, at most 64 KiB.
   *
   * @return the wait that was resolved
   * @throws WaitRefusedException if the token is unknown, was used, or its wait ended; nothing
   *     changes then
   */
  PendingWait callback(String token, String payload);
}
