package dev.otto.core.engine;

import dev.otto.core.OttoException;
import dev.otto.core.model.LockMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The lines of runs for each lock, shared by every engine whose runs folder it is in: one file per
 * lock under {@code <runs>/.locks}, read and written whole under an operating-system lock on a
 * file beside it, so that engines in several processes share it and it outlives them all.
 *
 * <p>A lock's file lists requests in the order they came, one per stage of a run: the holder,
 * those waiting, and those superseded or asked to give way that their run has not heard of yet.
 * The first waiting request gets the lock once no one holds it. A request whose run is not
 * running anywhere (no engine holds its journal's lease) is passed over: a holder that died gives
 * its lock up, and a dead run waiting at the head of the line leaves it, to ask again at the back
 * when it is resumed; a dead run further back keeps its place.
 *
 * <p>What the table decides for a run is told as {@link Notice notices}, which the engine hands to
 * its own runs; a run of another engine hears of them when it asks again ({@link #request}), as it
 * does every so often while it holds or waits for the lock.
 */
final class LockTable {
  /** What a run hears from the table: its stage got the lock, or lost it (or its place) to {@code byRun}. */
  record Notice(String run, String stage, String lock, boolean granted, Optional<String> byRun) {}


  private enum State { WAITING, HOLDING, SUPERSEDED }

  /** A request in a lock's line; {@code by} is the newer run that superseded it or that it must give way to. */
  private static final class Request {
    final String run;
    final String stage;
    final LockMode mode;
    State state;
    String by;

    Request(String run, String stage, LockMode mode, State state, String by) {
      this.run = run;
      this.stage = stage;
      this.mode = mode;
      this.state = state;
      this.by = by;
    }

    boolean is(String run, String stage) {
      return this.run.equals(run) && this.stage.equals(stage);
    }
  }

  /** One monitor per lock file in this JVM: the operating system does not tell threads of one process apart. */
  private static final Map<Path, Object> GUARDS = new ConcurrentHashMap<>();

  private final Path folder;
  private final Predicate<String> running;

  /** A table in {@code folder}; {@code running} tells whether a run is running in some engine, here or elsewhere. */
  LockTable(Path folder, Predicate<String> running) {
    this.folder = folder;
    this.running = running;
  }

  /**
   * Asks for {@code lock} for a stage, or asks again. A request in line keeps its place; a new one
   * goes at the back, and in {@link LockMode#NEWEST_WINS} or {@link LockMode#CANCEL_IN_PROGRESS}
   * supersedes the requests of other runs waiting before it (and, in the latter, asks the holder
   * to give way). {@code held} asks whether the stage still holds a lock it held before its host
   * stopped: if not, it is told it lost it, and is not put in line.
   */
  List<Notice> request(String lock, LockMode mode, String run, String stage, boolean held) {
    return update(lock, line -> {
      List<Notice> notices = new ArrayList<>();
      Request mine = line.stream().filter(r -> r.is(run, stage)).findFirst().orElse(null);
      if (mine == null && held) {
        notices.add(new Notice(run, stage, lock, false, Optional.empty()));
      } else if (mine == null) {
        if (mode != LockMode.QUEUE) {
          for (Request other : line) {
            boolean waiting = other.state == State.WAITING;
            if (!other.run.equals(run) && (waiting || other.state == State.HOLDING
                && mode == LockMode.CANCEL_IN_PROGRESS)) {
              other.state = waiting ? State.SUPERSEDED : State.HOLDING;
              other.by = run;
              notices.add(new Notice(other.run, other.stage, lock, false, Optional.of(run)));
            }
          }
        }
        line.add(new Request(run, stage, mode, State.WAITING, null));
      } else if (mine.state == State.SUPERSEDED || mine.by != null) {
        notices.add(new Notice(run, stage, lock, false, Optional.of(mine.by)));
      } else if (mine.state == State.HOLDING && !held) {
        notices.add(new Notice(run, stage, lock, true, Optional.empty()));
      }
      grant(lock, line, notices);
      return notices;
    });
  }

  /** The stage no longer holds {@code lock} nor waits for it: the next in line gets it. */
  List<Notice> release(String lock, String run, String stage) {
    return update(lock, line -> {
      line.removeIf(r -> r.is(run, stage));
      List<Notice> notices = new ArrayList<>();
      grant(lock, line, notices);
      return notices;
    });
  }

  /** Whether the stage holds {@code lock}, as far as the table knows. */
  boolean holds(String lock, String run, String stage) {
    boolean[] holds = new boolean[1];
    update(lock, line -> {
      holds[0] = line.stream().anyMatch(r -> r.is(run, stage) && r.state == State.HOLDING);
      return List.of();
    });
    return holds[0];
  }

  /** Gives the lock to the first waiting request once no live run holds it, passing over dead runs. */
  private void grant(String lock, List<Request> line, List<Notice> notices) {
    if (line.stream().noneMatch(r -> r.state == State.WAITING)) {
      return;
    }
    while (true) {
      Request holder = line.stream().filter(r -> r.state == State.HOLDING).findFirst().orElse(null);
      if (holder != null && running.test(holder.run)) {
        return;
      }
      if (holder != null) {
        line.remove(holder);
        continue;
      }
      Request next = line.stream().filter(r -> r.state == State.WAITING).findFirst().orElse(null);
      if (next == null) {
        return;
      }
      if (!running.test(next.run)) {
        line.remove(next);
        continue;
      }
      next.state = State.HOLDING;
      notices.add(new Notice(next.run, next.stage, lock, true, Optional.empty()));
      return;
    }
  }

  private interface Change {
    /** Changes the line in place; returns what to tell runs. */
    List<Notice> apply(List<Request> line);
  }

  /** Reads the lock's line, changes it and writes it back, all under the lock's file lock. */
  private List<Notice> update(String lock, Change change) {
    Path file = folder.resolve(lock + ".line");
    Path guard = folder.resolve(lock + ".guard");
    synchronized (GUARDS.computeIfAbsent(guard.toAbsolutePath().normalize(), k -> new Object())) {
      try {
        Files.createDirectories(folder);
        try (FileChannel channel = FileChannel.open(guard, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = channel.lock()) {
          List<Request> line = read(file);
          List<Notice> notices = change.apply(line);
          write(file, line);
          return notices;
        }
      } catch (IOException e) {
        throw new OttoException("the line of lock '" + lock + "' in " + folder + " could not be read or written: "
            + e.getMessage(), e);
      }
    }
  }

  private static List<Request> read(Path file) throws IOException {
    List<Request> line = new ArrayList<>();
    if (!Files.exists(file)) {
      return line;
    }
    for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      Map<String, String> entry = Entries.decode(text);
      if (entry != null && "request".equals(entry.get("t"))) {
        line.add(new Request(entry.get("run"), entry.get("stage"), LockMode.valueOf(entry.get("mode")),
            State.valueOf(entry.get("state")), entry.get("by")));
      }
    }
    return line;
  }

  /** Writes the line to a file beside the old one, then moves it over: a crash leaves one or the other whole. */
  private static void write(Path file, List<Request> line) throws IOException {
    StringBuilder text = new StringBuilder();
    for (Request r : line) {
      text.append(Entries.encode("request", "run", r.run, "stage", r.stage, "mode", r.mode.name(), "state",
          r.state.name(), "by", r.by)).append('\n');
    }
    Path next = file.resolveSibling(file.getFileName() + ".next");
    try (FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
      out.force(true);
    }
    Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
