/**
 * Otto's core: the immutable pipeline model, step libraries, validation, planning, the plan's
 * JSON and explain renderers: everything a host needs to define, check, explain and test a
 * pipeline, and nothing that runs one (that is {@code dev.otto.engine}).
 *
 * <p>The types a host learns first: {@link dev.otto.core.model.Pipeline}, {@link
 * dev.otto.core.model.Stage}, {@link dev.otto.core.model.Condition}, {@link
 * dev.otto.core.model.Environment}, {@link dev.otto.core.validate.Validator}, {@link
 * dev.otto.core.validate.Problem}, {@link dev.otto.core.plan.RunContext}, {@link
 * dev.otto.core.plan.Planner}, {@link dev.otto.core.plan.Plan} and {@link
 * dev.otto.core.explain.Explain}.
 *
 * <p>Each package says how stable it is with {@code @API} (apiguardian, as JUnit does): {@code
 * MAINTAINED} unless a type says otherwise. The few helpers the planner or the engine share
 * across packages are public only for that, say so in their Javadoc and are marked {@code
 * INTERNAL}: they may change in any release.
 */
module dev.otto.core {
  requires static org.immutables.value.annotations;
  requires static transitive org.apiguardian.api;
  requires transitive com.google.common;
  requires com.fasterxml.jackson.core;
  requires org.slf4j;

  exports dev.otto.core;
  exports dev.otto.core.model;
  exports dev.otto.core.library;
  exports dev.otto.core.validate;
  exports dev.otto.core.plan;
  exports dev.otto.core.explain;
}
