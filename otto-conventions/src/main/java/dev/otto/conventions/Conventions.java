package dev.otto.conventions;

import static dev.otto.dsl.Otto.docker;
import static dev.otto.dsl.Otto.sameAs;
import static dev.otto.dsl.Otto.sh;
import static java.util.Objects.requireNonNull;

import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.dsl.CacheRef;
import dev.otto.dsl.Customizer;
import dev.otto.dsl.Otto;
import dev.otto.dsl.PipelineSpec;
import dev.otto.dsl.StageRef;
import dev.otto.dsl.StageSpec;
import dev.otto.dsl.library.Stdlib;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

/**
 * Pipelines from a repository's files, with no configuration: each project the conventions
 * recognize gets a build stage and a test stage, in the ecosystem's container image, with its
 * dependencies cached by its lock files. Those stages name the tools they call ({@code mvn} and
 * {@code java}, say) and ask for the network (dependencies are downloaded), so that a stage run
 * as local processes where no container engine answers is refused before the run if this
 * machine lacks one, and a sandbox lets it fetch its dependencies. The result is an ordinary pipeline: explain shows which
 * convention made each stage and why, tests assert on it, and code adds to it.
 *
 * <pre>{@code
 * Pipeline pipeline = Conventions.in(Path.of(".")).pipeline("shop");
 *
 * Pipeline adjusted = Conventions.in(Path.of("."))
 *     .adjust("maven", project -> project.withImage("maven:3-eclipse-temurin-21"))
 *     .pipeline("shop", p -> p.stage("Deploy", s -> s.steps(sh("./deploy.sh"))));
 * }</pre>
 *
 * <p>A project is a folder a convention matches: the repository's root, or, when the root
 * matches nothing (or only tooling that gives way, see {@link Convention#yieldsToProjectsBelow}),
 * folders up to two levels down (a monorepo), in name order. A folder that matches is not looked
 * into further, so a multi-module build is one project. Folders of tests, fixtures and examples
 * count only when nothing else matches; Make applies only when nothing else matches anywhere.
 * Each project's images are of the versions it declares, as its reason says. A repository with
 * one project at its root gets top-level {@code Build} and {@code Test} stages; several projects
 * get a group each, side by side in a parallel group {@code Projects} that keeps going: one
 * project's failure does not stop the others, and the group's reason names the projects that
 * failed (a run with {@code --fail-fast}, the engine's {@code FailurePolicy.FAIL_FAST_EVERYWHERE}, stops them
 * all).
 */
public final class Conventions {
  /** How far below the root projects are looked for. */
  static final int DEPTH = 2;

  private final Path repository;
  private final List<Convention> conventions;
  private final Map<String, UnaryOperator<Project>> adjustments = new LinkedHashMap<>();
  private String checkoutUrl;
  private String checkoutRef;
  private boolean onlyChanged;

  private Conventions(Path repository, List<Convention> conventions) {
    this.repository = repository;
    this.conventions = conventions;
  }

  /** The conventions Otto ships: Maven, Gradle, Node, Ruby and Rails, Rust, Go, Python, .NET, CMake, Make last. */
  public static List<Convention> builtIn() {
    return BuiltIn.all();
  }

  /** The built-in conventions and those on the class path, for the repository at {@code repository}. */
  public static Conventions in(Path repository) {
    requireNonNull(repository, "repository");
    if (!Files.isDirectory(repository)) {
      throw new ConventionException(repository + (Files.exists(repository) ? " is a file, not a folder"
          : " does not exist") + "; give the root of a repository");
    }
    List<Convention> all = new ArrayList<>(builtIn());
    ServiceLoader.load(Convention.class).forEach(all::add);
    return new Conventions(repository.toAbsolutePath().normalize(), all);
  }

  /** Also applies {@code convention}, before the built-in ones. */
  public Conventions with(Convention convention) {
    List<Convention> all = new ArrayList<>();
    all.add(requireNonNull(convention, "convention"));
    all.addAll(conventions);
    Conventions copy = new Conventions(repository, all);
    copy.adjustments.putAll(adjustments);
    copy.checkoutUrl = checkoutUrl;
    copy.checkoutRef = checkoutRef;
    copy.onlyChanged = onlyChanged;
    return copy;
  }

  /**
   * Starts the pipeline with a {@code Checkout} stage that puts the repository's files at
   * {@code ref}, fetched from {@code url}, in the run's workspace (with the standard library's
   * {@code checkout} step), for hosts whose workspaces start empty.
   */
  public Conventions checkout(String url, String ref) {
    this.checkoutUrl = requireNonNull(url, "url");
    this.checkoutRef = requireNonNull(ref, "ref");
    return this;
  }

  /**
   * In a repository of several projects, builds each project in a folder only when the run's
   * commits changed a file under it: its stages are entered {@code when(changed("folder/**"))}.
   * A project at the repository's root is always built. Explain with {@code --changed-since}
   * (or a context with its changed files) says which projects a change set builds.
   */
  public Conventions onlyChanged() {
    this.onlyChanged = true;
    return this;
  }

