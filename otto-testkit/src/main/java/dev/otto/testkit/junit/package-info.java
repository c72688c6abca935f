/**
 * The JUnit 5 extension, {@link dev.otto.testkit.junit.OttoExtension}: it hands tests a
 * {@link dev.otto.testkit.simulation.Simulator} and removes their runs' folders afterwards.
 */
package dev.otto.testkit.junit;
