package dev.otto.temporal.internal;

import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.util.List;

/** Signals locks' workflows through the worker's client. */
public final class LockActivitiesImpl implements LockActivities {
  private final WorkflowClient client;

  public LockActivitiesImpl(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public void request(Messages.LockRequest request) {
    LockWorkflow line = client.newWorkflowStub(LockWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(LockWorkflow.id(request.lock())).setTaskQueue(request.taskQueue()).build());
    BatchRequest batch = client.newSignalWithStartRequest();
    batch.add(line::line, new Messages.LockInput(request.lock(), List.of()));
    batch.add(line::request, request);
    client.signalWithStart(batch);
  }

  @Override
  public void release(Messages.LockRelease release) {
    try {
      client.newWorkflowStub(LockWorkflow.class, LockWorkflow.id(release.lock())).release(release);
    } catch (WorkflowNotFoundException gone) {
      // No line, so nothing to leave.
    }
  }
}
