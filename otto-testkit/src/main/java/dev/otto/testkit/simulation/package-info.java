/**
 * Simulated runs: {@link dev.otto.testkit.simulation.Simulation} runs a pipeline through the
 * real engine with scripted processes, test secrets and virtual time, on the test's thread.
 */
package dev.otto.testkit.simulation;
