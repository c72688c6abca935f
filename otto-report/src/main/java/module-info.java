/**
 * Self-contained HTML pages with pictures of Otto plans and runs: {@link
 * dev.otto.report.HtmlReport} is the entry point, {@link dev.otto.report.RunRecord} the listener
 * that records what a run's page needs. Graphs are laid out by Eclipse ELK's layered algorithm.
 */
module dev.otto.report {
  requires transitive dev.otto.engine;
  requires org.eclipse.elk.core;
  requires org.eclipse.elk.graph;
  requires org.eclipse.elk.alg.layered;

  exports dev.otto.report;
}