  /** Changes the projects of convention {@code id}, e.g. another image or other commands. */
  public Conventions adjust(String id, UnaryOperator<Project> adjustment) {
    requireNonNull(id, "id");
    requireNonNull(adjustment, "adjustment");
    if (conventions.stream().noneMatch(c -> c.id().equals(id))) {
      throw new IllegalArgumentException("there is no convention '" + id + "'; there are "
          + conventions.stream().map(Convention::id).toList());
    }
    adjustments.merge(id, adjustment, (a, b) -> p -> b.apply(a.apply(p)));
    return this;
  }

  /**
   * Whether any convention finds a project; when none does, {@link #projects()} and the
   * {@code pipeline} methods throw. A tool that writes a pipeline of its own in that case (as
   * {@code otto init} does) asks this first.
   *
   * @throws ConventionException when a project file cannot be read
   */
  public boolean matchesAny() {
    return !scan().projects().isEmpty();
  }

  /**
   * The projects the conventions find, in order.
   *
   * @throws ConventionException when nothing matches; the message lists what was looked for
   */
  public List<Project> projects() {
    return projects(scan());
  }

  private List<Project> projects(Scan scan) {
    if (scan.projects().isEmpty()) {
      throw new ConventionException("no convention matches " + repository + ": looked for "
          + String.join("; ", conventions.stream().map(c -> String.join(", ", c.lookedFor()) + " (" + c.id()
              + (c.lastResort() ? ", at the root only, when nothing else matches" : "") + ")")
              .toList()) + ", at the root and in folders up to " + DEPTH + " levels down"
          + (scan.unsupported().isEmpty() ? "" : "; " + String.join("; ", scan.unsupported()))
          + enclosingRepository().map(root -> ". This folder lies inside the git repository " + root
              + ", whose root may hold the project: run otto there").orElse("")
          + ". Write the pipeline with the DSL, or add a Convention for this kind of project.");
    }
    return scan.projects().stream().map(this::moduleOfBuildAbove).map(this::adjusted).toList();
  }

  /** The parts of a project an adjustment may change, by the name its reason gives them. */
  private static final Map<String, java.util.function.Function<Project, Object>> PARTS = orderedParts();

  private static Map<String, java.util.function.Function<Project, Object>> orderedParts() {
    Map<String, java.util.function.Function<Project, Object>> parts = new LinkedHashMap<>();
    parts.put("image", Project::image);
    parts.put("tools", Project::tools);
    parts.put("build commands", Project::build);
    parts.put("test commands", Project::test);
    parts.put("variables", Project::env);
    parts.put("cache", Project::cache);
    parts.put("services", Project::services);
    return java.util.Collections.unmodifiableMap(parts);
  }

  /** The project as {@link #adjust} changed it, its reason saying what was changed. */
  private Project adjusted(Project found) {
    UnaryOperator<Project> adjustment = adjustments.get(found.convention());
    if (adjustment == null) {
      return found;
    }
    Project project = requireNonNull(adjustment.apply(found), "the adjustment of convention '" + found.convention()
        + "' returned null; return the project, changed or not");
    List<String> changed = PARTS.entrySet().stream()
        .filter(part -> !part.getValue().apply(project).equals(part.getValue().apply(found))).map(Map.Entry::getKey)
        .toList();
    if (changed.isEmpty() || !project.reason().equals(found.reason())) {
      return project;
    }
    // A convention that made no Test stage says why; with test commands given, that no longer holds.
    String reason = found.test().isEmpty() && !project.test().isEmpty()
        ? project.reason().replaceFirst("; no Test stage, [^;]*", "") : project.reason();
    return new Project(project.convention(), project.folder(), reason + "; adjusted: its "
        + String.join(", ", changed), project.image(), project.tools(), project.build(), project.test(), project.env(),
        project.cache(), project.services());
  }

