/**
 * The typed fluent DSL Otto pipelines are written with: {@link dev.otto.dsl.Otto} is the entry
 * point, and {@code dev.otto.dsl.library} holds the standard step libraries.
 */
module dev.otto.dsl {
  requires transitive dev.otto.core;
  requires com.fasterxml.jackson.core;

  exports dev.otto.dsl;
  exports dev.otto.dsl.library;

  uses dev.otto.dsl.Blueprint;
}
