package dev.otto.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The files changed since a base commit, as git tells them: what {@code changed(...)} conditions
 * decide on; and the branch a work tree is on, which a run is on unless told.
 */
final class ChangedFiles {
  private ChangedFiles() {}

  /**
   * {@code git diff --name-only BASE...HEAD} in {@code dir}: the files changed on HEAD's side since
   * it forked from {@code base}, as paths from the repository's root.
   */
  static List<String> since(Path dir, String base) {
    if (base.isBlank() || base.startsWith("-")) {
      throw new CliException(ExitCodes.USAGE, "--changed-since takes a commit, branch or tag, not '" + base + "'");
    }
    ProcessBuilder builder = new ProcessBuilder("git", "diff", "--name-only", "-z", base + "...HEAD", "--")
        .directory(dir.toFile());
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    try {
      Process git = builder.start();
      git.getOutputStream().close();
      CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> {
        try {
          return new String(git.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          return e.getMessage();
        }
      });
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (git.waitFor() != 0) {
        // A base git does not know is the command line's mistake; anything else, the folder's or git's.
        int code = unknownBase(dir, base) ? ExitCodes.USAGE : ExitCodes.CANNOT_RUN;
        throw new CliException(code, "could not find the files changed since '" + base + "' in "
            + dir + ": git said: " + errors.join() + "; give a commit, branch or tag that HEAD's history shares");
      }
      return out.isEmpty() ? List.of() : List.of(out.split("\0"));
    } catch (IOException e) {
      throw new CliException(ExitCodes.CANNOT_RUN, "--changed-since needs git, which could not be started: "
          + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.CANNOT_RUN, "interrupted while git listed the changed files");
    }
  }

  /**
   * Where HEAD is in {@code dir}'s git work tree: on a branch, or detached (at a tag, or at a
   * commit no tag names); empty outside a work tree or without git.
   */
  record Head(java.util.Optional<String> branch, java.util.Optional<String> tag, String commit) {
    boolean detached() {
      return branch.isEmpty();
    }
  }

  /** Where HEAD is in {@code dir}'s git work tree; empty outside one, or without git. */
  static java.util.Optional<Head> head(Path dir) {
    try {
      java.util.Optional<String> branch = output(dir, "symbolic-ref", "--quiet", "--short", "HEAD");
      if (branch.isPresent()) {
        return java.util.Optional.of(new Head(branch, java.util.Optional.empty(), ""));
      }
      java.util.Optional<String> commit = output(dir, "rev-parse", "--verify", "--quiet", "--short", "HEAD^{commit}");
      if (commit.isEmpty()) {
        return java.util.Optional.empty();
      }
      // Detached: at the tag git itself would name for HEAD, if one points there.
      return java.util.Optional.of(new Head(java.util.Optional.empty(),
          output(dir, "describe", "--tags", "--exact-match", "HEAD"), commit.get()));
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  /** What git prints to {@code args} in {@code dir}, stripped; empty when it fails or prints nothing. */
  private static java.util.Optional<String> output(Path dir, String... args) throws IOException, InterruptedException {
    Ran ran = run(dir, args);
    return ran.succeeded() && !ran.out().isEmpty() ? java.util.Optional.of(ran.out()) : java.util.Optional.empty();
  }

  /** How git ran: whether it succeeded, and what it printed to its output, stripped. */
  private record Ran(boolean succeeded, String out) {}

  private static Ran run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process git = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    git.getOutputStream().close();
    String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return new Ran(git.waitFor() == 0, out);
  }

  /** Whether {@code dir} is in a git work tree where {@code base} names no commit. */
  private static boolean unknownBase(Path dir, String base) throws IOException, InterruptedException {
    return git(dir, "rev-parse", "--is-inside-work-tree") && !git(dir, "rev-parse", "--verify", "--quiet",
        base + "^{commit}");
  }

  private static boolean git(Path dir, String... args) throws IOException, InterruptedException {
    return run(dir, args).succeeded();
  }
}
