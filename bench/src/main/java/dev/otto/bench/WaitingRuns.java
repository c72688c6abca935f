package dev.otto.bench;

import dev.otto.core.engine.Decision;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunResult;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * What a waiting run costs: N runs (1,000 by default) each started and left waiting on an
 * approval, in one engine in this JVM. Prints the JVM's live threads with 10 runs waiting and
 * with N (the target: no growth), the heap still in use per waiting run after a full collection
 * (the target: at most 20 KiB), and, as the reference, the threads and heap of the design Otto
 * avoids, one blocked thread per waiting run, measured in the same JVM. Then approves every run
 * and waits for all to end. Runs are journaled to a temporary directory, as by default.
 *
 * <p>Usage: {@code java -cp bench/target/otto-bench.jar dev.otto.bench.WaitingRuns [runs]}.
 */
public final class WaitingRuns {
  private WaitingRuns() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Path root = Files.createTempDirectory("otto-waits-bench");
    LocalEngine engine = LocalEngine.builder(root).parallelism(2).build();
    Stage stage = Stage.builder("Deploy").addEnter(ApprovalGate.of("Ship it?").timeout(Duration.ofDays(1)))
        .addSteps(ShStep.of("true")).build();
    Plan plan = Planner.plan(Pipeline.builder("waits").addStages(stage).build(), RunContext.branch("main"));

    List<RunHandle> handles = new ArrayList<>();
    startWaiting(engine, plan, handles, 10);
    long baseHeap = usedAfterGc();
    int threadsAt10 = threads();

    long started = System.nanoTime();
    startWaiting(engine, plan, handles, runs);
    double startSeconds = (System.nanoTime() - started) / 1e9;
    long heap = usedAfterGc();
    int threadsAtN = threads();
    double perRun = (heap - baseHeap) / (double) (runs - 10) / 1024;

    int[] reference = blockedThreadsReference(runs);

    System.out.printf("waiting runs: %d (started and waiting in %.2f s)%n", runs, startSeconds);
    System.out.printf("threads: %d with 10 runs waiting, %d with %d (grew by %d); reference, one blocked thread "
        + "per waiting run: %d, ratio %.3f%n", threadsAt10, threadsAtN, runs, threadsAtN - threadsAt10, reference[0],
        threadsAtN / (double) reference[0]);
    System.out.printf("heap per waiting run: %.1f KiB (target at most 20 KiB); reference thread-per-run heap "
        + "per run: %.1f KiB, plus its stacks outside the heap%n", perRun, reference[1] / 1024.0);

    long approving = System.nanoTime();
    for (RunHandle handle : handles) {
      handle.decide("Deploy#enter-1", Decision.approve("bench"));
    }
    long failed = handles.stream().map(h -> h.result().join()).filter(r -> r.status() != RunResult.Status.SUCCEEDED)
        .count();
    System.out.printf("approved and finished all %d runs in %.2f s (%d did not succeed)%n", handles.size(),
        (System.nanoTime() - approving) / 1e9, failed);
    if (perRun > 20 || threadsAtN > threadsAt10 || failed > 0) {
      System.exit(1);
    }
  }

  private static void startWaiting(LocalEngine engine, Plan plan, List<RunHandle> handles, int total) throws Exception {
    while (handles.size() < total) {
      handles.add(engine.start(plan));
    }
    for (RunHandle handle : handles) {
      while (handle.waits().isEmpty()) {
        Thread.sleep(1);
      }
    }
    Thread.sleep(500);
  }

  /** The threads and heap per run of the design Otto avoids: a thread blocked for each waiting run. */
  private static int[] blockedThreadsReference(int runs) throws Exception {
    long before = usedAfterGc();
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> blocked = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Thread thread = new Thread(() -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      thread.start();
      blocked.add(thread);
    }
    int count = threads();
    long heap = usedAfterGc() - before;
    release.countDown();
    for (Thread thread : blocked) {
      thread.join();
    }
    return new int[] {count, (int) (heap / runs)};
  }

  private static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
