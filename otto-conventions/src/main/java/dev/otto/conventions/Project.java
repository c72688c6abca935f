package dev.otto.conventions;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.Service;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A project a convention found: where, why, and how to build and test it. A user adjusts a
 * project with the {@code with} methods (another image, other commands) instead of copying the
 * convention.
 *
 * @param convention the convention's id, e.g. {@code maven}
 * @param folder the project's folder from the repository's root; {@code ""} for the root
 * @param reason why the convention matched, e.g. {@code found pom.xml at the root}
 * @param image the container image its stages run in
 * @param tools the commands its steps call, e.g. {@code mvn} and {@code java}: the image brings them, and where
 *     the stages run on the engine's machine instead, the engine finds them there before the run
 * @param build the commands of its build stage, run in its folder
 * @param test the commands of its test stage, run in its folder
 * @param env variables its commands get
 * @param cache what its stages keep between runs, if anything
 * @param services the containers its test stage runs beside, e.g. the database of a Rails app
 */
public record Project(String convention, String folder, String reason, String image, List<String> tools,
    List<String> build, List<String> test, Map<String, String> env, Optional<Cache> cache, List<Service> services) {

  public Project {
    requireNonNull(convention, "convention");
    requireNonNull(folder, "folder");
    requireNonNull(reason, "reason");
    requireNonNull(image, "image");
    tools = List.copyOf(tools);
    build = List.copyOf(build);
    test = List.copyOf(test);
    env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    requireNonNull(cache, "cache");
    services = List.copyOf(services);
  }

  /** A project whose test stage needs no services. */
  public Project(String convention, String folder, String reason, String image, List<String> tools,
      List<String> build, List<String> test, Map<String, String> env, Optional<Cache> cache) {
    this(convention, folder, reason, image, tools, build, test, env, cache, List.of());
  }

  /**
   * What a project keeps between runs: folders of its workspace, keyed by the content of its
   * lock files.
   *
   * @param name the cache's name, e.g. {@code maven}
   * @param paths folders relative to the project's folder, e.g. {@code .m2/repository/}
   * @param keyFiles files relative to the project's folder, e.g. {@code pom.xml}
   */
  public record Cache(String name, List<String> paths, List<String> keyFiles) {
    public Cache {
      requireNonNull(name, "name");
      paths = List.copyOf(paths);
      keyFiles = List.copyOf(keyFiles);
    }
  }

  public Project withImage(String image) {
    return new Project(convention, folder, reason, image, tools, build, test, env, cache, services);
  }

  /** This project, whose commands call {@code tools} instead, e.g. after {@link #withBuild} with other commands. */
  public Project withTools(String... tools) {
    return new Project(convention, folder, reason, image, List.of(tools), build, test, env, cache, services);
  }

  public Project withBuild(String... commands) {
    return new Project(convention, folder, reason, image, tools, List.of(commands), test, env, cache, services);
  }

  public Project withTest(String... commands) {
    return new Project(convention, folder, reason, image, tools, build, List.of(commands), env, cache, services);
  }

  /** The project with other services beside its test stage; none to run the tests without them. */
  public Project withServices(Service... services) {
    return new Project(convention, folder, reason, image, tools, build, test, env, cache, List.of(services));
  }

  public Project withoutCache() {
    return new Project(convention, folder, reason, image, tools, build, test, env, Optional.empty(), services);
  }
}
