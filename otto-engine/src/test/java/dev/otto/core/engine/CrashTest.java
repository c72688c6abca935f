package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.journal.FileJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the host of a run with SIGKILL at a random moment and resumes the run in a new JVM.
 *
 * <p>Each iteration starts {@link CrashChild} in a new session, kills every process of that
 * session (the JVM and the steps it started, as when a machine or container dies) at a random
 * moment of a multi-stage run with parallel stages, an approval and a poll, and resumes the run
 * in a second JVM. It checks that the run reaches its final state, that no step the journal
 * recorded as completed runs again, that every step completed at least once, and that the
 * journal written before the crash is intact.
 *
 * <p>The default build runs 10 iterations to stay quick; the {@code crash} profile, which CI
 * runs, sets {@code otto.crash.iterations} to 50.
 */
class CrashTest {
  private static final int ITERATIONS = Integer.getInteger("otto.crash.iterations", 10);

  @TempDir
  Path dir;

  @Test
  void should_resume_after_a_sigkill_at_any_moment_without_repeating_completed_steps() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")),
        "the crash test finds a session's processes in /proc");
    long seed = Long.getLong("otto.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    int resumed = 0;
    int ended = 0;
    int inFlight = 0;
    List<Integer> entriesAtCrash = new ArrayList<>();
    for (int i = 0; i < ITERATIONS; i++) {
      Path root = dir.resolve("iteration-" + i);
      Files.createDirectories(root);
      long killAfter = random.nextInt(700);
      String context = "iteration " + i + " of seed " + seed + ", killed " + killAfter + " ms after the run began";

      Process child = launch("start", root);
      long started = System.nanoTime();
      while (!Files.exists(root.resolve("run-id")) && child.isAlive()
          && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(60)) {
        Thread.sleep(5);
      }
      if (!Files.exists(root.resolve("run-id"))) {
        throw new AssertionError(context + ": the run did not begin: "
            + new String(child.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      }
      if (child.waitFor(killAfter, TimeUnit.MILLISECONDS)) {
        assertThat(child.exitValue()).as(context).isZero();
      }
      killSession(child.pid());
      String runId = Files.readString(root.resolve("run-id")).trim();
      Path journal = FileJournal.in(root).directory(runId).resolve("journal.log");
      List<String> before = FileJournal.in(root).read(runId);
      byte[] beforeBytes = Files.readAllBytes(journal);
      Set<String> completed = completedSteps(before);
      entriesAtCrash.add(before.size());
      ended += before.stream().anyMatch(e -> e.contains("\"t\":\"run-end\"")) ? 1 : 0;
      Map<String, Integer> startsBefore = count(root.resolve(runId).resolve("workspace"), "start");

      Process again = launch("resume", root);
      assertThat(again.waitFor(120, TimeUnit.SECONDS)).as(context + ": the resumed run ends").isTrue();
      assertThat(again.exitValue()).as(context + ": " + new String(again.getErrorStream().readAllBytes())).isZero();
      resumed++;

      assertThat(Files.readString(root.resolve("resume-status"))).as(context).startsWith("SUCCEEDED");
      byte[] after = Files.readAllBytes(journal);
      int kept = validPrefix(beforeBytes, before.size());
      assertThat(java.util.Arrays.copyOf(after, kept)).as(context + ": the journal before the crash is intact")
          .isEqualTo(java.util.Arrays.copyOf(beforeBytes, kept));
      Map<String, Integer> starts = count(root.resolve(runId).resolve("workspace"), "start");
      Map<String, Integer> dones = count(root.resolve(runId).resolve("workspace"), "done");
      inFlight += starts.values().stream().mapToInt(Integer::intValue).sum() > CrashChild.STEPS.size() ? 1 : 0;
      for (String step : completed) {
        assertThat(starts.get(step)).as(context + ": completed step " + step + " ran again")
            .isEqualTo(startsBefore.get(step));
      }
      for (String step : CrashChild.STEPS) {
        assertThat(dones.getOrDefault(step, 0)).as(context + ": step " + step + " completed").isPositive();
      }
    }
    java.util.Collections.sort(entriesAtCrash);
    System.out.printf("crash test, seed %d: %d iterations; killed after the run ended %d times, during it %d times "
        + "(%d with a step run again); journal entries at the kill: %s%n", seed, ITERATIONS, ended, resumed - ended,
        inFlight, entriesAtCrash);
    assertThat(resumed).isEqualTo(ITERATIONS);
  }

  /**
   * Kills only the host JVM while steps run, as when the host is killed and its children are not:
   * those steps run on. The resumed run must stop them, and wait for them, before it runs their
   * ops again, so no step ever runs twice at once.
   */
  @Test
  void should_stop_the_steps_a_killed_host_left_running_before_running_them_again() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")),
        "the engine finds a dead host's processes in /proc");
    // killed during the second step of Build, then while Unit and Lint both run
    for (int startsBeforeKill : new int[] {2, 4}) {
      // given a host killed while its steps run
      Path root = dir.resolve("slow-" + startsBeforeKill);
      Files.createDirectories(root);
      Process child = launch("start-slow", root);
      Path executions = null;
      long started = System.nanoTime();
      while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(60)) {
        if (Files.exists(root.resolve("run-id"))) {
          executions = root.resolve(Files.readString(root.resolve("run-id")).trim()).resolve("workspace")
              .resolve("executions");
          if (Files.exists(executions) && lines(executions, "start").size() >= startsBeforeKill) {
            break;
          }
        }
        Thread.sleep(20);
      }
      assertThat(executions).as("the run began").isNotNull();
      assertThat(lines(executions, "start")).as("steps started before the kill").hasSizeGreaterThanOrEqualTo(
          startsBeforeKill);
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      Path workspace = executions.getParent();
      assertThat(alive(workspace)).as("steps outlive their host").isNotEmpty();

      // when another host resumes the run
      Process again = launch("resume-slow", root);
      assertThat(again.waitFor(120, TimeUnit.SECONDS)).as("the resumed run ends").isTrue();
      assertThat(again.exitValue()).as(new String(again.getErrorStream().readAllBytes())).isZero();

      // then no step overlapped its earlier execution, every step completed, and nothing is left
      assertThat(Files.readString(root.resolve("resume-slow-status"))).startsWith("SUCCEEDED");
      assertThat(lines(executions, "overlap")).as("steps that ran while their earlier execution still ran").isEmpty();
      Set<String> done = new HashSet<>();
      lines(executions, "done").forEach(line -> done.add(line.split(" ")[1]));
      assertThat(done).containsExactlyInAnyOrderElementsOf(CrashChild.SLOW_STEPS);
      assertThat(alive(workspace)).as("processes of the run still alive").isEmpty();
    }
  }

  private static List<String> lines(Path file, String kind) throws IOException {
    return Files.readAllLines(file).stream().filter(line -> line.startsWith(kind + " ")).toList();
  }

  /** The pids the slow steps recorded that are still alive. */
  private static List<Long> alive(Path workspace) throws IOException {
    List<Long> alive = new ArrayList<>();
    for (String step : CrashChild.SLOW_STEPS) {
      Path pid = workspace.resolve("running-" + step);
      if (Files.exists(pid)) {
        long value = Long.parseLong(Files.readString(pid).trim());
        if (ProcessHandle.of(value).map(ProcessHandle::isAlive).orElse(false)) {
          alive.add(value);
        }
      }
    }
    return alive;
  }

  private static Process launch(String mode, Path root) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder("setsid", java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), mode, root.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** Kills, with SIGKILL, every process of the session {@code sid}: the host JVM and the steps it started. */
  private static void killSession(long sid) throws Exception {
    for (int round = 0; round < 50; round++) {
      List<Long> members = new ArrayList<>();
      try (var procs = Files.list(Path.of("/proc"))) {
        for (Path proc : (Iterable<Path>) procs::iterator) {
          String name = proc.getFileName().toString();
          if (!name.chars().allMatch(Character::isDigit)) {
            continue;
          }
          try {
            String stat = Files.readString(proc.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (Long.parseLong(fields[3]) == sid && !fields[0].equals("Z")) {
              members.add(Long.parseLong(name));
            }
          } catch (IOException | RuntimeException e) {
            // the process ended while it was read
          }
        }
      }
      if (members.isEmpty()) {
        return;
      }
      for (long pid : members) {
        new ProcessBuilder("kill", "-KILL", String.valueOf(pid)).start().waitFor();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the processes of session " + sid + " did not die");
  }

  /** The steps whose outcome the journal records. */
  private static Set<String> completedSteps(List<String> entries) {
    Set<String> steps = new HashSet<>();
    for (String entry : entries) {
      Map<String, String> fields = Entries.decode(entry);
      if (fields != null && "step".equals(fields.get("t"))) {
        steps.add(fields.get("label"));
      }
    }
    return steps;
  }

  /** How many lines of the workspace's executions file start with {@code what}, by step. */
  private static Map<String, Integer> count(Path workspace, String what) throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    Path file = workspace.resolve("executions");
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        String[] words = line.split(" ");
        if (words.length >= 2 && words[0].equals(what)) {
          counts.merge(words[1], 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  /** The length of the first {@code entries} lines of a journal. */
  private static int validPrefix(byte[] bytes, int entries) {
    int lines = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n' && ++lines == entries) {
        return i + 1;
      }
    }
    return 0;
  }
}
