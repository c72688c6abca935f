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
 * @param leftAlone folders of the runs folder that hold no journal that can be read (a run whose workspace was
 *     still being made when its engine stopped, or a damaged one), each with why; nothing of them was removed
 * @param failed the workspaces that could not be removed entirely, each with why; the rest was removed
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record RemovedWorkspaces(List<String> removed, long bytes, List<String> kept, List<String> unfinished,
    List<String> leftAlone, List<String> failed) {
  public RemovedWorkspaces {
    removed = List.copyOf(removed);
    kept = List.copyOf(kept);
    unfinished = List.copyOf(unfinished);
    leftAlone = List.copyOf(leftAlone);
    failed = List.copyOf(failed);
  }
}
