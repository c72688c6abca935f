package dev.otto.cli;

import java.util.Map;
import java.util.Optional;

/**
 * The branch a CI system builds, from the variable it names it in: such systems check out the
 * commit they build with a detached HEAD. A change request's build (a pull or merge request) is
 * on no branch of its own here, so that a condition on the branch, such as a deployment's, is not
 * met by one.
 *
 * @param branch the branch
 * @param variable the variable that named it, for messages
 */
record CiBranch(String branch, String variable) {
  /** The branch {@code environment}'s CI variables name, if one does. */
  static Optional<CiBranch> of(Map<String, String> environment) {
    // GitLab sets CI_COMMIT_BRANCH in branch pipelines only, not in merge request or tag pipelines.
    Optional<CiBranch> found = named(environment, "CI_COMMIT_BRANCH");
    // GitHub Actions: GITHUB_REF_NAME is a branch on a push to one; a pull request's is '<number>/merge'.
    if (found.isEmpty() && "branch".equals(environment.get("GITHUB_REF_TYPE"))
        && "push".equals(environment.get("GITHUB_EVENT_NAME"))) {
      found = named(environment, "GITHUB_REF_NAME");
    }
    // Jenkins multibranch: BRANCH_NAME is 'PR-12' for a change request, which sets CHANGE_ID.
    if (found.isEmpty() && !environment.containsKey("CHANGE_ID")) {
      found = named(environment, "BRANCH_NAME");
    }
    // Buildkite and CircleCI name a pull request's head branch too; their pull request variables tell it apart.
    if (found.isEmpty() && "false".equals(environment.getOrDefault("BUILDKITE_PULL_REQUEST", "false"))) {
      found = named(environment, "BUILDKITE_BRANCH");
    }
    if (found.isEmpty() && !environment.containsKey("CIRCLE_PULL_REQUEST")) {
      found = named(environment, "CIRCLE_BRANCH");
    }
    return found;
  }

  private static Optional<CiBranch> named(Map<String, String> environment, String variable) {
    String value = environment.get(variable);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(new CiBranch(value.strip(), variable));
  }
}
