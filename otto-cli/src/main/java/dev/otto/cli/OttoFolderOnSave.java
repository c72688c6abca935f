package dev.otto.cli;

import dev.otto.core.cache.CacheKey;
import dev.otto.core.cache.CacheResult;
import dev.otto.core.cache.CacheStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A cache store in a folder of the project (its {@code .otto} folder, or one {@code --caches}
 * names there), which is made, ignoring itself, only when a cache is first saved: restoring from
 * a folder that is not there finds nothing, and a pipeline without caches, run with {@code --runs}
 * elsewhere, leaves the project as it was.
 */
final class OttoFolderOnSave implements CacheStore {
  private final CacheStore store;
  private final Path ottoFolder;
  private boolean made;

  OttoFolderOnSave(CacheStore store, Path ottoFolder) {
    this.store = store;
    this.ottoFolder = ottoFolder;
  }

  @Override
  public CacheResult restore(CacheKey key, Path workspace) {
    return store.restore(key, workspace);
  }

  @Override
  public CacheResult restoreNewest(CacheKey.Prefix prefix, Path workspace) {
    return store.restoreNewest(prefix, workspace);
  }

  @Override
  public CacheResult save(CacheKey key, Path workspace, List<String> paths) {
    make();
    return store.save(key, workspace, paths);
  }

  @Override
  public CacheResult save(CacheKey key, List<CacheKey.Prefix> prefixes, Path workspace, List<String> paths) {
    make();
    return store.save(key, prefixes, workspace, paths);
  }

  /** Makes the folder; a failure fails this save only, which the engine reports without failing the stage. */
  private synchronized void make() {
    if (made) {
      return;
    }
    try {
      GitIgnore.ignoreItself(ottoFolder);
    } catch (IOException e) {
      throw new UncheckedIOException("could not make " + ottoFolder + " for the caches: " + e.getMessage()
          + "; give another folder with --caches", e);
    }
    made = true;
  }
}
