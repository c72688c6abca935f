/**
 * Self-contained HTML pages with pictures: {@link dev.otto.report.HtmlReport} draws a
 * plan's graph and a run's timeline, results and masked output; {@link
 * dev.otto.report.RunRecord} records what a run's page needs in bounded memory.
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.report;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
