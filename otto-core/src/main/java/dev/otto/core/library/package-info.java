/**
 * The step-library SPI: a {@link dev.otto.core.library.StepLibrary} declares actions with
 * typed parameters and expands each use into {@link dev.otto.core.library.Primitive}s when a
 * pipeline is planned; planning turns them into ops, so explain shows what a library does and no
 * library code runs during execution. The package knows neither the model nor the plan: the
 * model's {@code LibraryUse} holds a library, and planning reads what it expands to.
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.core.library;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
