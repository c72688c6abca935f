/**
 * The {@code otto} command's Temporal plugin: {@code otto worker}, which runs a worker of a
 * Temporal cluster ({@link dev.otto.cli.temporal.TemporalPlugin}).
 */
package dev.otto.cli.temporal;
