/**
 * The step-library SPI: a {@link dev.otto.core.library.StepLibrary} declares actions with
 * typed parameters and expands each use into primitive ops when a pipeline is planned, so
 * explain shows what it does and no library code runs during execution.
 */
package dev.otto.core.library;
