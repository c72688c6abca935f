package dev.otto.testkit.simulation;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** The engine's work, queued and run on the test's thread when the simulation drains it. */
final class TaskQueue implements Executor {
  private final Queue<Runnable> tasks = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(task);
  }

  /** Runs queued tasks, and the tasks they queue, until none is left. */
  void drain() {
    while (true) {
      Runnable task;
      synchronized (this) {
        task = tasks.poll();
      }
      if (task == null) {
        return;
      }
      task.run();
    }
  }
}
