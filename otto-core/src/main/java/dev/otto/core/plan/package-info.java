/**
 * Planning: {@link dev.otto.core.plan.Planner} turns a pipeline and a {@link
 * dev.otto.core.plan.RunContext} into a {@link dev.otto.core.plan.Plan}: every stage decided
 * (runs, skipped with the reason, or conditional), ordered, and lowered to primitive {@link
 * dev.otto.core.plan.Op}s, with a fingerprint of its canonical JSON.
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.core.plan;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
