/** Secrets at run time: masking their values in everything that leaves an executor. */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.core.secret;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
