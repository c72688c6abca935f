/**
 * The JUnit 5 extension, {@link dev.otto.testkit.junit.OttoExtension}: it hands tests a
 * {@link dev.otto.testkit.simulation.Simulator} and removes their runs' folders afterwards.
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.testkit.junit;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
