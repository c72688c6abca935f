/**
 * Where the engine records what a run did so that another engine can take it over: the {@link
 * dev.otto.core.journal.Journal} SPI and {@link dev.otto.core.journal.FileJournal}, one file
 * per run, leased by an operating-system lock.
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.core.journal;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
