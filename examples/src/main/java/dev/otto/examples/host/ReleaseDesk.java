package dev.otto.examples.host;

import static java.util.Objects.requireNonNull;

import dev.otto.core.engine.Decision;
import dev.otto.core.engine.Engine;
import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunResult;
import dev.otto.core.engine.RunSnapshot;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small host application that embeds Otto's engine: a release desk that starts releases of one
 * pipeline, shows each person the approvals they may decide, records who decided what, and keeps
 * the results of finished releases. It knows nothing of how stages run: the engine it is given
 * decides that, which is what lets a test hand it a simulated one, and a team move it from the
 * local engine to one on Temporal.
 *
 * <pre>{@code
 * ReleaseDesk desk = new ReleaseDesk(LocalEngine.builder(Path.of("/var/lib/releases")).build(), WebApp.pipeline());
 * String release = desk.release("master");
 * desk.approvalsFor("alice").forEach(wait -> desk.approve(wait.run(), wait.id(), "alice", "ship it"));
 * }</pre>
 */
public final class ReleaseDesk {
  private final Engine engine;
  private final Pipeline pipeline;
  private final Map<String, RunHandle> releases = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<String> decisions = Collections.synchronizedList(new ArrayList<>());

  public ReleaseDesk(Engine engine, Pipeline pipeline) {
    this.engine = requireNonNull(engine, "engine");
    this.pipeline = requireNonNull(pipeline, "pipeline");
  }

  /** Starts a release of {@code branch}; returns its run id. */
  public String release(String branch) {
    RunHandle run = engine.start(Planner.plan(pipeline, RunContext.branch(requireNonNull(branch, "branch"))));
    releases.put(run.id(), run);
    return run.id();
  }

  /** The approvals {@code person} may decide now, across releases. */
  public List<PendingWait> approvalsFor(String person) {
    requireNonNull(person, "person");
    return engine.waits().stream().filter(w -> w.kind().equals("await-approval"))
        .filter(w -> w.approvers().isEmpty() || w.approvers().contains(person)).toList();
  }

  /** Approves, in {@code person}'s name, and records it. */
  public void approve(String release, String wait, String person, String comment) {
    decide(release, wait, Decision.approve(person).withComment(comment));
  }

  /** Rejects, in {@code person}'s name, and records it. */
  public void reject(String release, String wait, String person, String comment) {
    decide(release, wait, Decision.reject(person).withComment(comment));
  }

  private void decide(String release, String wait, Decision decision) {
    engine.decide(release, wait, decision);
    decisions.add(release + " " + wait + ": " + (decision.approved() ? "approved" : "rejected") + " by "
        + decision.by() + decision.comment().map(c -> " (" + c + ")").orElse(""));
  }

  /** Who decided what, in order. */
  public List<String> decisions() {
    return List.copyOf(decisions);
  }

  /** Where a release in progress is. */
  public Optional<RunSnapshot> status(String release) {
    return Optional.ofNullable(releases.get(release)).filter(r -> !r.result().isDone()).map(RunHandle::snapshot);
  }

  /** The result of a release that has ended. */
  public Optional<RunResult> result(String release) {
    RunHandle run = releases.get(release);
    return run != null && run.result().isDone() ? Optional.of(run.result().join()) : Optional.empty();
  }
}
