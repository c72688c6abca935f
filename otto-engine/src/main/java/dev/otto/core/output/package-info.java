/** The output of steps: streamed into lines with bounded memory. */
package dev.otto.core.output;
