/** Caches kept between stages and runs: the store SPI and a directory-backed store. */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.core.cache;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
