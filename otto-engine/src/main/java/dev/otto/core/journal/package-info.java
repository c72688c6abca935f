/**
 * Where the engine records what a run did so that another engine can take it over: the {@link
 * dev.otto.core.journal.Journal} SPI and {@link dev.otto.core.journal.FileJournal}, one file
 * per run, leased by an operating-system lock.
 */
package dev.otto.core.journal;
