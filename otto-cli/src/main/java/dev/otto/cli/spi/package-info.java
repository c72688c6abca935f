/**
 * What a jar on the {@code otto} command's class path implements to add commands to it: {@link
 * dev.otto.cli.spi.CommandPlugin}.
 */
package dev.otto.cli.spi;
