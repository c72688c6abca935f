/**
 * Otto's engine: runs the plans {@code dev.otto.core} makes. The run machine and its local
 * driver, executors (local processes, sandboxes, containers), the journal, caches, secrets,
 * output masking, the HTTP endpoint for callbacks and decisions, and workspaces.
 *
 * <p>The types a host learns first: {@link dev.otto.core.engine.Engine} (what every engine
 * does), {@link dev.otto.core.engine.LocalEngine} (the local one), {@link
 * dev.otto.core.engine.RunHandle}, {@link dev.otto.core.engine.RunResult}, {@link
 * dev.otto.core.engine.RunEvent}, {@link dev.otto.core.engine.RunListener}, {@link
 * dev.otto.core.engine.PendingWait}, {@link dev.otto.core.engine.Decision}, {@link
 * dev.otto.core.secret.SecretProvider} and {@link dev.otto.core.executor.Executor}.
 *
 * <p>Stability ({@code @API}, as JUnit marks its own): {@code MAINTAINED} package by package;
 * {@link dev.otto.core.engine.RunMachine} and {@link dev.otto.core.engine.StepHost}, which those
 * who write an engine of their own use, are {@code EXPERIMENTAL}; helpers shared between Otto's
 * own engines are {@code INTERNAL}.
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
