package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.OttoException;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.workspace.WorkspaceSource;
import dev.otto.core.workspace.WorkspaceSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class WorkspaceSourceTest {
  @TempDir
  Path temp;

  private final List<RunEvent> events = new CopyOnWriteArrayList<>();

  private static Plan plan(String script) {
    return Planner.plan(Pipeline.builder("p").addStages(Stage.builder("Build").addSteps(ShStep.of(script)).build())
        .build(), RunContext.branch("main"));
  }

  @Test
  void should_run_the_stages_in_a_workspace_filled_from_the_run_s_source_and_say_so() throws Exception {
    // given a project folder
    Path project = Files.createDirectories(temp.resolve("project"));
    Files.writeString(project.resolve("input.txt"), "from the project\n");
    LocalEngine engine = LocalEngine.builder(temp.resolve("runs")).listener(events::add).build();

    // when a run starts from a copy of it
    RunResult result = engine.start(plan("cat input.txt; echo more >> input.txt"), WorkspaceSources.copyOf(project))
        .result().join();

    // then the step read the project's file, wrote only to its copy, and the events say where it came from
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(events).filteredOn(RunEvent.OutputLine.class::isInstance)
        .extracting(e -> ((RunEvent.OutputLine) e).line()).containsExactly("from the project");
    assertThat(Files.readString(project.resolve("input.txt"))).isEqualTo("from the project\n");
    assertThat(events).filteredOn(RunEvent.WorkspacePrepared.class::isInstance).singleElement()
        .satisfies(e -> {
          RunEvent.WorkspacePrepared prepared = (RunEvent.WorkspacePrepared) e;
          assertThat(prepared.source()).isEqualTo("a copy of " + project);
          assertThat(prepared.files()).isEqualTo(1);
          assertThat(prepared.bytes()).isEqualTo(17);
        });
  }

  @Test
  void should_start_nothing_and_leave_nothing_when_the_source_cannot_fill_the_workspace() throws Exception {
    // given a source that fails
    WorkspaceSource broken = new WorkspaceSource() {
      @Override
      public String description() {
        return "the sources of build 42";
      }

      @Override
      public Filled fill(Path workspace) throws IOException {
        Files.writeString(workspace.resolve("half"), "written before failing");
        throw new IOException("the build server said 503");
      }
    };
    Path runs = temp.resolve("runs");
    LocalEngine engine = LocalEngine.builder(runs).listener(events::add).build();

    // when / then
    assertThatThrownBy(() -> engine.start(plan("true"), broken)).isInstanceOf(OttoException.class)
        .hasMessage("the workspace of a run of 'p' could not be made from the sources of build 42: "
            + "the build server said 503");
    try (var left = Files.list(runs)) {
      assertThat(left).isEmpty();
    }
    assertThat(events).isEmpty();
  }
}
