package dev.otto.core.engine;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * What {@link LocalEngine#removeWorkspaces(int)} did.
 *
 * @param removed the runs whose workspaces were removed, newest first
 * @param bytes the bytes their files took
 * @param kept the finished runs that keep their workspaces, newest first
 * @param unfinished the runs not finished (running, waiting, or left by an engine that died), which keep theirs
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record RemovedWorkspaces(List<String> removed, long bytes, List<String> kept, List<String> unfinished) {
  public RemovedWorkspaces {
    removed = List.copyOf(removed);
    kept = List.copyOf(kept);
    unfinished = List.copyOf(unfinished);
  }
}
