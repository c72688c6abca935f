package dev.otto.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.engine.Deployment;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.SecretRef;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.secret.SecretProviders;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class HtmlReportTest {
  static final String CANARY = "canary-" + java.util.UUID.randomUUID();

  @TempDir
  Path root;

  static final Pipeline SHOP = Pipeline.builder("shop <& \"co\"").addSecrets(new SecretRef("key")).addStages(
      Stage.builder("Build").addSteps(ShStep.of("echo 'building <html> & stuff'")).build(),
      Stage.builder("Checks").parallel(true).addStages(
          Stage.builder("Lint").addSteps(ShStep.of("echo linted")).build(),
          Stage.builder("Unit").addSteps(ShStep.of("echo \"key is $KEY\"").with(SecretBinding.asEnv("key", "KEY")))
              .build()).build(),
      Stage.builder("Ship").addSteps(ShStep.of("echo shipping; exit 2")).build(),
      Stage.builder("After").addSteps(ShStep.of("true")).build()).build();

  static Document xml(String page) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(false);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
  }

  static NodeList nodes(Document document, String xpath) throws Exception {
    return (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, document, XPathConstants.NODESET);
  }

  @Test
  void draws_every_stage_that_does_work_with_arrows_from_what_it_waits_for() throws Exception {
    Plan plan = Planner.plan(SHOP, RunContext.branch("main"));

    String page = HtmlReport.explain(plan);
    Document document = xml(page);

    assertThat(nodes(document, "//*[local-name()='svg'][@class='graph']/*[local-name()='g'][contains(@class,'stage')]").getLength()).isEqualTo(5);
    assertThat(nodes(document, "//*[local-name()='svg'][@class='graph']/*[local-name()='path'][@class='arrow']").getLength()).isEqualTo(5);
    assertThat(page).contains("<title>pipeline &#39;shop &lt;&amp; &quot;co&quot;&#39;</title>")
        .contains("echo &#39;building &lt;html&gt; &amp; stuff&#39;").doesNotContain("<html> &");
    StageGraph graph = new StageGraph(plan);
    assertThat(graph.arrowsInto).containsEntry("Checks > Lint", java.util.Set.of("Build"))
        .containsEntry("Ship", java.util.Set.of("Checks > Lint", "Checks > Unit"));
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void a_run_report_has_its_timeline_results_and_masked_output() throws Exception {
    List<RunEvent> events = new CopyOnWriteArrayList<>();
    Plan plan = Planner.plan(SHOP, RunContext.branch("main"));
    RunResult result = LocalEngine.builder(root).secrets(SecretProviders.inMemory(Map.of("key", CANARY)))
        .listener(events::add).build().run(plan);

    String page = HtmlReport.run(plan, result, events);
    Document document = xml(page);

    assertThat(nodes(document, "//*[local-name()='svg'][@class='graph']/*[local-name()='g'][contains(@class,'stage succeeded')]").getLength()).isEqualTo(3);
    assertThat(nodes(document, "//*[local-name()='svg'][@class='graph']/*[local-name()='g'][contains(@class,'stage failed')]").getLength()).isEqualTo(1);
    assertThat(nodes(document, "//*[local-name()='rect'][contains(@class,'bar')]").getLength()).isEqualTo(5);
    assertThat(nodes(document, "//*[local-name()='rect'][contains(@class,'step')]").getLength()).isEqualTo(4);
    assertThat(nodes(document, "//details").getLength()).isEqualTo(4);
    assertThat(page).contains("building &lt;html&gt; &amp; stuff", "key is ***", "shipping", "its dependency &#39;Ship&#39; failed").doesNotContain(CANARY);
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void a_run_report_keeps_the_end_of_a_long_output_and_says_how_much_it_left_out() throws Exception {
    // given a step printing more lines than a report keeps
    RunRecord record = new RunRecord();
    Plan plan = Planner.plan(Pipeline.builder("long").addStages(Stage.builder("Print")
        .addSteps(ShStep.of("seq 1 5000")).build()).build(), RunContext.branch("main"));
    RunResult result = LocalEngine.builder(root).listener(record).build().run(plan);

    // when its report is written
    String page = HtmlReport.run(plan, result, record);

    // then it shows the last lines and the count of the others
    RunRecord.StepOutput output = record.output("Print", 1);
    assertThat(output.lines()).hasSize(RunRecord.MAX_LINES).endsWith("5000").startsWith("3001");
    assertThat(output.omitted()).isEqualTo(3000);
    assertThat(page).contains("… 3000 earlier lines not shown", "\n3001\n", "\n5000\n").doesNotContain("\n3000\n");
    assertThat(record.events()).noneMatch(RunEvent.OutputLine.class::isInstance);
    xml(page);
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void a_run_report_says_what_the_run_deployed_where_with_the_approver_and_the_artifacts_digests() throws Exception {
    // given a run that deployed to production
    Plan plan = Planner.plan(Pipeline.builder("shop")
        .addEnvironments(dev.otto.core.model.Environment.builder("production").build())
        .addStages(Stage.builder("Production").environment("production").addSteps(ShStep.of("true")).build())
        .build(), RunContext.branch("main"));
    LocalEngine engine = LocalEngine.builder(root).build();
    RunResult result = engine.run(plan);
    Deployment recorded = engine.deployments("production").get(0);
    Deployment approved = new Deployment(recorded.environment(), recorded.run(), recorded.pipeline(),
        recorded.stage(), java.util.Optional.of("c0ffee"), List.of(new Deployment.Artifact("app", "sha256:abc")),
        recorded.started(), recorded.ended(), java.util.Optional.of("alice <ops>"), recorded.status());

    // when its report is written with its deployments
    String page = HtmlReport.run(plan, result, new RunRecord(), List.of(approved));

    // then a table says where it deployed what
    assertThat(recorded.run()).isEqualTo(result.run());
    assertThat(nodes(xml(page), "//table[contains(@class,'deployments')]/tr").getLength()).isEqualTo(2);
    assertThat(page).contains("<h2>Deployments</h2>", "<td>production</td>", "alice &lt;ops&gt;", "c0ffee",
        "app <code>sha256:abc</code>");
    assertThat(HtmlReport.run(plan, result, new RunRecord())).doesNotContain("<h2>Deployments</h2>");
  }

  @Test
  void a_run_record_keeps_at_most_a_mebibyte_of_a_step_s_output() {
    // given lines of 100 KiB each
    RunRecord record = new RunRecord();
    String wide = "w".repeat(100 * 1024);
    java.time.Instant at = java.time.Instant.EPOCH;

    // when a step prints 50 of them
    for (int i = 0; i < 50; i++) {
      record.onEvent(new RunEvent.OutputLine("r", at, "Wide", 1, wide));
    }

    // then the record keeps the last ten
    assertThat(record.output("Wide", 1).lines()).hasSize(10);
    assertThat(record.output("Wide", 1).omitted()).isEqualTo(40);
    assertThat(record.output("Other", 1).lines()).isEmpty();
  }
}
