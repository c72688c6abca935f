/** Caches kept between stages and runs: the store SPI and a directory-backed store. */
package dev.otto.core.cache;
