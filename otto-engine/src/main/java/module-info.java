/**
 * Otto's engine: runs the plans {@code dev.otto.core} makes. The run machine and its local
 * driver, executors (local processes, sandboxes, containers), the journal, caches, secrets,
 * output masking, the HTTP endpoint for callbacks and decisions, and workspaces.
 */
module dev.otto.engine {
  requires transitive dev.otto.core;
  requires com.fasterxml.jackson.core;
  requires org.apache.commons.compress;
  requires org.slf4j;
  requires jdk.httpserver;

  exports dev.otto.core.secret;
  exports dev.otto.core.output;
  exports dev.otto.core.cache;
  exports dev.otto.core.executor;
  exports dev.otto.core.engine;
  exports dev.otto.core.journal;
  exports dev.otto.core.http;
  exports dev.otto.core.workspace;
}
