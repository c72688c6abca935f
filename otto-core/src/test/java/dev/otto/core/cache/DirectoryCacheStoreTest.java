package dev.otto.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void should_restore_what_was_saved_into_a_new_workspace() throws Exception {
    files();
    CacheResult saved = cache.save(key, workspace, List.of("vendor/", "missing/"));
    assertThat(saved.status()).isEqualTo(CacheResult.Status.SAVED);
    assertThat(saved.detail()).contains("2 files").contains("1 paths missing");

    Path fresh = Files.createDirectories(temp.resolve("fresh"));
    CacheResult restored = cache.restore(key, fresh);

    assertThat(restored.status()).isEqualTo(CacheResult.Status.HIT);
    assertThat(fresh.resolve("vendor/bundle/gems/rake.rb")).hasContent("puts 'rake'");
    assertThat(Files.isExecutable(fresh.resolve("vendor/bin/rake"))).isTrue();
    assertThat(Files.readSymbolicLink(fresh.resolve("vendor/current"))).isEqualTo(Path.of("bundle"));
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

  @Test
  void should_refuse_an_archive_that_writes_outside_the_workspace() throws Exception {
    Path dir = Files.createDirectories(store.resolve("gems"));
    Path archive = dir.resolve("evil.tar.gz");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)))) {
      byte[] content = "owned".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry entry = new TarArchiveEntry("../escaped.txt");
      entry.setSize(content.length);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    String sha = com.google.common.hash.Hashing.sha256().hashBytes(Files.readAllBytes(archive)).toString();
    Files.move(archive, dir.resolve(key.hash() + "-" + sha + ".tar.gz"));
    Files.writeString(dir.resolve(key.hash() + ".entry"), sha + "\n");

    CacheResult result = cache.restore(key, workspace);

    assertThat(result.status()).isEqualTo(CacheResult.Status.CORRUPT);
    assertThat(result.detail()).contains("outside the workspace");
    assertThat(temp.resolve("escaped.txt")).doesNotExist();
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
}
