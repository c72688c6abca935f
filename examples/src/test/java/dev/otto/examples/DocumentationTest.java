package dev.otto.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.explain.Explain;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.validate.Rule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps the README and the site true to what the code does. */
class DocumentationTest {
  private static final Path ROOT = Path.of("..");

  private static String read(String path) throws IOException {
    return Files.readString(ROOT.resolve(path), StandardCharsets.UTF_8);
  }

  @Test
  void the_readme_shows_the_real_explain_output_of_the_web_app() throws IOException {
    String readme = read("README.md");
    String start = "<!-- explain:webapp-master -->\n```\n";
    int from = readme.indexOf(start);
    int to = readme.indexOf("```\n<!-- /explain -->");
    assertThat(from).as("the README's explain block").isNotNegative();
    String shown = readme.substring(from + start.length(), to);

    String actual = Explain.text(Planner.plan(WebApp.pipeline(),
        RunContext.builder().branch("master").trigger("push").build()));

    assertThat(shown).isEqualTo(actual);
  }

  /** A java snippet, after the source it comes from and the names the reader's own code declares. */
  private static final String JAVA_SNIPPET = "(<!-- from: ([^\\s;]+)(?:; yours: ([\\w, ]+))? -->\\n)?```java\\n(.*?)```";

  @Test
  void every_java_snippet_of_the_site_comes_from_a_compiled_and_tested_source() throws IOException {
    int snippets = forEachBlock(JAVA_SNIPPET, (page, block) -> {
      assertThat(block.group(2)).as("%s: the snippet%n%s%nnames no source (<!-- from: PATH --> before it)",
          page.getFileName(), block.group(4)).isNotNull();
      String source = read(block.group(2));
      List<String> shownImports = shownImports(block);
      String code = code(block);
      assertThat(squeeze(source)).as("%s holds the snippet of %s:%n%s", block.group(2),
          page.getFileName(), code).contains(squeeze(code));
      assertThat(shownImports).as("%s imports what the snippet of %s shows, or its package holds it", block.group(2),
          page.getFileName()).allMatch(line -> imports(source).contains(line) || line.matches(
              "import " + Pattern.quote(packageOf(source)) + "\\.[A-Z]\\w*;"));
      assertThat(shownImports).as("the snippet of %s imports from the examples, which are not published",
          page.getFileName()).noneMatch(line -> line.contains(" dev.otto.examples."));
      assertThat(shownImports).as("the snippet of %s shows the imports its code needs:%n%s", page.getFileName(), code)
          .containsAll(importsNeeded(source, code));
    });
    assertThat(snippets).isGreaterThanOrEqualTo(20);
  }

  /**
   * What makes a snippet compile as shown: javac reads its source, and each class or static
   * method the snippet names by its simple name must be imported by the snippet, declared in
   * it, or declared on its page (by another snippet, or as the reader's own class in the
   * marker: {@code <!-- from: PATH; yours: WebApp -->}). A reader copies the snippet with its
   * imports and supplies only the variables the page speaks of.
   */
  @Test
  void every_java_snippet_of_the_site_imports_or_declares_each_class_and_static_method_it_names()
      throws IOException {
    SnippetNames names = new SnippetNames();
    List<String> problems = new java.util.ArrayList<>();
    int snippets = forEachBlock(JAVA_SNIPPET, (page, block) -> {
      String pageText = Files.readString(page, StandardCharsets.UTF_8);
      List<String> yours = block.group(3) == null ? List.of() : List.of(block.group(3).split(",\\s*"));
      java.util.Set<String> unresolved = names.unresolved(ROOT.resolve(block.group(2)), code(block), shownImports(block),
          name -> yours.contains(name) || declaredBy(pageText, name));
      if (!unresolved.isEmpty()) {
        problems.add(String.format("%s: %s in%n%s", page.getFileName(), unresolved, block.group(4)));
      }
    });
    assertThat(problems).as("snippets that name what neither their imports nor their page declare").isEmpty();
    assertThat(snippets).isGreaterThanOrEqualTo(20);
  }

  /** Whether a java snippet of {@code page} declares the class or static method {@code name}. */
  private static boolean declaredBy(String page, String name) {
    Matcher snippet = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(page);
    Pattern declaration = Pattern.compile("\\b(class|interface|record|enum)\\s+" + name + "\\b|\\bstatic\\b[^;={}]*\\b"
        + name + "\\s*\\(");
    while (snippet.find()) {
      if (declaration.matcher(snippet.group(1)).find()) {
        return true;
      }
    }
    return false;
  }

  private static List<String> shownImports(Matcher block) {
    return block.group(4).lines().filter(line -> line.startsWith("import ")).toList();
  }

