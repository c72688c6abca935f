/**
 * Otto's core: {@link dev.otto.core.OttoException}, the root of the exceptions a host may
 * see, and the packages of the definition side (model, validation, planning, explain) and of
 * the local engine.
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.core;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
