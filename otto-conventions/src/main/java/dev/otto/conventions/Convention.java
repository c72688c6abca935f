package dev.otto.conventions;

import java.util.List;
import java.util.Optional;

/**
 * A kind of project Otto recognizes from its files, and the stages it builds and tests it with.
 * The built-in conventions are in {@link Conventions#builtIn()}; others are found on the class
 * path with {@link java.util.ServiceLoader}, declared as {@code provides
 * dev.otto.conventions.Convention with ...} in a module, or in
 * {@code META-INF/services/dev.otto.conventions.Convention}.
 */
public interface Convention {

  /** A stable id, e.g. {@code maven}; letters, digits and {@code -}. */
  String id();

  /** The files whose presence it looks for, e.g. {@code pom.xml}, for the message when nothing matches. */
  List<String> lookedFor();

  /** Whether it applies only when no other convention matches anywhere in the repository, as Make does. */
  default boolean lastResort() {
    return false;
  }

  /**
   * Whether the project this convention found in {@code folder} gives way to other projects in the same folder or,
   * when there are none, in the folders below it: a {@code package.json} that only carries the repository's
   * tooling (hooks, linters) is no project of its own, and must not hide the Go module beside it or the services
   * below it.
   */
  default boolean yieldsToProjectsBelow(Folder folder) {
    return false;
  }

  /** The project in {@code folder}, if the folder is one of this convention's. */
  Optional<Project> detect(Folder folder);
}
