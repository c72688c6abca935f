package dev.otto.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML pages as a real browser draws them: headless Chromium (Debian's {@code chromium},
 * which CI installs) takes a screenshot of each, and the test counts the pixels of the
 * colours the graph and the timeline use.
 */
@EnabledOnOs(OS.LINUX)
class BrowserTest {
  @TempDir
  Path dir;

  static final int GREEN_BAR = 0x86efac;
  static final int GREEN_BOX = 0xdcfce7;
  static final int RED_BAR = 0xfca5a5;
  static final int RED_BOX = 0xfee2e2;
  static final int BLUE_BOX = 0xdbeafe;

  @Test
  void draws_the_graph_and_the_timeline_of_a_run_and_the_graph_of_a_plan() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "headless Chromium is needed: apt-get install chromium");
    Files.writeString(dir.resolve("Ottofile.java"), """
        import static dev.otto.dsl.Otto.sh;

        import dev.otto.core.model.Pipeline;
        import dev.otto.dsl.Otto;

        public class Ottofile {
          public static Pipeline pipeline() {
            return Otto.pipeline("pictures", p -> {
              p.stage("Build", s -> s.steps(sh("sleep 0.3; echo built"), sh("sleep 0.2")));
              p.parallel("Test", t -> {
                t.stage("Unit", s -> s.steps(sh("sleep 0.4; echo unit ok")));
                t.stage("Browser", s -> s.steps(sh("sleep 0.2; echo 'browser: 1 failure'; exit 1")));
              });
              p.stage("Ship", s -> s.steps(sh("echo shipping")));
            });
          }
        }
        """);
    Path report = dir.resolve("run.html");
    OttoCommandTest.Outcome run = OttoCommandTest.otto("run", dir.toString(), "--runs", dir.resolve("runs").toString(),
        "--report", report.toString());
    assertThat(run.code()).isEqualTo(ExitCodes.RUN_FAILED);
    Path plan = dir.resolve("plan.html");
    Files.writeString(plan, OttoCommandTest.otto("explain", dir.toString(), "--format", "html").out(),
        StandardCharsets.UTF_8);

    BufferedImage runShot = screenshot(report);
    BufferedImage planShot = screenshot(plan);

    assertThat(count(runShot, GREEN_BOX)).as("succeeded stages in the graph").isGreaterThan(3000);
    assertThat(count(runShot, RED_BOX)).as("the failed stage in the graph").isGreaterThan(3000);
    assertThat(count(runShot, GREEN_BAR)).as("succeeded stages in the timeline").isGreaterThan(200);
    assertThat(count(runShot, RED_BAR)).as("the failed stage in the timeline").isGreaterThan(50);
    assertThat(count(planShot, BLUE_BOX)).as("stages of the plan's graph").isGreaterThan(4 * 3000);
  }

  private BufferedImage screenshot(Path page) throws Exception {
    Path png = dir.resolve(page.getFileName() + ".png");
    Process chromium = new ProcessBuilder(List.of("/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile-" + page.getFileName()),
        "--window-size=1200,1400", "--screenshot=" + png, page.toUri().toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
    assertThat(chromium.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(png).as("chromium's screenshot; its log: %s", Files.readString(dir.resolve("chromium.log"))).exists();
    return ImageIO.read(png.toFile());
  }

  /** How many pixels are within a small distance of {@code rgb}. */
  private static int count(BufferedImage image, int rgb) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) < 8 && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff))
            < 8 && Math.abs((p & 0xff) - (rgb & 0xff)) < 8) {
          count++;
        }
      }
    }
    return count;
  }
}