  private static String code(Matcher block) {
    return block.group(4).lines().filter(line -> !line.startsWith("import "))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  private static String packageOf(String source) {
    Matcher declaration = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(source);
    return declaration.find() ? declaration.group(1) : "";
  }

  private static List<String> imports(String source) {
    return source.lines().filter(line -> line.startsWith("import ")).toList();
  }

  /** The imports of {@code source} whose name {@code code} uses, other than after a dot (a method of something else). */
  private static List<String> importsNeeded(String source, String code) {
    String withoutStrings = code.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "");
    java.util.Set<String> names = new java.util.HashSet<>();
    Matcher name = Pattern.compile("(?<![.\\w])[A-Za-z_]\\w*\\b")
        .matcher(withoutStrings);
    while (name.find()) {
      names.add(name.group());
    }
    return imports(source).stream().filter(line -> {
      String imported = line.substring(0, line.length() - 1);
      return names.contains(imported.substring(imported.lastIndexOf('.') + 1));
    }).toList();
  }

  @Test
  void every_output_the_site_quotes_is_what_the_code_gives() throws IOException {
    int blocks = forEachBlock("<!-- from: (\\S+) -->\\n```\\n(.*?)```", (page, block) -> {
      String source = squeeze(read(block.group(1)));
      for (String line : block.group(2).lines().toList()) {
        assertThat(source).as("%s quotes %s:%n%s", page.getFileName(), block.group(1), line).contains(squeeze(line));
      }
    });
    assertThat(blocks).isGreaterThanOrEqualTo(3);
  }

  /** What checks a fenced block a page holds. */
  private interface BlockCheck {
    void check(Path page, Matcher block) throws IOException;
  }

  /** Runs {@code check} on each block of each site page that {@code regex} finds; returns how many. */
  private static int forEachBlock(String regex, BlockCheck check) throws IOException {
    Pattern pattern = Pattern.compile(regex, Pattern.DOTALL);
    int blocks = 0;
    try (var pages = Files.list(ROOT.resolve("site"))) {
      for (Path page : (Iterable<Path>) pages.filter(p -> p.toString().endsWith(".md")).sorted()::iterator) {
        Matcher block = pattern.matcher(Files.readString(page, StandardCharsets.UTF_8));
        while (block.find()) {
          check.check(page, block);
          blocks++;
        }
      }
    }
    return blocks;
  }

  /** The text with every run of white space made one space, so that indentation does not matter. */
  private static String squeeze(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }

  /**
   * Maven 3.8 without plugin versions compiles for Java 5 and runs no JUnit 5 test: the POMs the
   * site shows name the Java release and the plugins the testkit's consumer test builds with.
   */
  @Test
  void the_poms_the_site_shows_name_the_release_and_the_plugins_the_consumer_test_builds_with() throws IOException {
    String consumer = squeeze(read("otto-bom/src/it/testkit-consumer/pom.xml"));
    String compiler = pluginOf(consumer, "maven-compiler-plugin");
    String surefire = pluginOf(consumer, "maven-surefire-plugin");

    assertThat(squeeze(read("site/testkit.md"))).contains("<maven.compiler.release>17</maven.compiler.release>",
        compiler, surefire);
    assertThat(squeeze(read("site/getting-started.md"))).contains("<maven.compiler.release>17</maven.compiler.release>",
        compiler);
  }

  /** The plugin's artifact id and version as {@code pom}, squeezed, declares them. */
  private static String pluginOf(String pom, String artifactId) {
    Matcher plugin = Pattern.compile("<artifactId>" + artifactId + "</artifactId> <version>[^<]+</version>").matcher(pom);
    assertThat(plugin.find()).as("the consumer test's POM names %s and its version", artifactId).isTrue();
    return plugin.group();
  }

  /** The command's install lines, Maven's fetch aside, work in a home that has no {@code ~/.local/bin} yet. */
  @Test
  @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
  void the_install_lines_of_the_command_make_its_script_in_a_home_without_a_bin_folder(
      @org.junit.jupiter.api.io.TempDir Path home) throws Exception {
    // given
    Matcher install = Pattern.compile("```sh\\n(mvn dependency:copy [^\\n]*\\n)(.*?)```", Pattern.DOTALL)
        .matcher(read("site/cli.md"));
    assertThat(install.find()).as("cli.md's install lines").isTrue();

    // when
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-e", "-c", install.group(2)).redirectErrorStream(true);
    builder.environment().put("HOME", home.toString());
    Process shell = builder.start();
    shell.getOutputStream().close();
    String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    // then
    assertThat(shell.waitFor()).as(output).isZero();
    assertThat(home.resolve(".local/bin/otto")).isExecutable().content().contains("otto-cli-0.1.0-SNAPSHOT-all.jar");
  }

  @Test
  void the_site_lists_every_validation_rule() throws IOException {
    String page = read("site/validation.md");
    for (Rule rule : Rule.values()) {
      assertThat(page).contains("| " + rule.code() + " | " + rule.title() + " |");
    }
  }
}
