package dev.otto.report;

import static dev.otto.dsl.Otto.approval;
import static dev.otto.dsl.Otto.branch;
import static dev.otto.dsl.Otto.sh;
import static dev.otto.dsl.Otto.webhook;
import static dev.otto.dsl.Otto.when;
import static dev.otto.report.HtmlReportTest.nodes;
import static dev.otto.report.HtmlReportTest.xml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.dsl.Otto;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** What the graph and the timeline show: arrows with heads, a legend, gates, waits, approvers, reasons. */
class PicturesTest {
  static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  /** Build, then Ship behind an approval by ops and a webhook, and Docs only from master. */
  static final Pipeline RELEASE = Otto.pipeline("release", p -> {
    var build = p.stage("Build", s -> s.steps(sh("make")));
    p.stage("Ship", s -> s.after(build).enter(approval("Ship it?").approvers("ops").timeout(Duration.ofHours(4)))
        .exit(webhook("smoke test").timeout(Duration.ofHours(1))).steps(sh("make ship")));
    p.stage("Docs", s -> s.after(build).enter(when(branch().is("master"))).steps(sh("make docs")));
  });

  @Test
  void should_draw_the_same_bytes_when_the_same_plan_and_run_are_drawn_twice() {
    // given a plan and a run of it
    Plan plan = Planner.plan(RELEASE, RunContext.branch("feature/x"));

    // when both pages are drawn twice, then they are the same, byte for byte
    assertThat(HtmlReport.explain(Planner.plan(RELEASE, RunContext.branch("feature/x"))))
        .isEqualTo(HtmlReport.explain(plan));
    assertThat(HtmlReport.run(plan, approvedRun(), approvedEvents(plan)))
        .isEqualTo(HtmlReport.run(plan, approvedRun(), approvedEvents(plan)));
  }

  @Test
  void should_end_every_arrow_in_a_head_and_explain_the_symbols_in_a_legend_when_drawing_a_plan() throws Exception {
    // given a plan with arrows and gates
    Plan plan = Planner.plan(RELEASE, RunContext.branch("master"));

    // when its page is drawn
    String page = HtmlReport.explain(plan);
    Document document = xml(page);

    // then each arrow ends in the arrowhead marker, and the legend names statuses and gates
    assertThat(nodes(document, "//*[local-name()='marker'][@id='otto-arrowhead']").getLength()).isEqualTo(1);
    assertThat(nodes(document, "//*[local-name()='svg'][@class='graph']/*[local-name()='path'][@class='arrow']"
        + "[@marker-end='url(#otto-arrowhead)']").getLength()).isEqualTo(2);
    assertThat(nodes(document, "//div[@class='legend']/span").getLength()).isEqualTo(7);
    assertThat(page).contains("approval gate", "webhook gate", "poll gate", "runs if its condition holds");
  }

  @Test
  void should_show_each_gate_with_what_it_waits_for_when_drawing_a_plan() throws Exception {
    // given a plan whose Ship stage waits for an approval by ops and for a webhook
    Plan plan = Planner.plan(RELEASE, RunContext.branch("master"));

    // when its page is drawn
    Document document = xml(HtmlReport.explain(plan));

    // then Ship's box shows both gates with their symbols
    assertThat(nodes(document, "//*[local-name()='g'][contains(@class,'gate-line planned')]/*[local-name()='text']")
        .item(0).getTextContent()).isEqualTo("enter: approval by ops");
    assertThat(nodes(document, "//*[local-name()='path'][@class='gate approval']").getLength()).isEqualTo(2);
    assertThat(nodes(document, "//*[local-name()='g'][contains(@class,'gate-line')]/*[local-name()='title']")
        .item(1).getTextContent()).isEqualTo("exit: wait for webhook 'smoke test', at most 1 h");
  }

  @Test
  void should_say_why_a_stage_is_skipped_when_its_condition_is_false() throws Exception {
    // given a plan for a branch that is not master
    Plan plan = Planner.plan(RELEASE, RunContext.branch("feature/x"));

    // when its page is drawn
    Document document = xml(HtmlReport.explain(plan));

    // then the skipped box says why, and so does its tooltip
    assertThat(nodes(document, "//*[local-name()='g'][@class='stage skipped']/*[local-name()='text'][@class='note']")
        .item(0).getTextContent()).isEqualTo("[branch is 'master'] is false");
    assertThat(nodes(document, "//*[local-name()='g'][@class='stage skipped']/*[local-name()='title']")
        .item(0).getTextContent()).isEqualTo("Docs — skipped: [branch is 'master'] is false");
  }

