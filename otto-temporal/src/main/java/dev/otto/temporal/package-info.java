/**
 * Running plans on Temporal: {@link dev.otto.temporal.TemporalEngine} starts runs as
 * workflows and {@link dev.otto.temporal.OttoWorker} runs their stages' ops as activities on
 * task queues chosen by runtime.
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.temporal;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
