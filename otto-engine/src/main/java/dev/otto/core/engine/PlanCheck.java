package dev.otto.core.engine;

import dev.otto.core.OttoException;
import dev.otto.core.executor.Executor;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.Service;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.StageStatus;
import dev.otto.core.secret.SecretProvider;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Decides before a run where each stage of a plan runs, and whether the plan can run here at all:
 * the executor of every stage that runs processes, and, for a stage that runs on this machine,
 * the tools its runtime requires, found where its processes will look for them. A plan that
 * cannot run is refused whole, every problem named, before anything runs: not halfway, with
 * {@code go: not found} and status 127.
 */
final class PlanCheck {
  private final List<Executor> executors;
  private final boolean localFallback;
  private final String fallbackOption;
  /** Where the secrets of the steps come from: a secret it says it has not stops the run before it starts. */
  private final SecretProvider secrets;

  /**
   * Where one stage runs.
   *
   * @param executor the executor that runs it; null when none can
   * @param fallback whether it is a container stage that runs as local processes
   * @param tools the tools its runtime requires, as the executor found them; empty when not looked for
   * @param problem why it cannot run; null when it can
   */
  record Verdict(Executor executor, boolean fallback, List<Executor.Tool> tools, String problem) {}

  PlanCheck(List<Executor> executors, boolean localFallback, String fallbackOption, SecretProvider secrets) {
    this.executors = executors;
    this.localFallback = localFallback;
    this.fallbackOption = fallbackOption;
    this.secrets = secrets;
  }

  /** The verdict on every stage of {@code plan} that runs processes and that {@code include} accepts. */
  Map<String, Verdict> verdicts(Plan plan, Predicate<PlannedStage> include) {
    Map<PlannedStage, Optional<Executor>> chosen = new LinkedHashMap<>();
    Map<Executor, Set<String>> wanted = new IdentityHashMap<>();
    for (PlannedStage stage : plan.stages()) {
      if (include.test(stage) && stage.runsProcesses()) {
        Optional<Executor> executor = Executor.choose(executors, stage.runtime(), localFallback);
        chosen.put(stage, executor);
        executor.ifPresent(e -> wanted.computeIfAbsent(e, key -> new LinkedHashSet<>())
            .addAll(stage.runtime().tools().stream().map(Runtime::toolName).toList()));
      }
    }
    Map<Executor, Optional<Map<String, Executor.Tool>>> found = new IdentityHashMap<>();
    wanted.forEach((executor, tools) -> found.put(executor, tools.isEmpty() ? Optional.empty()
        : executor.findTools(List.copyOf(tools)).map(list -> list.stream()
            .collect(Collectors.toMap(Executor.Tool::name, tool -> tool, (a, b) -> a, LinkedHashMap::new)))));
    Map<String, Verdict> verdicts = new LinkedHashMap<>();
    chosen.forEach((stage, executor) -> verdicts.put(stage.id(), executor.isEmpty() ? new Verdict(null, false,
        List.of(), noExecutor(stage)) : verdict(stage, executor.get(), found.get(executor.get()))));
    return verdicts;
  }

  private Verdict verdict(PlannedStage stage, Executor executor, Optional<Map<String, Executor.Tool>> found) {
    boolean fallback = executor.whyNot(stage.runtime()).isPresent();
    if (fallback && !stage.services().isEmpty()) {
      return new Verdict(null, false, List.of(), servicesWithoutEngine(stage));
    }
    List<Executor.Tool> tools = found.map(all -> stage.runtime().tools().stream().map(Runtime::toolName)
        .map(all::get).toList()).orElse(List.of());
    List<String> missing = tools.stream().filter(tool -> !tool.found()).map(Executor.Tool::name).toList();
    String problem = missing.isEmpty() ? null : "stage '" + stage.id() + "' needs " + and(missing) + ", which the "
        + executor.name() + " executor does not find on this machine"
        + (fallback ? " (the stage, " + stage.runtime().describe() + ", would run as local processes, as no "
            + "executor runs containers here)" : "")
        + "; install " + (missing.size() == 1 ? "it" : "them") + " where its processes find "
        + (missing.size() == 1 ? "it" : "them") + ", or run the stage where " + (missing.size() == 1 ? "it is" : "they are");
    return new Verdict(executor, fallback, tools, problem);
  }