  @Test
  void should_draw_an_approval_as_a_wait_with_its_approver_when_a_run_waited_for_one() throws Exception {
    // given a run whose Ship stage waited two hours until alice approved it
    Plan plan = Planner.plan(RELEASE, RunContext.branch("feature/x"));

    // when its page is drawn
    String page = HtmlReport.run(plan, approvedRun(), approvedEvents(plan));
    Document document = xml(page);

    // then the timeline hatches the wait and tells it, and Ship's box says who approved
    assertThat(nodes(document, "//*[local-name()='rect'][@class='wait-bar approval']").getLength()).isEqualTo(1);
    assertThat(nodes(document, "//*[local-name()='g'][@class='wait approval passed']/*[local-name()='text']")
        .item(0).getTextContent()).isEqualTo("waited 2 h for approval by ops · approved by alice: looks good");
    assertThat(nodes(document, "//*[local-name()='g'][@class='gate-line passed']/*[local-name()='text']")
        .item(0).getTextContent()).startsWith("enter: approved by alice");
    assertThat(nodes(document, "//*[local-name()='g'][@class='gate-line not-reached']/*[local-name()='text']")
        .item(0).getTextContent()).isEqualTo("exit: webhook 'smoke test'");
    assertThat(page).contains("skipped: [branch is &#39;master&#39;] is false");
  }

  @Test
  void should_show_a_lock_as_a_gate_and_its_wait_on_the_timeline_when_a_run_waited_for_it() throws Exception {
    // given a run whose Deploy stage waited ten minutes for lock 'production'
    Pipeline locked = Otto.pipeline("locked", p -> p.stage("Deploy", s -> s.lock("production").steps(sh("make ship"))));
    Plan plan = Planner.plan(locked, RunContext.branch("main"));
    String lock = plan.stage("Deploy").orElseThrow().waits().get(0).id();
    RunResult run = new RunResult("r1", "locked", RunResult.Status.SUCCEEDED, Duration.ofMinutes(15), List.of(
        new RunResult.StageResult("Deploy", RunResult.Status.SUCCEEDED, Optional.empty(), Duration.ofMinutes(15),
            List.of())));
    List<RunEvent> events = List.of(new RunEvent.RunStarted("r1", T0, "locked", 1),
        new RunEvent.StageStarted("r1", T0, "Deploy", "local"),
        new RunEvent.WaitStarted("r1", T0, "Deploy", lock, "lock", "production", List.of(), T0.plusSeconds(86_400),
            Optional.empty()),
        new RunEvent.WaitEnded("r1", T0.plusSeconds(600), "Deploy", lock, "granted", Optional.empty(),
            Optional.empty()),
        new RunEvent.StageFinished("r1", T0.plusSeconds(900), "Deploy", RunResult.Status.SUCCEEDED,
            Duration.ofMinutes(15)),
        new RunEvent.RunFinished("r1", T0.plusSeconds(900), RunResult.Status.SUCCEEDED, Duration.ofMinutes(15)));

    // when its pages are drawn
    Document planned = xml(HtmlReport.explain(plan));
    Document ran = xml(HtmlReport.run(plan, run, events));

    // then the plan shows the lock as a gate, and the run tells how long the stage waited for it
    assertThat(nodes(planned, "//*[local-name()='rect'][@class='gate lock']").getLength()).isEqualTo(1);
    assertThat(nodes(planned, "//*[local-name()='g'][contains(@class,'gate-line planned')]/*[local-name()='text']")
        .item(0).getTextContent()).isEqualTo("enter: lock 'production'");
    assertThat(nodes(ran, "//*[local-name()='rect'][@class='wait-bar lock']").getLength()).isEqualTo(1);
    assertThat(nodes(ran, "//*[local-name()='g'][@class='wait lock passed']/*[local-name()='text']")
        .item(0).getTextContent()).isEqualTo("waited 10 min for lock 'production' · lock granted");
  }

  @Test
  void should_say_whom_a_run_still_waits_for_when_an_approval_never_ended() throws Exception {
    // given a run cancelled while Ship waited for an approval
    Plan plan = Planner.plan(RELEASE, RunContext.branch("feature/x"));
    List<RunEvent> events = approvedEvents(plan).stream().filter(e -> !(e instanceof RunEvent.WaitEnded)).toList();

    // when its page is drawn
    Document document = xml(HtmlReport.run(plan, approvedRun(), events));

    // then the wait is told as still waiting, for whom
    assertThat(nodes(document, "//*[local-name()='g'][@class='wait approval waiting']/*[local-name()='text']")
        .item(0).getTextContent()).isEqualTo("began waiting for approval by ops · waiting for approval by ops");
  }

