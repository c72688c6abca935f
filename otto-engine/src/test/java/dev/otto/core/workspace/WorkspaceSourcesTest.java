package dev.otto.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceSourcesTest {
  @TempDir
  Path temp;

  Path project;
  Path workspace;

  @BeforeEach
  void folders() throws IOException {
    project = Files.createDirectories(temp.resolve("project"));
    workspace = Files.createDirectories(temp.resolve("workspace"));
  }

  static String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Otto", "-c", "user.email=otto@example.org",
        "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"));
    command.addAll(List.of(args));
    Process git = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(git.waitFor()).as("git %s: %s", String.join(" ", args), out).isZero();
    return out;
  }

  static boolean hasGit() {
    try {
      return new ProcessBuilder("git", "--version").start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private void write(Path dir, String file, String text) throws IOException {
    Files.createDirectories(dir.resolve(file).getParent());
    Files.writeString(dir.resolve(file), text);
  }

  private List<String> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> !Files.isDirectory(p)).map(p -> dir.relativize(p).toString())
          .filter(p -> !p.startsWith(".git/") && !p.equals(".git")).sorted().toList();
    }
  }

  /** A repository with a commit, a change to a tracked file, an untracked file, ignored files and Otto's state. */
  private void repository() throws Exception {
    git(project, "init", "-q");
    write(project, ".gitignore", "target/\n*.log\n");
    write(project, "pom.xml", "<project/>\n");
    write(project, "src/Main.java", "class Main {}\n");
    git(project, "add", "-A");
    git(project, "commit", "-q", "-m", "first");
    write(project, "src/Main.java", "class Main { int changed; }\n");
    write(project, "src/New.java", "class New {}\n");
    write(project, "target/classes/Main.class", "compiled");
    write(project, "build.log", "noise");
    write(project, ".otto/runs/r1/journal.log", "state");
  }

  @Test
  void should_copy_the_files_git_sees_with_the_work_tree_s_changes_and_leave_the_project_as_it_was() throws Exception {
    assumeTrue(hasGit(), "needs git");
    // given
    repository();
    String statusBefore = git(project, "status", "--porcelain", "--ignored");
    String head = git(project, "rev-parse", "HEAD").strip();

    // when
    WorkspaceSource.Filled filled = WorkspaceSources.workingTree(project).fill(workspace);

    // then the workspace holds tracked and untracked files, not ignored ones, nor Otto's state
    assertThat(files(workspace)).containsExactly(".gitignore", "pom.xml", "src/Main.java", "src/New.java");
    assertThat(Files.readString(workspace.resolve("src/Main.java"))).contains("changed");
    assertThat(filled.files()).isEqualTo(4);
    assertThat(filled.revision()).hasValue(head);
    // and git in the workspace knows the commit and sees the changes
    assertThat(git(workspace, "rev-parse", "HEAD").strip()).isEqualTo(head);
    assertThat(git(workspace, "status", "--porcelain")).contains(" M src/Main.java", "?? src/New.java");
    // and the project is untouched
    assertThat(git(project, "status", "--porcelain", "--ignored")).isEqualTo(statusBefore);
  }

  @Test
  void should_copy_a_submodule_s_files_as_its_git_sees_them_when_the_project_has_one() throws Exception {
    assumeTrue(hasGit(), "needs git");
    // given a library repository and a project that holds it as a submodule, built in place
    Path library = Files.createDirectories(temp.resolve("library"));
    git(library, "init", "-q");
    write(library, ".gitignore", "build/\n");
    write(library, "lib.c", "int x;\n");
    git(library, "add", "-A");
    git(library, "commit", "-q", "-m", "library");
    repository();
    git(project, "-c", "protocol.file.allow=always", "submodule", "add", "-q", library.toString(), "lib");
    git(project, "commit", "-q", "-m", "with the library");
    write(project, "lib/build/lib.o", "compiled");
    write(project, "lib/new.c", "int y;\n");
    String statusBefore = git(project, "status", "--porcelain", "--ignored");

    // when
    WorkspaceSources.workingTree(project).fill(workspace);

    // then the submodule's tracked and untracked files are there, not its ignored ones nor its .git link
    assertThat(files(workspace)).containsExactly(".gitignore", ".gitmodules", "lib/.gitignore", "lib/lib.c",
        "lib/new.c", "pom.xml", "src/Main.java", "src/New.java");
    // and git still answers in the workspace
    assertThat(git(workspace, "status", "--porcelain")).contains(" M src/Main.java");
    // and the project is untouched
    assertThat(git(project, "status", "--porcelain", "--ignored")).isEqualTo(statusBefore);
  }

  @Test
  void should_take_the_last_commit_without_the_work_tree_s_changes() throws Exception {
    assumeTrue(hasGit(), "needs git");
    // given
    repository();

    // when
    WorkspaceSource.Filled filled = WorkspaceSources.head(project).fill(workspace);

    // then
    assertThat(files(workspace)).containsExactly(".gitignore", "pom.xml", "src/Main.java");
    assertThat(Files.readString(workspace.resolve("src/Main.java"))).doesNotContain("changed");
    assertThat(filled.revision()).hasValue(git(project, "rev-parse", "HEAD").strip());
  }

  @Test
  void should_check_out_a_repository_at_a_tag_and_name_a_ref_it_does_not_have() throws Exception {
    assumeTrue(hasGit(), "needs git");
    // given a repository with a tag on its first commit, and a later commit
    repository();
    git(project, "tag", "v1");
    git(project, "commit", "-q", "-am", "second");

    // when
    WorkspaceSources.gitCheckout(project.toString(), "v1").fill(workspace);

    // then
    assertThat(Files.readString(workspace.resolve("src/Main.java"))).doesNotContain("changed");
    Path other = Files.createDirectories(temp.resolve("other"));
    assertThatThrownBy(() -> WorkspaceSources.gitCheckout(project.toString(), "v9").fill(other))
        .isInstanceOf(IOException.class).hasMessageContaining("no branch, tag or commit 'v9'");
    assertThatThrownBy(() -> WorkspaceSources.gitCheckout("--upload-pack=x", "main"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WorkspaceSources.gitCheckout(project.toString(), "-x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void should_copy_a_folder_that_is_not_in_a_git_work_tree_whole_with_links_as_links() throws Exception {
    // given a plain folder with a link, Otto's state, and the workspace's own runs folder inside it
    write(project, "Makefile", "all:\n");
    write(project, "src/a.c", "int a;\n");
    Files.createSymbolicLink(project.resolve("src/link.c"), Path.of("a.c"));
    write(project, ".otto/caches/c", "state");
    Path inside = Files.createDirectories(project.resolve("runs/r1/workspace"));

    // when
    WorkspaceSource source = WorkspaceSources.workingTree(project);
    WorkspaceSource.Filled filled = source.fill(inside);

    // then
    assertThat(source.description()).startsWith("a copy of ");
    assertThat(files(inside)).containsExactly("Makefile", "src/a.c", "src/link.c");
    assertThat(Files.isSymbolicLink(inside.resolve("src/link.c"))).isTrue();
    assertThat(filled.files()).isEqualTo(3);
  }

  @Test
  void should_leave_out_the_folders_a_host_keeps_out_whether_git_sees_their_files_or_not() throws Exception {
    assumeTrue(hasGit(), "needs git");
    // given: a secrets folder git would list (untracked, not ignored), in a repository and in a plain folder
    repository();
    write(project, "secrets/api-token", "canary-4f2a9c");
    Path plain = Files.createDirectories(temp.resolve("plain"));
    write(plain, "run.sh", "echo hi\n");
    write(plain, "conf/secrets/api-token", "canary-4f2a9c");
    Path second = Files.createDirectories(temp.resolve("second"));

    // when
    WorkspaceSources.workingTree(project, List.of(Path.of("secrets"))).fill(workspace);
    WorkspaceSources.copyOf(plain, List.of(Path.of("conf/secrets"))).fill(second);

    // then
    assertThat(files(workspace)).contains("src/New.java").noneMatch(file -> file.startsWith("secrets"));
    assertThat(files(second)).containsExactly("run.sh");
    assertThat(Files.isDirectory(second.resolve("conf"))).isTrue();
  }

  @Test
  void should_refuse_a_folder_to_leave_out_that_is_not_inside_the_project() {
    assertThatThrownBy(() -> WorkspaceSources.copyOf(project, List.of(temp.resolve("secrets"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a path inside the project, relative to it");
    assertThatThrownBy(() -> WorkspaceSources.workingTree(project, List.of(Path.of("../secrets"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'../secrets'");
  }

  @Test
  void should_refuse_head_for_a_folder_that_is_not_the_top_of_a_work_tree() {
    assertThatThrownBy(() -> WorkspaceSources.head(project).fill(workspace)).isInstanceOf(IOException.class)
        .hasMessageContaining("is not the top of a git work tree");
  }
}
