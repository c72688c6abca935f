/** Renderings of a plan: a text tree, JSON, Mermaid and Graphviz DOT. */
package dev.otto.core.explain;
