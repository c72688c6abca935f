/** The original Otto examples, written with the Java DSL. */
module dev.otto.examples {
  requires dev.otto.dsl;

  exports dev.otto.examples;
}
