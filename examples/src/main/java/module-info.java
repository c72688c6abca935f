/** The original Otto examples, written with the Java DSL. */
module dev.otto.examples {
  requires transitive dev.otto.dsl;

  exports dev.otto.examples;
}
