/** Renderings of a plan: a text tree, JSON, Mermaid and Graphviz DOT. */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.core.explain;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
