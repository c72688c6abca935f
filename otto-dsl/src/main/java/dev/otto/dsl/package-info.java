/**
 * The typed fluent DSL: {@link dev.otto.dsl.Otto#pipeline} with {@link
 * dev.otto.dsl.PipelineSpec} and {@link dev.otto.dsl.StageSpec}, whose handles ({@link
 * dev.otto.dsl.StageRef}, caches, environments, secrets, parameters) make a wrong reference a
 * compile error; blueprints contribute stages with typed variables.
 */
package dev.otto.dsl;
