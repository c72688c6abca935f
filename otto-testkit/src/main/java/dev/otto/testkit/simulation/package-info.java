/**
 * Simulated runs: {@link dev.otto.testkit.simulation.Simulation} runs a pipeline through the
 * real engine with scripted processes, test secrets and virtual time, on the test's thread.
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.testkit.simulation;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
