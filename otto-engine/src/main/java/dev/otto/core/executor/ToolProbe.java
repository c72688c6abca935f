package dev.otto.core.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks for tools the way a step would: one shell, started as the executor starts a stage's shell
 * (on the host, or in its sandbox) with the same variables, runs {@code command -v} and then
 * {@code TOOL --version} (else {@code TOOL version}, as Go has it) for each tool, each version
 * given {@value #VERSION_SECONDS} seconds. Tool names are the shell's arguments, never part of
 * its script.
 */
final class ToolProbe {
  private static final Logger LOG = LoggerFactory.getLogger(ToolProbe.class);
  static final int VERSION_SECONDS = 5;
  private static final Duration WHOLE = Duration.ofSeconds(30);
  private static final Pattern VERSION = Pattern.compile("(\\d+(?:\\.\\d+)+)");
  private static final Pattern JDK_RELEASE = Pattern.compile("^(?:openjdk|javac?)(?: version)? \"?(\\d+)\\b");
  private static final String SCRIPT = String.join("\n",
      "limit=; command -v timeout >/dev/null 2>&1 && limit='timeout " + VERSION_SECONDS + "'",
      "for tool in \"$@\"; do",
      "  where=$(command -v -- \"$tool\") || { printf 'missing\\t%s\\n' \"$tool\"; continue; }",
      "  line=$($limit \"$tool\" --version </dev/null 2>&1) || line=$($limit \"$tool\" version </dev/null 2>&1) || line=",
      // Java 8 knows only -version, which no other tool is asked: it could read as other options elsewhere.
      "  case $tool in java|javac) [ -n \"$line\" ] || line=$($limit \"$tool\" -version </dev/null 2>&1) || line=;; esac",
      "  line=$(printf '%s\\n' \"$line\" | grep -m 1 '[^[:space:]]')",
      "  printf 'found\\t%s\\t%s\\t%s\\n' \"$tool\" \"$where\" \"$line\"",
      "done");

  private ToolProbe() {}

  /**
   * Finds {@code tools} with {@code prefix} (what comes before {@code /bin/sh -c}, empty on the
   * host) in the environment {@code env}; a tool the probe did not report is missing.
   */
  static List<Executor.Tool> find(List<String> prefix, Map<String, String> env, List<String> tools) {
    Map<String, Executor.Tool> found = new LinkedHashMap<>();
    tools.forEach(tool -> found.put(tool, new Executor.Tool(tool, Optional.empty(), Optional.empty())));
    if (tools.isEmpty()) {
      return List.copyOf(found.values());
    }
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of("/bin/sh", "-c", SCRIPT, "otto-tools"));
    command.addAll(tools);
    Path directory = null;
    try {
      // An empty folder to start in: "sh version" must not find a file named version to run.
      directory = Files.createTempDirectory("otto-tools-");
      Path answers = directory.resolve("answers");
      ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectOutput(answers.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().clear();
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(WHOLE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("looking for {} took longer than {}; tools not reported by then count as missing", tools, WHOLE);
      }
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      for (String line : Files.readAllLines(answers, StandardCharsets.UTF_8)) {
        String[] parts = line.split("\t", 4);
        if (parts.length == 4 && parts[0].equals("found") && found.containsKey(parts[1])) {
          found.put(parts[1], new Executor.Tool(parts[1], Optional.of(parts[2]), version(parts[3])));
        }
      }
    } catch (IOException e) {
      LOG.warn("could not look for {}: {}", tools, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      delete(directory);
    }
    return List.copyOf(found.values());
  }

  private static void delete(Path directory) {
    if (directory == null) {
      return;
    }
    try (var files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      LOG.debug("could not remove {}: {}", directory, e.getMessage());
    }
  }

  /**
   * The first dotted number of a tool's version line: {@code 1.22.2} from {@code go version
   * go1.22.2 linux/amd64}; else the release a JDK's first line names alone, as its first release
   * of a version does: {@code 21} from {@code openjdk 21 2023-09-19}.
   */
  static Optional<String> version(String line) {
    Matcher matcher = VERSION.matcher(line);
    if (matcher.find()) {
      return Optional.of(matcher.group(1));
    }
    Matcher release = JDK_RELEASE.matcher(line);
    return release.find() ? Optional.of(release.group(1)) : Optional.empty();
  }
}