  /**
   * What the host should hear before the stage runs: that it falls back, which tools it uses, and
   * which of them are older than the stage asks for.
   */
  Optional<String> warning(PlannedStage stage, Verdict verdict) {
    String tools = verdict.tools().stream().map(Executor.Tool::describe).collect(Collectors.joining(", "));
    String older = older(stage.runtime().tools(), verdict.tools());
    if (verdict.fallback()) {
      // Why the executors meant for containers did not take it: a misspelt engine, or one that did not answer.
      String others = reasons(stage, verdict.executor());
      return Optional.of("no executor runs containers here" + (others.isEmpty() ? "" : " (" + others + ")")
          + ", so stage '" + stage.id() + "' ("
          + stage.runtime().describe() + ") runs as local processes; "
          + (tools.isEmpty() ? "it names no tools it needs (Runtime.requires), so none were looked for"
              : "it uses " + tools + " of this machine" + older));
    }
    return tools.isEmpty() ? Optional.empty() : Optional.of("stage '" + stage.id() + "' uses " + tools
        + " of this machine" + older);
  }

  /**
   * What to add when tools found are older than the versions {@code required} asks for: which,
   * and what to do; empty when none is, or a version is unknown.
   */
  private static String older(List<String> required, List<Executor.Tool> found) {
    List<String> older = new ArrayList<>();
    for (int i = 0; i < required.size() && i < found.size(); i++) {
      String requirement = required.get(i);
      Executor.Tool tool = found.get(i);
      Optional<String> minimum = Runtime.minimumVersion(requirement);
      Optional<String> tooNew = Runtime.tooNewVersion(requirement);
      if (minimum.isPresent() && tool.version().isPresent()
          && compareVersions(tool.name(), tool.version().get(), minimum.get()) < 0) {
        older.add(tool.name() + " " + tool.version().get() + " is older than the " + minimum.get() + " it asks for");
      } else if (tooNew.isPresent() && tool.version().isPresent()
          && compareVersions(tool.name(), tool.version().get(), tooNew.get()) >= 0) {
        older.add(tool.name() + " " + tool.version().get() + " is newer than it works with (" + requirement + ")");
      }
    }
    return older.isEmpty() ? "" : "; " + String.join(", ", older) + ": its steps may fail; put one it works with "
        + "first on the PATH its processes get, or run the stage where one is";
  }

