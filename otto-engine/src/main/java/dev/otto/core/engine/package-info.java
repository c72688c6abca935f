/** The local engine: runs a plan's stages on this machine, in parallel where the plan allows. */
package dev.otto.core.engine;
