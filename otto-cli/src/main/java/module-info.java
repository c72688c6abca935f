/**
 * The otto command: explain, validate, run and resume pipelines from a terminal. Plugins on its
 * class path add commands ({@link dev.otto.cli.spi.CommandPlugin}), as Temporal support adds
 * {@code otto worker}.
 */
module dev.otto.cli {
  requires dev.otto.conventions;
  requires dev.otto.engine;
  requires dev.otto.report;
  requires info.picocli;
  requires java.compiler;
  requires jdk.unsupported;
  requires com.fasterxml.jackson.core;
  requires org.apache.maven.resolver;
  requires org.apache.maven.resolver.supplier;

  exports dev.otto.cli;
  exports dev.otto.cli.spi;
  opens dev.otto.cli to info.picocli;

  uses dev.otto.cli.spi.CommandPlugin;
}
