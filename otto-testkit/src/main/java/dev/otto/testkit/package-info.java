/**
 * Testing pipelines: {@link dev.otto.testkit.OttoAssertions} with AssertJ-style assertions on
 * pipelines, plans, stages, run results and simulated runs, and {@link
 * dev.otto.testkit.SoftOttoAssertions} that report every failure at once.
 */
package dev.otto.testkit;
