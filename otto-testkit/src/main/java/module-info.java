/** Test support for Otto pipelines: golden-file snapshots of explain output. */
module dev.otto.testkit {
  requires transitive dev.otto.dsl;
  requires org.junit.jupiter.api;
  requires org.opentest4j;

  exports dev.otto.testkit;
}
