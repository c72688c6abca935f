package dev.otto.core.engine;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A person's answer to an approval: approve or reject, who decided, and an optional comment.
 *
 * <pre>{@code
 * engine.decide(runId, "Deploy > Production#enter-1", Decision.approve("alice").withComment("staging is fine"));
 * }</pre>
 *
 * @param approved whether the stage may go on
 * @param by who decided; checked against the approval's allowed approvers, if it has any
 * @param comment why, if they said
 */
public record Decision(boolean approved, String by, Optional<String> comment) {
  private static final int MAX_LENGTH = 4096;

  public Decision {
    requireNonNull(by, "by");
    requireNonNull(comment, "comment");
    if (by.isBlank() || by.length() > 256 || by.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("the decider's name must be 1 to 256 printable characters, not '"
          + by.replaceAll("\\p{Cntrl}", "?") + "'");
    }
    if (comment.isPresent() && comment.get().length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a decision's comment must be at most " + MAX_LENGTH + " characters, not "
          + comment.get().length());
    }
  }

  public static Decision approve(String by) {
    return new Decision(true, by, Optional.empty());
  }

  public static Decision reject(String by) {
    return new Decision(false, by, Optional.empty());
  }

  public Decision withComment(String comment) {
    return new Decision(approved, by, Optional.of(requireNonNull(comment, "comment")));
  }
}
