/**
 * What a jar on the {@code otto} command's class path implements to add commands to it: {@link
 * dev.otto.cli.spi.CommandPlugin}.
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.cli.spi;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
