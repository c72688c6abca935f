package dev.otto.core.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.executor.ContainerExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real container engine for the tests that run containers, and an image they can run without
 * a registry: a static busybox imported as {@value #IMAGE}, built once from the host's
 * {@code /bin/busybox} (Debian's {@code busybox-static}).
 *
 * <p>Where no engine answers or no static busybox is installed, such tests are skipped, with
 * the reason, so that the project builds on machines without containers. CI sets
 * {@code OTTO_REQUIRE_CONTAINERS}: there a missing engine fails the tests instead.
 */
public final class Containers {
  /** The test image: a static busybox, with its applets on /bin. */
  public static final String IMAGE = "localhost/otto-test-busybox:1";
  private static final Path BUSYBOX = Path.of("/bin/busybox");
  private static String engine;

  private Containers() {}

  /** The command of the engine that answers here; skips the test (fails it in CI) when none does or no image can be built. */
  public static synchronized String engine() {
    if (engine == null) {
      ContainerExecutor probe = ContainerExecutor.builder().build();
      String found = probe.engine().orElse(null);
      require(found != null, "no container engine answers here (" + probe.unavailable().orElse("") + ")");
      require(Files.isExecutable(BUSYBOX), "there is no " + BUSYBOX + " to build the test image from (Debian: "
          + "apt-get install busybox-static)");
      buildImage(found);
      engine = found;
    }
    return engine;
  }

  private static void require(boolean condition, String why) {
    if (System.getenv("OTTO_REQUIRE_CONTAINERS") != null) {
      assertThat(condition).as("OTTO_REQUIRE_CONTAINERS is set, but " + why).isTrue();
    }
    Assumptions.assumeTrue(condition, () -> why + ": the tests that run containers are skipped");
  }

  private static void buildImage(String engine) {
    if (call(engine, "image", "inspect", "--format", "{{.Id}}", IMAGE).startsWith("0\n")) {
      return;
    }
    Path root = null;
    try {
      root = Files.createTempDirectory("otto-busybox-");
      Path bin = Files.createDirectories(root.resolve("bin"));
      Files.copy(BUSYBOX, bin.resolve("busybox"));
      for (String applet : call(BUSYBOX.toString(), "--list").lines().skip(1).toList()) {
        if (!applet.equals("busybox") && !applet.isBlank()) {
          Files.createSymbolicLink(bin.resolve(applet.strip()), Path.of("busybox"));
        }
      }
      Files.createDirectories(root.resolve("tmp"));
      Files.createDirectories(root.resolve("etc"));
      Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
      Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
      Path tar = Path.of(root + ".tar");
      assertThat(call("tar", "-C", root.toString(), "-cf", tar.toString(), ".")).startsWith("0\n");
      String imported = call(engine, "import", "--change", "CMD [\"/bin/sh\"]", tar.toString(), IMAGE);
      assertThat(imported).as("importing the test image").startsWith("0\n");
      String runs = call(engine, "run", "--rm", IMAGE, "/bin/busybox", "true");
      require(runs.startsWith("0\n"), BUSYBOX + " does not run in a container of its own (not a static busybox? "
          + "Debian: apt-get install busybox-static): " + runs);
    } catch (IOException e) {
      throw new AssertionError("could not build the test image " + IMAGE, e);
    } finally {
      if (root != null) {
        call("rm", "-rf", root.toString(), root + ".tar");
      }
    }
  }

  /** Runs {@code command} and returns its exit status, a line end, and what it printed. */
  public static String call(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s ended", Arrays.toString(command)).isTrue();
      return process.exitValue() + "\n" + output;
    } catch (IOException e) {
      return "-1\n" + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The ids of the containers carrying {@code label} ({@code NAME=value}), running or not. */
  public static List<String> containers(String label) {
    return ids(call(engine(), "ps", "--all", "--quiet", "--filter", "label=" + label));
  }

  /** The names of the networks carrying {@code label}. */
  public static List<String> networks(String label) {
    return ids(call(engine(), "network", "ls", "--quiet", "--filter", "label=" + label));
  }

  private static List<String> ids(String answer) {
    assertThat(answer).startsWith("0\n");
    List<String> ids = new ArrayList<>();
    answer.lines().skip(1).map(String::strip).filter(line -> !line.isEmpty()).forEach(ids::add);
    return ids;
  }

  /** What the engine's {@code inspect} says of every container carrying {@code label}. */
  public static String inspect(String label) {
    List<String> ids = containers(label);
    List<String> command = new ArrayList<>(List.of(engine(), "inspect"));
    command.addAll(ids);
    return ids.isEmpty() ? "" : call(command.toArray(String[]::new));
  }

  /** The command lines of every process on this machine, each as its arguments joined by spaces. */
  public static String commandLines() throws IOException {
    StringBuilder out = new StringBuilder();
    try (var entries = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path entry : entries) {
        try {
          out.append(new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' '))
              .append('\n');
        } catch (IOException e) {
          // A process that ended while we looked.
        }
      }
    }
    return out.toString();
  }
}
