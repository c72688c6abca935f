/** Secrets at run time: masking their values in everything that leaves an executor. */
package dev.otto.core.secret;
