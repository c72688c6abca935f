/** The otto command's Temporal plugin: {@code otto worker}, found by the command on its class path or module path. */
module dev.otto.cli.temporal {
  requires dev.otto.cli;
  requires dev.otto.temporal;
  requires info.picocli;

  opens dev.otto.cli.temporal to info.picocli;

  provides dev.otto.cli.spi.CommandPlugin with dev.otto.cli.temporal.TemporalPlugin;
}
