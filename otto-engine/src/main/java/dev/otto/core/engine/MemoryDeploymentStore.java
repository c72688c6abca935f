package dev.otto.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A record of deployments in memory. */
final class MemoryDeploymentStore implements DeploymentStore {
  private final List<Deployment> entries = new ArrayList<>();

  @Override
  public synchronized void record(Deployment deployment) {
    Objects.requireNonNull(deployment, "deployment");
    boolean known = entries.stream().anyMatch(d -> d.run().equals(deployment.run())
        && d.stage().equals(deployment.stage()) && d.environment().equals(deployment.environment()));
    if (!known) {
      entries.add(deployment);
    }
  }

  @Override
  public synchronized java.util.SortedSet<String> environments() {
    java.util.SortedSet<String> names = new java.util.TreeSet<>();
    entries.forEach(d -> names.add(d.environment()));
    return java.util.Collections.unmodifiableSortedSet(names);
  }

  @Override
  public synchronized List<Deployment> deployments(String environment) {
    Objects.requireNonNull(environment, "environment");
    List<Deployment> found = new ArrayList<>(entries.stream().filter(d -> d.environment().equals(environment)).toList());
    java.util.Collections.reverse(found);
    return List.copyOf(found);
  }
}
