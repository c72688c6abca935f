/**
 * Otto's core: the immutable pipeline model, step libraries, validation, planning, the plan's
 * JSON and explain renderers: everything a host needs to define, check, explain and test a
 * pipeline, and nothing that runs one (that is {@code dev.otto.engine}).
 *
 * <p>Each package keeps its own helpers package-private; the few the planner or the engine share
 * across packages say so in their Javadoc and are not an API for hosts.
 */
module dev.otto.core {
  requires static org.immutables.value.annotations;
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
