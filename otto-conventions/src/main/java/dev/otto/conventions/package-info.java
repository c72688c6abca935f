/**
 * Zero-configuration pipelines: {@link dev.otto.conventions.Conventions} detects a
 * repository's projects (Maven, Gradle, Node, Ruby and Rails, Rust, Go, Python, Make, and
 * monorepos of them) and builds an ordinary pipeline from them; {@link
 * dev.otto.conventions.Convention} is the SPI for more.
 */
package dev.otto.conventions;
