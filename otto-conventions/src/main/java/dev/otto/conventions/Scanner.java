package dev.otto.conventions;

import dev.otto.conventions.Conventions.Scan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a repository's projects: the root, or, when it matches nothing (or only tooling that gives way),
 * folders below it, in name order. A folder that matches is not looked into further, so a root build owns its
 * subfolders. Folders of tests, fixtures, examples and third-party code are looked into only when nothing else
 * matches, not even the last-resort conventions at the root: a {@code package.json} among a C project's test
 * data must not stand for the project.
 */
final class Scanner {
  /** Folders that hold test data, examples or others' code rather than the repository's own projects. */
  static final Pattern ASIDE = Pattern.compile("(?i)tests?|testing|test[-_]?data|test[-_]?fixtures|__tests__"
      + "|fixtures?|__fixtures__|examples?|samples?|third[-_]?party|external");
  /** Files of ecosystems no convention builds, and their names, so that explain can say what it left out. */
  static final Map<String, String> UNSUPPORTED = unsupported();

  private final Path repository;
  private final List<Convention> conventions;
  private final int depth;
  private final List<String> unsupported = new ArrayList<>();

  Scanner(Path repository, List<Convention> conventions, int depth) {
    this.repository = repository;
    this.conventions = conventions;
    this.depth = depth;
  }

  private static Map<String, String> unsupported() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("composer.json", "PHP");
    files.put("mix.exs", "Elixir");
    files.put("build.sbt", "sbt");
    files.put("stack.yaml", "Haskell");
    files.put("pubspec.yaml", "Dart");
    files.put("Package.swift", "Swift");
    files.put("build.zig", "Zig");
    files.put("deno.json", "Deno");
    files.put("meson.build", "Meson");
    files.put("MODULE.bazel", "Bazel");
    files.put("WORKSPACE", "Bazel");
    files.put("configure.ac", "Autotools");
    files.put("rebar.config", "Erlang");
    files.put("dune-project", "OCaml");
    files.put("deps.edn", "Clojure");
    files.put("project.clj", "Leiningen");
    files.put("build.xml", "Ant");
    return java.util.Collections.unmodifiableMap(files);
  }

  Scan scan() {
    List<Project> found = new ArrayList<>();
    List<String> aside = new ArrayList<>();
    scan("", 0, found, aside);
    if (found.isEmpty()) {
      Folder root = new Folder(repository, "");
      conventions.stream().filter(Convention::lastResort).map(c -> c.detect(root)).flatMap(Optional::stream)
          .findFirst().ifPresent(found::add);
    }
    if (found.isEmpty()) {
      for (String path : aside) {
        scan(path, path.split("/").length, found, null);
      }
    }
    return new Scan(List.copyOf(found), List.copyOf(unsupported));
  }

  /** Scans {@code path}; folders set aside go to {@code aside}, or are scanned too when it is {@code null}. */
  private void scan(String path, int level, List<Project> found, List<String> aside) {
    Folder folder = new Folder(repository, path);
    List<Convention> matching = new ArrayList<>();
    List<Project> here = new ArrayList<>();
    for (Convention convention : conventions) {
      if (!convention.lastResort()) {
        convention.detect(folder).ifPresent(project -> {
          matching.add(convention);
          here.add(project);
        });
      }
    }
    if (!here.isEmpty()) {
      List<Project> own = new ArrayList<>();
      for (int i = 0; i < here.size(); i++) {
        if (!matching.get(i).yieldsToProjectsBelow(folder)) {
          own.add(here.get(i));
        }
      }
      List<Project> below = new ArrayList<>();
      if (own.isEmpty() && level < depth) {
        children(path, level, below, aside);
      }
      // tooling gives way to the folder's other projects, else to those below, else stands for itself
      found.addAll(!own.isEmpty() ? own : below.isEmpty() ? here : below);
      return;
    }
    UNSUPPORTED.forEach((file, ecosystem) -> {
      if (folder.has(file)) {
        unsupported.add("found " + file + " " + folder.where() + " (" + ecosystem + "), no convention");
      }
    });
    if (level < depth) {
      children(path, level, found, aside);
    }
  }

  private void children(String path, int level, List<Project> found, List<String> aside) {
    Path dir = path.isEmpty() ? repository : repository.resolve(path);
    List<String> children;
    try (Stream<Path> list = Files.list(dir)) {
      children = list.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(name -> !name.startsWith(".") && !Folder.SKIPPED.contains(name)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + dir, e);
    }
    for (String child : children) {
      String childPath = path.isEmpty() ? child : path + "/" + child;
      if (aside != null && ASIDE.matcher(child).matches()) {
        aside.add(childPath);
      } else {
        scan(childPath, level + 1, found, aside);
      }
    }
  }
}