  /**
   * Compares two versions number by number, a missing number counting as 0 ({@code 17.0.15} is
   * before {@code 21}, {@code 1.22} before {@code 1.22.3}). Java's versions before 9 read
   * {@code 1.8.0}: for {@code java} and {@code javac}, a leading {@code 1.} is left out.
   */
  static int compareVersions(String tool, String found, String minimum) {
    String version = (tool.equals("java") || tool.equals("javac")) && found.matches("1\\.\\d+.*")
        ? found.substring(2) : found;
    String[] a = version.split("\\.");
    String[] b = minimum.split("\\.");
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      long x = i < a.length ? number(a[i]) : 0;
      long y = i < b.length ? number(b[i]) : 0;
      if (x != y) {
        return Long.compare(x, y);
      }
    }
    return 0;
  }

  /** The leading digits of a version's part: 0 of {@code 0_292}, as Java 8 writes its update. */
  private static long number(String part) {
    int end = 0;
    while (end < part.length() && end < 18 && Character.isDigit(part.charAt(end))) {
      end++;
    }
    return end == 0 ? 0 : Long.parseLong(part.substring(0, end));
  }

  /** Refuses {@code plan}, naming every problem, unless it can run; returns each stage's executor and warnings. */
  Map<String, Executor> check(Plan plan, List<LocalEngine.StageWarning> warnings) {
    return check(plan, warnings, Set.of());
  }

  /**
   * As {@link #check(Plan, List)}, for a run whose stages {@code done} will not run again: their
   * secrets are not asked for, and an executor they would need here is not.
   */
  Map<String, Executor> check(Plan plan, List<LocalEngine.StageWarning> warnings, Set<String> done) {
    return check(plan, warnings, done, List.of());
  }

  /** As {@link #check(Plan, List, Set)}, reporting {@code found}, the driver's own problems, with the others. */
  Map<String, Executor> check(Plan plan, List<LocalEngine.StageWarning> warnings, Set<String> done,
      List<String> found) {
    List<String> problems = new ArrayList<>();
    if (!plan.context().isKnown()) {
      problems.add("the plan was made without a run context; plan for the branch, tag, trigger and parameters of the run");
    }
    Map<String, Executor> assigned = new LinkedHashMap<>();
    verdicts(plan, stage -> stage.status() == StageStatus.RUN).forEach((id, verdict) -> {
      if (done.contains(id)) {
        // It will not run again: what it would need here is neither a problem nor worth a warning.
        if (verdict.problem() == null) {
          assigned.put(id, verdict.executor());
        }
        return;
      }
      if (verdict.problem() != null) {
        problems.add(verdict.problem());
        return;
      }
      assigned.put(id, verdict.executor());
      warning(plan.stage(id).orElseThrow(), verdict).ifPresent(w -> warnings.add(new LocalEngine.StageWarning(id, w)));
    });
    problems.addAll(missingSecrets(plan, done));
    problems.addAll(found);
    if (!problems.isEmpty()) {
      throw new OttoException("the plan of pipeline '" + plan.pipeline() + "' cannot run here:\n  - "
          + String.join("\n  - ", problems));
    }
    return assigned;
  }

  /**
   * Why the provider has not the secrets the steps of stages that run bind, each named once with
   * the stages that bind it; empty when it may have them all.
   */
  private List<String> missingSecrets(Plan plan, Set<String> done) {
    Map<String, List<String>> stagesBinding = new java.util.TreeMap<>();
    for (PlannedStage stage : plan.stages()) {
      if (stage.status() != StageStatus.RUN || done.contains(stage.id())) {
        continue;
      }
      for (Op.RunProcess process : stage.processes()) {
        for (SecretBinding binding : process.secrets()) {
          List<String> stages = stagesBinding.computeIfAbsent(binding.secret(), k -> new ArrayList<>());
          if (!stages.contains(stage.id())) {
            stages.add(stage.id());
          }
        }
      }
    }
    List<String> missing = new ArrayList<>();
    stagesBinding.forEach((secret, stages) -> secrets.whyNot(secret).ifPresent(why -> missing.add(why
        + " (stage" + (stages.size() == 1 ? " '" : "s '") + String.join("', '", stages) + "' bind"
        + (stages.size() == 1 ? "s" : "") + " it)")));
    return missing;
  }

  /** Services run only in a container engine: a stage that has them never falls back to local processes. */
  private String servicesWithoutEngine(PlannedStage stage) {
    return "stage '" + stage.id() + "' (" + stage.runtime().describe() + ") has services ("
        + String.join(", ", stage.services().stream().map(Service::name).toList())
        + "), which run only in a container engine, and no executor runs containers here (" + reasons(stage)
        + "); install Docker or Podman where the stage runs";
  }

  private String noExecutor(PlannedStage stage) {
    // The way out first: what each executor said is for the host that configured them.
    return "stage '" + stage.id() + "' needs " + stage.runtime().describe() + ", which no executor here runs"
        + (stage.runtime() instanceof Runtime.Container && !localFallback
            ? ": let it run as local processes with " + fallbackOption + ", or run it where a container engine "
                + "answers" : "")
        + " (" + reasons(stage) + ")";
  }

  private String reasons(PlannedStage stage) {
    return reasons(stage, null);
  }

  /** What each executor but {@code except} says of the stage's runtime. */
  private String reasons(PlannedStage stage, Executor except) {
    return executors.stream().filter(e -> e != except).map(e -> e.name() + ": " + e.whyNot(stage.runtime())
        .orElse("")).collect(Collectors.joining("; "));
  }

  private static String and(List<String> names) {
    return names.size() == 1 ? names.get(0)
        : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
  }
}
