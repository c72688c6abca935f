package dev.otto.core.model;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a stage's steps run, and what they need there. A runtime is matched to an executor when
 * a run starts; explain shows the runtime of every stage. A stage without a runtime uses its
 * parent's, and a top-level stage without one runs as a local process.
 *
 * <p>A runtime may name the tools its steps call ({@code requires("mvn", "java")}): a container
 * image brings them, but where the steps run on the engine's machine (a local runtime, an agent
 * label this machine carries, or a container stage falling back to local processes) the engine
 * finds each on that machine before anything runs, says which version it will use, and refuses
 * the run, naming the tool, when one is missing. A tool may name the oldest version the steps
 * work with ({@code java>=21}): the engine then says so when the one it finds is older. A runtime
 * may also ask for the network ({@code withNetwork()}): a sandboxed executor gives none to stages
 * that do not.
 *
 * <pre>{@code
 * Runtime build = Runtime.container("maven:3-eclipse-temurin-21").requires("mvn", "java>=21").withNetwork();
 * }</pre>
 */
public sealed interface Runtime {

  /** A process on the machine of the engine, in the run's workspace. */
  static Local local() {
    return Local.PLAIN;
  }

  /** A container started from {@code image}, with the workspace mounted. */
  static Container container(String image) {
    return new Container(requireNonNull(image, "image"), List.of(), false);
  }

  /** Any agent that carries {@code label}. */
  static Agent agent(String label) {
    return new Agent(requireNonNull(label, "label"), List.of(), false);
  }

  /** The runtime of another stage, which must run before this one: its tools and network too. */
  static Runtime sameAs(StagePath stage) {
    return new SameAs(requireNonNull(stage, "stage"));
  }

  /** A short text for explain output, e.g. {@code container ruby}. */
  String describe();

  /**
   * The commands the steps call that the place they run must provide, e.g. {@code mvn}, or
   * {@code java>=21} with the oldest version they work with, in the order declared; empty when
   * none are declared. A same-as runtime has none of its own.
   */
  List<String> tools();

  /** The command a tool of {@link #tools()} names: {@code java} of {@code java>=21} or {@code java>=6,<12}. */
  static String toolName(String tool) {
    int at = tool.indexOf(">=");
    return at < 0 ? tool : tool.substring(0, at);
  }

  /** The oldest version a tool of {@link #tools()} asks for: {@code 21} of {@code java>=21}; empty when none. */
  static java.util.Optional<String> minimumVersion(String tool) {
    int at = tool.indexOf(">=");
    if (at < 0) {
      return java.util.Optional.empty();
    }
    int below = tool.indexOf(",<", at);
    return java.util.Optional.of(below < 0 ? tool.substring(at + 2) : tool.substring(at + 2, below));
  }

  /**
   * The first version too new for the steps, of a tool of {@link #tools()} that names one: {@code
   * 12} of {@code java>=6,<12} (a build that compiles for Java 6, which JDK 12 and later cannot);
   * empty when none.
   */
  static java.util.Optional<String> tooNewVersion(String tool) {
    int below = tool.indexOf(",<");
    return below < 0 ? java.util.Optional.empty() : java.util.Optional.of(tool.substring(below + 2));
  }

  /** Whether the steps need the network. A same-as runtime has the answer of the stage it names. */
  boolean network();

  /** A process on the engine's own machine. */
  record Local(List<String> tools, boolean network) implements Runtime {
    private static final Local PLAIN = new Local(List.of(), false);

    public Local {
      tools = checkTools(tools);
    }

    /** This runtime, whose steps also call {@code tools}, e.g. {@code go}. */
    public Local requires(String... tools) {
      return new Local(more(this.tools, tools), network);
    }

    /** This runtime, whose steps need the network. */
    public Local withNetwork() {
      return new Local(tools, true);
    }

    @Override
    public String describe() {
      return "local";
    }
  }

  /** A container image. */
  record Container(String image, List<String> tools, boolean network) implements Runtime {
    public Container {
      requireNonNull(image, "image");
      tools = checkTools(tools);
    }

    /** This runtime, whose steps also call {@code tools}, e.g. {@code mvn} and {@code java}. */
    public Container requires(String... tools) {
      return new Container(image, more(this.tools, tools), network);
    }

    /** This runtime, whose steps need the network. */
    public Container withNetwork() {
      return new Container(image, tools, true);
    }

    @Override
    public String describe() {
      return "container " + image;
    }
  }

  /** An agent selected by label. */
  record Agent(String label, List<String> tools, boolean network) implements Runtime {
    public Agent {
      requireNonNull(label, "label");
      tools = checkTools(tools);
    }

    /** This runtime, whose steps also call {@code tools}. */
    public Agent requires(String... tools) {
      return new Agent(label, more(this.tools, tools), network);
    }

    /** This runtime, whose steps need the network. */
    public Agent withNetwork() {
      return new Agent(label, tools, true);
    }

    @Override
    public String describe() {
      return "agent " + label;
    }
  }

  /** The same runtime as another stage. */
  record SameAs(StagePath stage) implements Runtime {
    public SameAs {
      requireNonNull(stage, "stage");
    }

    @Override
    public String describe() {
      return "same as '" + stage + "'";
    }

    @Override
    public List<String> tools() {
      return List.of();
    }

    @Override
    public boolean network() {
      return false;
    }
  }

  /**
   * A tool is a command found on the PATH: a name, never a path or a command line, with the
   * oldest version the steps work with if they need one ({@code java>=21}, {@code go>=1.22}), and
   * after it the first version too new for them if there is one ({@code java>=6,<12}).
   */
  private static List<String> checkTools(List<String> tools) {
    Pattern name = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._+-]*(>=\\d+(\\.\\d+)*(,<\\d+(\\.\\d+)*)?)?");
    Set<String> checked = new LinkedHashSet<>();
    for (String tool : requireNonNull(tools, "tools")) {
      requireNonNull(tool, "tool");
      if (!name.matcher(tool).matches()) {
        throw new IllegalArgumentException("'" + tool + "' is not a tool name: name a command the steps find on "
            + "the PATH, such as mvn or python3, without a folder, options or spaces, and, if they need one, the "
            + "oldest version they work with, as in java>=21 or go>=1.22, and the first too new for them, if "
            + "there is one, as in java>=6,<12");
      }
      checked.add(tool);
    }
    return List.copyOf(checked);
  }

  private static List<String> more(List<String> tools, String... added) {
    List<String> all = new java.util.ArrayList<>(tools);
    all.addAll(List.of(added));
    return all;
  }
}
