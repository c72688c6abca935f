/**
 * Testing pipelines: {@link dev.otto.testkit.OttoAssertions} with AssertJ-style assertions on
 * pipelines, plans, stages, run results and simulated runs, and {@link
 * dev.otto.testkit.SoftOttoAssertions} that report every failure at once.
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.testkit;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
