/**
 * Otto's core: the immutable pipeline model, validation, planning and explain renderers.
 *
 * <p>Each package keeps its own helpers package-private; the few the planner or the engine share
 * across packages say so in their Javadoc and are not an API for hosts.
 */
module dev.otto.core {
  requires static org.immutables.value.annotations;
  requires transitive com.google.common;
  requires com.fasterxml.jackson.core;
  requires org.apache.commons.compress;
  requires org.slf4j;
  requires jdk.httpserver;

  exports dev.otto.core;
  exports dev.otto.core.model;
  exports dev.otto.core.library;
  exports dev.otto.core.validate;
  exports dev.otto.core.plan;
  exports dev.otto.core.explain;
  exports dev.otto.core.secret;
  exports dev.otto.core.output;
  exports dev.otto.core.cache;
  exports dev.otto.core.executor;
  exports dev.otto.core.engine;
  exports dev.otto.core.journal;
  exports dev.otto.core.http;
  exports dev.otto.core.workspace;
}
