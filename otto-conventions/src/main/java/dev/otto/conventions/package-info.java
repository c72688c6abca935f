/**
 * Zero-configuration pipelines: {@link dev.otto.conventions.Conventions} detects a
 * repository's projects (Maven, Gradle, Node, Ruby and Rails, Rust, Go, Python, Make, and
 * monorepos of them) and builds an ordinary pipeline from them; {@link
 * dev.otto.conventions.Convention} is the SPI for more.
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.conventions;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
