/**
 * Planning: {@link dev.otto.core.plan.Planner} turns a pipeline and a {@link
 * dev.otto.core.plan.RunContext} into a {@link dev.otto.core.plan.Plan}: every stage decided
 * (runs, skipped with the reason, or conditional), ordered, and lowered to primitive {@link
 * dev.otto.core.plan.Op}s, with a fingerprint of its canonical JSON.
 */
package dev.otto.core.plan;
