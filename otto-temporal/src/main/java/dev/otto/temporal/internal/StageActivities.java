package dev.otto.temporal.internal;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** What a worker does for a stage, in the run's workspace on its machine. */
@ActivityInterface
public interface StageActivities {

  /** Runs a step or a probe; its outcome, failed or not, is the result. Throws only when the worker cannot. */
  @ActivityMethod(name = "OttoRunProcess")
  Messages.StepRecord runProcess(Messages.ProcessTask task);

  @ActivityMethod(name = "OttoCache")
  Messages.StoreRecord cache(Messages.CacheTask task);

  @ActivityMethod(name = "OttoArtifact")
  Messages.StoreRecord artifact(Messages.ArtifactTask task);

  /** Adds an entry to the record of deployments this worker keeps; recording it again changes nothing. */
  @ActivityMethod(name = "OttoRecordDeployment")
  void recordDeployment(Messages.DeploymentRecord deployment);
}
