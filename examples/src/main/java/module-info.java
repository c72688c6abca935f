/** The original Otto examples, written with the Java DSL. */
module dev.otto.examples {
  requires transitive dev.otto.dsl;

  exports dev.otto.examples;

  provides dev.otto.dsl.Blueprint with dev.otto.examples.RubyGem;
}
