/** The otto command: explain, validate, run and resume pipelines from a terminal. */
module dev.otto.cli {
  requires dev.otto.conventions;
  requires info.picocli;
  requires java.compiler;
  requires com.fasterxml.jackson.core;

  opens dev.otto.cli to info.picocli;
}
