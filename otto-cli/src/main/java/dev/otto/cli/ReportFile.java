package dev.otto.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The page {@code --report FILE} asks for: checked before the run, so that a path that cannot be
 * written is refused before the pipeline runs for minutes, and written after it. A write that
 * still fails (the folder went away meanwhile) is said in words, as every message of the command
 * is, never by the exception's class name.
 */
final class ReportFile {
  private ReportFile() {}

  /**
   * Makes the folder {@code report} goes to and checks that a file can be written there, before
   * the run; refuses, as a usage error, a path that is a folder, that lies under a file, or whose
   * folder cannot be made or written to.
   */
  static void prepare(Path report) {
    Path file = report.toAbsolutePath();
    if (Files.isDirectory(file)) {
      throw new CliException(ExitCodes.USAGE, "--report names the file to write, e.g. " + file.resolve("run.html")
          + "; " + file + " is a folder");
    }
    Path folder = file.getParent();
    for (Path above = folder; above != null; above = above.getParent()) {
      if (Files.exists(above) && !Files.isDirectory(above)) {
        throw new CliException(ExitCodes.USAGE, "--report " + report + ": " + above + " is a file, not a folder, so "
            + "the report cannot go under it; name a file in a folder");
      }
    }
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, "--report " + report + ": could not make the folder " + folder + " ("
          + why(e) + "); name a file in a folder that can be made");
    }
    if (Files.exists(file)) {
      // A file there already is opened for writing, and left as it is: /dev/stdout, a pipe, or a file mounted alone
      // in a folder that takes no new file are written as well as a plain file.
      try {
        java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE).close();
        return;
      } catch (IOException e) {
        throw new CliException(ExitCodes.USAGE, "--report " + report + ": " + file + " cannot be written over ("
            + why(e) + "); name another file");
      }
    }
    try {
      // A file made and removed at once: the only sure answer, as /proc or a read-only mount takes no new file
      // even from root, whom Files.isWritable answers yes.
      Files.delete(Files.createTempFile(folder, ".otto-report-", ".tmp"));
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, "--report " + report + ": no file can be written in " + folder + " ("
          + why(e) + "); name a file in a folder you can write to");
    }
  }

  /** Writes {@code html} to {@code report}; what went wrong, in words, when it could not. */
  static Optional<String> write(Path report, String html) {
    try {
      Files.writeString(report, html, StandardCharsets.UTF_8);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("could not write the report to " + report.toAbsolutePath().normalize() + ": " + why(e));
    }
  }

  /** What went wrong with a file, in words: the system's reason, without the exception's class name. */
  static String why(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or folder";
    }
    String reason = e instanceof FileSystemException problem && problem.getReason() != null ? problem.getReason()
        : e.getMessage() != null ? e.getMessage() : "the system refused it";
    return reason.isEmpty() ? reason : reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
  }
}
