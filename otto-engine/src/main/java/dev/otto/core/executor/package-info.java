/** Executors: what runs a planned process, and the local process executor. */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.core.executor;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