  @Test
  void should_keep_a_wide_graph_whole_in_a_box_that_scrolls_when_it_is_wider_than_the_page() throws Exception {
    // given twelve stages one after the other
    Pipeline chain = Otto.pipeline("chain", p -> {
      for (int i = 1; i <= 12; i++) {
        p.stage("Stage number " + i, s -> s.steps(sh("true")));
      }
    });

    // when its graph is drawn
    String fragment = HtmlReport.graph(Planner.plan(chain, RunContext.branch("main")));
    Document document = xml("<div>" + fragment + "</div>");

    // then the SVG keeps its full width (no scaling down, nothing cut) inside a box that scrolls sideways
    String width = nodes(document, "//div[@class='graph-box']/*[local-name()='svg']").item(0).getAttributes()
        .getNamedItem("width").getNodeValue();
    assertThat(Integer.parseInt(width)).isGreaterThan(1600);
    assertThat(nodes(document, "//*[local-name()='svg'][@class='graph']/*[local-name()='g']").getLength()).isEqualTo(12);
    assertThat(HtmlReport.graphStyle()).containsPattern("\\.graph-box \\{[^}]*overflow-x: auto;[^}]*max-width: 100%;");
  }

  @Test
  void should_order_a_layer_to_avoid_a_crossing_when_declaration_order_would_cross() {
    // given A and B, then C after B and D after A, declared so that drawing them in order crosses
    Pipeline crossing = Otto.pipeline("crossing", p -> {
      var a = p.stage("A", s -> s.steps(sh("true")));
      var b = p.stage("B", s -> s.steps(sh("true")));
      p.stage("C", s -> s.after(b).steps(sh("true")));
      p.stage("D", s -> s.after(a).steps(sh("true")));
    });
    StageGraph graph = new StageGraph(Planner.plan(crossing, RunContext.branch("main")));

    // when it is laid out
    GraphLayout layout = new GraphLayout(sizes(graph), graph.arrowsInto);

    // then the arrows do not cross: D's row and C's row follow A's and B's
    assertThat(layout.boxes.get("A").y() < layout.boxes.get("B").y())
        .isEqualTo(layout.boxes.get("D").y() < layout.boxes.get("C").y());
    assertThat(layout.boxes.get("C").x()).isGreaterThan(layout.boxes.get("B").x());
  }

  private static java.util.Map<String, int[]> sizes(StageGraph graph) {
    java.util.Map<String, int[]> sizes = new java.util.LinkedHashMap<>();
    graph.nodes.forEach(n -> sizes.put(n.id(), new int[] {120, 40}));
    return sizes;
  }

  private static RunResult approvedRun() {
    return new RunResult("r1", "release", RunResult.Status.SUCCEEDED, Duration.ofHours(2).plusMinutes(10), List.of(
        new RunResult.StageResult("Build", RunResult.Status.SUCCEEDED, Optional.empty(), Duration.ofMinutes(5), List.of()),
        new RunResult.StageResult("Ship", RunResult.Status.SUCCEEDED, Optional.empty(), Duration.ofMinutes(125), List.of()),
        new RunResult.StageResult("Docs", RunResult.Status.SKIPPED, Optional.of("[branch is 'master'] is false"),
            Duration.ZERO, List.of())));
  }

  /** Build for five minutes; Ship waits two hours for ops until alice approves, then runs five minutes and stops. */
  private static List<RunEvent> approvedEvents(Plan plan) {
    String gate = plan.stage("Ship").orElseThrow().waits().get(0).id();
    return List.of(
        new RunEvent.RunStarted("r1", T0, "release", 3),
        new RunEvent.StageStarted("r1", T0, "Build", "local"),
        new RunEvent.StageFinished("r1", T0.plusSeconds(300), "Build", RunResult.Status.SUCCEEDED, Duration.ofMinutes(5)),
        new RunEvent.StageSkipped("r1", T0.plusSeconds(300), "Docs", "[branch is 'master'] is false"),
        new RunEvent.StageStarted("r1", T0.plusSeconds(300), "Ship", "local"),
        new RunEvent.WaitStarted("r1", T0.plusSeconds(300), "Ship", gate, "await-approval", "Ship it?", List.of("ops"),
            T0.plusSeconds(3900), Optional.empty()),
        new RunEvent.WaitEnded("r1", T0.plusSeconds(7500), "Ship", gate, "approved", Optional.of("alice"),
            Optional.of("looks good")),
        new RunEvent.StageFinished("r1", T0.plusSeconds(7800), "Ship", RunResult.Status.SUCCEEDED,
            Duration.ofMinutes(125)),
        new RunEvent.RunFinished("r1", T0.plusSeconds(7800), RunResult.Status.SUCCEEDED, Duration.ofMinutes(130)));
  }
}
