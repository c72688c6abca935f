/** The otto command: explain, validate, run and resume pipelines from a terminal, and run workers of a Temporal cluster. */
module dev.otto.cli {
  requires dev.otto.conventions;
  requires dev.otto.temporal;
  requires dev.otto.report;
  requires info.picocli;
  requires java.compiler;
  requires com.fasterxml.jackson.core;

  opens dev.otto.cli to info.picocli;
}
