package dev.otto.site;

import dev.otto.core.explain.Explain;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.examples.Examples;
import dev.otto.report.HtmlReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Builds the documentation site: each Markdown page of {@code site/} becomes an HTML page, with
 * explain outputs and pictures generated from the examples where a page asks for them, and the
 * public API's Javadoc beside them.
 *
 * <pre>
 * &lt;!-- otto:explain webapp master --&gt;   the text explanation of an example for a branch ("unknown": no context)
 * &lt;!-- otto:picture webapp master --&gt;   its graph, as SVG
 * </pre>
 *
 * <p>Usage: {@code SiteBuilder SITE_DIR OUTPUT_DIR [REPO_ROOT_FOR_JAVADOC]}.
 */
public final class SiteBuilder {
  static final Pattern DIRECTIVE = Pattern.compile("<!-- otto:(explain|picture) ([a-z-]+) ([^ ]+) -->");
  private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
  private static final Map<String, String> TITLES = Map.of("index", "Otto for Java");

  private SiteBuilder() {}

  public static void main(String[] args) throws IOException {
    Path site = Path.of(args[0]);
    Path out = Path.of(args[1]);
    build(site, out);
    if (args.length > 2) {
      javadoc(Path.of(args[2]), out.resolve("api"));
    }
    System.out.println("site written to " + out.toAbsolutePath().resolve("index.html"));
  }

  /** Turns every page of {@code site} into {@code out}; returns the pages written. */
  static List<Path> build(Path site, Path out) throws IOException {
    Files.createDirectories(out);
    List<Path> pages = new ArrayList<>();
    List<Path> sources;
    try (Stream<Path> list = Files.list(site)) {
      sources = list.filter(p -> p.toString().endsWith(".md")).sorted().toList();
    }
    Parser parser = Parser.builder().extensions(EXTENSIONS).build();
    HtmlRenderer renderer = HtmlRenderer.builder().extensions(EXTENSIONS).build();
    for (Path source : sources) {
      String name = source.getFileName().toString().replaceAll("\\.md$", "");
      String markdown = expand(Files.readString(source, StandardCharsets.UTF_8));
      String body = renderer.render(parser.parse(markdown)).replaceAll("href=\"([a-z-]+)\\.md(#[^\"]*)?\"",
          "href=\"$1.html$2\"");
      Path page = out.resolve(name + ".html");
      Files.writeString(page, page(title(name, markdown), body), StandardCharsets.UTF_8);
      pages.add(page);
    }
    return pages;
  }

  /** Replaces each directive with what the code produces now. */
  static String expand(String markdown) {
    Matcher directive = DIRECTIVE.matcher(markdown);
    StringBuilder out = new StringBuilder();
    while (directive.find()) {
      String branch = directive.group(3);
      Plan plan = Planner.plan(Examples.get(directive.group(2)),
          branch.equals("unknown") ? RunContext.unknown() : RunContext.builder().branch(branch).trigger("push").build());
      String generated = directive.group(1).equals("explain") ? "```\n" + Explain.text(plan) + "```\n"
          : "<div class=\"picture\">" + HtmlReport.graph(plan).replace("\n", "") + "</div>\n";
      directive.appendReplacement(out, Matcher.quoteReplacement(generated));
    }
    directive.appendTail(out);
    return out.toString();
  }

  private static String title(String name, String markdown) {
    return markdown.lines().filter(l -> l.startsWith("# ")).findFirst().map(l -> l.substring(2))
        .orElse(TITLES.getOrDefault(name, name));
  }

  private static String page(String title, String body) {
    return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>%s</title>
        <style>
        body { font: 15px/1.55 system-ui, sans-serif; max-width: 980px; margin: 0 auto; padding: 24px; color: #1f2937; }
        nav { border-bottom: 1px solid #e5e7eb; padding-bottom: 10px; margin-bottom: 20px; }
        nav a { margin-right: 14px; color: #2563eb; text-decoration: none; }
        pre { background: #f9fafb; padding: 12px; overflow-x: auto; font-size: 13px; }
        code { font-size: 13px; }
        table { border-collapse: collapse; } td, th { border: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; }
        .picture { overflow-x: auto; margin: 12px 0; }
        %s</style>
        </head>
        <body>
        <nav><a href="index.html">Otto</a><a href="getting-started.html">Start</a><a href="concepts.html">Concepts</a>
        <a href="dsl.html">DSL</a><a href="explain.html">Explain</a>
        <a href="running.html">Running</a><a href="waits.html">Waits</a><a href="conventions.html">Conventions</a>
        <a href="testkit.html">Testkit</a><a href="cli.html">Command</a><a href="temporal.html">Temporal</a>
        <a href="api/index.html">Javadoc</a></nav>
        %s
        </body>
        </html>
        """.formatted(title.replace("&", "&amp;").replace("<", "&lt;"), HtmlReport.graphStyle(), body);
  }

  /** The Javadoc of the public API of Otto's libraries, internals left out. */
  static void javadoc(Path repository, Path out) throws IOException {
    List<String> files = new ArrayList<>();
    for (String module : List.of("otto-core", "otto-engine", "otto-dsl", "otto-conventions", "otto-testkit",
        "otto-temporal")) {
      try (Stream<Path> walk = Files.walk(repository.resolve(module).resolve("src/main/java"))) {
        walk.filter(p -> p.toString().endsWith(".java") && !p.getFileName().toString().equals("module-info.java")
            && !p.toString().contains("/internal/")).map(Path::toString).sorted().forEach(files::add);
      }
    }
    List<String> arguments = new ArrayList<>(List.of("-quiet", "-notimestamp", "-Xdoclint:none", "-encoding", "UTF-8",
        "-d", out.toString(), "-classpath", System.getProperty("java.class.path"), "-doctitle", "Otto for Java",
        "-windowtitle", "Otto for Java", "--ignore-source-errors"));
    arguments.addAll(files);
    ToolProvider javadoc = ToolProvider.findFirst("javadoc").orElseThrow(() ->
        new IllegalStateException("the javadoc tool is not in this JDK"));
    int code = javadoc.run(System.out, System.err, arguments.toArray(String[]::new));
    if (code != 0) {
      throw new UncheckedIOException(new IOException("javadoc failed with exit code " + code));
    }
  }
}
