/** The local engine: runs a plan's stages on this machine, in parallel where the plan allows. */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.core.engine;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
