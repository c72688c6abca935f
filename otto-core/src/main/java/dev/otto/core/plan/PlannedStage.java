package dev.otto.core.plan;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.Runtime;
import dev.otto.core.model.Service;
import dev.otto.core.model.StagePath;
import java.util.List;
import java.util.Optional;

/**
 * One stage of a {@link Plan}: where it sits, what decided whether it runs, where it runs, what
 * it waits for, and its ops.
 *
 * @param id the stage's path as text, unique in the plan, e.g. {@code Deploy > Production}
 * @param parent the id of the group holding the stage, if any
 * @param children the ids of the stage's child stages, for a group
 * @param parallel whether the children of a group start together
 * @param status whether the stage runs
 * @param reason why the stage is skipped or conditional; empty when it simply runs
 * @param runtime where the steps run, with same-as and inheritance resolved
 * @param runtimeSource how the runtime was decided, e.g. {@code same as 'Build'}; empty when declared on the stage
 * @param services the containers that run beside the stage's steps, started before its first
 *     process and removed when it ends
 * @param environment the environment the stage deploys to, declared or inherited
 * @param origin where the stage came from when not written directly, e.g. {@code blueprint rubygem}
 * @param timeout the longest the stage may take, its steps and waits together
 * @param dependsOn the ids of the stages that must finish before this one starts
 * @param runsEvenIfSkipped the ids of the dependencies whose skip does not skip this stage; a
 *     stage that depends on any other skipped stage is skipped too
 * @param ops the stage's primitive ops; empty for a skipped stage
 */
public record PlannedStage(
    String id,
    StagePath path,
    Optional<String> parent,
    List<String> children,
    boolean parallel,
    StageStatus status,
    Optional<String> reason,
    Runtime runtime,
    Optional<String> runtimeSource,
    List<Service> services,
    Optional<String> environment,
    Optional<String> origin,
    Optional<java.time.Duration> timeout,
    List<String> dependsOn,
    List<String> runsEvenIfSkipped,
    List<Op> ops) {

  public PlannedStage {
    requireNonNull(id, "id");
    requireNonNull(path, "path");
    requireNonNull(parent, "parent");
    children = List.copyOf(children);
    requireNonNull(status, "status");
    requireNonNull(reason, "reason");
    requireNonNull(runtime, "runtime");
    requireNonNull(runtimeSource, "runtimeSource");
    services = List.copyOf(services);
    requireNonNull(environment, "environment");
    requireNonNull(origin, "origin");
    requireNonNull(timeout, "timeout");
    dependsOn = List.copyOf(dependsOn);
    runsEvenIfSkipped = List.copyOf(runsEvenIfSkipped);
    ops = List.copyOf(ops);
  }

  public String name() {
    return path.name();
  }

  public boolean isGroup() {
    return !children.isEmpty();
  }

  /** Whether the stage runs processes on an executor: steps, notifications or a poll's probe. */
  public boolean runsProcesses() {
    return ops.stream().anyMatch(op -> op instanceof Op.RunProcess || op instanceof Op.Poll);
  }

  /** The processes the stage runs, in order: its steps and notifications, and its polls' probes. */
  public List<Op.RunProcess> processes() {
    return ops.stream().flatMap(op -> op instanceof Op.RunProcess process ? java.util.stream.Stream.of(process)
        : op instanceof Op.Poll poll ? java.util.stream.Stream.of(poll.probe()) : java.util.stream.Stream.empty())
        .toList();
  }

  /** The waits among the ops, in order. */
  public List<Op.Wait> waits() {
    return ops.stream().filter(Op.Wait.class::isInstance).map(Op.Wait.class::cast).toList();
  }
}
