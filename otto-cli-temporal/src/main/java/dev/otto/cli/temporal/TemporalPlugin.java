package dev.otto.cli.temporal;

import dev.otto.cli.spi.CommandPlugin;
import java.util.List;

/**
 * Temporal support for the {@code otto} command: {@code otto worker}. The command finds it on its
 * class path; without it, the command carries no Temporal SDK and starts faster.
 */
public final class TemporalPlugin implements CommandPlugin {
  @Override
  public List<Object> commands() {
    return List.of(new WorkerCommand());
  }
}