  /**
   * A Maven project at the root that the {@code pom.xml} of the folder above lists as a module:
   * its reason says so, as its build needs its parent and sibling modules from there.
   */
  private Project moduleOfBuildAbove(Project project) {
    Path folder = repository.toAbsolutePath().normalize();
    if (!project.convention().equals("maven") || !project.folder().isEmpty() || folder.getParent() == null
        || folder.getFileName() == null) {
      return project;
    }
    Path above = folder.getParent().resolve("pom.xml");
    String module = "<module>" + folder.getFileName() + "</module>";
    try {
      if (!Files.isRegularFile(above) || !Files.readString(above).replaceAll("\\s", "").contains(module)) {
        return project;
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      return project;
    }
    return new Project(project.convention(), project.folder(), project.reason() + "; it is a module of the Maven "
        + "build in " + folder.getParent() + ", whose pom.xml lists it, and may need its parent and sibling modules "
        + "from there: run otto in " + folder.getParent() + " to build them together", project.image(),
        project.tools(), project.build(), project.test(), project.env(), project.cache(), project.services());
  }

  /** The root of the git repository the folder lies in below its root, if it does. */
  private Optional<Path> enclosingRepository() {
    Path folder = repository.toAbsolutePath().normalize();
    if (Files.exists(folder.resolve(".git"))) {
      return Optional.empty();
    }
    for (Path up = folder.getParent(); up != null; up = up.getParent()) {
      if (Files.exists(up.resolve(".git"))) {
        return Optional.of(up);
      }
    }
    return Optional.empty();
  }

  /**
   * The folders of ecosystems no convention builds, as explain lists them: {@code found composer.json in
   * tools/site (PHP), no convention}. Folders inside a project are not looked at.
   */
  public List<String> unsupported() {
    return scan().unsupported();
  }

  private Scan scan() {
    return new Scanner(repository, conventions, DEPTH).scan();
  }

  /** A pipeline named {@code name} of the projects found. */
  public Pipeline pipeline(String name) {
    return pipeline(name, Customizer.none());
  }

  /** A pipeline named {@code name} of the projects found, then what {@code more} adds. */
  public Pipeline pipeline(String name, Customizer<PipelineSpec> more) {
    requireNonNull(more, "more");
    return Otto.pipeline(name, p -> {
      contribute(p);
      more.customize(p);
    });
  }

  /** Adds the projects' stages and caches to a pipeline being written with the DSL. */
  public void contribute(PipelineSpec p) {
    Scan scan = scan();
    List<Project> projects = projects(scan);
    String also = scan.unsupported().isEmpty() ? "" : "; " + String.join("; ", scan.unsupported());
    if (checkoutUrl != null) {
      Stdlib.Steps std = p.use(Stdlib.library());
      p.stage("Checkout", s -> s.runtime(Otto.local().requires("git").withNetwork())
          .steps(std.checkout(checkoutUrl, checkoutRef)));
    }
    if (projects.size() == 1 && projects.get(0).folder().isEmpty()) {
      Project project = projects.get(0);
      p.withOrigin(origin(project) + also, q -> stages(q, project, null, ""));
      return;
    }
    Map<String, Long> perFolder = new LinkedHashMap<>();
    projects.forEach(project -> perFolder.merge(project.folder(), 1L, Long::sum));
    String counted = projects.size() + (projects.size() == 1 ? " project" : " projects");
    p.withOrigin("conventions: " + counted + also, outer -> outer.parallel("Projects", group -> {
      group.keepGoing();
      for (Project project : projects) {
        String name = (project.folder().isEmpty() ? project.convention() : project.folder())
            + (perFolder.get(project.folder()) > 1 && !project.folder().isEmpty() ? " (" + project.convention() + ")"
            : "");
        String prefix = (project.folder().isEmpty() ? project.convention() : project.folder())
            .replaceAll("[^A-Za-z0-9._-]", "-") + "-";
        p.withOrigin(origin(project), q -> group.stage(name, s -> {
          if (onlyChanged && !project.folder().isEmpty()) {
            s.when(Otto.changed(project.folder() + "/**"));
          }
          stages(q, project, s, prefix);
        }));
      }
    }));
  }

  private static String origin(Project project) {
    return "convention " + project.convention() + ": " + project.reason();
  }

  /** What the scan finds: the projects, and the folders of ecosystems without a convention. */
  record Scan(List<Project> projects, List<String> unsupported) {}

  /**
   * The build and test stages of a project: top-level when {@code group} is null, else inside it.
   * The build stage restores its cache and saves it again, so it carries over from run to run.
   */
  private static void stages(PipelineSpec p, Project project, StageSpec group, String cachePrefix) {
    CacheRef cache = project.cache().map(c -> p.cache(cachePrefix + c.name(), c.paths().stream()
        .map(path -> fromRoot(project, path)).toList(), c.keyFiles().stream().map(f -> fromRoot(project, f))
        // A key file is read as written, but a name with '*' or '?' reads as a pattern, which validation refuses:
        // a file under a folder so named ('what?/pom.xml') keys nothing rather than stop the pipeline.
        .filter(f -> !dev.otto.core.model.Cache.readsAsPattern(f)).toList()))
        .orElse(null);
    Customizer<StageSpec> build = s -> {
      s.runtime(docker(project.image()).requires(project.tools().toArray(String[]::new)).withNetwork())
          .steps(steps(project, project.build()));
      if (cache != null) {
        s.restores(cache).saves(cache);
      }
    };
    StageRef built = group == null ? p.stage("Build", build) : group.stage("Build", build);
    if (project.test().isEmpty()) {
      return;
    }
    Customizer<StageSpec> test = s -> {
      s.runtime(sameAs(built)).steps(steps(project, project.test()));
      project.services().forEach(s::service);
      if (cache != null) {
        s.restores(cache);
      }
    };
    if (group == null) {
      p.stage("Test", test);
    } else {
      group.stage("Test", test);
    }
  }

  private static String fromRoot(Project project, String path) {
    return project.folder().isEmpty() ? path : project.folder() + "/" + path;
  }

  private static ShStep[] steps(Project project, List<String> commands) {
    String cd = project.folder().isEmpty() ? "" : "cd '" + project.folder().replace("'", "'\\''") + "' && ";
    return commands.stream().map(command -> {
      ShStep step = sh(cd + command);
      for (Map.Entry<String, String> variable : project.env().entrySet()) {
        step = step.env(variable.getKey(), variable.getValue());
      }
      return step;
    }).toArray(ShStep[]::new);
  }
}
