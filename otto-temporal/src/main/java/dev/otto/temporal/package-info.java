/**
 * Running plans on Temporal: {@link dev.otto.temporal.TemporalEngine} starts runs as
 * workflows and {@link dev.otto.temporal.OttoWorker} runs their stages' ops as activities on
 * task queues chosen by runtime.
 */
package dev.otto.temporal;
