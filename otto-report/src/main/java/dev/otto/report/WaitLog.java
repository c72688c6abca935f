package dev.otto.report;

import dev.otto.core.engine.RunEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The waits of a run as its events tell them: when each began, how and when it ended, who
 * decided, and how many times a poll probed. Keyed by stage and wait id, in the order they began.
 */
final class WaitLog {
  /** One wait: its start, its end if it ended, and the probes of a poll. */
  record Entry(RunEvent.WaitStarted started, Optional<RunEvent.WaitEnded> ended, int attempts) {}

  private final Map<String, RunEvent.WaitStarted> started = new LinkedHashMap<>();
  private final Map<String, RunEvent.WaitEnded> ended = new LinkedHashMap<>();
  private final Map<String, Integer> attempts = new LinkedHashMap<>();

  WaitLog(List<RunEvent> events) {
    for (RunEvent event : events) {
      if (event instanceof RunEvent.WaitStarted wait) {
        // A wait restored on resume starts again: the first start is when the run began waiting.
        started.putIfAbsent(key(wait.stage(), wait.waitId()), wait);
      } else if (event instanceof RunEvent.WaitEnded wait) {
        ended.put(key(wait.stage(), wait.waitId()), wait);
      } else if (event instanceof RunEvent.PollAttempt attempt) {
        attempts.merge(key(attempt.stage(), attempt.waitId()), 1, Integer::sum);
      }
    }
  }

  /** The wait {@code waitId} of stage {@code stage}, if the run began it. */
  Optional<Entry> get(String stage, String waitId) {
    String key = key(stage, waitId);
    RunEvent.WaitStarted start = started.get(key);
    return start == null ? Optional.empty()
        : Optional.of(new Entry(start, Optional.ofNullable(ended.get(key)), attempts.getOrDefault(key, 0)));
  }

  /** Every wait of stage {@code stage} the run began, in order. */
  List<Entry> of(String stage) {
    return started.values().stream().filter(w -> w.stage().equals(stage))
        .map(w -> get(w.stage(), w.waitId()).orElseThrow()).toList();
  }

  private static String key(String stage, String waitId) {
    return stage + "#" + waitId;
  }
}
