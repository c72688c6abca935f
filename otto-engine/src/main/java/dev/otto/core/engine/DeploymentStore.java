package dev.otto.core.engine;

import static java.util.Objects.requireNonNull;
import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Where the record of what was deployed where is kept: one list of {@link Deployment entries}
 * per environment. An engine records an entry each time a stage that deploys to an environment
 * ends; hosts read the record ({@link LocalEngine#deployments}), and promotions and rollbacks take
 * their artifacts from it.
 *
 * <p>The local engine keeps the record beside its runs ({@link #inFolder}); a host that runs
 * several engines, or keeps its records elsewhere, plugs its own with {@code
 * LocalEngine.Builder.deployments(store)}.
 *
 * <p>An engine may record the same entry twice (a run resumed after its host died records again
 * what it may have recorded just before): a store keeps one entry per run, stage and
 * environment, the first.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface DeploymentStore {

  /** Adds an entry to its environment's record; once this returns, readers see it. */
  void record(Deployment deployment);

  /** The entries of {@code environment}'s record, newest first; empty when nothing was deployed there. */
  List<Deployment> deployments(String environment);

  /**
   * The environments with a record, sorted: where something was deployed, for a host to say so
   * when asked of another. A store written before this method knows none.
   */
  default java.util.SortedSet<String> environments() {
    return java.util.Collections.emptySortedSet();
  }

  /**
   * The entry a promotion of the artifact {@code name} from {@code environment} takes: the last
   * successful deployment there that took the artifact; or, {@code previous}, the entry a rollback
   * takes: the newest successful one before it that took other files (a redeployment of the same
   * files is not what a rollback goes back to).
   */
  default Optional<Deployment> source(String environment, String name, boolean previous) {
    requireNonNull(name, "name");
    List<Deployment> taken = deployments(requireNonNull(environment, "environment")).stream()
        .filter(entry -> entry.succeeded() && entry.digest(name).isPresent()).toList();
    if (taken.isEmpty() || !previous) {
      return taken.stream().findFirst();
    }
    Optional<String> now = taken.get(0).digest(name);
    return taken.stream().filter(entry -> !entry.digest(name).equals(now)).findFirst();
  }

  /**
   * A record in {@code folder}/{@code deployments.log}: appended to, never rewritten, each entry
   * on the disk before {@link #record} returns, and readable by other processes while runs
   * append to it.
   */
  static DeploymentStore inFolder(Path folder) {
    return new FileDeploymentStore(requireNonNull(folder, "folder"));
  }

  /** A record in memory, for tests and simulations. */
  static DeploymentStore inMemory() {
    return new MemoryDeploymentStore();
  }
}
