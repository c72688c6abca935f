package dev.otto.testkit.junit;

import dev.otto.testkit.simulation.Simulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that hands test methods a {@link Simulator}, whose simulations keep their
 * workspaces in a directory of their own, removed after the test.
 *
 * <pre>{@code
 * @ExtendWith(OttoExtension.class)
 * class WebAppTest {
 *   @Test
 *   void production_needs_both_approvals(Simulator otto) {
 *     SimulatedRun run = otto.simulate(WebApp.pipeline()).run(RunContext.branch("master"));
 *     ...
 *   }
 * }
 * }</pre>
 */
public final class OttoExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OttoExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Simulator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Path root = context.getStore(NAMESPACE).getOrComputeIfAbsent("root", key -> {
      try {
        return Files.createTempDirectory("otto-test-");
      } catch (IOException e) {
        throw new UncheckedIOException("could not create a directory for the test's runs", e);
      }
    }, Path.class);
    return Simulator.in(root);
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    Path root = context.getStore(NAMESPACE).remove("root", Path.class);
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path path : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    }
  }
}
