/**
 * Otto's core: {@link dev.otto.core.OttoException}, the root of the exceptions a host may
 * see, and the packages of the definition side (model, validation, planning, explain) and of
 * the local engine.
 */
package dev.otto.core;
