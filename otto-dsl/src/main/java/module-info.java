/**
 * The typed fluent DSL Otto pipelines are written with: {@link dev.otto.dsl.Otto} is the entry
 * point, and {@code dev.otto.dsl.library} holds the standard step libraries.
 *
 * <p>The types a pipeline's author learns first: {@link dev.otto.dsl.Otto}, {@link
 * dev.otto.dsl.PipelineSpec}, {@link dev.otto.dsl.StageSpec}, {@link dev.otto.dsl.EnvironmentSpec},
 * {@link dev.otto.dsl.CacheSpec}, {@link dev.otto.dsl.Secret}, {@link dev.otto.dsl.Param}, {@link
 * dev.otto.dsl.Blueprint}, {@link dev.otto.dsl.library.Stdlib} and {@link
 * dev.otto.dsl.library.Slack}. Stability: {@code MAINTAINED} ({@code @API}, package by package).
 */
module dev.otto.dsl {
  requires transitive dev.otto.core;
  requires com.fasterxml.jackson.core;

  exports dev.otto.dsl;
  exports dev.otto.dsl.library;

  uses dev.otto.dsl.Blueprint;
}
