/** The output of steps: streamed into lines with bounded memory. */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.core.output;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
