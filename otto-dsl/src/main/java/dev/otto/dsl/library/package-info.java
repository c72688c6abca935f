/**
 * Step libraries that come with Otto: Slack notifications and the standard steps (archives
 * and artifacts), each expanded into {@link
 * dev.otto.core.library.Primitive}s, which planning turns into ops.
 */
package dev.otto.dsl.library;
