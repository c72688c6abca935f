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
import dev.otto.core.secret.SecretProvider;
import dev.otto.core.secret.SecretProviders;
import dev.otto.core.secret.SecretResolutionException;
import dev.otto.core.secret.SecretValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
  private final List<Executor> executors;
  private final SecretProvider secrets;
  private final CacheStore caches;
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
    return new PlanCheck(executors, containerPolicy == ContainerPolicy.LOCAL_FALLBACK, containerFallbackHint);
  }

  /**
   * Starts a process on {@code executor}: resolves the secrets it binds, just before, and hands it
   * over with their values. A secret that cannot be resolved ends it unstarted, saying which.
   *
   * @param process the step or probe
   * @param runtime where it runs; the executor runs it locally when it is a container fallback
   * @param workspace the run's workspace on this machine
   * @param extraEnv the variables the engine adds ({@link StepEnvironment})
   * @param session the stage's session, whose background processes live until the stage ends
   * @param services the stage's services
   */
  public CompletionStage<ProcessOutcome> start(Executor executor, Op.RunProcess process, Runtime runtime,
      Path workspace, Map<String, String> extraEnv, Optional<String> session, List<Service> services,
      Consumer<String> lines, Cancellation cancellation) {
    Map<String, SecretValue> values = new LinkedHashMap<>();
    try {
      for (SecretBinding binding : process.secrets()) {
        values.putIfAbsent(binding.secret(), secrets.resolve(binding.secret()));
      }
    } catch (SecretResolutionException e) {
      return CompletableFuture.completedFuture(new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED,
          OptionalInt.empty(), Duration.ZERO, e.getMessage()));
    }
    Runtime where = executor.whyNot(runtime).isEmpty() ? runtime : new Runtime.Local(runtime.tools(),
        runtime.network());
    return executor.start(new ProcessRequest(process, where, workspace, values, extraEnv, session, services), lines,
        cancellation);
  }

  /** Restores a cache into {@code workspace}, from the op's exact key or a fallback; never fails the stage. */
  public CacheOps.Outcome restore(Path workspace, Op.RestoreCache op) {
    return CacheOps.restore(caches, workspace, op);
  }

  /** Saves a cache from {@code workspace} under the op's exact key; never fails the stage. */
  public CacheOps.Outcome save(Path workspace, Op.SaveCache op) {
    return CacheOps.save(caches, workspace, op);
  }

  /** Configures a {@link StepHost}. */
  public static final class Builder {
    private final List<Executor> executors = new ArrayList<>();
    private SecretProvider secrets = SecretProviders.inMemory(Map.of());
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
