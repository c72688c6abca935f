package dev.otto.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.RunResult;
import dev.otto.examples.HarmlessVariant;
import dev.otto.examples.WebApp;
import dev.otto.examples.host.ReleaseDesk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release desk, a host application written against {@code Engine}, on Temporal unchanged. */
class HostOnTemporalTest {
  @TempDir
  Path root;

  @Test
  void the_release_desk_runs_releases_on_temporal_as_on_the_local_engine() {
    try (Cluster cluster = new Cluster(root)) {
      cluster.worker("one", new ArrayList<>(), "otto");
      ReleaseDesk desk = new ReleaseDesk(cluster.engine(), HarmlessVariant.of(WebApp.pipeline()));

      String release = desk.release("master");
      List<PendingWait> approvals = awaitApprovals(desk, "alice");
      assertThat(approvals).extracting(PendingWait::description).containsExactly("Does staging look good to you?");
      assertThat(desk.status(release).orElseThrow().stages()).containsEntry("Deploy > Pre-production", "waiting");
      desk.approve(release, approvals.get(0).id(), "alice", "staging is fine");
      PendingWait production = awaitApprovals(desk, "bob").get(0);
      desk.reject(release, production.id(), "bob", "not on a Friday");

      RunResult result = Cluster.eventually("the end of release " + release, () -> desk.result(release));
      assertThat(result.stage("Deploy > Production").orElseThrow().reason()).contains(
          "the approval 'Are you extra sure that staging looks good to you?' was rejected by bob: not on a Friday");
      assertThat(desk.decisions()).containsExactly(
          release + " Deploy > Pre-production#exit-1: approved by alice (staging is fine)",
          release + " Deploy > Production#enter-1: rejected by bob (not on a Friday)");
    }
  }

  private static List<PendingWait> awaitApprovals(ReleaseDesk desk, String person) {
    return Cluster.eventually("an approval for " + person, () -> java.util.Optional.of(desk.approvalsFor(person))
        .filter(approvals -> !approvals.isEmpty()));
  }
}
