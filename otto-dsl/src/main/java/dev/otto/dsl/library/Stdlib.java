package dev.otto.dsl.library;

import static java.util.Objects.requireNonNull;

import dev.otto.core.library.ActionSpec;
import dev.otto.core.library.ParamSpec;
import dev.otto.core.library.Primitive;
import dev.otto.core.library.StepLibrary;
import dev.otto.core.library.ValueType;
import dev.otto.core.model.LibraryStep;
import dev.otto.dsl.EnvironmentRef;
import dev.otto.dsl.LibraryDefinition;
import dev.otto.dsl.internal.Args;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The standard steps that are not shell scripts: keeping artifacts of a run, and handing a
 * notification to the host application.
 *
 * <pre>{@code
 * var std = p.use(Stdlib.library());
 * p.stage("Package", s -> s.steps(sh("make dist"), std.archive("dist", "dist/*.tar.gz")));
 * }</pre>
 */
public final class Stdlib {
  /** The library's id in plans. */
  public static final String ID = "stdlib";

  private static final StepLibrary LIBRARY = new Library();

  private Stdlib() {}

  public static LibraryDefinition<Void, Steps> library() {
    return LibraryDefinition.of(LIBRARY, () -> null, config -> Map.of(), Steps::new);
  }

  /** Makes standard steps. */
  public static final class Steps {
    Steps() {}

    /** Keeps workspace {@code paths} as the run's artifact {@code name}. */
    public LibraryStep archive(String name, String... paths) {
      // Insertion order, not Map.of's hash order: arguments show in problems and labels.
      Map<String, Object> arguments = new java.util.LinkedHashMap<>();
      arguments.put("name", requireNonNull(name, "name"));
      arguments.put("paths", List.copyOf(Arrays.asList(Args.each("path", "paths", paths))));
      return LibraryStep.of(ID, "archive", arguments);
    }

    /** Puts the files of the artifact {@code name}, archived earlier in the run, back in the workspace. */
    public LibraryStep unarchive(String name) {
      return LibraryStep.of(ID, "unarchive", Map.of("name", requireNonNull(name, "name")));
    }

    /**
     * Puts the files of the artifact {@code name} that the last successful deployment to {@code
     * from} took back in the workspace: a promotion deploys exactly what another environment
     * accepted, not what this run built. The files are found by the digest the environment's
     * record holds, and checked against it.
     *
     * <pre>{@code
     * var staging = p.environment("staging", e -> {});
     * var production = p.environment("production", e -> e.requireApproval(Duration.ofHours(4)));
     * p.stage("Production", s -> s.environment(production).steps(std.promote("app", staging), sh("./deploy")));
     * }</pre>
     */
    public LibraryStep promote(String name, EnvironmentRef from) {
      Map<String, Object> arguments = new java.util.LinkedHashMap<>();
      arguments.put("name", requireNonNull(name, "name"));
      arguments.put("from", requireNonNull(from, "from").name());
      return LibraryStep.of(ID, "promote", arguments);
    }

    /** Prints {@code message} in the step's output. */
    public LibraryStep echo(String message) {
      return LibraryStep.of(ID, "echo", Map.of("message", requireNonNull(message, "message")));
    }

    /**
     * Puts the files of the git repository at {@code url}, at {@code ref} (a branch, a tag or a
     * commit the server lets clients fetch), in the workspace, with no history.
     */
    public LibraryStep checkout(String url, String ref) {
      Map<String, Object> arguments = new java.util.LinkedHashMap<>();
      arguments.put("url", requireNonNull(url, "url"));
      arguments.put("ref", requireNonNull(ref, "ref"));
      return LibraryStep.of(ID, "checkout", arguments);
    }

    /** Hands {@code message} to the host application as a notification event. */
    public LibraryStep notify(String message) {
      return LibraryStep.of(ID, "notify", Map.of("message", requireNonNull(message, "message")));
    }
  }

  private static final class Library implements StepLibrary {
    @Override
    public String id() {
      return ID;
    }

    @Override
    public String description() {
      return "checkout, echo, artifacts (archive, unarchive and promote) and host notifications";
    }

    @Override
    public List<ParamSpec> configSpec() {
      return List.of();
    }

    @Override
    public List<ActionSpec> actions() {
      return List.of(
          new ActionSpec("archive", "keeps workspace paths as an artifact of the run", List.of(
              ParamSpec.required("name", ValueType.STRING, "the artifact's name"),
              ParamSpec.required("paths", ValueType.STRING_LIST, "workspace paths or globs"))),
          new ActionSpec("notify", "hands a notification to the host application", List.of(
              ParamSpec.required("message", ValueType.STRING, "the notification's text"))),
          new ActionSpec("unarchive", "puts an artifact archived earlier in the run back in the workspace", List.of(
              ParamSpec.required("name", ValueType.STRING, "the artifact's name"))),
          new ActionSpec("promote", "puts the artifact another environment's last successful deployment took in the "
              + "workspace", List.of(
              ParamSpec.required("name", ValueType.STRING, "the artifact's name"),
              ParamSpec.required("from", ValueType.STRING, "the environment whose record gives the artifact"))),
          new ActionSpec("echo", "prints a message in the step's output", List.of(
              ParamSpec.required("message", ValueType.STRING, "the text to print"))),
          new ActionSpec("checkout", "puts a git repository's files at a ref in the workspace", List.of(
              ParamSpec.required("url", ValueType.STRING, "the repository's URL or path"),
              ParamSpec.required("ref", ValueType.STRING, "a branch, tag or commit"))));
    }

    @Override
    public List<Primitive> expand(String action, Map<String, Object> arguments, Map<String, Object> config) {
      if (action.equals("archive")) {
        @SuppressWarnings("unchecked")
        List<String> paths = (List<String>) arguments.get("paths");
        return List.of(new Primitive.StoreArtifact((String) arguments.get("name"), paths));
      }
      if (action.equals("unarchive")) {
        return List.of(new Primitive.RestoreArtifact((String) arguments.get("name")));
      }
      if (action.equals("promote")) {
        return List.of(new Primitive.RestoreArtifact((String) arguments.get("name"),
            java.util.Optional.of((String) arguments.get("from"))));
      }
      if (action.equals("echo")) {
        String message = (String) arguments.get("message");
        return List.of(new Primitive.Run("echo: " + message, "printf '%s\\n' \"$OTTO_MESSAGE\"",
            Map.of("OTTO_MESSAGE", message), Map.of()));
      }
      if (action.equals("checkout")) {
        String url = (String) arguments.get("url");
        String ref = (String) arguments.get("ref");
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("OTTO_GIT_URL", url);
        env.put("OTTO_GIT_REF", ref);
        return List.of(new Primitive.Run("checkout " + url + " " + ref, "git init -q . && git fetch -q --depth 1 "
            + "\"$OTTO_GIT_URL\" \"$OTTO_GIT_REF\" && git -c advice.detachedHead=false checkout -q FETCH_HEAD", env,
            Map.of()));
      }
      return List.of(new Primitive.Emit("notification", (String) arguments.get("message")));
    }
  }
}
