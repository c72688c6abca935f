package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.plan.Op;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@EnabledOnOs(OS.LINUX)
class WorkspaceOpsTest {
  @TempDir
  Path temp;

  private Path workspace;
  private Path artifacts;
  private Path host;

  @BeforeEach
  void setUp() throws Exception {
    Path run = Files.createDirectories(temp.resolve("runs/run-1"));
    workspace = Files.createDirectories(run.resolve("workspace"));
    artifacts = run.resolve("artifacts");
    host = Files.createDirectories(temp.resolve("host"));
    Files.writeString(host.resolve("hostname"), "host only");
    Files.createDirectories(workspace.resolve("dist"));
    Files.writeString(workspace.resolve("dist/app.txt"), "app");
  }

  private static Op.StoreArtifact archive(String name, String... paths) {
    return new Op.StoreArtifact(name, List.of(paths), Op.Guard.NORMAL);
  }

  /** Every file and link under {@code dir}, relative to it, links never followed. */
  private static List<String> tree(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  @Nested
  class Names {
    @ParameterizedTest
    @ValueSource(strings = {"../../../escaped", "/absolute", "a/b", "..", ""})
    void should_refuse_to_store_an_artifact_whose_name_is_not_a_plain_name(String name) throws Exception {
      // given: a name read from a plan's JSON, which validation never saw
      String given = name.equals("/absolute") ? temp.resolve("escaped").toString() : name;

      // when / then
      assertThatThrownBy(() -> WorkspaceOps.store(workspace, artifacts, archive(given, "dist/")))
          .isInstanceOf(WorkspaceOps.ArtifactException.class)
          .hasMessageContaining("is not a valid artifact name")
          .hasMessageContaining("letters, digits");
      assertThat(tree(temp)).containsExactly("host/hostname", "runs/run-1/workspace/dist/app.txt");
    }

    @Test
    void should_refuse_to_restore_an_artifact_whose_name_is_not_a_plain_name() throws Exception {
      // given: an artifact folder next to the run's, which a name with '..' would reach
      Files.createDirectories(temp.resolve("runs/stolen"));
      Files.writeString(temp.resolve("runs/stolen/loot.txt"), "other run");

      // when / then
      assertThatThrownBy(() -> WorkspaceOps.restore(workspace, artifacts, "../../stolen"))
          .isInstanceOf(WorkspaceOps.ArtifactException.class)
          .hasMessageContaining("is not a valid artifact name");
      assertThat(workspace.resolve("loot.txt")).doesNotExist();
    }
  }

  @Nested
  class Links {
    @Test
    void should_store_a_link_as_a_link_and_leave_out_a_link_to_a_host_file() throws Exception {
      // given
      Files.createSymbolicLink(workspace.resolve("dist/hostname"), host.resolve("hostname"));
      Files.createSymbolicLink(workspace.resolve("dist/up"), Path.of("../../../../host/hostname"));
      Files.createSymbolicLink(workspace.resolve("dist/current"), Path.of("app.txt"));

      // when
      int files = WorkspaceOps.store(workspace, artifacts, archive("app", "dist/"));

      // then
      assertThat(files).isEqualTo(1);
      assertThat(tree(artifacts.resolve("app"))).containsExactly("dist/app.txt", "dist/current");
      assertThat(Files.readSymbolicLink(artifacts.resolve("app/dist/current"))).isEqualTo(Path.of("app.txt"));
    }

    @Test
    void should_not_store_files_through_a_linked_directory_that_leads_out_of_the_workspace() throws Exception {
      // given
      Files.createSymbolicLink(workspace.resolve("etc"), host);

      // when / then
      assertThatThrownBy(() -> WorkspaceOps.store(workspace, artifacts, archive("app", "etc/hostname")))
          .isInstanceOf(WorkspaceOps.ArtifactException.class)
          .hasMessageContaining("'etc/hostname'")
          .hasMessageContaining("leads out of the workspace");
      assertThat(artifacts.resolve("app/etc/hostname")).doesNotExist();
    }

    @Test
    void should_not_unarchive_through_a_linked_directory_that_leads_out_of_the_workspace() throws Exception {
      // given: 'dist' stored, then replaced by a link to a host folder
      WorkspaceOps.store(workspace, artifacts, archive("app", "dist/"));
      Files.delete(workspace.resolve("dist/app.txt"));
      Files.delete(workspace.resolve("dist"));
      Files.createSymbolicLink(workspace.resolve("dist"), host);

      // when / then
      assertThatThrownBy(() -> WorkspaceOps.restore(workspace, artifacts, "app"))
          .isInstanceOf(WorkspaceOps.ArtifactException.class)
          .hasMessageContaining("'dist'")
          .hasMessageContaining("leads out of the workspace");
      assertThat(tree(host)).containsExactly("hostname");
    }

    @Test
    void should_put_an_artifact_back_with_its_links_through_a_link_that_stays_inside() throws Exception {
      // given
      Files.createSymbolicLink(workspace.resolve("dist/current"), Path.of("app.txt"));
      WorkspaceOps.store(workspace, artifacts, archive("app", "dist/"));
      Path fresh = Files.createDirectories(temp.resolve("fresh"));
      Files.createDirectories(fresh.resolve("build"));
      Files.createSymbolicLink(fresh.resolve("dist"), Path.of("build"));

      // when
      int files = WorkspaceOps.restore(fresh, artifacts, "app");

      // then
      assertThat(files).isEqualTo(1);
      assertThat(fresh.resolve("build/app.txt")).hasContent("app");
      assertThat(Files.readSymbolicLink(fresh.resolve("build/current"))).isEqualTo(Path.of("app.txt"));
    }
  }

  @Nested
  class Digests {
    @Test
    void should_give_the_same_files_the_same_digest_wherever_they_are_stored_and_changed_files_another()
        throws Exception {
      // given
      WorkspaceOps.store(workspace, artifacts, archive("app", "dist"));
      Path elsewhere = temp.resolve("runs/run-2/artifacts");
      WorkspaceOps.store(workspace, elsewhere, archive("app", "dist"));
      Files.writeString(workspace.resolve("dist/app.txt"), "app, changed");
      WorkspaceOps.store(workspace, elsewhere, archive("changed", "dist"));

      // when
      String digest = WorkspaceOps.digest(artifacts, "app");

      // then
      assertThat(digest).matches("sha256:[0-9a-f]{64}");
      assertThat(WorkspaceOps.digest(elsewhere, "app")).isEqualTo(digest);
      assertThat(WorkspaceOps.digest(elsewhere, "changed")).isNotEqualTo(digest);
    }
  }
}
