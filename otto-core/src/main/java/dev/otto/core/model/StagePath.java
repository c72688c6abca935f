package dev.otto.core.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The address of a stage: the names from the top of the pipeline down to the stage, for example
 * {@code Deploy > Production}. Stage names never contain {@code '>'}, so the text form is
 * unambiguous and {@link #parse(String)} reads it back.
 */
public record StagePath(List<String> names) implements Comparable<StagePath> {
  /** The separator between names in the text form. */
  public static final String SEPARATOR = " > ";

  public StagePath {
    requireNonNull(names, "names");
    names = List.copyOf(names);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a stage path needs at least one stage name");
    }
  }

  /** The path of a top-level stage, or of a nested one when {@code more} names follow. */
  public static StagePath of(String first, String... more) {
    requireNonNull(first, "first");
    requireNonNull(more, "more");
    List<String> names = new ArrayList<>(1 + more.length);
    names.add(first);
    for (String name : more) {
      names.add(requireNonNull(name, "name"));
    }
    return new StagePath(names);
  }

  /** Reads the text form, {@code "Deploy > Production"}; spaces around names are trimmed. */
  public static StagePath parse(String text) {
    requireNonNull(text, "text");
    List<String> names = new ArrayList<>();
    for (String part : text.split(">", -1)) {
      String name = part.strip();
      if (name.isEmpty()) {
        throw new IllegalArgumentException(
            "not a stage path: '" + text + "'; write names separated by ' > ', e.g. 'Deploy > Production'");
      }
      names.add(name);
    }
    return new StagePath(names);
  }

  /** The path of a stage named {@code child} inside this one. */
  public StagePath child(String child) {
    requireNonNull(child, "child");
    List<String> longer = new ArrayList<>(names.size() + 1);
    longer.addAll(names);
    longer.add(child);
    return new StagePath(longer);
  }

  /** The last name: the stage's own name. */
  public String name() {
    return names.get(names.size() - 1);
  }

  public int depth() {
    return names.size();
  }

  @Override
  public int compareTo(StagePath other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return String.join(SEPARATOR, names);
  }
}
