package dev.otto.cli;

import static dev.otto.cli.OttoCommandTest.otto;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An Ottofile that uses other jars: --class-path, and Maven artifacts from //DEPS lines or --deps. */
class OttofileDependenciesTest {
  @TempDir
  Path dir;

  Path project;

  /**
   * A Maven repository in a folder, with org.example:blueprints:1.0, whose class Greeting makes a
   * step's command from org.example:words:1.0, a dependency in its POM.
   */
  Path repository() throws Exception {
    Path repository = dir.resolve("repository");
    Path words = artifact(repository, "words", "package words; public final class Words { "
        + "public static String greeting() { return \"hello from a jar\"; } }", "", List.of());
    artifact(repository, "blueprints", "package blueprints; public final class Greeting { "
        + "public static String step() { return \"echo \" + words.Words.greeting(); } }",
        "<dependencies><dependency><groupId>org.example</groupId><artifactId>words</artifactId>"
            + "<version>1.0</version></dependency></dependencies>", List.of(words));
    return repository;
  }

  /** Compiles one class into org/example/NAME/1.0/NAME-1.0.jar, with a POM beside it. */
  Path artifact(Path repository, String name, String source, String dependencies, List<Path> classPath)
      throws IOException {
    Path folder = Files.createDirectories(repository.resolve("org/example/" + name + "/1.0"));
    Files.writeString(folder.resolve(name + "-1.0.pom"), "<project><modelVersion>4.0.0</modelVersion>"
        + "<groupId>org.example</groupId><artifactId>" + name + "</artifactId><version>1.0</version>" + dependencies
        + "</project>");
    return jar(folder.resolve(name + "-1.0.jar"), source, classPath);
  }

  /** A jar of the one class {@code source} declares, compiled against {@code classPath}. */
  Path jar(Path jar, String source, List<Path> classPath) throws IOException {
    Path sources = Files.createTempDirectory(dir, "src");
    String type = source.replaceAll("(?s)package (\\w+);.*?class (\\w+).*", "$1/$2");
    Path file = Files.createDirectories(sources.resolve(type).getParent()).resolve(type.split("/")[1] + ".java");
    Files.writeString(file, source);
    Path classes = Files.createTempDirectory(dir, "classes");
    List<String> args = new java.util.ArrayList<>(List.of("-d", classes.toString()));
    if (!classPath.isEmpty()) {
      args.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString)
          .toList())));
    }
    args.add(file.toString());
    assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new))).isZero();
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream entries = new JarOutputStream(out);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path path : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        entries.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
        entries.write(Files.readAllBytes(path));
        entries.closeEntry();
      }
    }
    return jar;
  }

  Path ottofile(String header, String command) throws IOException {
    project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(project.resolve("Ottofile.java"), header + """
        import static dev.otto.dsl.Otto.sh;

        import dev.otto.core.model.Pipeline;
        import dev.otto.dsl.Otto;

        public class Ottofile {
          public static Pipeline pipeline() {
            return Otto.pipeline("shop", p -> p.stage("Build", s -> s.steps(sh(%s))));
          }
        }
        """.formatted(command), StandardCharsets.UTF_8);
    return project;
  }

  @Test
  void should_compile_against_the_artifacts_deps_lines_declare_when_a_repository_has_them() throws Exception {
    // given
    Path repository = repository();
    ottofile("//DEPS org.example:blueprints:1.0\n//REPOS " + repository.toUri() + "\n", "blueprints.Greeting.step()");
    Path local = dir.resolve("local");

    // when
    OttoCommandTest.Outcome explained = otto("explain", project.toString(), "--local-repository", local.toString());

    // then
    assertThat(explained.err()).isEmpty();
    assertThat(explained.code()).isZero();
    assertThat(explained.out()).contains("echo hello from a jar");
    assertThat(local.resolve("org/example/words/1.0/words-1.0.jar")).as("the dependency's dependency").exists();
  }

  @Test
  void should_resolve_deps_from_the_local_repository_alone_when_offline() throws Exception {
    // given: the repository as a local one, with what Maven installed there
    Path repository = repository();
    ottofile("", "blueprints.Greeting.step()");

    // when
    OttoCommandTest.Outcome explained = otto("explain", project.toString(), "--deps", "org.example:blueprints:1.0",
        "--offline", "--local-repository", repository.toString());

    // then
    assertThat(explained.err()).isEmpty();
    assertThat(explained.out()).contains("echo hello from a jar");
  }

  @Test
  void should_say_which_artifact_could_not_be_resolved_when_no_repository_has_it() throws Exception {
    // given
    Path repository = repository();
    ottofile("//DEPS org.example:missing:1.0\n", "\"true\"");

    // when
    OttoCommandTest.Outcome explained = otto("explain", project.toString(), "--offline", "--local-repository",
        repository.toString());

    // then
    assertThat(explained.code()).isEqualTo(ExitCodes.CANNOT_RUN);
    assertThat(explained.err()).contains("could not resolve the dependencies of", "org.example:missing:1.0",
        "offline", repository.toString());
  }

  @Test
  void should_name_the_line_when_a_deps_line_is_not_a_maven_artifact() throws Exception {
    // given
    ottofile("//DEPS blueprints\n", "\"true\"");

    // when
    OttoCommandTest.Outcome explained = otto("explain", project.toString());

    // then
    assertThat(explained.code()).isEqualTo(ExitCodes.CANNOT_RUN);
    assertThat(explained.err()).contains("Ottofile.java:1: //DEPS 'blueprints' is not a Maven artifact: write "
        + "groupId:artifactId:version");
  }

  @Test
  void should_compile_again_when_a_class_path_jar_changes() throws Exception {
    // given
    Path words = jar(dir.resolve("words.jar"), "package words; public final class Words { "
        + "public static String greeting() { return \"echo first\"; } }", List.of());
    ottofile("", "words.Words.greeting()");
    assertThat(otto("explain", project.toString(), "--class-path", words.toString()).out()).contains("echo first");

    // when
    jar(words, "package words; public final class Words { "
        + "public static String greeting() { return \"echo second, longer\"; } }", List.of());
    OttoCommandTest.Outcome explained = otto("explain", project.toString(), "--class-path", words.toString());

    // then
    assertThat(explained.out()).contains("echo second, longer");
  }

  @Test
  void should_refuse_a_class_path_entry_when_it_does_not_exist() throws Exception {
    // given
    ottofile("", "\"true\"");

    // when
    OttoCommandTest.Outcome explained = otto("explain", project.toString(), "--class-path",
        dir.resolve("nowhere.jar").toString());

    // then
    assertThat(explained.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(explained.err()).contains("--class-path names", "nowhere.jar, which does not exist");
  }
}
