/**
 * Self-contained HTML pages with pictures: {@link dev.otto.core.report.HtmlReport} draws a
 * plan's graph and a run's timeline, results and masked output; {@link
 * dev.otto.core.report.RunRecord} records what a run's page needs in bounded memory.
 */
package dev.otto.core.report;
