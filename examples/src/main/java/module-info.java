/** The original Otto examples, written with the Java DSL. */
module dev.otto.examples {
  requires transitive dev.otto.dsl;
  requires dev.otto.engine;

  exports dev.otto.examples;

  provides dev.otto.dsl.Blueprint with dev.otto.examples.RubyGem;
}
