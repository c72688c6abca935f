package dev.otto.cli;

import dev.otto.core.plan.RunContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The run context, from the command line. */
final class ContextOptions {
  @Option(names = "--branch", paramLabel = "B", description = "the branch of the run")
  String branch;

  @Option(names = "--tag", paramLabel = "T", description = "the tag of the run")
  String tag;

  @Option(names = "--trigger", paramLabel = "T", description = "what started the run, e.g. push")
  String trigger;

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "a parameter's value; may be repeated")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--changed-since", paramLabel = "BASE", description = "decide changed(...) conditions from the "
      + "files changed since the commit BASE (git diff --name-only BASE...HEAD in DIR); without it they stay "
      + "undecided")
  String changedSince;

  @Option(names = "--changed", paramLabel = "PATH", description = "a file the run's commits changed, from the "
      + "repository's root, instead of asking git; may be repeated")
  List<String> changed = new ArrayList<>();

  @Option(names = "--only-changed", description = "with conventions, in a repository of several projects: build "
      + "only the projects under which the run's commits changed a file (see --changed-since)")
  boolean onlyChanged;

  @Option(names = "--rollback", paramLabel = "ENV", description = "roll the environment back: run only the stages "
      + "that deploy there, with the artifacts it ran before what it runs now, as its record says")
  String rollback;

  boolean given() {
    return branch != null || tag != null || trigger != null || !params.isEmpty() || changedSince != null
        || !changed.isEmpty() || rollback != null;
  }

  /**
   * The pipeline of {@code dir} (its Ottofile, else its conventions) planned for a run in this
   * context: what run, resume and restart plan alike.
   */
  dev.otto.core.plan.Plan planForRun(Path dir, DependencyOptions dependencies) {
    return planForRun(dir, dependencies, java.util.Optional.empty());
  }

  /**
   * As {@link #planForRun(Path, DependencyOptions)}, for a run that goes on from an earlier one:
   * without {@code --branch} or {@code --tag}, on the branch or tag the earlier run was planned
   * for ({@code recorded}, from its journal) rather than the one the work tree is on now, and
   * without {@code --changed-since} or {@code --changed}, with the changed files it was told.
   */
  dev.otto.core.plan.Plan planForRun(Path dir, DependencyOptions dependencies,
      java.util.Optional<RunContext> recorded) {
    return planForRun(PipelineSource.load(dir, onlyChanged, dependencies), dir, recorded);
  }

  /**
   * As {@link #planForRun(Path, DependencyOptions, java.util.Optional)}, for a resume of a run
   * that ran the plan with {@code fingerprint}: where the folder's conventions make the pipeline
   * and the run was planned with {@code --only-changed} and this command was not given it, or the
   * other way round, the plan the run ran, which its fingerprint proves, and a note to
   * {@code err}. {@code --only-changed} changes the pipeline rather than its context, so the
   * journal does not keep it. Any other plan is returned as planned, for the engine to refuse.
   */
  dev.otto.core.plan.Plan planForResume(Path dir, DependencyOptions dependencies,
      java.util.Optional<RunContext> recorded, String fingerprint, java.io.PrintWriter err) {
    PipelineSource.Loaded loaded = PipelineSource.load(dir, onlyChanged, dependencies);
    dev.otto.core.plan.Plan plan = planForRun(loaded, dir, recorded);
    java.util.Optional<dev.otto.core.plan.Plan> other = plannedTheOtherWay(loaded, plan, dir, dependencies, recorded,
        fingerprint);
    other.ifPresent(ran -> {
      err.println("otto: the run was planned " + (onlyChanged ? "without" : "with") + " --only-changed, as its "
          + "plan's fingerprint shows: resumed so");
      err.flush();
    });
    return other.orElse(plan);
  }

  /**
   * As {@link #planForRun(Path, DependencyOptions, java.util.Optional)}, for a restart of a run
   * that ran the plan with {@code fingerprint}: a restart plans the pipeline as its command line
   * says, and where the run was planned with {@code --only-changed} and this command is not (or
   * the other way round), as the fingerprint proves, a note to {@code err} says what that changes.
   */
  dev.otto.core.plan.Plan planForRestart(Path dir, DependencyOptions dependencies,
      java.util.Optional<RunContext> recorded, String fingerprint, java.io.PrintWriter err) {
    PipelineSource.Loaded loaded = PipelineSource.load(dir, onlyChanged, dependencies);
    dev.otto.core.plan.Plan plan = planForRun(loaded, dir, recorded);
    if (plannedTheOtherWay(loaded, plan, dir, dependencies, recorded, fingerprint).isPresent()) {
      err.println("otto: the run was planned " + (onlyChanged ? "without" : "with") + " --only-changed, as its plan's "
          + "fingerprint shows, and this restart " + (onlyChanged
              ? "builds only the projects under which a file changed" : "builds every project, those it skipped too")
          + "; give " + (onlyChanged ? "no --only-changed" : "--only-changed") + " to restart it as it was planned");
      err.flush();
    }
    return plan;
  }

  /**
   * The plan with {@code --only-changed} the other way than this command gives it, when it is
   * the one the run ran ({@code fingerprint}) and {@code plan} is not: empty for an Ottofile's
   * pipeline, which {@code --only-changed} leaves as it is.
   */
  private java.util.Optional<dev.otto.core.plan.Plan> plannedTheOtherWay(PipelineSource.Loaded loaded,
      dev.otto.core.plan.Plan plan, Path dir, DependencyOptions dependencies, java.util.Optional<RunContext> recorded,
      String fingerprint) {
    if (!loaded.conventions() || plan.fingerprint().equals(fingerprint)) {
      return java.util.Optional.empty();
    }
    dev.otto.core.plan.Plan other = planForRun(PipelineSource.load(dir, !onlyChanged, dependencies), dir, recorded);
    return other.fingerprint().equals(fingerprint) ? java.util.Optional.of(other) : java.util.Optional.empty();
  }

  private dev.otto.core.plan.Plan planForRun(PipelineSource.Loaded loaded, Path dir,
      java.util.Optional<RunContext> recorded) {
    // The earlier run's parameters the pipeline still declares: one it dropped since is no longer given.
    java.util.Set<String> declared = new java.util.HashSet<>();
    loaded.pipeline().parameters().forEach(parameter -> declared.add(parameter.name()));
    java.util.Optional<RunContext> kept = recorded.map(context -> {
      RunContext.Builder builder = RunContext.builder();
      context.branch().ifPresent(builder::branch);
      context.tag().ifPresent(builder::tag);
      context.trigger().ifPresent(builder::trigger);
      context.rollback().ifPresent(builder::rollback);
      context.changedFiles().ifPresent(builder::changedFiles);
      context.parameters().forEach((name, value) -> {
        if (declared.contains(name)) {
          builder.param(name, value);
        }
      });
      return builder.build();
    });
    dev.otto.core.plan.Plan plan = dev.otto.core.plan.Planner.plan(loaded.pipeline(), context(dir, kept));
    onlyChangedNote(loaded, plan).ifPresent(note -> {
      if (!noted) {
        noted = true;
        System.err.println(note);
      }
    });
    return plan;
  }

  /** Whether {@link #onlyChangedNote} was printed by this command: a resume may plan twice. */
  private boolean noted;

  /**
   * What to say when {@code --only-changed} changes nothing: the folder's pipeline is its
   * Ottofile's, or the plan's context holds no list of changed files, so every project is built.
   */
  java.util.Optional<String> onlyChangedNote(PipelineSource.Loaded loaded, dev.otto.core.plan.Plan plan) {
    if (!onlyChanged) {
      return java.util.Optional.empty();
    }
    if (!loaded.conventions()) {
      return java.util.Optional.of("otto: --only-changed changes the pipelines the conventions make; this one is "
          + loaded.source() + "'s, which it leaves as it is");
    }
    if (plan.context().isKnown() && plan.context().changedFiles().isEmpty()) {
      return java.util.Optional.of("otto: --only-changed builds the projects under which a file changed, and no "
          + "changed files were given (--changed-since BASE or --changed PATH): every project is built");
    }
    if (plan.context().changedFiles().isPresent() && plan.stages().stream()
        .noneMatch(stage -> !stage.isGroup() && stage.status() != dev.otto.core.plan.StageStatus.SKIP)) {
      int files = plan.context().changedFiles().get().size();
      return java.util.Optional.of("otto: --only-changed builds the projects under which a file changed, and "
          + (files == 1 ? "the changed file lies under no project's folder" : "none of the " + files + " changed "
          + "files lies under a project's folder") + ": no project is built (changed files are paths from the "
          + "repository's root, as git prints them: api/pom.xml)");
    }
    return java.util.Optional.empty();
  }

  /** Whether {@link #refWarning} was printed by this command: a resume may plan twice. */
  private boolean warned;

  /**
   * What to say when {@code --branch} or {@code --tag} is given as git names a ref rather than by
   * its name ({@code refs/heads/main}, as {@code GITHUB_REF} holds it, or {@code origin/main}):
   * the value is kept, as a branch may be named so, but {@code branch().is("main")} is false for
   * it, which a run would otherwise show only by the stages it skips.
   */
  static java.util.Optional<String> refWarning(String branch, String tag) {
    for (String[] ref : new String[][] {{"--branch", branch, "refs/heads/", "--branch"},
        {"--branch", branch, "refs/tags/", "--tag"}, {"--branch", branch, "origin/", "--branch"},
        {"--tag", tag, "refs/tags/", "--tag"}}) {
      if (ref[1] != null && ref[1].startsWith(ref[2]) && ref[1].length() > ref[2].length()) {
        String name = ref[1].substring(ref[2].length());
        String kind = ref[0].substring(2);
        return java.util.Optional.of("otto: " + ref[0] + " " + ref[1] + " is taken as the " + kind + "'s name, so "
            + kind + "().is(\"" + name + "\") is false; give " + ref[3] + " " + name + " (GITHUB_REF_NAME holds the "
            + "name alone, GITHUB_REF the ref)");
      }
    }
    return java.util.Optional.empty();
  }

  /** What a run on a detached HEAD says of its branch and tag. */
  static String detachedNote(ChangedFiles.Head head, java.util.Optional<CiBranch> ci) {
    String at = head.tag().map(tag -> "at tag " + tag + " (" + head.commit() + ")").orElse("at " + head.commit());
    return "otto: HEAD is detached " + at + ": the run is " + ci.map(named -> "on branch '" + named.branch() + "', as "
        + named.variable() + " says").orElse("on no branch, so conditions on the branch are false"
        + (head.tag().isPresent() ? ", at that tag" : "") + "; --branch B runs it on a branch");
  }

  /** The branch a run of a folder outside git is on, unless {@code --branch} or {@code --tag} says. */
  static final String BRANCH_OUTSIDE_GIT = "main";

  /**
   * For explain: an unknown context when no context option is given, so that every condition
   * shows undecided; else the context {@code otto run} would plan for with the same options, the
   * branch or tag found as it finds them, so that {@code --trigger push} alone explains the run
   * that {@code otto run --trigger push} makes, rather than one on no branch.
   */
  RunContext contextOrUnknown(Path dir) {
    return given() ? context(dir, java.util.Optional.empty()) : RunContext.unknown();
  }

  /**
   * The context given, with what it leaves out taken as a run takes it: when no branch or tag is
   * given (nor {@code recorded}, an earlier run's context), on the branch {@code dir}'s git work
   * tree is on; on a detached HEAD, on the branch a CI system's variable names ({@link CiBranch}),
   * else on no branch, and at the tag that points there, if one does; outside git, on
   * {@link #BRANCH_OUTSIDE_GIT}. Changed files from {@code dir}'s git. Run, resume, restart and
   * explain all take their context from here, so that explain shows what a run would do.
   */
  private RunContext context(Path dir, java.util.Optional<RunContext> recorded) {
    RunContext.Builder builder = RunContext.builder();
    for (String[] option : new String[][] {{"--branch", branch, "a branch", "main"}, {"--tag", tag, "a tag", "v1.0"},
        {"--trigger", trigger, "what started the run", "push"}, {"--rollback", rollback, "the environment to roll back",
            "production"}}) {
      if (option[1] != null && option[1].isBlank()) {
        throw new CliException(ExitCodes.USAGE, option[0] + " names " + option[2] + ", e.g. " + option[0] + " "
            + option[3] + "; it is blank");
      }
    }
    if (changedSince != null && !changed.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "give either --changed-since or --changed, not both");
    }
    refWarning(branch, tag).ifPresent(warning -> {
      if (!warned) {
        warned = true;
        System.err.println(warning);
      }
    });
    if (changedSince != null) {
      builder.changedFiles(ChangedFiles.since(dir, changedSince));
    } else if (!changed.isEmpty()) {
      // git prints paths from the repository's root, never with a leading ./ (as a shell completes them).
      changed = changed.stream().map(file -> file.replaceFirst("^(\\./)+", "")).toList();
      for (String file : changed) {
        if (file.isBlank() || file.startsWith("/") || java.util.Arrays.asList(file.split("/")).contains("..")) {
          throw new CliException(ExitCodes.USAGE, "--changed names a file from the repository's root, as git "
              + "prints it (src/Main.java); '" + file + "' is not one");
        }
      }
      builder.changedFiles(changed);
    } else {
      // The files the earlier run was told its commits changed: its changed(...) conditions decide as they did.
      recorded.flatMap(RunContext::changedFiles).ifPresent(builder::changedFiles);
    }
    if (branch != null) {
      builder.branch(branch);
    } else if (tag == null && recorded.isPresent()) {
      recorded.get().branch().ifPresent(builder::branch);
      recorded.get().tag().ifPresent(builder::tag);
    } else if (tag == null) {
      // On a branch, that branch; on a detached HEAD, on no branch, at the tag that points there if one does: a
      // condition on a branch must not be met by a checkout of a tag or of a bare commit. Outside git, the default.
      java.util.Optional<ChangedFiles.Head> head = ChangedFiles.head(dir);
      if (head.isEmpty()) {
        builder.branch(BRANCH_OUTSIDE_GIT);
      } else if (!head.get().detached()) {
        builder.branch(head.get().branch().orElseThrow());
      } else {
        // A CI system checks out the commit it builds, detached, and names its branch in a variable of its own.
        java.util.Optional<CiBranch> ci = CiBranch.of(System.getenv());
        ci.ifPresent(named -> builder.branch(named.branch()));
        head.get().tag().ifPresent(builder::tag);
        System.err.println(detachedNote(head.get(), ci));
      }
    }
    if (tag != null) {
      builder.tag(tag);
    }
    if (trigger != null) {
      builder.trigger(trigger);
    } else {
      recorded.flatMap(RunContext::trigger).ifPresent(builder::trigger);
    }
    // The earlier run's parameters, each --param given replacing its own.
    recorded.ifPresent(context -> builder.params(context.parameters()));
    params.forEach(builder::param);
    if (rollback != null) {
      builder.rollback(rollback);
    } else {
      recorded.flatMap(RunContext::rollback).ifPresent(builder::rollback);
    }
    return builder.build();
  }
}
