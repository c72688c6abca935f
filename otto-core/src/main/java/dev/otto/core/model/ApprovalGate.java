package dev.otto.core.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** A human decision: the run waits until someone approves or rejects, or the timeout passes. */
@Value.Immutable
public abstract non-sealed class ApprovalGate implements Gate {

  /** The question shown to the approver. */
  public abstract String prompt();

  /** Who may decide; anyone may when empty. */
  public abstract List<String> approvers();

  /** Required by validation: every wait is bounded. */
  public abstract Optional<Duration> timeout();

  @Value.Default
  public OnTimeout onTimeout() {
    return OnTimeout.FAIL;
  }

  public static ApprovalGate of(String prompt) {
    return ImmutableApprovalGate.builder().prompt(prompt).build();
  }

  public ApprovalGate timeout(Duration timeout) {
    requireNonNull(timeout, "timeout");
    return ((ImmutableApprovalGate) ImmutableApprovalGate.copyOf(this)).withTimeout(timeout);
  }

  public ApprovalGate onTimeout(OnTimeout outcome) {
    requireNonNull(outcome, "outcome");
    return ((ImmutableApprovalGate) ImmutableApprovalGate.copyOf(this)).withOnTimeout(outcome);
  }

  public ApprovalGate approvers(String... approvers) {
    requireNonNull(approvers, "approvers");
    for (int i = 0; i < approvers.length; i++) {
      requireNonNull(approvers[i], "approver " + (i + 1) + " of approvers");
    }
    return ((ImmutableApprovalGate) ImmutableApprovalGate.copyOf(this)).withApprovers(approvers);
  }

  @Override
  public String describe() {
    return "approval '" + prompt() + "'";
  }
}
