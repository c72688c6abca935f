package dev.otto.core.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Runs the {@code git} command: the one tool that knows what a repository's files are. */
final class Git {
  private Git() {}

  /** What git printed on its standard output, or an exception with what it printed on its error output. */
  static String run(Path directory, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    builder.environment().put("LC_ALL", "C");
    Process git;
    try {
      git = builder.start();
    } catch (IOException e) {
      throw new IOException("git is needed here and could not be started (" + e.getMessage() + "); install git", e);
    }
    git.getOutputStream().close();
    CompletableFuture<byte[]> errors = CompletableFuture.supplyAsync(() -> readAll(git.getErrorStream()));
    byte[] out = readAll(git.getInputStream());
    int status;
    try {
      status = git.waitFor();
    } catch (InterruptedException e) {
      git.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while git ran", e);
    }
    if (status != 0) {
      String said = new String(errors.join(), StandardCharsets.UTF_8).strip();
      throw new IOException("'git " + String.join(" ", args) + "' failed with status " + status
          + (said.isEmpty() ? "" : ": " + said));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /** The top of the work tree {@code directory} is in, or empty when it is in none (or git is missing). */
  static Optional<Path> topLevel(Path directory) {
    try {
      return Optional.of(Path.of(run(directory, "rev-parse", "--show-toplevel").strip()).toRealPath());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The commit {@code HEAD} names in {@code directory}, or empty in a repository with no commit yet. */
  static Optional<String> head(Path directory) throws IOException {
    try {
      return Optional.of(run(directory, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").strip());
    } catch (IOException e) {
      if (e.getMessage().contains("status 1")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
