package dev.otto.core.engine;

import static java.util.Objects.requireNonNull;
import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.otto.core.cache.CacheStore;
import dev.otto.core.executor.Cancellation;
import dev.otto.core.executor.Executor;
import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.executor.ProcessOutcome;
import dev.otto.core.executor.ProcessRequest;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.Service;
import dev.otto.core.plan.Op;
import dev.otto.core.output.OutputLines;
import dev.otto.core.secret.SecretMasker;
import dev.otto.core.secret.SecretProvider;
import dev.otto.core.secret.SecretResolutionException;
import dev.otto.core.secret.SecretValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * What runs a stage's ops on one machine: its executors, the provider its secrets are resolved
 * from, its cache store, and what becomes of a container stage when no executor runs containers.
 * The local engine runs every op through one, and so does each worker of a Temporal cluster: a
 * step, a probe and a cache op run the same way wherever the run is driven from.
 *
 * <pre>{@code
 * StepHost host = StepHost.builder()
 *     .executor(ContainerExecutor.podman())
 *     .executor(LocalProcessExecutor.builder().build())
 *     .secrets(SecretProviders.environment())
 *     .caches(new DirectoryCacheStore(Path.of("/var/cache/otto")))
 *     .build();
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class StepHost {
  /** The longest line of an executor that does not mask itself kept whole while it is masked. */
  private static final int MAX_LINE_BYTES = 1 << 20;
  private final List<Executor> executors;
  private final SecretProvider secrets;
  private final CacheStore caches;
  /** How caches stood in workspaces where this host saved or restored them, so a restore there is not repeated. */
  private final WorkspaceCaches known = new WorkspaceCaches();
  private final ContainerPolicy containerPolicy;
  private final String containerFallbackHint;

  private StepHost(Builder builder) {
    this.executors = List.copyOf(builder.executors.isEmpty()
        ? List.of(LocalProcessExecutor.builder().build()) : builder.executors);
    this.secrets = builder.secrets;
    this.caches = builder.caches;
    this.containerPolicy = builder.containerPolicy;
    this.containerFallbackHint = builder.containerFallbackHint;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The executors, in the order they are asked whether they run a stage. */
  public List<Executor> executors() {
    return executors;
  }

  /** The cache store; empty when caches are neither restored nor saved here. */
  public Optional<CacheStore> caches() {
    return Optional.ofNullable(caches);
  }

  /** Which executor runs processes of {@code runtime} here, as the container policy allows. */
  public Optional<Executor> executorFor(Runtime runtime) {
    return Executor.choose(executors, requireNonNull(runtime, "runtime"),
        containerPolicy == ContainerPolicy.LOCAL_FALLBACK);
  }

  PlanCheck planCheck() {
    return new PlanCheck(executors, containerPolicy == ContainerPolicy.LOCAL_FALLBACK, containerFallbackHint, secrets);
  }

  /**
   * Starts a process on {@code executor}: resolves the secrets it binds, just before, and hands it
   * over with their values. A secret that cannot be resolved ends it unstarted, saying which.
   *
   * <p>Its output must not show the secrets the run gave its processes before either: {@code
   * given} holds their values, which are masked, never delivered, and gets the values of this
   * process's secrets. Values given to other processes while this one runs (a parallel stage's)
   * are masked in its lines and its outcome's detail from then on. When the executor does not {@linkplain Executor#masksOutput mask} itself,
   * its lines and its outcome's detail are masked here; an exception it throws ends the process
   * as failed, its message masked.
   *
   * @param process the step or probe
   * @param runtime where it runs; the executor runs it locally when it is a container fallback
   * @param workspace the run's workspace on this machine
   * @param extraEnv the variables the engine adds ({@link StepEnvironment})
   * @param session the stage's session, whose background processes live until the stage ends
   * @param services the stage's services
   * @param given the secrets the run has given its processes on this machine, with their values
   */
  public CompletionStage<ProcessOutcome> start(Executor executor, Op.RunProcess process, Runtime runtime,
      Path workspace, Map<String, String> extraEnv, Optional<String> session, List<Service> services,
      RunSecrets given, Consumer<String> lines, Cancellation cancellation) {
    Map<String, SecretValue> values = new LinkedHashMap<>();
    Map<String, SecretValue> masked = new LinkedHashMap<>();
    try {
      for (SecretBinding binding : process.secrets()) {
        values.putIfAbsent(binding.secret(), secrets.resolve(binding.secret()));
      }
    } catch (SecretResolutionException e) {
      return notStarted(e.getMessage());
    }
    // Every value given before but those this process is given: one of a secret it binds again
    // (a token that is new each time) is masked under another name than the secret's.
    java.util.Set<String> delivered = new java.util.HashSet<>();
    values.values().forEach(value -> delivered.add(value.reveal()));
    int before = given.version();
    given.values().forEach((label, value) -> {
      if (!delivered.contains(value.reveal())) {
        masked.put(values.containsKey(label) ? label + "#before" : label, value);
      }
    });
    values.values().forEach(given::add);
    java.util.Set<String> known = new java.util.HashSet<>(delivered);
    masked.values().forEach(value -> known.add(value.reveal()));
    LateSecrets late = new LateSecrets(given, before, known, lines);
    Runtime where = executor.whyNot(runtime).isEmpty() ? runtime : new Runtime.Local(runtime.tools(),
        runtime.network());
    ProcessRequest request = new ProcessRequest(process, where, workspace, values, extraEnv, session, services, masked);
    if (executor.masksOutput()) {
      // Closed however the process ends, so that the lines a late masker holds back are handed on.
      return executor.start(request, late, cancellation).whenComplete((outcome, error) -> late.close())
          .thenApply(outcome -> outcome == null ? null : new ProcessOutcome(outcome.status(), outcome.exitCode(),
              outcome.duration(), late.mask(outcome.detail())));
    }
    SecretMasker masker;
    try {
      SecretMasker.Builder builder = SecretMasker.builder();
      request.allMasked().forEach((name, value) -> builder.add(name, value.reveal()));
      masker = builder.build();
    } catch (IllegalArgumentException e) {
      return notStarted(e.getMessage());
    }
    MaskedLines masking = masker.names().isEmpty() ? null : new MaskedLines(masker, late);
    CompletionStage<ProcessOutcome> started;
    try {
      started = executor.start(request, masking == null ? late : masking, cancellation);
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    return started.handle((outcome, error) -> {
      if (masking != null) {
        masking.close();
      }
      late.close();
      if (error == null && outcome == null) {
        return new ProcessOutcome(ProcessOutcome.Status.FAILED, OptionalInt.empty(), Duration.ZERO,
            "the executor '" + executor.name() + "' gave no outcome");
      }
      if (error != null) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause() : error;
        return new ProcessOutcome(ProcessOutcome.Status.FAILED, OptionalInt.empty(), Duration.ZERO,
            late.mask(masker.mask("the executor '" + executor.name() + "' failed: " + cause)));
      }
      return new ProcessOutcome(outcome.status(), outcome.exitCode(), outcome.duration(),
          late.mask(masker.mask(outcome.detail())));
    });
  }

  private static CompletionStage<ProcessOutcome> notStarted(String why) {
    return CompletableFuture.completedFuture(new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED,
        OptionalInt.empty(), Duration.ZERO, why));
  }

  /**
   * Reads again, into {@code given}, the values of secrets the run gave where this machine did not
   * see them: before a resume, in the run a restart copies the workspace of, on another worker.
   * Each is read once; returns, in name order, those that could not be read, each with why (the
   * provider's refusal), whose values a later step's output is then not masked with.
   */
  public Map<String, String> readAgain(RunSecrets given, Collection<String> names) {
    Map<String, String> unread = new java.util.TreeMap<>();
    for (String name : new java.util.TreeSet<>(names)) {
      if (given.has(name)) {
        continue;
      }
      try {
        given.add(secrets.resolve(name));
      } catch (SecretResolutionException e) {
        unread.put(name, e.getMessage());
      } catch (RuntimeException e) {
        // A provider's own exception may say anything: its kind only.
        unread.put(name, "the secret provider failed with " + e.getClass().getName());
      }
    }
    return unread;
  }

  /**
   * Masks the lines an executor hands over as one stream, so that a secret it wraps over lines
   * is found too: each line is written with a line break through the masker, which hands whole
   * lines on as soon as no secret can begin in them. A line after {@link #close} is masked alone.
   */
  private static final class MaskedLines implements Consumer<String> {
    private final SecretMasker masker;
    private final Consumer<String> lines;
    private final java.io.OutputStream stream;
    private boolean closed;

    MaskedLines(SecretMasker masker, Consumer<String> lines) {
      this.masker = masker;
      this.lines = lines;
      this.stream = masker.wrap(new OutputLines(MAX_LINE_BYTES, lines));
    }

    @Override
    public synchronized void accept(String line) {
      if (closed) {
        lines.accept(masker.mask(line));
        return;
      }
      try {
        stream.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    synchronized void close() {
      if (!closed) {
        closed = true;
        try {
          stream.close();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
  }

  /**
   * Masks a process's lines with the values the run gives other processes while it runs: a step
   * of a parallel stage may print a file into which another stage, started after it, wrote the
   * secret it was given. A value is counted as given before the process it is for starts, so a
   * line that holds it reaches this layer after the count changed; the first line after each
   * change puts in front a masker of every value given since this process started (and not
   * masked for it already). The maskers before stay behind it and finish what they hold back,
   * so a value wrapped over lines across the change is still found whole. Until a value is given
   * while the process runs, a line costs one read of the count.
   */
  private static final class LateSecrets implements Consumer<String> {
    private final RunSecrets given;
    private final java.util.Set<String> known;
    private final Consumer<String> lines;
    private int seen;
    private Consumer<String> front;
    private final List<MaskedLines> layers = new ArrayList<>();
    private SecretMasker masker = SecretMasker.none();
    private java.util.Set<String> masking = java.util.Set.of();

    /**
     * @param seen the count of values given when {@code known} was taken
     * @param known the values the process is masked with already (or was given)
     */
    LateSecrets(RunSecrets given, int seen, java.util.Set<String> known, Consumer<String> lines) {
      this.given = given;
      this.seen = seen;
      this.known = known;
      this.lines = lines;
      this.front = lines;
    }

    @Override
    public synchronized void accept(String line) {
      update();
      front.accept(line);
    }

    /** {@code text} with every value given while the process ran masked. */
    synchronized String mask(String text) {
      update();
      return masker.mask(text);
    }

    /** Hands on the lines held back; a line after this is masked on its own. */
    synchronized void close() {
      for (int i = layers.size() - 1; i >= 0; i--) {
        layers.get(i).close();
      }
    }

    private void update() {
      int version = given.version();
      if (version == seen) {
        return;
      }
      seen = version;
      Map<String, String> late = new java.util.TreeMap<>();
      given.values().forEach((label, value) -> {
        if (!known.contains(value.reveal())) {
          late.put(label, value.reveal());
        }
      });
      if (late.isEmpty() || masking.equals(new java.util.HashSet<>(late.values()))) {
        return;
      }
      SecretMasker.Builder builder = SecretMasker.builder();
      // The values this process was masked with are masked first: a late value that holds one, or overlaps one,
      // reaches this layer with that part already masked, in whatever form it was printed, and is found as it then
      // reads.
      late.forEach((label, value) -> builder.addSeenAfter(label, value, known));
      masker = builder.build();
      masking = new java.util.HashSet<>(late.values());
      MaskedLines layer = new MaskedLines(masker, front);
      layers.add(layer);
      front = layer;
    }
  }

  /**
   * Restores a cache into {@code workspace}, from the op's exact key or a fallback; never fails
   * the stage. Nothing is unpacked where this host saved or restored the same key in the same
   * workspace and the paths are unchanged since.
   */
  public CacheOps.Outcome restore(Path workspace, Op.RestoreCache op) {
    return CacheOps.restore(caches, workspace, op, known);
  }

  /** Saves a cache from {@code workspace} under the op's exact key; never fails the stage. */
  public CacheOps.Outcome save(Path workspace, Op.SaveCache op) {
    return CacheOps.save(caches, workspace, op, known);
  }

  /** Configures a {@link StepHost}. */
  public static final class Builder {
    private final List<Executor> executors = new ArrayList<>();
    private SecretProvider secrets = new SecretProvider() {
      @Override
      public SecretValue resolve(String name) {
        throw new SecretResolutionException(name, whyNot(name).orElseThrow());
      }

      @Override
      public Optional<String> whyNot(String name) {
        return Optional.of("the secret '" + name + "' has no value: no secret provider was given; give one with "
            + "LocalEngine.Builder.secrets(...) or OttoWorker.Builder.secrets(...), e.g. "
            + "SecretProviders.environment(System.getenv())");
      }
    };
    private CacheStore caches;
    private ContainerPolicy containerPolicy = ContainerPolicy.FAIL;
    private String containerFallbackHint = "containerPolicy(ContainerPolicy.LOCAL_FALLBACK)";

    private Builder() {}

    /** Adds an executor; the first that can run a stage's runtime runs it. The local executor by default. */
    public Builder executor(Executor executor) {
      executors.add(requireNonNull(executor, "executor"));
      return this;
    }

    /** Where secrets come from; none by default. */
    public Builder secrets(SecretProvider provider) {
      this.secrets = requireNonNull(provider, "provider");
      return this;
    }

    /** Where caches are kept; without one, caches are neither restored nor saved. */
    public Builder caches(CacheStore store) {
      this.caches = requireNonNull(store, "store");
      return this;
    }

    /** What becomes of a container stage when no executor runs containers; refused by default. */
    public Builder containerPolicy(ContainerPolicy policy) {
      this.containerPolicy = requireNonNull(policy, "policy");
      return this;
    }

    /** How the refusal of a container stage tells its reader to allow the fallback, e.g. a command's option. */
    public Builder containerFallbackHint(String hint) {
      this.containerFallbackHint = requireNonNull(hint, "hint");
      return this;
    }

    public StepHost build() {
      return new StepHost(this);
    }
  }
}
