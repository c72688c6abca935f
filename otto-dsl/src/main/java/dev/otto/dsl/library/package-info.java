/**
 * Step libraries that come with Otto: Slack notifications and the standard steps (archives
 * and artifacts), each expanded into {@link
 * dev.otto.core.library.Primitive}s, which planning turns into ops.
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.dsl.library;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
