package dev.otto.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code otto explain --format json} as a whole process, JVM start-up included, on a generated
 * pipeline of 100,000 steps (1,000 chains of 100, in an Ottofile.java), against {@code ninja -n}
 * on the equivalent build.ninja, in the same run. Prints the medians, the ratio (the target: at
 * most 1.0), and where Otto's time goes: the JVM and the command starting ({@code otto
 * --version}), loading the Ottofile from its compiled cache (explaining a one-step pipeline),
 * and planning and rendering the 100,000 steps (the rest).
 *
 * <p>Otto runs as {@code ./otto} runs it, with the JVM options of {@code otto-cli/jvm.options} (found
 * next to the jar's {@code target} folder) and a class-data archive made the same way, and as
 * {@code java -jar} alone.
 *
 * <p>Usage: {@code java -cp bench/target/otto-bench.jar dev.otto.bench.ExplainProcess OTTO_CLI_JAR [runs]}.
 */
public final class ExplainProcess {
  private static final int CHAINS = 1000;
  private static final int LENGTH = 100;
  private static final String MAIN = "dev.otto.cli.OttoCommand";

  private ExplainProcess() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("otto-explain-bench");
    Path big = Files.createDirectories(dir.resolve("big"));
    Path small = Files.createDirectories(dir.resolve("small"));
    Files.writeString(big.resolve("Ottofile.java"), ottofile(CHAINS, LENGTH));
    Files.writeString(small.resolve("Ottofile.java"), ottofile(1, 1));
    Files.writeString(big.resolve("build.ninja"), ninja());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> otto = List.of(java, "-jar", jar.toString());

    run(concat(otto, "explain", "--format", "json", big.toString()));
    run(concat(otto, "explain", "--format", "json", small.toString()));
    // What the otto launcher does after a build: one run lists the classes the command loads, and
    // one dumps them in a class-data archive, which every later run maps instead of loading them.
    String options = "@" + jar.getParent().resolveSibling("jvm.options");
    Path classes = dir.resolve("otto-cli.classlist");
    Path archive = dir.resolve("otto-cli.jsa");
    run(List.of(java, options, "-XX:DumpLoadedClassList=" + classes, "-cp", jar.toString(), MAIN, "explain",
        "--format", "json", small.toString()));
    run(List.of(java, options, "-Xshare:dump", "-Xlog:cds=off", "-XX:SharedClassListFile=" + classes,
        "-XX:SharedArchiveFile=" + archive, "-cp", jar.toString()));
    List<String> launched = List.of(java, options, "-XX:SharedArchiveFile=" + archive, "-Xshare:auto",
        "-Xlog:cds=off", "-cp", jar.toString(), MAIN);
    // Round after round, each command once a round: on a machine other work shares, every command
    // meets the same load, and the ratio to ninja stays fair when the load changes.
    double[] medians = medians(runs, List.of(concat(otto, "--version"),
        concat(otto, "explain", "--format", "json", small.toString()),
        concat(otto, "explain", "--format", "json", big.toString()),
        concat(launched, "--version"),
        concat(launched, "explain", "--format", "json", small.toString()),
        concat(launched, "explain", "--format", "json", big.toString()),
        List.of("ninja", "-n", "-C", big.toString())));
    double start = medians[0];
    double load = medians[1];
    double explain = medians[2];
    double startShared = medians[3];
    double loadShared = medians[4];
    double explainShared = medians[5];
    double ninja = medians[6];
    System.out.printf("otto explain --format json, 100,000 steps, whole process (median of %d runs)%n", runs);
    System.out.printf("  otto explain, as ./otto runs it (class-data archive): %6.0f ms%n", explainShared);
    System.out.printf("  otto explain, java -jar alone:                        %6.0f ms%n", explain);
    System.out.printf("  ninja -n:                                             %6.0f ms%n", ninja);
    System.out.printf("otto / ninja = %.2f (target <= 1.00); java -jar alone / ninja = %.2f%n", explainShared / ninja,
        explain / ninja);
    System.out.printf("where otto's time goes (archive / alone): JVM and command start %.0f / %.0f ms; loading the "
        + "Ottofile (cached classes) %.0f / %.0f ms; building, planning and rendering 100,000 steps %.0f / %.0f ms%n",
        startShared, start, loadShared - startShared, load - start, explainShared - loadShared, explain - load);
  }

  private static String ottofile(int chains, int length) {
    return """
        import static dev.otto.dsl.Otto.sh;

        import dev.otto.core.model.Pipeline;
        import dev.otto.core.model.ShStep;
        import dev.otto.dsl.Otto;

        public class Ottofile {
          public static Pipeline pipeline() {
            return Otto.pipeline("generated", p -> p.parallel("Chains", chains -> {
              for (int c = 0; c < %d; c++) {
                ShStep[] steps = new ShStep[%d];
                for (int s = 0; s < steps.length; s++) {
                  steps[s] = sh("run c" + c + "s" + s);
                }
                chains.stage("Chain " + c, stage -> stage.steps(steps));
              }
            }));
          }
        }
        """.formatted(chains, length);
  }

  private static String ninja() {
    StringBuilder out = new StringBuilder("rule run\n  command = true\n\n");
    for (int c = 0; c < CHAINS; c++) {
      for (int s = 0; s < LENGTH; s++) {
        out.append("build out/c").append(c).append('s').append(s).append(": run");
        if (s > 0) {
          out.append(" out/c").append(c).append('s').append(s - 1);
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  private static List<String> concat(List<String> base, String... more) {
    List<String> all = new java.util.ArrayList<>(base);
    all.addAll(List.of(more));
    return all;
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }

  /** The median time of each command over {@code runs} rounds, each round running every command once. */
  private static double[] medians(int runs, List<List<String>> commands) throws Exception {
    double[][] times = new double[commands.size()][runs];
    for (int round = 0; round < runs; round++) {
      for (int i = 0; i < commands.size(); i++) {
        long start = System.nanoTime();
        run(commands.get(i));
        times[i][round] = (System.nanoTime() - start) / 1e6;
      }
    }
    double[] medians = new double[commands.size()];
    for (int i = 0; i < commands.size(); i++) {
      Arrays.sort(times[i]);
      medians[i] = times[i][runs / 2];
    }
    return medians;
  }
}
