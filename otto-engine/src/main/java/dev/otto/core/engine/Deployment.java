package dev.otto.core.engine;

import static java.util.Objects.requireNonNull;
import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One entry of an environment's record: a stage that deploys to the environment ended, whatever
 * its result. The {@link RunMachine} makes it when the stage ends ({@link RunMachine.Deployed}),
 * so every engine records the same; a {@link DeploymentStore} keeps it.
 *
 * <pre>{@code
 * engine.deployments("production").stream().filter(Deployment::succeeded).findFirst()
 *     .flatMap(last -> last.digest("app"))
 *     .ifPresent(digest -> System.out.println("production runs app " + digest));
 * }</pre>
 *
 * @param environment the environment deployed to
 * @param run the run's id
 * @param pipeline the pipeline's name
 * @param stage the id of the stage that deployed
 * @param commit the commit the run's workspace was made from, when the run knew it
 * @param artifacts the artifacts the stage stored or restored, with their digests, in the order it did
 * @param started when the stage started
 * @param ended when it ended
 * @param approvedBy who approved the deployment, when an approval of the stage or of a group holding it was decided
 * @param status how the stage ended
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Deployment(
    String environment,
    String run,
    String pipeline,
    String stage,
    Optional<String> commit,
    List<Artifact> artifacts,
    Instant started,
    Instant ended,
    Optional<String> approvedBy,
    RunResult.Status status) {

  public Deployment {
    requireNonNull(environment, "environment");
    requireNonNull(run, "run");
    requireNonNull(pipeline, "pipeline");
    requireNonNull(stage, "stage");
    requireNonNull(commit, "commit");
    artifacts = List.copyOf(artifacts);
    requireNonNull(started, "started");
    requireNonNull(ended, "ended");
    requireNonNull(approvedBy, "approvedBy");
    requireNonNull(status, "status");
  }

  /**
   * An artifact a deployment took.
   *
   * @param name the artifact's name
   * @param digest the digest of its files, {@code sha256:<hex>}
   */
  public record Artifact(String name, String digest) {
    public Artifact {
      requireNonNull(name, "name");
      requireNonNull(digest, "digest");
    }
  }

  /** Whether the stage succeeded: the environment runs what it deployed. */
  public boolean succeeded() {
    return status == RunResult.Status.SUCCEEDED;
  }

  /** The digest of the artifact {@code name} the deployment took, if it took one. */
  public Optional<String> digest(String name) {
    requireNonNull(name, "name");
    return artifacts.stream().filter(a -> a.name().equals(name)).map(Artifact::digest).findFirst();
  }
}
