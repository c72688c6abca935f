package dev.otto.cli;

import static dev.otto.cli.OttoCommandTest.otto;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.cli.OttoCommandTest.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {
  @TempDir
  Path dir;

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void should_write_a_starter_pipeline_that_runs_when_the_folder_is_empty() {
    // given an empty folder, where explain suggests 'otto init'
    assertThat(otto("explain", dir.toString()).err()).contains("Run 'otto init'");

    // when
    Outcome init = otto("init", dir.toString());

    // then it writes a pipeline that runs anywhere with a shell, and says so
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(init.out()).contains("no convention matches", "a starter pipeline", "runs anywhere with a shell");
    Outcome run = otto("run", dir.toString());
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("succeeded");
  }

  @Test
  void should_write_an_ottofile_that_explains_the_maven_project_from_another_checkout() throws IOException {
    // given a Maven project, set up with otto init
    Path project = Files.createDirectories(dir.resolve("shop"));
    Files.writeString(project.resolve("pom.xml"), "<project><artifactId>shop</artifactId></project>\n");
    assertThat(otto("init", project.toString()).code()).isZero();

    // when its files are checked out elsewhere and explained there, from another current folder
    Path elsewhere = dir.resolve("elsewhere").resolve("shop");
    copy(project, elsewhere);
    deleteRecursively(project);
    Outcome explained = otto("explain", elsewhere.toString());

    // then the Ottofile names no folder, and finds the project where it is now
    assertThat(Files.readString(elsewhere.resolve("Ottofile.java"))).doesNotContain(dir.toString());
    assertThat(explained.code()).as(explained.err()).isZero();
    assertThat(explained.out()).contains("from convention maven: found pom.xml at the root",
        "mvn -B -ntp -Dmaven.repo.local=.m2/repository verify");
  }

  @Nested
  class IgnoringTheOttoFolder {
    @Test
    void should_add_the_otto_folder_to_gitignore_once_when_the_folder_is_a_git_work_tree() throws IOException {
      // given a git work tree whose .gitignore does not end with a line break
      Files.createDirectories(dir.resolve(".git"));
      Files.writeString(dir.resolve(".gitignore"), "target/");

      // when otto init runs twice
      Outcome first = otto("init", dir.toString());
      Files.delete(dir.resolve("Ottofile.java"));
      Outcome second = otto("init", dir.toString());

      // then .otto/ is ignored once, after the lines there were
      assertThat(first.code()).isZero();
      assertThat(second.code()).isZero();
      assertThat(Files.readString(dir.resolve(".gitignore"))).isEqualTo("target/\n.otto/\n");
      assertThat(first.out()).contains("added .otto/ to " + dir.resolve(".gitignore"));
      assertThat(second.out()).doesNotContain("added .otto/");
    }

    @Test
    void should_create_a_gitignore_in_a_git_work_tree_without_one() throws IOException {
      // given a folder inside a git work tree, with no .gitignore
      Files.createDirectories(dir.resolve(".git"));
      Path sub = Files.createDirectories(dir.resolve("service"));

      // when
      assertThat(otto("init", sub.toString()).code()).isZero();

      // then
      assertThat(Files.readString(sub.resolve(".gitignore"))).isEqualTo(".otto/\n");
    }

    @Test
    void should_leave_a_gitignore_alone_when_a_parent_folder_ignores_the_otto_folder() throws IOException {
      // given a git work tree whose root ignores .otto/ everywhere
      Files.createDirectories(dir.resolve(".git"));
      Files.writeString(dir.resolve(".gitignore"), ".otto/\n");
      Path sub = Files.createDirectories(dir.resolve("service"));

      // when
      assertThat(otto("init", sub.toString()).code()).isZero();

      // then
      assertThat(sub.resolve(".gitignore")).doesNotExist();
    }

    @Test
    void should_add_the_otto_folder_to_a_gitignore_outside_a_git_work_tree() throws IOException {
      // given a folder with a .gitignore, outside any git work tree
      Files.writeString(dir.resolve(".gitignore"), "*.log\n");

      // when
      assertThat(otto("init", dir.toString()).code()).isZero();

      // then
      assertThat(Files.readString(dir.resolve(".gitignore"))).isEqualTo("*.log\n.otto/\n");
    }

    @Test
    void should_say_how_to_ignore_the_otto_folder_when_there_is_no_git_work_tree() {
      // given a folder outside any git work tree, without a .gitignore

      // when
      Outcome init = otto("init", dir.toString());

      // then
      assertThat(init.code()).isZero();
      assertThat(dir.resolve(".gitignore")).doesNotExist();
      assertThat(init.out()).contains("keeps its runs and caches in .otto/", "add .otto/ to the ignore file");
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path path : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    }
  }
}
