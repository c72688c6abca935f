package dev.otto.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.explain.Explain;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.examples.WebApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteBuilderTest {
  @TempDir
  Path out;

  @Test
  void turns_every_page_into_html_with_generated_outputs_and_working_links() throws Exception {
    List<Path> pages = SiteBuilder.build(Path.of("."), out);

    assertThat(pages).extracting(p -> p.getFileName().toString()).contains("index.html", "getting-started.html", "concepts.html", "dsl.html", "explain.html",
        "running.html", "waits.html", "conventions.html", "testkit.html", "cli.html", "validation.html");
    String explain = Files.readString(out.resolve("explain.html"));
    String generated = Explain.text(Planner.plan(WebApp.pipeline(), RunContext.unknown()));
    assertThat(explain).contains(generated.lines().skip(2).findFirst().orElseThrow())
        .contains("fingerprint " + Planner.plan(WebApp.pipeline(), RunContext.unknown()).fingerprint().replace(
            "sha256:", "sha256:"));
    String index = Files.readString(out.resolve("index.html"));
    assertThat(index).contains("<svg", "class=\"graph\"", "Deploy &gt; Production", "<nav>");
    for (Path page : pages) {
      String html = Files.readString(page);
      assertThat(html).as(page.toString()).doesNotContain("<!-- otto:").doesNotContain(".md\"");
      Matcher link = Pattern.compile("href=\"([a-z-]+\\.html)").matcher(html);
      while (link.find()) {
        assertThat(out.resolve(link.group(1))).as("%s links to %s", page.getFileName(), link.group(1)).exists();
      }
    }
  }
}
