package dev.otto.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.otto.core.engine.Deployment;
import dev.otto.core.engine.DeploymentStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code otto deployments}: what was deployed to an environment, newest first. */
@Command(name = "deployments", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
    description = "Lists what runs deployed to an environment, newest first: the run, its result, when, the commit, "
        + "who approved it, and the digest of each artifact it deployed. Reads the record the runs of a folder keep.")
final class DeploymentsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "ENVIRONMENT", description = "the environment, e.g. production")
  String environment;

  @Parameters(index = "1", arity = "0..1", paramLabel = "DIR", description = "the folder; the current one by default")
  Path dir = Path.of(".");

  @Option(names = "--runs", paramLabel = "DIR", description = "where the runs were kept; DIR/.otto/runs by default")
  Path runs;

  @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json")
  String format = "text";

  @Override
  public Integer call() throws IOException {
    if (!format.equals("text") && !format.equals("json")) {
      throw new CliException(ExitCodes.USAGE, "unknown format '" + format + "'; use text or json");
    }
    Path folder = runs != null ? runs : dir.resolve(".otto").resolve("runs");
    DeploymentStore store = DeploymentStore.inFolder(folder);
    List<Deployment> entries = store.deployments(environment);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.print(format.equals("json") ? json(environment, entries) : text(environment, entries));
    if (entries.isEmpty() && format.equals("text")) {
      java.util.SortedSet<String> known = store.environments();
      out.println(known.isEmpty() ? "no run under " + folder.toAbsolutePath().normalize() + " recorded a deployment"
          + (runs != null ? "" : "; --runs names where the runs were kept") : "the runs under "
          + folder.toAbsolutePath().normalize() + " deployed to " + String.join(", ", known));
    }
    return ExitCodes.OK;
  }

  static String text(String environment, List<Deployment> entries) {
    if (entries.isEmpty()) {
      return "nothing was deployed to '" + environment + "'\n";
    }
    StringBuilder text = new StringBuilder("deployments to '" + environment + "', newest first:\n");
    for (Deployment d : entries) {
      text.append(d.ended()).append("  ").append(d.status()).append("  run ").append(d.run()).append("  ")
          .append(d.pipeline()).append(" > ").append(d.stage());
      d.commit().ifPresent(commit -> text.append("  commit ").append(commit));
      d.approvedBy().ifPresent(by -> text.append("  approved by ").append(by));
      text.append('\n');
      d.artifacts().forEach(a -> text.append("    ").append(a.name()).append("  ").append(a.digest()).append('\n'));
    }
    return text.toString();
  }

  static String json(String environment, List<Deployment> entries) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(text).useDefaultPrettyPrinter()) {
      json.writeStartObject();
      json.writeStringField("environment", environment);
      json.writeArrayFieldStart("deployments");
      for (Deployment d : entries) {
        json.writeStartObject();
        json.writeStringField("run", d.run());
        json.writeStringField("pipeline", d.pipeline());
        json.writeStringField("stage", d.stage());
        json.writeStringField("status", d.status().name());
        json.writeStringField("started", d.started().toString());
        json.writeStringField("ended", d.ended().toString());
        json.writeStringField("commit", d.commit().orElse(null));
        json.writeStringField("approvedBy", d.approvedBy().orElse(null));
        json.writeArrayFieldStart("artifacts");
        for (Deployment.Artifact a : d.artifacts()) {
          json.writeStartObject();
          json.writeStringField("name", a.name());
          json.writeStringField("digest", a.digest());
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    return text + "\n";
  }
}
