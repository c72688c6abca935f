package dev.otto.cli.spi;

import java.util.List;

/**
 * Commands a jar on the {@code otto} command's class path adds to it, found with {@link
 * java.util.ServiceLoader}: what keeps support that few users need, with its libraries, out of
 * the default command. Otto's Temporal support is one ({@code otto worker}, in the artifact
 * {@code dev.otto:otto-cli-temporal}).
 *
 * <p>A plugin is a class with a public no-argument constructor, named in the jar's {@code
 * META-INF/services/dev.otto.cli.spi.CommandPlugin} (or {@code provides} in its module-info):
 *
 * <pre>{@code
 * public final class HelloPlugin implements CommandPlugin {
 *   public List<Object> commands() {
 *     return List.of(new HelloCommand()); // a picocli @Command, e.g. implementing Callable<Integer>
 *   }
 * }
 * }</pre>
 *
 * <p>Each command becomes a subcommand of {@code otto} under the name of its {@code @Command}
 * and is shown the command's exit codes in its help. A command reports a wrong command line by
 * throwing picocli's {@code ParameterException} (exit code 2).
 */
public interface CommandPlugin {
  /** New instances of the commands this plugin adds: objects annotated with picocli's {@code @Command}. */
  List<Object> commands();
}
