/**
 * Step libraries that come with Otto: Slack notifications and the standard steps (archives
 * and artifacts), each expanded into primitive ops when planned.
 */
package dev.otto.dsl.library;
