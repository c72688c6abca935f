/**
 * The typed fluent DSL: {@link dev.otto.dsl.Otto#pipeline} with {@link
 * dev.otto.dsl.PipelineSpec} and {@link dev.otto.dsl.StageSpec}, whose handles ({@link
 * dev.otto.dsl.StageRef}, caches, environments, secrets, parameters) make a wrong reference a
 * compile error; blueprints contribute stages with typed variables.
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.dsl;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
