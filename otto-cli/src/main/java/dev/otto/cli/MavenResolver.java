package dev.otto.cli;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;

/**
 * Resolves Maven artifacts and their dependencies with Maven's own resolver, set up as Maven 3
 * sets it up (nearest wins, scopes, exclusions), into a local repository ({@code ~/.m2/repository}
 * by default, shared with Maven). The jars an Ottofile's artifacts resolve to are listed in the
 * user's cache folder, so that later commands use them without starting the resolver, as long as
 * every artifact has a fixed release version and every jar is still there.
 */
final class MavenResolver {
  static final String CENTRAL = "https://repo.maven.apache.org/maven2/";
  /** Versions that may resolve to other jars later: snapshots, ranges, LATEST and RELEASE. */
  private static final Pattern MOVING = Pattern.compile(".*(SNAPSHOT|LATEST|RELEASE|[\\[\\](),]).*");

  private MavenResolver() {}

  /**
   * The jars of {@code artifacts} and of their runtime dependencies, resolved from {@code
   * repositories} and Maven Central into {@code localRepository}; failures name {@code ottofile}.
   */
  static List<Path> resolve(List<String> artifacts, List<String> repositories, Path localRepository, boolean offline,
      Path ottofile) {
    Path list = PipelineSource.cacheHome().resolve("otto").resolve("dependencies")
        .resolve(key(artifacts, repositories, localRepository) + ".txt");
    boolean fixed = artifacts.stream().noneMatch(artifact -> MOVING.matcher(artifact).matches());
    if (fixed) {
      List<Path> listed = listed(list);
      if (listed != null) {
        return listed;
      }
    }
    List<Path> jars = resolveNow(artifacts, repositories, localRepository, offline, ottofile);
    if (fixed) {
      keep(list, jars);
    }
    return jars;
  }

  private static List<Path> resolveNow(List<String> artifacts, List<String> repositories, Path localRepository,
      boolean offline, Path ottofile) {
    RepositorySystem system = new RepositorySystemSupplier().get();
    try (RepositorySystemSession.CloseableSession session = new SessionBuilderSupplier(system).get()
        .withLocalRepositoryBaseDirectories(localRepository)
        .setOffline(offline)
        .setSystemProperties(System.getProperties())
        .build()) {
      List<Dependency> dependencies = artifacts.stream()
          .map(artifact -> new Dependency(new DefaultArtifact(artifact), "compile")).toList();
      CollectRequest collect = new CollectRequest(dependencies, null, remotes(repositories));
      List<Path> jars = new ArrayList<>();
      for (ArtifactResult result : system.resolveDependencies(session, new DependencyRequest(collect, null))
          .getArtifactResults()) {
        jars.add(result.getArtifact().getPath());
      }
      return List.copyOf(jars);
    } catch (DependencyResolutionException e) {
      throw new CliException(ExitCodes.CANNOT_RUN, "could not resolve the dependencies of " + ottofile + " ("
          + String.join(", ", artifacts) + ")" + (offline ? ", offline," : "") + " from "
          + String.join(", ", repositories(repositories)) + " into " + localRepository + ": " + e.getMessage());
    } finally {
      system.shutdown();
    }
  }

  private static List<String> repositories(List<String> given) {
    List<String> all = new ArrayList<>(given);
    all.add(CENTRAL);
    return all;
  }

  /**
   * The repositories to resolve from, each with an id made from its URL: the local repository
   * records where each artifact came from by that id, so the same URL must get the same id.
   */
  private static List<RemoteRepository> remotes(List<String> given) {
    List<RemoteRepository> remotes = new ArrayList<>();
    for (String url : given) {
      String id = "otto-" + Hashing.sha256().hashString(url, StandardCharsets.UTF_8).toString().substring(0, 12);
      remotes.add(new RemoteRepository.Builder(id, "default", url).build());
    }
    remotes.add(new RemoteRepository.Builder("central", "default", CENTRAL).build());
    return remotes;
  }

  private static String key(List<String> artifacts, List<String> repositories, Path localRepository) {
    Hasher hasher = Hashing.sha256().newHasher();
    artifacts.forEach(artifact -> hasher.putString(artifact, StandardCharsets.UTF_8).putByte((byte) 0));
    repositories.forEach(url -> hasher.putString(url, StandardCharsets.UTF_8).putByte((byte) 1));
    hasher.putString(localRepository.toString(), StandardCharsets.UTF_8);
    return hasher.hash().toString().substring(0, 32);
  }

  /** The jars listed by an earlier resolution, or null when there is none or a jar has gone. */
  private static List<Path> listed(Path list) {
    try {
      List<Path> jars = Files.readAllLines(list, StandardCharsets.UTF_8).stream().map(Path::of).toList();
      return jars.stream().allMatch(Files::isRegularFile) ? jars : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void keep(Path list, List<Path> jars) {
    try {
      Files.createDirectories(list.getParent());
      Path fresh = Files.createTempFile(list.getParent(), "resolving-", ".txt");
      Files.write(fresh, jars.stream().map(Path::toString).toList(), StandardCharsets.UTF_8);
      Files.move(fresh, list, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // Without the list, the next command resolves again, from the local repository.
    }
  }
}
