package dev.otto.temporal.internal;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A poll's probes, as a child of its run: the probe runs at once, then after each interval
 * (grown by the backoff up to its maximum) until it succeeds. It continues as new every few
 * hundred probes, so that a poll that lasts a month keeps a short history. Its run decides when
 * it has waited long enough, and cancels it.
 */
@WorkflowInterface
public interface PollWorkflow {
  @WorkflowMethod(name = "OttoPoll")
  Messages.PollRecord poll(Messages.PollTask task);
}
