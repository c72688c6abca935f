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

  @Test
  void every_java_snippet_of_the_site_comes_from_a_compiled_and_tested_source() throws IOException {
    int snippets = forEachBlock("(<!-- from: (\\S+) -->\\n)?```java\\n(.*?)```", (page, block) -> {
      assertThat(block.group(2)).as("%s: the snippet%n%s%nnames no source (<!-- from: PATH --> before it)",
          page.getFileName(), block.group(3)).isNotNull();
      String source = read(block.group(2));
      List<String> shownImports = block.group(3).lines().filter(line -> line.startsWith("import ")).toList();
      String code = block.group(3).lines().filter(line -> !line.startsWith("import "))
          .collect(java.util.stream.Collectors.joining("\n"));
      assertThat(squeeze(source)).as("%s holds the snippet of %s:%n%s", block.group(2),
          page.getFileName(), code).contains(squeeze(code));
      assertThat(imports(source)).as("%s imports what the snippet of %s shows", block.group(2), page.getFileName())
          .containsAll(shownImports);
      assertThat(shownImports).as("the snippet of %s shows the imports its code needs:%n%s", page.getFileName(), code)
          .containsAll(importsNeeded(source, code));
    });
    assertThat(snippets).isGreaterThanOrEqualTo(20);
  }

  private static List<String> imports(String source) {
    return source.lines().filter(line -> line.startsWith("import ")).toList();
  }

  /** The imports of {@code source} whose name {@code code} uses, other than after a dot (a method of something else). */
  private static List<String> importsNeeded(String source, String code) {
    String withoutStrings = code.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "");
    java.util.Set<String> names = new java.util.HashSet<>();
    java.util.regex.Matcher name = java.util.regex.Pattern.compile("(?<![.\\w])[A-Za-z_]\\w*\\b")
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
    void check(Path page, java.util.regex.Matcher block) throws IOException;
  }

  /** Runs {@code check} on each block of each site page that {@code regex} finds; returns how many. */
  private static int forEachBlock(String regex, BlockCheck check) throws IOException {
    java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.DOTALL);
    int blocks = 0;
    try (var pages = Files.list(ROOT.resolve("site"))) {
      for (Path page : (Iterable<Path>) pages.filter(p -> p.toString().endsWith(".md")).sorted()::iterator) {
        java.util.regex.Matcher block = pattern.matcher(Files.readString(page, StandardCharsets.UTF_8));
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

  @Test
  void the_site_lists_every_validation_rule() throws IOException {
    String page = read("site/validation.md");
    for (Rule rule : Rule.values()) {
      assertThat(page).contains("| " + rule.code() + " | " + rule.title() + " |");
    }
  }
}
