package dev.otto.core.executor;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A bubblewrap ({@code bwrap}) sandbox for the local executor's processes: each stage's shell
 * runs in one, with its steps inside it.
 *
 * <p>What a sandboxed step sees:
 * <ul>
 *   <li>the host's {@code /usr} and {@code /etc} read-only (and {@code /bin}, {@code /sbin},
 *       {@code /lib*} as the host has them), without the files of {@code /etc} other users may not
 *       read ({@code /etc/shadow}, private keys), even when the engine runs as root; the folders
 *       given to {@link #readOnly}; nothing else of the host: no home folders, {@code /opt},
 *       {@code /var}, {@code /run}, nor the host's {@code /tmp};
 *   <li>the run's workspace, read-write, at its own path, which is also where the step starts,
 *       and, read-only, the git objects its repository shares with the project it was made from;
 *   <li>its own {@code /proc} of its own PID namespace, so it cannot see, signal or read the
 *       environment of any process outside its sandbox, the engine's included; a fresh
 *       {@code /dev} and an empty {@code /tmp} that go with the stage;
 *   <li>no network (only a loopback of its own) unless its runtime asks for it
 *       ({@code Runtime.local().withNetwork()}); no capabilities; a session of its own, so it
 *       cannot push input into the engine's terminal.
 * </ul>
 * The sandbox ends when the stage's shell does, and with the engine if it dies. Secret values
 * never appear on bubblewrap's command line: they travel as for every local step, through the
 * shell's standard input, or as files in a private folder bound read-only into the sandbox.
 *
 * <pre>{@code
 * Executor sandboxed = LocalProcessExecutor.builder()
 *     .sandbox(Sandbox.bubblewrap().readOnly(Path.of("/opt/jdk-21")))
 *     .build();
 * }</pre>
 */
public final class Sandbox {
  private static final Path ETC = Path.of("/etc");
  private static final List<String> ROOT_LINKS = List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32");

  private final String program;
  private final List<Path> readOnly;
  private volatile Optional<String> unavailable;
  private volatile List<String> hostBinds;

  private Sandbox(String program, List<Path> readOnly) {
    this.program = program;
    this.readOnly = List.copyOf(readOnly);
  }

  /** A sandbox made with {@code bwrap} from the PATH (Debian's and Fedora's package {@code bubblewrap}). */
  public static Sandbox bubblewrap() {
    return new Sandbox("bwrap", List.of());
  }

  /** This sandbox, made with the bubblewrap program {@code program}, e.g. {@code /usr/local/bin/bwrap}. */
  public Sandbox program(String program) {
    return new Sandbox(requireNonNull(program, "program"), readOnly);
  }

  /**
   * This sandbox, with host folders its steps may read as well, at the same paths, e.g. a JDK
   * under {@code /opt}. A folder that does not exist is left out.
   */
  public Sandbox readOnly(Path... folders) {
    List<Path> all = new ArrayList<>(readOnly);
    for (Path folder : folders) {
      Path absolute = requireNonNull(folder, "folder").toAbsolutePath().normalize();
      if (absolute.getParent() == null) {
        throw new IllegalArgumentException("the sandbox cannot give the whole file system to its steps; name the "
            + "folders they need, e.g. /opt/jdk-21");
      }
      all.add(absolute);
    }
    return new Sandbox(program, all);
  }

  /** The isolation of a stage in this sandbox, in a phrase for explain. */
  String describe(boolean network) {
    return "sandbox (bubblewrap: read-only host, " + (network ? "network" : "no network") + ", own PIDs)";
  }

  /**
   * Empty when this sandbox can be made here; otherwise why not, in a sentence. Asked once, by
   * making one: bubblewrap may be installed where the kernel refuses the namespaces it needs.
   */
  Optional<String> unavailable() {
    Optional<String> known = unavailable;
    if (known == null) {
      known = probe();
      unavailable = known;
    }
    return known;
  }

  private Optional<String> probe() {
    List<String> command = new ArrayList<>(command(null, false, null));
    command.add("/bin/true");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      if (!process.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return Optional.of("the sandbox could not be made: '" + program + "' gave no answer within 10 seconds");
      }
      String first = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().lines()
          .findFirst().orElse("");
      return process.exitValue() == 0 ? Optional.empty() : Optional.of("the sandbox could not be made here: '"
          + program + "' failed" + (first.isEmpty() ? "" : " (" + first + ")")
          + "; let unprivileged users create namespaces, or run without the sandbox");
    } catch (IOException e) {
      return Optional.of("the sandbox needs bubblewrap, and '" + program + "' could not be started (" + e.getMessage()
          + "); install it (Debian and Ubuntu: apt-get install bubblewrap), or run without the sandbox");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while making a sandbox to see whether bubblewrap works");
    }
  }

  /**
   * The command that starts a program in a new sandbox: the program and its arguments follow.
   * Without a workspace, the program starts in the sandbox's empty {@code /tmp}.
   *
   * @param workspace bound read-write at its own path; may be null
   * @param network whether the sandbox shares the host's network
   * @param secrets a private folder of secret files, bound read-only at its own path; may be null
   */
  List<String> command(Path workspace, boolean network, Path secrets) {
    List<String> command = new ArrayList<>(List.of(program, "--die-with-parent", "--new-session", "--unshare-pid",
        "--unshare-ipc", "--cap-drop", "ALL"));
    if (!network) {
      command.add("--unshare-net");
    }
    command.addAll(hostBinds());
    if (network) {
      resolver().ifPresent(path -> command.addAll(List.of("--ro-bind", path, path)));
    }
    command.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
    for (Path folder : readOnly) {
      command.addAll(List.of("--ro-bind-try", folder.toString(), folder.toString()));
    }
    if (secrets != null) {
      command.addAll(List.of("--ro-bind", secrets.toString(), secrets.toString()));
    }
    if (workspace != null) {
      Path absolute = workspace.toAbsolutePath().normalize();
      for (String objects : sharedGitObjects(absolute)) {
        command.addAll(List.of("--ro-bind-try", objects, objects));
      }
      command.addAll(List.of("--bind", absolute.toString(), absolute.toString(), "--chdir", absolute.toString()));
    } else {
      command.addAll(List.of("--chdir", "/tmp"));
    }
    return command;
  }

  /** The binds of the host's system folders, the same for every sandbox: worked out once. */
  private List<String> hostBinds() {
    List<String> binds = hostBinds;
    if (binds == null) {
      binds = List.copyOf(systemBinds());
      hostBinds = binds;
    }
    return binds;
  }

  private static List<String> systemBinds() {
    List<String> binds = new ArrayList<>(List.of("--ro-bind", "/usr", "/usr"));
    for (String name : ROOT_LINKS) {
      Path path = Path.of("/", name);
      try {
        if (Files.isSymbolicLink(path)) {
          binds.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), path.toString()));
        } else if (Files.isDirectory(path)) {
          binds.addAll(List.of("--ro-bind", path.toString(), path.toString()));
        }
      } catch (IOException e) {
        // Left out: a step cannot use what the host does not show.
      }
    }
    binds.addAll(List.of("--ro-bind", ETC.toString(), ETC.toString()));
    for (Path hidden : unreadableByOthers(ETC)) {
      if (Files.isDirectory(hidden, LinkOption.NOFOLLOW_LINKS)) {
        binds.addAll(List.of("--tmpfs", hidden.toString(), "--remount-ro", hidden.toString()));
      } else {
        binds.addAll(List.of("--ro-bind", "/dev/null", hidden.toString()));
      }
    }
    return binds;
  }

  /**
   * The entries under {@code root} that other users may not read (directories: nor enter), the
   * highest of each branch: {@code /etc/shadow}, {@code /etc/ssl/private}. A step of an engine
   * that runs as root must not read them either.
   */
  static List<Path> unreadableByOthers(Path root) {
    Set<Path> hidden = new LinkedHashSet<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
          Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
          if (!dir.equals(root) && !(mode.contains(PosixFilePermission.OTHERS_READ)
              && mode.contains(PosixFilePermission.OTHERS_EXECUTE))) {
            hidden.add(dir);
            return FileVisitResult.SKIP_SUBTREE;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
          if (attributes.isRegularFile() && !Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
              .contains(PosixFilePermission.OTHERS_READ)) {
            hidden.add(file);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          // What the engine's user cannot read, its steps cannot either.
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("could not list what " + root + " holds for the sandbox", e);
    }
    return List.copyOf(hidden);
  }

  /**
   * The object folders a workspace's git repository borrows from another ({@code git clone
   * --shared}, as a workspace made from a project's files is): read-only in the sandbox, so that
   * {@code git log} works in a step, and nothing else of that project shows.
   */
  static List<String> sharedGitObjects(Path workspace) {
    Path objects = workspace.resolve(".git/objects");
    Path alternates = objects.resolve("info/alternates");
    if (!Files.isRegularFile(alternates)) {
      return List.of();
    }
    try {
      return Files.readAllLines(alternates, StandardCharsets.UTF_8).stream().map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .map(line -> objects.resolve(line).normalize().toString()).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Where {@code /etc/resolv.conf} leads when it is a link out of {@code /etc}, as systemd-resolved makes it. */
  private static Optional<String> resolver() {
    Path resolv = ETC.resolve("resolv.conf");
    try {
      Path real = resolv.toRealPath();
      return real.startsWith(ETC) || real.startsWith("/usr") ? Optional.empty() : Optional.of(real.toString());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
