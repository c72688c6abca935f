package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.cache.CacheKey;
import dev.otto.core.cache.DirectoryCacheStore;
import dev.otto.core.model.Cache;
import dev.otto.core.plan.Op;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheOpsTest {
  private static final List<String> PATHS = List.of(".npm/");
  private static final List<String> KEY_FILES = List.of(".nvmrc", "package-lock.json");
  private static final List<Cache.Fallback> ANY = List.of(Cache.Fallback.ANY_KEY_FILES);

  @TempDir
  Path temp;

  private DirectoryCacheStore store;
  private int runs;

  @BeforeEach
  void setUp() {
    store = new DirectoryCacheStore(temp.resolve("store"), new Ticking());
  }

  /** A clock a minute later at each reading, so that each save is newer than the one before. */
  private static final class Ticking extends Clock {
    private Instant now = Instant.parse("2026-11-30T09:00:00Z");

    @Override
    public synchronized Instant instant() {
      now = now.plusSeconds(60);
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("a test clock has one zone");
    }
  }

  /** A new run's workspace with these key files; the lock file's content names the packages. */
  private Path workspace(String node, String lock) throws Exception {
    Path workspace = Files.createDirectories(temp.resolve("run-" + ++runs));
    Files.writeString(workspace.resolve(".nvmrc"), node);
    Files.writeString(workspace.resolve("package-lock.json"), lock);
    return workspace;
  }

  /** Runs a stage that restores the cache, fetches the lock file's package, and saves the cache. */
  private List<CacheOps.Outcome> stage(Path workspace, List<Cache.Fallback> fallbacks) throws Exception {
    CacheOps.Outcome restored = CacheOps.restore(store, workspace, new Op.RestoreCache("npm", PATHS, KEY_FILES,
        fallbacks));
    Path packages = Files.createDirectories(workspace.resolve(".npm"));
    Files.writeString(packages.resolve(Files.readString(workspace.resolve("package-lock.json"))), "fetched");
    CacheOps.Outcome saved = CacheOps.save(store, workspace, new Op.SaveCache("npm", PATHS, KEY_FILES, fallbacks));
    return List.of(restored, saved);
  }

  private static List<String> packages(Path workspace) throws Exception {
    try (Stream<Path> files = Files.list(workspace.resolve(".npm"))) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void should_restore_the_exact_key_when_it_has_an_entry_even_if_a_newer_one_exists() throws Exception {
    // given
    stage(workspace("20", "left-pad"), ANY);
    stage(workspace("20", "right-pad"), ANY);

    // when
    Path workspace = workspace("20", "left-pad");
    List<CacheOps.Outcome> outcomes = stage(workspace, ANY);

    // then
    assertThat(outcomes).extracting(CacheOps.Outcome::what).containsExactly("hit", "already_saved");
    assertThat(packages(workspace)).containsExactly("left-pad");
  }

  @Test
  void should_start_from_the_newest_entry_of_the_cache_when_the_lock_file_changed() throws Exception {
    // given
    stage(workspace("20", "left-pad"), ANY);
    stage(workspace("20", "right-pad"), ANY);

    // when
    Path workspace = workspace("20", "up-pad");
    List<CacheOps.Outcome> outcomes = stage(workspace, ANY);

    // then
    assertThat(outcomes).extracting(CacheOps.Outcome::what).containsExactly("fallback_hit", "saved");
    assertThat(outcomes.get(0).detail()).contains("has no entry yet; falling back to the newest entry with the same "
        + "paths: restored cache npm@");
    assertThat(packages(workspace)).as("the right-pad run's entry, which holds what the left-pad one fetched")
        .containsExactly("left-pad", "right-pad", "up-pad");
  }

  @Test
  void should_save_the_exact_key_after_a_fallback_restore_so_that_the_next_run_hits_it() throws Exception {
    // given: a run that started from a fallback entry and saved
    stage(workspace("20", "left-pad"), ANY);
    stage(workspace("20", "right-pad"), ANY);

    // when
    Path workspace = workspace("20", "right-pad");
    CacheOps.Outcome restored = CacheOps.restore(store, workspace, new Op.RestoreCache("npm", PATHS, KEY_FILES, ANY));

    // then
    assertThat(restored.what()).isEqualTo("hit");
    assertThat(packages(workspace)).containsExactly("left-pad", "right-pad");
  }

  @Test
  void should_not_fall_back_when_the_cache_matches_its_exact_key_only() throws Exception {
    // given
    stage(workspace("20", "left-pad"), List.of());

    // when
    Path workspace = workspace("20", "right-pad");
    List<CacheOps.Outcome> outcomes = stage(workspace, List.of());

    // then
    assertThat(outcomes).extracting(CacheOps.Outcome::what).containsExactly("miss", "saved");
    assertThat(packages(workspace)).containsExactly("right-pad");
  }

  @Test
  void should_try_the_fallbacks_in_the_order_declared() throws Exception {
    // given: the newest entry was saved with another Node version
    List<Cache.Fallback> sameNodeFirst = List.of(new Cache.Fallback(List.of(".nvmrc")), Cache.Fallback.ANY_KEY_FILES);
    stage(workspace("20", "left-pad"), sameNodeFirst);
    stage(workspace("22", "right-pad"), sameNodeFirst);

    // when
    Path sameNode = workspace("20", "up-pad");
    CacheOps.Outcome fromSameNode = stage(sameNode, sameNodeFirst).get(0);
    Path newNode = workspace("24", "down-pad");
    CacheOps.Outcome fromAny = stage(newNode, sameNodeFirst).get(0);

    // then
    assertThat(fromSameNode.detail()).contains("the newest entry with the same paths and .nvmrc");
    assertThat(packages(sameNode)).containsExactly("left-pad", "up-pad");
    assertThat(fromAny.what()).isEqualTo("fallback_hit");
    assertThat(packages(newNode)).containsExactly("down-pad", "left-pad", "up-pad");
  }

  @Test
  void should_fall_back_when_the_entry_of_the_key_is_damaged() throws Exception {
    // given: the entry of the key truncated, and an older entry of another lock file
    stage(workspace("20", "left-pad"), ANY);
    Path workspace = workspace("20", "right-pad");
    stage(workspace, ANY);
    CacheKey key = CacheKey.of("npm", workspace, KEY_FILES);
    try (Stream<Path> archives = Files.list(temp.resolve("store/npm"))) {
      Files.write(archives.filter(file -> file.getFileName().toString().startsWith(key.hash() + "-")).findFirst()
          .orElseThrow(), new byte[] {1, 2, 3});
    }

    // when
    Path again = workspace("20", "right-pad");
    CacheOps.Outcome restored = CacheOps.restore(store, again, new Op.RestoreCache("npm", PATHS, KEY_FILES, ANY));

    // then
    assertThat(restored.what()).isEqualTo("fallback_hit");
    assertThat(restored.detail()).startsWith("cache " + key + " was damaged").contains("falling back to the newest");
    assertThat(packages(again)).containsExactly("left-pad");
  }

  @Test
  void should_miss_when_neither_the_key_nor_a_fallback_has_an_entry() throws Exception {
    // when
    CacheOps.Outcome outcome = CacheOps.restore(store, workspace("20", "left-pad"),
        new Op.RestoreCache("npm", PATHS, KEY_FILES, ANY));

    // then
    assertThat(outcome.what()).isEqualTo("miss");
    assertThat(outcome.detail()).endsWith("none of its fallback keys has an entry either");
  }

  @Test
  void should_report_a_cache_name_that_is_not_a_folder_name_without_failing() throws Exception {
    // given: a plan read from JSON, which validation never saw
    Path workspace = workspace("20", "left-pad");

    // when
    CacheOps.Outcome restored = CacheOps.restore(store, workspace, new Op.RestoreCache("../up", PATHS, KEY_FILES, ANY));
    CacheOps.Outcome saved = CacheOps.save(store, workspace, new Op.SaveCache("../up", PATHS, KEY_FILES, ANY));

    // then
    assertThat(List.of(restored, saved)).extracting(CacheOps.Outcome::what).containsExactly("failed", "failed");
    assertThat(saved.detail()).contains("is not a plain directory name");
    assertThat(temp.resolve("up")).doesNotExist();
  }

  @Test
  void should_say_so_when_no_store_is_configured() throws Exception {
    Path workspace = workspace("20", "left-pad");

    assertThat(CacheOps.restore(null, workspace, new Op.RestoreCache("npm", PATHS, KEY_FILES, ANY)))
        .isEqualTo(new CacheOps.Outcome("restore", "no cache store is configured"));
    assertThat(CacheKey.of("npm", workspace, KEY_FILES).cache()).isEqualTo("npm");
  }

  @Test
  void should_say_when_a_key_file_is_not_in_the_workspace() throws Exception {
    // given a key file whose name is misspelt
    Path workspace = workspace("22", "left-pad");
    Files.createDirectories(workspace.resolve(".npm"));
    List<String> keyFiles = List.of("package-lock.json", "Gemfile.lok");

    // when
    CacheOps.Outcome first = CacheOps.save(store, workspace, new Op.SaveCache("npm", PATHS, keyFiles, ANY));
    Files.writeString(workspace.resolve("package-lock.json"), "right-pad");
    CacheOps.Outcome fine = CacheOps.save(store, workspace, new Op.SaveCache("npm", PATHS,
        List.of("package-lock.json"), ANY));

    // then
    assertThat(first.what()).isEqualTo("saved");
    assertThat(first.detail()).endsWith("; its key file Gemfile.lok is not in the workspace, so its key does not "
        + "change until it appears: check the name, or leave it out of the key files");
    assertThat(fine.detail()).doesNotContain("not in the workspace");
  }

  /** This test's store, counting restores, and what its host knows of its workspaces' caches. */
  private final Counting counting = new Counting();
  private final WorkspaceCaches known = new WorkspaceCaches();

  /** The store, counting the restores that reach it. */
  private final class Counting implements dev.otto.core.cache.CacheStore {
    int restores;

    @Override
    public dev.otto.core.cache.CacheResult restore(CacheKey key, Path workspace) {
      restores++;
      return store.restore(key, workspace);
    }

    @Override
    public dev.otto.core.cache.CacheResult save(CacheKey key, Path workspace, List<String> paths) {
      return store.save(key, workspace, paths);
    }
  }

  /** A build stage's fetch into the cache, written a minute ago, as a step that ran before the save leaves it. */
  private static Path fetched(Path workspace, String name, String content) throws Exception {
    Path file = Files.createDirectories(workspace.resolve(".npm")).resolve(name);
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(60)));
    return file;
  }

  @Test
  void should_not_unpack_a_cache_into_the_workspace_a_stage_saved_it_from_while_its_paths_are_unchanged()
      throws Exception {
    // given a build stage that fetched a package and saved the cache
    Path workspace = workspace("20", "left-pad");
    fetched(workspace, "left-pad", "fetched");
    CacheOps.Outcome saved = CacheOps.save(counting, workspace, new Op.SaveCache("npm", PATHS, KEY_FILES, ANY), known);

    // when the test stage after it restores the cache, in the same workspace and in another run's
    CacheOps.Outcome restored = CacheOps.restore(counting, workspace, new Op.RestoreCache("npm", PATHS, KEY_FILES,
        ANY), known);
    Path other = workspace("20", "left-pad");
    CacheOps.Outcome elsewhere = CacheOps.restore(counting, other, new Op.RestoreCache("npm", PATHS, KEY_FILES, ANY),
        known);

    // then only the other workspace has it unpacked
    assertThat(saved.what()).isEqualTo("saved");
    assertThat(restored.what()).isEqualTo("hit");
    assertThat(restored.detail()).endsWith(" is in the workspace already, as a stage that saved or restored it there "
        + "left it: its 1 file is unchanged since, so nothing was unpacked");
    assertThat(elsewhere.what()).isEqualTo("hit");
    assertThat(elsewhere.detail()).startsWith("restored cache npm@");
    assertThat(counting.restores).isEqualTo(1);
    assertThat(packages(workspace)).containsExactly("left-pad");
    assertThat(packages(other)).containsExactly("left-pad");
  }

  @Test
  void should_not_unpack_a_cache_again_where_a_stage_only_added_to_it_since_it_was_restored() throws Exception {
    // given a build stage that restored the cache and whose tool added a log and a package beside it
    stage(workspace("20", "left-pad"), ANY);
    Op.RestoreCache restore = new Op.RestoreCache("npm", PATHS, KEY_FILES, ANY);
    Path workspace = workspace("20", "left-pad");
    CacheOps.Outcome build = CacheOps.restore(counting, workspace, restore, known);
    Files.writeString(Files.createDirectories(workspace.resolve(".npm/_logs")).resolve("debug.log"), "a log");
    Files.writeString(workspace.resolve(".npm/right-pad"), "fetched");

    // when the test stage restores it
    CacheOps.Outcome test = CacheOps.restore(counting, workspace, restore, known);

    // then nothing is unpacked, as a restore would replace each of the entry's files with itself and leave the rest
    assertThat(build.detail()).startsWith("restored cache npm@");
    assertThat(test.detail()).contains("nothing was unpacked");
    assertThat(counting.restores).isEqualTo(1);
    assertThat(packages(workspace)).containsExactly("_logs", "left-pad", "right-pad");
  }

  @Test
  void should_unpack_a_cache_again_once_a_file_of_it_changed_or_went_from_the_workspace() throws Exception {
    // given a cache restored into a workspace, then each kind of change to what it restored
    stage(workspace("20", "left-pad"), ANY);
    Op.RestoreCache restore = new Op.RestoreCache("npm", PATHS, KEY_FILES, ANY);
    List<String> detail = new java.util.ArrayList<>();
    List<Change> changes = List.of(
        workspace -> Files.writeString(workspace.resolve(".npm/left-pad"), "changed"),
        workspace -> Files.writeString(workspace.resolve(".npm/left-pad"), "fetched, and changed"),
        workspace -> Files.delete(workspace.resolve(".npm/left-pad")));
    for (Change change : changes) {
      Path workspace = workspace("20", "left-pad");
      assertThat(CacheOps.restore(counting, workspace, restore, known).detail()).startsWith("restored cache");
      assertThat(CacheOps.restore(counting, workspace, restore, known).detail()).contains("nothing was unpacked");

      // when
      change.apply(workspace);
      CacheOps.Outcome again = CacheOps.restore(counting, workspace, restore, known);

      // then the entry is unpacked again, over what changed
      detail.add(again.detail());
      assertThat(Files.readString(workspace.resolve(".npm/left-pad"))).isEqualTo("fetched");
    }
    assertThat(detail).allMatch(text -> text.startsWith("restored cache npm@"));
    assertThat(counting.restores).isEqualTo(6);
  }

  @Test
  void should_read_the_content_of_files_written_just_before_a_save_as_their_time_may_not_tell_a_change()
      throws Exception {
    // given a package fetched just now and saved, then rewritten with the same size and time, as a coarse clock shows
    Path workspace = workspace("20", "left-pad");
    Path file = Files.createDirectories(workspace.resolve(".npm")).resolve("left-pad");
    Files.writeString(file, "fetched");
    java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(file);
    CacheOps.save(counting, workspace, new Op.SaveCache("npm", PATHS, KEY_FILES, ANY), known);
    Files.writeString(file, "FETCHED");
    Files.setLastModifiedTime(file, written);

    // when
    CacheOps.Outcome restored = CacheOps.restore(counting, workspace, new Op.RestoreCache("npm", PATHS, KEY_FILES,
        ANY), known);

    // then the change was seen, and the entry unpacked over it
    assertThat(restored.detail()).startsWith("restored cache npm@");
    assertThat(Files.readString(file)).isEqualTo("fetched");
  }

  /** A change to a workspace's files. */
  private interface Change {
    void apply(Path workspace) throws java.io.IOException;
  }
}
