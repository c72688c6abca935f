/**
 * The suite every engine must pass: the same plans, driven the same way, end with the same
 * results on the local engine, in a simulation and on Temporal. An engine conforms by extending
 * {@link dev.otto.testkit.conformance.EngineConformance}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
package dev.otto.testkit.conformance;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
