/**
 * Self-contained HTML pages with pictures: {@link dev.otto.report.HtmlReport} draws a
 * plan's graph and a run's timeline, results and masked output; {@link
 * dev.otto.report.RunRecord} records what a run's page needs in bounded memory.
 */
package dev.otto.report;
