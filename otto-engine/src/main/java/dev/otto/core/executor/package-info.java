/** Executors: what runs a planned process, and the local process executor. */
package dev.otto.core.executor;
