/**
 * The suite every engine must pass: the same plans, driven the same way, end with the same
 * results on the local engine, in a simulation and on Temporal. An engine conforms by extending
 * {@link dev.otto.testkit.conformance.EngineConformance}.
 */
package dev.otto.testkit.conformance;
