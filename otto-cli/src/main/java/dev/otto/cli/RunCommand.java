package dev.otto.cli;

import dev.otto.core.cache.CacheStore;
import dev.otto.core.cache.DirectoryCacheStore;
import dev.otto.core.engine.ContainerPolicy;
import dev.otto.core.engine.FailurePolicy;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunListener;
import dev.otto.core.engine.RunResult;
import dev.otto.core.executor.ContainerExecutor;
import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.http.EngineEndpoint;
import dev.otto.core.plan.Plan;
import dev.otto.core.secret.HostEnvironment;
import dev.otto.core.secret.SecretProvider;
import dev.otto.core.secret.SecretProviders;
import dev.otto.report.HtmlReport;
import dev.otto.report.RunRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code otto run}: runs a pipeline on this machine, showing its progress. */
@Command(name = "run", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
    description = "Runs the pipeline on this machine: stages run as local processes, or in containers when "
        + "docker or podman answers (--container-engine). Progress shows live in a terminal. Runs are journaled "
        + "under --runs, so 'otto resume' can take a run over after this process dies.")
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "the folder; the current one by default")
  Path dir = Path.of(".");

  @Mixin
  DependencyOptions dependencies;

  @Mixin
  ContextOptions context;

  @Mixin
  EngineOptions engine;

  @Mixin
  SourceOptions source;

  @Override
  public Integer call() throws IOException {
    Plan plan = context.planForRun(dir, dependencies);
    var workspace = source.source(dir, engine.secretsDir);
    return engine.execute(dir, plan, built -> built.start(plan, workspace));
  }

  static int report(PrintStream out, Progress progress, RunResult result) {
    progress.close();
    out.println();
    for (RunResult.StageResult stage : result.stages()) {
      out.printf(Locale.ROOT, "%-10s %-28s %7s  %s%n", stage.status().name().toLowerCase(Locale.ROOT), stage.id(),
          Progress.seconds(stage.duration()), stage.reason().orElse(""));
    }
    out.printf(Locale.ROOT, "run %s %s in %s%n", result.run(), result.status().name().toLowerCase(Locale.ROOT),
        Progress.seconds(result.duration()));
    return result.status() == RunResult.Status.SUCCEEDED ? ExitCodes.OK : ExitCodes.RUN_FAILED;
  }

  /** How the engine is set up, shared by run, resume and restart. */
  static final class EngineOptions {
    /** Set by a start that runs nothing: a resume of a run whose journal records its end. */
    boolean nothingRuns;

    @Option(names = "--fail-fast", description = "stop the whole run at the first failure, even inside groups that "
        + "keep going (a monorepo's projects)")
    boolean failFastEverywhere;

    @Option(names = "--keep-going", description = "after a failure, go on with every stage that does not depend on "
        + "the failed one")
    boolean keepGoing;

    @Option(names = "--runs", paramLabel = "DIR", description = "where runs keep their workspaces and journals; "
        + "DIR/.otto/runs by default")
    Path runs;

    @Option(names = "--caches", paramLabel = "DIR", description = "where caches are kept; DIR/.otto/caches by default")
    Path caches;

    @Option(names = "--parallelism", paramLabel = "N", description = "how many stages run at once; the number of "
        + "processors by default")
    Integer parallelism;

    @Option(names = "--containers", paramLabel = "POLICY", description = "fail (default): refuse container stages "
        + "when no container engine answers; local: run them as local processes")
    String containers = "fail";

    @Option(names = "--container-engine", paramLabel = "NAME", description = "the container engine's command, e.g. "
        + "podman or docker; by default the first of docker and podman that answers; none: use no container engine, "
        + "so container stages are refused, or run as local processes with --containers local")
    String containerEngine;

    @Mixin
    IsolationOptions isolation;

    @Option(names = "--secrets-dir", paramLabel = "DIR", description = "read each secret from a file of this "
        + "folder named after it; a folder inside the project is kept out of the run's workspace")
    Path secretsDir;

    @Option(names = "--agent-label", paramLabel = "LABEL", description = "run agent stages of this label here; may "
        + "be repeated")
    List<String> agentLabels = new ArrayList<>();

    @Option(names = "--pass-env", paramLabel = "NAME", description = "a variable of this machine's environment that "
        + "steps run on it see too, e.g. HTTPS_PROXY or NODE_EXTRA_CA_CERTS (besides PATH, HOME, LANG and TMPDIR); may "
        + "be repeated. Its value is not masked: give secrets as secrets")
    List<String> passEnv = new ArrayList<>();

    @Option(names = "--listen", paramLabel = "PORT", description = "serve callbacks, decisions and status over HTTP "
        + "on 127.0.0.1:PORT, for 'otto approve' and 'otto callback'")
    Integer listen;

    @Option(names = "--bearer-file", paramLabel = "FILE", description = "the bearer token decisions and status "
        + "requests must carry, with --listen")
    Path bearerFile;

    @Option(names = "--report", paramLabel = "FILE", description = "write an HTML page of the run: its graph, "
        + "timeline, results and each step's (masked) output")
    Path report;

    /**
     * Builds the engine, starts the run with {@code start} (a new run, or one resumed), shows its
     * progress, writes the report if asked, and prints the summary; returns the exit code.
     */
    int execute(Path dir, Plan plan, java.util.function.Function<LocalEngine, RunHandle> start) throws IOException {
      return execute(dir, built -> plan, (built, planned) -> start.apply(built));
    }

    /**
     * As {@link #execute(Path, Plan, java.util.function.Function)}, with a plan made once the
     * engine is built: a run that goes on from an earlier one is planned for where that one ran.
     */
    int execute(Path dir, java.util.function.Function<LocalEngine, Plan> planner,
        java.util.function.BiFunction<LocalEngine, Plan, RunHandle> start) throws IOException {
      PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
      RunRecord record = new RunRecord();
      try (Progress progress = Progress.forTerminal(out)) {
        LocalEngine built = build(dir, progress, record);
        // After the options are checked, which writes nothing, and before the run.
        if (report != null) {
          ReportFile.prepare(report);
        }
        Plan plan = planner.apply(built);
        refuseSecretsPassed(plan);
        hideSecretsFromSteps(plan);
        if (runsToMake != null) {
          try {
            GitIgnore.ignoreItself(runsToMake);
          } catch (IOException e) {
            throw new CliException(ExitCodes.CANNOT_RUN, "could not make " + runsToMake + " for the runs: "
                + e.getMessage() + "; give another folder with --runs");
          }
        }
        try (EngineEndpoint endpoint = endpoint(built)) {
          try (CancelOnSignal signals = CancelOnSignal.install(System.err, id -> goOnCommand("resume", id, dir))) {
            RunHandle run = start.apply(built, plan);
            // Said once the run has started (a restart with nothing to run again is refused, a resume of a run that
            // had ended runs nothing), and only when one of its stages reaches the network.
            if (!nothingRuns && plan.stages().stream().anyMatch(stage -> !stage.isGroup() && stage.runtime().network())) {
              unpassed(System.getenv(), networkTools(plan)).ifPresent(System.err::println);
            }
            if (!nothingRuns) {
              notSet(System.getenv()).ifPresent(System.err::println);
            }
            signals.cancels(run);
            RunResult result = run.result().join();
            boolean written = writeReport(plan, result, record, built);
            int code = RunCommand.report(out, progress, result);
            if (written) {
              out.println("report: " + report.toAbsolutePath().normalize());
            } else if (report != null && code == ExitCodes.OK) {
              // The run succeeded, and what was asked of the command was not all done: a script must not take the
              // report for written. A run that did not succeed keeps its own code, which says more.
              code = ExitCodes.CANNOT_RUN;
            }
            if (result.status() != RunResult.Status.SUCCEEDED) {
              out.println("to run again what it did not get done, from its workspace: "
                  + goOnCommand("restart", result.run(), dir) + " (with the options given here)");
            }
            return signals.exitCode(result, code);
          }
        }
      }
    }

    /**
     * Variables of this machine that tell tools how to reach the network or whom to trust: steps
     * do not see them unless passed, and their absence fails a step far from the cause (npm's
     * {@code SELF_SIGNED_CERT_IN_CHAIN} behind a proxy that re-signs).
     */
    static final List<String> NETWORK_VARIABLES = List.of("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY",
        "http_proxy", "https_proxy", "no_proxy", "all_proxy", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR",
        "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_TRUSTED_HOST",
        "PIP_CERT", "PIP_FIND_LINKS", "UV_INDEX_URL", "NPM_CONFIG_REGISTRY", "npm_config_registry",
        "YARN_NPM_REGISTRY_SERVER", "COREPACK_NPM_REGISTRY", "COREPACK_INTEGRITY_KEYS", "GOPROXY", "GOPRIVATE",
        "GONOSUMDB", "GOFLAGS", "CARGO_HTTP_CAINFO", "GIT_SSL_CAINFO");

    /**
     * The tools that read each of the {@link #NETWORK_VARIABLES} that only some tools read, by the
     * names runtimes give them (Runtime.requires); the others (proxies, OpenSSL's and git's CA
     * bundles, curl's) concern any tool, as most download through curl, git or OpenSSL.
     */
    private static final Map<String, java.util.Set<String>> READ_BY = readers();

    private static Map<String, java.util.Set<String>> readers() {
      java.util.Set<String> node = java.util.Set.of("node", "npm", "npx", "yarn", "pnpm", "corepack");
      java.util.Set<String> python = java.util.Set.of("python", "python3", "pip", "pip3", "uv", "poetry", "pipenv");
      Map<String, java.util.Set<String>> readers = new java.util.HashMap<>();
      for (String name : List.of("NODE_EXTRA_CA_CERTS", "NPM_CONFIG_REGISTRY", "npm_config_registry")) {
        readers.put(name, node);
      }
      for (String name : List.of("YARN_NPM_REGISTRY_SERVER", "COREPACK_NPM_REGISTRY", "COREPACK_INTEGRITY_KEYS")) {
        readers.put(name, java.util.Set.of("yarn", "pnpm", "corepack"));
      }
      for (String name : List.of("REQUESTS_CA_BUNDLE", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_TRUSTED_HOST",
          "PIP_CERT", "PIP_FIND_LINKS")) {
        readers.put(name, python);
      }
      readers.put("UV_INDEX_URL", java.util.Set.of("uv"));
      for (String name : List.of("GOPROXY", "GOPRIVATE", "GONOSUMDB", "GOFLAGS")) {
        readers.put(name, java.util.Set.of("go"));
      }
      readers.put("CARGO_HTTP_CAINFO", java.util.Set.of("cargo"));
      return java.util.Collections.unmodifiableMap(readers);
    }

    /**
     * The tools the stages that reach the network name, by command; empty when one names none, so
     * any tool may run there.
     */
    static Optional<java.util.Set<String>> networkTools(Plan plan) {
      java.util.Set<String> tools = new java.util.TreeSet<>();
      for (dev.otto.core.plan.PlannedStage stage : plan.stages()) {
        if (stage.isGroup() || !stage.runtime().network()) {
          continue;
        }
        if (stage.runtime().tools().isEmpty()) {
          return Optional.empty();
        }
        stage.runtime().tools().forEach(tool -> tools.add(dev.otto.core.model.Runtime.toolName(tool)));
      }
      return Optional.of(tools);
    }

    /**
     * What to say of the {@link #NETWORK_VARIABLES} set in {@code environment} that steps will not
     * see; empty when there are none.
     */
    Optional<String> unpassed(Map<String, String> environment) {
      return unpassed(environment, Optional.empty());
    }

    /**
     * As {@link #unpassed(Map)}, leaving out the variables that only tools other than {@code tools}
     * read, when the stages that reach the network name the tools they call.
     */
    Optional<String> unpassed(Map<String, String> environment, Optional<java.util.Set<String>> tools) {
      List<String> unpassed = NETWORK_VARIABLES.stream()
          .filter(name -> environment.containsKey(name) && !passEnv.contains(name))
          .filter(name -> tools.isEmpty() || !READ_BY.containsKey(name)
              || READ_BY.get(name).stream().anyMatch(tools.get()::contains))
          .toList();
      if (unpassed.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of("otto: steps do not see " + String.join(", ", unpassed) + " of this machine's environment, "
          + "which tools read to reach the network; --pass-env " + unpassed.get(0) + " passes "
          + (unpassed.size() == 1 ? "it" : "one") + ", unmasked (a proxy or index address that holds a password "
          + "is better given as a secret)");
    }

    /** What to say of the variables --pass-env names that {@code environment} does not hold; empty when none. */
    Optional<String> notSet(Map<String, String> environment) {
      List<String> missing = passEnv.stream().distinct().filter(name -> !environment.containsKey(name)).toList();
      if (missing.isEmpty()) {
        return Optional.empty();
      }
      String them = missing.size() == 1 ? "it" : "them";
      return Optional.of("otto: --pass-env " + String.join(", ", missing) + ": this machine's environment has no "
          + (missing.size() == 1 ? "such variable" : "such variables") + ", so steps do not see " + them
          + "; check the spelling, or set " + them + " before running otto");
    }

    /**
     * The command line that goes on from run {@code runId} of the folder {@code dir}, as the user
     * types it: {@code otto resume RUN DIR}, without the folder when it is the current one. Every
     * hint that names such a command takes it from here, so that none leaves the folder out.
     */
    static String goOnCommand(String command, String runId, Path dir) {
      return "otto " + command + " " + runId + folderArgument(dir);
    }

    /** {@code dir} as the last word of a command line, after a space; nothing for the current folder. */
    static String folderArgument(Path dir) {
      return dir.normalize().toString().isEmpty() ? "" : " " + shellWord(dir.toString());
    }

    /** Where the runs of the folder {@code dir} are: --runs, else its own {@code .otto/runs}. */
    Path runsFolder(Path dir) {
      return runs != null ? runs : dir.resolve(".otto").resolve("runs");
    }

    /** {@code word} as one word of a shell command line. */
    static String shellWord(String word) {
      return word.matches("[A-Za-z0-9_./:=@%+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /** Writes the report if asked; whether it was written, after saying why not on {@code err} when not. */
    private boolean writeReport(Plan plan, RunResult result, RunRecord record, LocalEngine built) {
      if (report == null) {
        return false;
      }
      Optional<String> problem = ReportFile.write(report, HtmlReport.run(plan, result, record,
          deployments(built, plan, result)));
      problem.ifPresent(why -> System.err.println("otto: " + why));
      return problem.isEmpty();
    }

    /** What the run deployed, from the records of the environments its stages deploy to. */
    private static List<dev.otto.core.engine.Deployment> deployments(LocalEngine engine, Plan plan, RunResult result) {
      return plan.stages().stream().flatMap(stage -> stage.environment().stream()).distinct()
          .flatMap(environment -> engine.deployments(environment).stream())
          .filter(deployment -> deployment.run().equals(result.run())).toList();
    }

    /** The --runs folder inside the project that this command makes, ignoring itself, as the run starts; or null. */
    private Path runsToMake;

    /** Whether {@code folder} is not there yet and lies inside the project {@code dir}: this command makes it. */
    private static boolean madeInside(Path dir, Path folder) {
      Path project = dir.toAbsolutePath().normalize();
      Path made = folder.toAbsolutePath().normalize();
      return !made.equals(project) && made.startsWith(project)
          && Files.notExists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    LocalEngine build(Path dir, Progress progress, RunListener... more) {
      checkOptions();
      Path base = dir.resolve(".otto");
      Map<String, Path> folders = new java.util.LinkedHashMap<>();
      if (runs != null) {
        folders.put("--runs names the folder runs go to", runs);
      }
      if (caches != null) {
        folders.put("--caches names the folder caches go to", caches);
      }
      if (runs == null || caches == null) {
        folders.put("runs and caches go to the project's .otto folder unless --runs and --caches say otherwise", base);
      }
      folders.forEach((what, folder) -> {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
          throw new CliException(ExitCodes.USAGE, what + "; " + folder + " is a file");
        }
      });
      Path project = dir.toAbsolutePath().normalize();
      if (runs != null && runs.toAbsolutePath().normalize().equals(project)) {
        throw new CliException(ExitCodes.USAGE, "--runs is the project folder itself, so every run would be copied "
            + "into the next one's workspace and show in git; give a folder of its own, e.g. --runs "
            + project.resolve(".otto-runs"));
      }
      if (caches != null && caches.toAbsolutePath().normalize().equals(project)) {
        throw new CliException(ExitCodes.USAGE, "--caches is the project folder itself, so every run's workspace "
            + "would get a copy of every cache; give a folder of its own, e.g. --caches "
            + project.resolve(".otto-caches"));
      }
      // Runs write their folder at once; caches only when one is saved, so that a pipeline without caches, run with
      // --runs elsewhere, leaves no .otto folder in the project.
      if (runs == null) {
        try {
          GitIgnore.ignoreItself(base);
        } catch (IOException e) {
          throw new CliException(ExitCodes.CANNOT_RUN, "could not make " + base + " for the runs and caches: "
              + e.getMessage() + "; give other folders with --runs and --caches");
        }
      }
      // A folder --runs or --caches names inside the project, that this command makes, ignores itself as .otto does, so
      // that git status and git add -A leave its workspaces and archives out: runs' as the run starts, caches' on the
      // first save.
      runsToMake = runs != null && madeInside(dir, runs) ? runs : null;
      CacheStore store = new DirectoryCacheStore(caches != null ? caches : base.resolve("caches"));
      CacheStore cacheStore = caches == null ? (runs == null ? store : new OttoFolderOnSave(store, base))
          : madeInside(dir, caches) ? new OttoFolderOnSave(store, caches) : store;
      LocalEngine.Builder builder = LocalEngine.builder(runs != null ? runs : base.resolve("runs"))
          .caches(cacheStore)
          .secrets(secrets());
      if (!"none".equals(containerEngine)) {
        ContainerExecutor.Builder containers = ContainerExecutor.builder();
        if (containerEngine != null) {
          containers.engine(containerEngine);
        }
        builder.executor(containers.build());
      }
      LocalProcessExecutor.Builder local = isolation.local().agentLabels(agentLabels.toArray(String[]::new));
      passEnv.forEach(local::allowHostVariable);
      builder.executor(local.build())
          .containerFallbackHint("--containers local")
          .listener(progress);
      for (RunListener listener : more) {
        builder.listener(listener);
      }
      if (parallelism != null) {
        builder.parallelism(parallelism);
      }
      builder.failurePolicy(failFastEverywhere ? FailurePolicy.FAIL_FAST_EVERYWHERE
          : keepGoing ? FailurePolicy.CONTINUE : FailurePolicy.FAIL_FAST);
      builder.containerPolicy("local".equals(containers) ? ContainerPolicy.LOCAL_FALLBACK : ContainerPolicy.FAIL);
      return builder.build();
    }

    /** Refuses options that say nothing sensible, before anything is written. */
    private void checkOptions() {
      for (String name : passEnv) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw new CliException(ExitCodes.USAGE, "--pass-env names a variable, e.g. HTTPS_PROXY; '" + name
              + "' is not a variable's name");
        }
      }
      if (parallelism != null && parallelism < 1) {
        throw new CliException(ExitCodes.USAGE, "--parallelism is how many stages run at once, at least 1, not "
            + parallelism);
      }
      if (failFastEverywhere && keepGoing) {
        throw new CliException(ExitCodes.USAGE, "--fail-fast and --keep-going contradict each other; give one");
      }
      if (!"fail".equals(containers) && !"local".equals(containers)) {
        throw new CliException(ExitCodes.USAGE, "--containers is fail or local, not '" + containers + "'");
      }
      if (secretsDir != null && !Files.isDirectory(secretsDir)) {
        throw new CliException(ExitCodes.USAGE, "--secrets-dir names the folder secrets are read from, a file each; "
            + secretsDir + (Files.exists(secretsDir) ? " is a file" : " does not exist"));
      }
      if (listen != null && bearerFile == null) {
        throw new CliException(ExitCodes.USAGE, "--listen needs --bearer-file: the token decisions must carry");
      }
      if (listen != null && !Files.isRegularFile(bearerFile)) {
        throw new CliException(ExitCodes.USAGE, "--bearer-file names the file that holds the token requests must "
            + "carry; " + bearerFile + (Files.isDirectory(bearerFile) ? " is a folder" : " does not exist"));
      }
      if (containerEngine == null || "none".equals(containerEngine)) {
        return;
      }
      if (containerEngine.isBlank()) {
        throw new CliException(ExitCodes.USAGE, "--container-engine names a command, e.g. podman; it is blank");
      }
      if (containerEngine.contains("/")) {
        Path command = Path.of(containerEngine);
        String wrong = !Files.exists(command) ? "no such file" : Files.isDirectory(command) ? "a folder, not a command"
            : !Files.isExecutable(command) ? "not executable" : null;
        if (wrong != null) {
          throw new CliException(ExitCodes.USAGE, "--container-engine " + containerEngine + ": " + wrong + "; "
              + enginesFound());
        }
      } else if (!onPath(containerEngine, System.getenv("PATH"))) {
        throw new CliException(ExitCodes.USAGE, "--container-engine " + containerEngine + ": no such command on the "
            + "PATH here; " + enginesFound());
      }
    }

    private static String enginesFound() {
      List<String> found = java.util.stream.Stream.of("podman", "docker")
          .filter(name -> onPath(name, System.getenv("PATH"))).toList();
      return found.isEmpty() ? "neither podman nor docker is found either; give none to run stages on this machine"
          : String.join(" and ", found) + (found.size() == 1 ? " is" : " are") + " found";
    }

    /**
     * Runs {@code start} for a run that goes on from run {@code runId} (a restart), planned for
     * the context it was: an id that cannot be a run's is refused before anything is written. A
     * note on {@code notes} says when the run was planned otherwise ({@link ContextOptions#planForRestart}).
     */
    int goOn(Path dir, String runId, ContextOptions context, DependencyOptions dependencies,
        java.io.PrintWriter notes, java.util.function.BiFunction<LocalEngine, Plan, RunHandle> start)
        throws IOException {
      return goOn(dir, runId, built -> context.planForRestart(dir, dependencies, recordedContext(built, dir, runId),
          built.recordedFingerprint(runId), notes), start);
    }

    /**
     * As {@link #goOn(Path, String, ContextOptions, DependencyOptions, java.io.PrintWriter,
     * java.util.function.BiFunction)} for a resume, which takes the plan the run ran
     * ({@link ContextOptions#planForResume}), saying so on {@code notes} when the command's options
     * planned another.
     */
    int resume(Path dir, String runId, ContextOptions context, DependencyOptions dependencies,
        java.io.PrintWriter notes, java.util.function.BiFunction<LocalEngine, Plan, RunHandle> start)
        throws IOException {
      return goOn(dir, runId, built -> context.planForResume(dir, dependencies, recordedContext(built, dir, runId),
          built.recordedFingerprint(runId), notes), start);
    }

    private int goOn(Path dir, String runId, java.util.function.Function<LocalEngine, Plan> planner,
        java.util.function.BiFunction<LocalEngine, Plan, RunHandle> start) throws IOException {
      try {
        dev.otto.core.journal.FileJournal.checkRunId(runId);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, e.getMessage());
      }
      // A run that is not there is refused before the engine is built, which writes the project's .otto folder; a
      // run that is has its journal read by the engine, not here as well.
      dev.otto.core.journal.FileJournal journal = dev.otto.core.journal.FileJournal.in(runsFolder(dir));
      if (!Files.isDirectory(journal.directory(runId))) {
        try {
          journal.read(runId);
        } catch (dev.otto.core.journal.JournalException e) {
          throw notFound(e, dir, runId);
        }
      }
      return execute(dir, planner, start);
    }

    /**
     * The context run {@code runId} was planned for, read from its journal, for a resume or a
     * restart; a run not found says where runs were looked for and how to look elsewhere.
     */
    java.util.Optional<dev.otto.core.plan.RunContext> recordedContext(LocalEngine built, Path dir, String runId) {
      try {
        return built.recordedContext(runId);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, e.getMessage());
      } catch (dev.otto.core.journal.JournalException e) {
        throw notFound(e, dir, runId);
      }
    }

    /** {@code e} as it is, or for a run not found, where runs were looked for and how to look elsewhere. */
    private RuntimeException notFound(dev.otto.core.journal.JournalException e, Path dir, String runId) {
      if (e.reason() != dev.otto.core.journal.JournalException.Reason.NOT_FOUND) {
        return e;
      }
      return new CliException(ExitCodes.CANNOT_RUN, e.getMessage() + "; runs are looked for in "
          + runsFolder(dir).toAbsolutePath().normalize()
          + (runs != null ? "" : ", the project's own; --runs names where they went instead")
          + (Files.isDirectory(Path.of(runId)) ? ". '" + runId + "' is a folder: give the run's id first, then the "
              + "folder, as the run's last lines say (otto restart RUN DIR)" : ""));
    }

    /** Whether {@code command} is an executable file: a path, or a name found in a folder of {@code path}. */
    static boolean onPath(String command, String path) {
      if (command.contains("/")) {
        return Files.isRegularFile(Path.of(command)) && Files.isExecutable(Path.of(command));
      }
      if (path == null) {
        return false;
      }
      for (String folder : path.split(java.io.File.pathSeparator)) {
        if (!folder.isEmpty() && Files.isRegularFile(Path.of(folder, command))
            && Files.isExecutable(Path.of(folder, command))) {
          return true;
        }
      }
      return false;
    }

    /** A variable --pass-env names must not be a secret's: every step would see it, unmasked. */
    private void refuseSecretsPassed(Plan plan) {
      for (String secret : plan.secrets()) {
        String variable = SecretProviders.variableName(secret);
        if (secretsDir == null && passEnv.contains(variable)) {
          throw new CliException(ExitCodes.USAGE, "--pass-env " + variable + " would hand the secret '" + secret
              + "' to every step, unmasked; bind it to the steps that need it (SecretBinding) and leave it out of "
              + "--pass-env");
        }
      }
    }

    /**
     * Once the provider holds the values it reads from this process's environment, overwrites them
     * there, so that a step cannot read them in {@code /proc/<pid>/environ} of this process.
     */
    private void hideSecretsFromSteps(Plan plan) {
      if (secretsDir == null) {
        HostEnvironment.hide(plan.secrets().stream().map(SecretProviders::variableName).toList());
      }
    }

    /** Secrets from the folder given, else from the environment ({@code heroku-api-key} from {@code HEROKU_API_KEY}). */
    private SecretProvider secrets() {
      if (secretsDir != null) {
        return SecretProviders.directory(secretsDir);
      }
      Map<String, String> environment = System.getenv();
      SecretProvider variables = SecretProviders.environment(environment);
      return new SecretProvider() {
        @Override
        public dev.otto.core.secret.SecretValue resolve(String name) {
          return variables.resolve(name);
        }

        /** Why a secret is missing, and, where its variable is not set, the other place to keep it. */
        @Override
        public Optional<String> whyNot(String name) {
          return variables.whyNot(name).map(why -> environment.containsKey(SecretProviders.variableName(name)) ? why
              : why + ", or keep it in a file named " + name + " of a folder given with --secrets-dir");
        }
      };
    }

    EngineEndpoint endpoint(LocalEngine engine) throws IOException {
      if (listen == null) {
        return null;
      }
      if (bearerFile == null) {
        throw new CliException(ExitCodes.USAGE, "--listen needs --bearer-file: the token decisions must carry");
      }
      String bearer = Files.readString(bearerFile, StandardCharsets.UTF_8).strip();
      return EngineEndpoint.builder(engine, bearer).port(listen).start();
    }
  }
}
