package dev.otto.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectoryCacheStoreTest {
  @TempDir
  Path temp;

  private Path store;
  private Path workspace;
  private DirectoryCacheStore cache;
  private CacheKey key;

  @BeforeEach
  void setUp() throws Exception {
    store = Files.createDirectories(temp.resolve("store"));
    workspace = Files.createDirectories(temp.resolve("ws"));
    cache = new DirectoryCacheStore(store);
    Files.writeString(workspace.resolve("Gemfile.lock"), "rake (13.0)\n");
    key = CacheKey.of("gems", workspace, List.of("Gemfile.lock"));
  }

  private void files() throws Exception {
    Path gems = Files.createDirectories(workspace.resolve("vendor/bundle/gems"));
    Files.writeString(gems.resolve("rake.rb"), "puts 'rake'\n");
    Path bin = Files.createDirectories(workspace.resolve("vendor/bin"));
    Files.writeString(bin.resolve("rake"), "#!/bin/sh\n");
    bin.resolve("rake").toFile().setExecutable(true);
    Files.createSymbolicLink(workspace.resolve("vendor/current"), Path.of("bundle"));
  }

  @Test
  void should_keep_the_entry_another_run_saved_while_this_one_archived_and_leave_no_second_archive()
      throws Exception {
    // given a cache whose archiving takes a while, and another run that saves the same key meanwhile
    byte[] noise = new byte[24 << 20];
    new java.util.Random(7).nextBytes(noise);
    Files.write(Files.createDirectories(workspace.resolve("vendor")).resolve("big.bin"), noise);
    Path gems = store.resolve("gems");
    java.util.concurrent.CompletableFuture<Void> other = java.util.concurrent.CompletableFuture.runAsync(() -> {
      try {
        while (true) {
          if (Files.isDirectory(gems)) {
            try (Stream<Path> files = Files.list(gems)) {
              if (files.anyMatch(file -> file.getFileName().toString().startsWith(".saving-"))) {
                Files.writeString(gems.resolve(key.hash() + ".entry"), "saved by another run\n");
                return;
              }
            }
          }
          Thread.sleep(1);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    // when this run's save ends
    CacheResult saved = cache.save(key, workspace, List.of("vendor/"));
    other.join();

    // then the other run's entry stands, and nothing of this save stays
    assertThat(saved.status()).isEqualTo(CacheResult.Status.ALREADY_SAVED);
    assertThat(saved.detail()).contains("was saved by another run meanwhile");
    assertThat(gems.resolve(key.hash() + ".entry")).hasContent("saved by another run");
    try (Stream<Path> files = Files.list(gems)) {
      assertThat(files.map(file -> file.getFileName().toString())).containsExactly(key.hash() + ".entry");
    }
  }

  @Test
  void should_restore_what_was_saved_into_a_new_workspace() throws Exception {
    files();
    CacheResult saved = cache.save(key, workspace, List.of("vendor/", "missing/"));
    assertThat(saved.status()).isEqualTo(CacheResult.Status.SAVED);
    assertThat(saved.detail()).contains(": 2 files; 1 path not in the workspace: missing/");

    Path fresh = Files.createDirectories(temp.resolve("fresh"));
    CacheResult restored = cache.restore(key, fresh);

    assertThat(restored.status()).isEqualTo(CacheResult.Status.HIT);
    assertThat(fresh.resolve("vendor/bundle/gems/rake.rb")).hasContent("puts 'rake'");
    assertThat(Files.isExecutable(fresh.resolve("vendor/bin/rake"))).isTrue();
    assertThat(Files.readSymbolicLink(fresh.resolve("vendor/current"))).isEqualTo(Path.of("bundle"));
    try (Stream<Path> top = Files.list(fresh)) {
      assertThat(top).containsExactly(fresh.resolve("vendor"));
    }
  }

  @Test
  void should_miss_without_an_entry_and_keep_a_saved_entry_unchanged() throws Exception {
    assertThat(cache.restore(key, workspace).status()).isEqualTo(CacheResult.Status.MISS);
    files();
    cache.save(key, workspace, List.of("vendor/"));
    Files.writeString(workspace.resolve("vendor/bundle/gems/rake.rb"), "changed\n");

    assertThat(cache.save(key, workspace, List.of("vendor/")).status()).isEqualTo(CacheResult.Status.ALREADY_SAVED);
    Path fresh = Files.createDirectories(temp.resolve("fresh"));
    cache.restore(key, fresh);
    assertThat(fresh.resolve("vendor/bundle/gems/rake.rb")).hasContent("puts 'rake'");
  }

  @Test
  void should_treat_a_truncated_entry_as_a_miss_and_remove_it() throws Exception {
    files();
    cache.save(key, workspace, List.of("vendor/"));
    Path archive;
    try (Stream<Path> listing = Files.list(store.resolve("gems"))) {
      archive = listing.filter(p -> p.toString().endsWith(".tar.gz")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(archive);
    Files.write(archive, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    CacheResult result = cache.restore(key, Files.createDirectories(temp.resolve("fresh")));

    assertThat(result.status()).isEqualTo(CacheResult.Status.CORRUPT);
    assertThat(result.detail()).contains("does not match its checksum");
    assertThat(cache.restore(key, workspace).status()).isEqualTo(CacheResult.Status.MISS);
  }

  /** Writes the entries {@code write} makes as the key's entry, as another machine might have. */
  private void entry(TarWriter write) throws Exception {
    Path dir = Files.createDirectories(store.resolve("gems"));
    Path archive = dir.resolve("crafted.tar.gz");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)))) {
      write.to(tar);
    }
    String sha = com.google.common.hash.Hashing.sha256().hashBytes(Files.readAllBytes(archive)).toString();
    Files.move(archive, dir.resolve(key.hash() + "-" + sha + ".tar.gz"));
    Files.writeString(dir.resolve(key.hash() + ".entry"), sha + "\n");
  }

  private interface TarWriter {
    void to(TarArchiveOutputStream tar) throws Exception;
  }

  private static void file(TarArchiveOutputStream tar, String name, String text) throws Exception {
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static void link(TarArchiveOutputStream tar, String name, String target) throws Exception {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    entry.setLinkName(target);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
  }

  /** Every path under {@code dir} named {@code name}, links included and never followed. */
  private static List<Path> named(Path dir, String name) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.getFileName().toString().equals(name)).toList();
    }
  }

  @Test
  void should_refuse_an_archive_that_writes_outside_the_workspace() throws Exception {
    entry(tar -> file(tar, "../escaped.txt", "owned"));

    CacheResult result = cache.restore(key, workspace);

    assertThat(result.status()).isEqualTo(CacheResult.Status.CORRUPT);
    assertThat(result.detail()).contains("outside the workspace");
    assertThat(temp.resolve("escaped.txt")).doesNotExist();
  }

  @ParameterizedTest(name = "links made {0}")
  @ValueSource(strings = {"first to last", "last to first"})
  void should_refuse_a_chain_of_links_that_climbs_out_of_the_workspace_whatever_the_entry_order(String order)
      throws Exception {
    // given: each link alone stays inside as text; followed one after the other they climb out
    Path deep = Files.createDirectories(temp.resolve("a/b/c/d/e/f/ws"));
    List<Integer> links = order.startsWith("first") ? List.of(1, 2, 3, 4, 5) : List.of(5, 4, 3, 2, 1);
    entry(tar -> {
      for (int n : links) {
        link(tar, "l" + n, n == 1 ? "." : "l" + (n - 1) + "/..");
      }
      file(tar, "l5/x", "owned");
    });

    // when
    CacheResult result = cache.restore(key, deep);

    // then
    assertThat(result.status()).isEqualTo(CacheResult.Status.CORRUPT);
    assertThat(result.detail()).contains("leads out of the workspace");
    assertThat(named(temp, "x")).isEmpty();
    assertThat(named(temp, "l1")).isEmpty();
  }

  @Test
  void should_refuse_a_link_that_leads_out_once_the_links_after_it_exist() throws Exception {
    // given: 'up' stays inside while 'l' is missing, and leads out once 'l' links to '.'
    entry(tar -> {
      link(tar, "up", "l/x/../..");
      link(tar, "l", ".");
    });

    // when
    CacheResult result = cache.restore(key, workspace);

    // then
    assertThat(result.status()).isEqualTo(CacheResult.Status.CORRUPT);
    assertThat(result.detail()).contains("'up'").contains("leads out of the workspace");
    assertThat(named(workspace, "up")).isEmpty();
  }

  @Test
  void should_leave_the_workspace_as_it_was_when_an_archive_is_refused() throws Exception {
    // given: good files first, a bad entry last
    entry(tar -> {
      file(tar, "vendor/good.rb", "fine");
      link(tar, "vendor/host", "/etc");
      file(tar, "vendor/later.rb", "fine");
    });

    // when
    CacheResult result = cache.restore(key, workspace);

    // then
    assertThat(result.status()).isEqualTo(CacheResult.Status.CORRUPT);
    try (Stream<Path> left = Files.list(workspace)) {
      assertThat(left).containsExactly(workspace.resolve("Gemfile.lock"));
    }
  }

  @Test
  void should_not_restore_through_a_workspace_link_that_leads_out_of_the_workspace() throws Exception {
    // given: a saved entry, and a workspace whose 'vendor' links to a folder outside it
    files();
    cache.save(key, workspace, List.of("vendor/"));
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Path fresh = Files.createDirectories(temp.resolve("fresh"));
    Files.createSymbolicLink(fresh.resolve("vendor"), outside);

    // when
    CacheResult result = cache.restore(key, fresh);

    // then
    assertThat(result.status()).isEqualTo(CacheResult.Status.FAILED);
    assertThat(result.detail()).contains("'vendor'").contains("leads out of the workspace");
    try (Stream<Path> written = Files.list(outside)) {
      assertThat(written).isEmpty();
    }
    assertThat(cache.restore(key, Files.createDirectories(temp.resolve("other"))).status())
        .isEqualTo(CacheResult.Status.HIT);
  }

  @Test
  void should_not_save_files_through_a_linked_directory_that_leads_out_of_the_workspace() throws Exception {
    // given: 'vendor' links to a host folder
    Path host = Files.createDirectories(temp.resolve("host/bundle"));
    Files.writeString(host.resolve("secret.txt"), "host only");
    Files.createSymbolicLink(workspace.resolve("vendor"), host.getParent());

    // when
    CacheResult result = cache.save(key, workspace, List.of("vendor/bundle"));

    // then
    assertThat(result.status()).isEqualTo(CacheResult.Status.FAILED);
    assertThat(result.detail()).contains("'vendor/bundle'").contains("leads out of the workspace");
    assertThat(cache.restore(key, Files.createDirectories(temp.resolve("fresh"))).status())
        .isEqualTo(CacheResult.Status.MISS);
  }

  @Test
  void should_keep_links_as_links_and_leave_out_those_that_lead_out_of_the_workspace() throws Exception {
    // given: 'l2' leads back to the workspace through 'l1'; 'l3' and 'h' climb out through them
    Files.createDirectories(temp.resolve("host"));
    Files.writeString(temp.resolve("host/secret.txt"), "host only");
    Path links = Files.createDirectories(workspace.resolve("links"));
    Files.createSymbolicLink(links.resolve("l1"), Path.of("."));
    Files.createSymbolicLink(links.resolve("l2"), Path.of("l1/.."));
    Files.createSymbolicLink(links.resolve("l3"), Path.of("l2/.."));
    Files.createSymbolicLink(links.resolve("h"), Path.of("l3/host/secret.txt"));
    Files.createSymbolicLink(links.resolve("lock"), Path.of("../Gemfile.lock"));
    Files.createSymbolicLink(links.resolve("abs"), temp.resolve("host/secret.txt"));

    // when
    CacheResult saved = cache.save(key, workspace, List.of("links"));
    Path fresh = Files.createDirectories(temp.resolve("fresh"));
    CacheResult restored = cache.restore(key, fresh);

    // then
    assertThat(saved.status()).isEqualTo(CacheResult.Status.SAVED);
    assertThat(restored.status()).isEqualTo(CacheResult.Status.HIT);
    try (Stream<Path> kept = Files.list(fresh.resolve("links"))) {
      assertThat(kept.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("l1", "l2", "lock");
    }
    assertThat(Files.readSymbolicLink(fresh.resolve("links/lock"))).isEqualTo(Path.of("../Gemfile.lock"));
  }

  @Test
  void should_count_a_key_file_that_leads_out_of_the_workspace_as_missing() throws Exception {
    // given
    Files.writeString(temp.resolve("host.lock"), "host only");
    Files.createSymbolicLink(workspace.resolve("linked.lock"), Path.of("../host.lock"));

    // when
    CacheKey linked = CacheKey.of("gems", workspace, List.of("linked.lock"));

    // then
    Path empty = Files.createDirectories(temp.resolve("empty"));
    assertThat(linked).isEqualTo(CacheKey.of("gems", empty, List.of("linked.lock")));
  }

  @Test
  void should_report_a_failed_save_without_throwing() throws Exception {
    files();
    Path blocked = temp.resolve("blocked");
    Files.writeString(blocked, "a file where the store's directory should be");
    CacheResult result = new DirectoryCacheStore(blocked).save(key, workspace, List.of("vendor/"));
    assertThat(result.status()).isEqualTo(CacheResult.Status.FAILED);
    assertThat(result.detail()).contains("the run goes on without it");
    assertThat(cache.save(key, workspace, List.of("../outside")).status()).isEqualTo(CacheResult.Status.FAILED);
  }

  @Test
  void should_key_by_the_content_of_the_key_files() throws Exception {
    CacheKey same = CacheKey.of("gems", workspace, List.of("Gemfile.lock"));
    Files.writeString(workspace.resolve("Gemfile.lock"), "rake (13.1)\n");
    CacheKey changed = CacheKey.of("gems", workspace, List.of("Gemfile.lock"));
    Files.writeString(workspace.resolve("Gemfile.lock"), "");
    CacheKey empty = CacheKey.of("gems", workspace, List.of("Gemfile.lock"));
    CacheKey missing = CacheKey.of("gems", workspace, List.of("nope.lock"));

    assertThat(same).isEqualTo(key);
    assertThat(List.of(changed, empty, missing, CacheKey.of("other", workspace, List.of("Gemfile.lock"))))
        .doesNotContain(key).doesNotHaveDuplicates();
    assertThat(key.toString()).startsWith("gems@").hasSize(17);
  }

  @Nested
  class Fallbacks {
    private static final Instant MONDAY = Instant.parse("2026-11-30T09:00:00Z");

    /** The fallback key of the gems cache that keeps no key file. */
    private CacheKey.Prefix anyLock() {
      return CacheKey.prefix("gems", List.of("vendor/"), workspace, List.of("Gemfile.lock"), List.of());
    }

    /** Saves vendor/ holding {@code content} under the key of Gemfile.lock holding {@code lock}, at {@code at}. */
    private CacheKey saveAt(Instant at, String lock, String content) throws Exception {
      Files.writeString(workspace.resolve("Gemfile.lock"), lock);
      Files.createDirectories(workspace.resolve("vendor"));
      Files.writeString(workspace.resolve("vendor/gem.rb"), content);
      CacheKey saved = CacheKey.of("gems", workspace, List.of("Gemfile.lock"));
      CacheResult result = new DirectoryCacheStore(store, Clock.fixed(at, ZoneOffset.UTC))
          .save(saved, List.of(anyLock()), workspace, List.of("vendor/"));
      assertThat(result.status()).as(result.detail()).isEqualTo(CacheResult.Status.SAVED);
      return saved;
    }

    private Path fresh() throws Exception {
      return Files.createDirectories(temp.resolve("fresh"));
    }

    @Test
    void should_restore_the_newest_entry_filed_under_a_prefix_whatever_the_order_of_saves() throws Exception {
      // given: the newer entry saved first, as another engine sharing the store might
      CacheKey newer = saveAt(MONDAY.plusSeconds(60), "rake (13.1)", "newer");
      saveAt(MONDAY, "rake (13.0)", "older");

      // when
      CacheResult result = cache.restoreNewest(anyLock(), fresh());

      // then
      assertThat(result.status()).isEqualTo(CacheResult.Status.FALLBACK_HIT);
      assertThat(result.restored()).isTrue();
      assertThat(result.detail()).contains("restored cache " + newer).contains("the newest entry under " + anyLock());
      assertThat(fresh().resolve("vendor/gem.rb")).hasContent("newer");
    }

    @Test
    void should_break_a_tie_of_equal_times_by_the_greatest_hash_in_every_store_alike() throws Exception {
      // given: two entries filed in the same instant
      CacheKey first = saveAt(MONDAY, "rake (13.0)", "first");
      CacheKey second = saveAt(MONDAY, "rake (13.1)", "second");
      CacheKey greatest = first.hash().compareTo(second.hash()) > 0 ? first : second;

      // when
      CacheResult result = new DirectoryCacheStore(store).restoreNewest(anyLock(), fresh());

      // then
      assertThat(result.detail()).contains("restored cache " + greatest);
      assertThat(fresh().resolve("vendor/gem.rb")).hasContent(greatest == first ? "first" : "second");
    }

    @Test
    void should_miss_a_prefix_under_which_nothing_was_filed() throws Exception {
      // given: an entry saved without fallback keys
      files();
      cache.save(key, workspace, List.of("vendor/"));

      // when
      CacheResult result = cache.restoreNewest(anyLock(), fresh());

      // then
      assertThat(result.status()).isEqualTo(CacheResult.Status.MISS);
      assertThat(result.detail()).contains("has no entry yet");
      try (Stream<Path> restored = Files.list(fresh())) {
        assertThat(restored).isEmpty();
      }
    }

    @Test
    void should_file_an_entry_saved_earlier_when_it_is_saved_again_under_a_prefix() throws Exception {
      // given: an entry saved before its cache had a fallback key
      files();
      cache.save(key, workspace, List.of("vendor/"));

      // when
      CacheResult again = cache.save(key, List.of(anyLock()), workspace, List.of("vendor/"));

      // then
      assertThat(again.status()).isEqualTo(CacheResult.Status.ALREADY_SAVED);
      assertThat(cache.restoreNewest(anyLock(), fresh()).status()).isEqualTo(CacheResult.Status.FALLBACK_HIT);
      assertThat(fresh().resolve("vendor/bundle/gems/rake.rb")).hasContent("puts 'rake'");
    }

    @Test
    void should_pass_over_a_damaged_newest_entry_to_the_one_before_it() throws Exception {
      // given: the newest entry's archive truncated
      saveAt(MONDAY, "rake (13.0)", "older");
      CacheKey newer = saveAt(MONDAY.plusSeconds(60), "rake (13.1)", "newer");
      Path archive;
      try (Stream<Path> listing = Files.list(store.resolve("gems"))) {
        archive = listing.filter(p -> p.getFileName().toString().startsWith(newer.hash() + "-")).findFirst()
            .orElseThrow();
      }
      Files.write(archive, new byte[] {1, 2, 3});

      // when
      CacheResult result = cache.restoreNewest(anyLock(), fresh());

      // then
      assertThat(result.status()).isEqualTo(CacheResult.Status.FALLBACK_HIT);
      assertThat(fresh().resolve("vendor/gem.rb")).hasContent("older");
      assertThat(store.resolve("gems").resolve(anyLock().hash() + ".fallback").resolve(newer.hash())).doesNotExist();
    }

    @Test
    void should_refuse_a_fallback_entry_that_writes_outside_the_workspace() throws Exception {
      // given: a crafted entry filed under the prefix
      entry(tar -> file(tar, "../escaped.txt", "owned"));
      Path filed = Files.createDirectories(store.resolve("gems").resolve(anyLock().hash() + ".fallback"));
      Files.createFile(filed.resolve(key.hash()));

      // when
      CacheResult result = cache.restoreNewest(anyLock(), workspace);

      // then
      assertThat(result.status()).isEqualTo(CacheResult.Status.MISS);
      assertThat(temp.resolve("escaped.txt")).doesNotExist();
      assertThat(store.resolve("gems").resolve(key.hash() + ".entry")).doesNotExist();
    }

    @Test
    void should_refuse_to_file_an_entry_under_a_prefix_of_another_cache() {
      CacheKey.Prefix other = CacheKey.prefix("npm", List.of(".npm/"), workspace, List.of(), List.of());

      assertThatThrownBy(() -> cache.save(key, List.of(other), workspace, List.of("vendor/")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a fallback key of another cache");
    }

    @Test
    void should_miss_every_fallback_with_a_store_that_knows_only_exact_keys() throws Exception {
      // given: a store written before fallback keys, implementing only the two original methods
      CacheStore exactOnly = new CacheStore() {
        @Override
        public CacheResult restore(CacheKey key, Path workspace) {
          return cache.restore(key, workspace);
        }

        @Override
        public CacheResult save(CacheKey key, Path workspace, List<String> paths) {
          return cache.save(key, workspace, paths);
        }
      };
      files();

      // when
      CacheResult saved = exactOnly.save(key, List.of(anyLock()), workspace, List.of("vendor/"));
      CacheResult fallback = exactOnly.restoreNewest(anyLock(), fresh());

      // then
      assertThat(saved.status()).isEqualTo(CacheResult.Status.SAVED);
      assertThat(fallback.status()).isEqualTo(CacheResult.Status.MISS);
      assertThat(fallback.detail()).contains("does not look up fallback keys");
    }

    @Test
    void should_share_a_prefix_between_keys_that_differ_only_in_key_files_it_drops() throws Exception {
      // given
      Files.writeString(workspace.resolve(".ruby-version"), "3.3\n");
      List<String> keyFiles = List.of(".ruby-version", "Gemfile.lock");
      CacheKey.Prefix before = CacheKey.prefix("gems", List.of("vendor/"), workspace, keyFiles, List.of(".ruby-version"));

      // when
      Files.writeString(workspace.resolve("Gemfile.lock"), "rake (13.1)\n");
      CacheKey.Prefix lockChanged = CacheKey.prefix("gems", List.of("vendor/"), workspace, keyFiles,
          List.of(".ruby-version"));
      Files.writeString(workspace.resolve(".ruby-version"), "3.4\n");
      CacheKey.Prefix rubyChanged = CacheKey.prefix("gems", List.of("vendor/"), workspace, keyFiles,
          List.of(".ruby-version"));

      // then
      assertThat(lockChanged).isEqualTo(before);
      assertThat(rubyChanged).isNotEqualTo(before);
      assertThat(CacheKey.prefix("gems", List.of("vendor/bundle/"), workspace, keyFiles, List.of()))
          .as("other paths").isNotEqualTo(CacheKey.prefix("gems", List.of("vendor/"), workspace, keyFiles, List.of()));
      assertThat(before.hash()).isNotEqualTo(CacheKey.of("gems", workspace, List.of()).hash());
    }
  }
}
