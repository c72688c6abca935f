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

  /** The project in {@code folder}, if the folder is one of this convention's. */
  Optional<Project> detect(Folder folder);
}
