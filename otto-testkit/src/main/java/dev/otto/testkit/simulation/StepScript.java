package dev.otto.testkit.simulation;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What simulated processes do: those whose stage and script (or label) match the globs. A glob's
 * {@code *} stands for any text, so {@code "Deploy > *"} matches every stage of the group
 * {@code Deploy}. By default a process succeeds at once and prints nothing.
 *
 * <pre>{@code
 * simulation.step("Deploy > Pre-production", "git push*").printing("rejected").exitsWith(1);
 * simulation.probe("*", "curl*").succeedsOnAttempt(3);
 * simulation.step("*", "bundle exec rake spec").takes(Duration.ofMinutes(4));
 * }</pre>
 */
public final class StepScript {
  private final Pattern stage;
  private final Pattern script;
  private final java.util.Set<Execution.Kind> kinds;
  private final List<String> output = new ArrayList<>();
  private final List<String> files = new ArrayList<>();
  private int exitCode;
  private int failures;
  private Duration takes = Duration.ZERO;

  /** How the test wrote it, for messages: {@code step("Deploy", "git push*")}. */
  private final String written;

  StepScript(String method, String stageGlob, String scriptGlob, java.util.Set<Execution.Kind> kinds) {
    this.stage = Globs.compile(requireNonNull(stageGlob, "stageGlob"));
    this.script = Globs.compile(requireNonNull(scriptGlob, "scriptGlob"));
    this.kinds = kinds;
    this.written = method + "(\"" + stageGlob + "\", \"" + scriptGlob + "\")";
  }

  /**
   * Refuses a script that can never apply to {@code plan}: one whose stage glob matches none of
   * its stages, or whose script glob matches no process of the stages it names (when they have
   * processes: a stage the plan skips has none). A misspelt name would otherwise leave the
   * simulated step succeeding, and the test passing for the wrong reason.
   */
  void checkAgainst(dev.otto.core.plan.Plan plan) {
    List<dev.otto.core.plan.PlannedStage> named = plan.stages().stream()
        .filter(s -> stage.matcher(s.id()).matches()).toList();
    if (named.isEmpty()) {
      throw new IllegalArgumentException("the simulation's " + written + " names no stage of the plan of '"
          + plan.pipeline() + "', whose stages are " + plan.stages().stream().map(s -> "'" + s.id() + "'").toList()
          + "; check the stage's name (a stage in a group is 'Group > Stage')");
    }
    List<String> processes = new ArrayList<>();
    for (dev.otto.core.plan.PlannedStage s : named) {
      for (dev.otto.core.plan.Op op : s.ops()) {
        if (op instanceof dev.otto.core.plan.Op.RunProcess process && !kinds.contains(Execution.Kind.PROBE)) {
          processes.add(process.script());
          processes.add(process.label());
        } else if (op instanceof dev.otto.core.plan.Op.Poll poll && kinds.contains(Execution.Kind.PROBE)) {
          processes.add(poll.probe().script());
          processes.add(poll.probe().label());
        }
      }
    }
    if (!processes.isEmpty() && processes.stream().noneMatch(p -> script.matcher(p).matches())) {
      throw new IllegalArgumentException("the simulation's " + written + " matches no " + (kinds.contains(
          Execution.Kind.PROBE) ? "probe" : "step") + " of the stages it names: their scripts are "
          + processes.stream().distinct().map(p -> "'" + p + "'").toList() + "; check the script ('*' stands for "
          + "any text)");
    }
  }

  /** Ends with {@code code}: 0 succeeds, anything else fails. */
  public StepScript exitsWith(int code) {
    if (code < 0 || code > 255) {
      throw new IllegalArgumentException("an exit code is 0 to 255, not " + code);
    }
    this.exitCode = code;
    return this;
  }

  /** Fails with exit code 1. */
  public StepScript fails() {
    return exitsWith(1);
  }

  /**
   * Fails the first {@code times} attempts (with exit code 1), then does as scripted: for retries
   * and polls. Attempts are counted in each run, over every process the script matches.
   */
  public StepScript failsTimes(int times) {
    if (times < 0) {
      throw new IllegalArgumentException("times must not be negative, not " + times);
    }
    this.failures = times;
    return this;
  }

  /** Succeeds on attempt {@code attempt}, failing before: for polls and retries. */
  public StepScript succeedsOnAttempt(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, not " + attempt);
    }
    return failsTimes(attempt - 1);
  }

  /** Prints these lines; they reach listeners masked, as a real process's output does. */
  public StepScript printing(String... lines) {
    output.addAll(List.of(lines));
    return this;
  }

  /**
   * Creates these files (empty, with their directories) in the run's workspace, as a build would:
   * for the artifacts and caches of later ops. Paths are relative to the workspace.
   */
  public StepScript creating(String... paths) {
    for (String path : paths) {
      java.nio.file.Path relative = java.nio.file.Path.of(path).normalize();
      if (relative.isAbsolute() || relative.startsWith("..")) {
        throw new IllegalArgumentException("'" + path + "' is not inside the workspace; give a relative path");
      }
      files.add(relative.toString());
    }
    return this;
  }

  /** Takes {@code duration} of virtual time: the clock moves on, and timeouts may fire. */
  public StepScript takes(Duration duration) {
    requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a step cannot take negative time: " + duration);
    }
    this.takes = duration;
    return this;
  }

  boolean matches(String stageId, String label, String processScript, Execution.Kind kind) {
    return kinds.contains(kind) && stage.matcher(stageId).matches()
        && (script.matcher(processScript).matches() || script.matcher(label).matches());
  }

  /** The exit code of attempt {@code attempt} (from 1) of the processes this script matches in one run. */
  int exitCode(int attempt) {
    return attempt <= failures ? 1 : exitCode;
  }

  List<String> output() {
    return output;
  }

  List<String> files() {
    return files;
  }

  Duration takes() {
    return takes;
  }
}
