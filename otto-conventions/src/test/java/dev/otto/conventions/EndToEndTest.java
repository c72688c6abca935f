package dev.otto.conventions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.otto.core.cache.DirectoryCacheStore;
import dev.otto.core.engine.ContainerPolicy;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conventions pipeline of a real repository, run by the local engine: a Maven service with a
 * JUnit test and an npm app with one dependency, checked out from git into the workspace, built
 * and tested; the second run restores both caches. Needs git, Maven and npm (CI installs them
 * when missing) and the registries (Maven Central, npm).
 */
@EnabledOnOs(OS.LINUX)
class EndToEndTest {
  @TempDir
  Path dir;

  private final List<RunEvent> events = new CopyOnWriteArrayList<>();

  @Test
  void builds_and_tests_a_maven_service_and_an_npm_app_and_restores_their_caches_on_the_second_run()
      throws Exception {
    assumeTrue(installed("git") && installed("mvn") && installed("npm"), "git, mvn and npm are needed");
    Path repo = dir.resolve("shop");
    copy(Path.of("src/test/resources/e2e/shop"), repo);
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", ".");
    git(repo, "-c", "user.name=Otto", "-c", "user.email=otto@example.com", "commit", "-q", "-m", "shop");
    Pipeline pipeline = Conventions.in(repo).checkout(repo.toString(), "main").pipeline("shop");
    LocalEngine engine = LocalEngine.builder(dir.resolve("runs")).containerPolicy(ContainerPolicy.LOCAL_FALLBACK)
        .caches(new DirectoryCacheStore(dir.resolve("caches"))).executor(LocalProcessExecutor.builder().build())
        .listener(events::add).build();

    RunResult first = engine.run(Planner.plan(pipeline, RunContext.branch("main")));
    assertThat(first.status()).as("the first run; its output:%n%s", output()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(caches()).contains("service-maven restore miss", "service-maven save saved", "web-npm restore miss",
        "web-npm save saved");
    assertThat(output()).contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0", "web tests passed",
        "built dist/index.txt");
    events.clear();

    RunResult second = engine.run(Planner.plan(pipeline, RunContext.branch("main")));

    assertThat(second.status()).as("the second run; its output:%n%s", output()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(caches()).contains("service-maven restore hit", "web-npm restore hit");
    assertThat(output()).contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0", "web tests passed");
  }

  private List<String> caches() {
    return events.stream().filter(RunEvent.CacheEvent.class::isInstance).map(RunEvent.CacheEvent.class::cast)
        .map(e -> e.cache() + " " + (e.what().equals("saved") || e.what().equals("already_saved") ? "save " + e.what()
            : "restore " + e.what())).toList();
  }

  private String output() {
    return String.join("\n", events.stream().filter(RunEvent.OutputLine.class::isInstance)
        .map(e -> ((RunEvent.OutputLine) e).line()).toList());
  }

  private static boolean installed(String tool) throws Exception {
    Process process = new ProcessBuilder("sh", "-c", "command -v " + tool).redirectErrorStream(true).start();
    return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
  }

  private static void git(Path repo, String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("git"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
    String printed = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as("git %s: %s", String.join(" ", arguments), printed).isZero();
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
