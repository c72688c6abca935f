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
 * The lines of runs for each lock ({@link LockLine}), shared by every engine whose runs folder it
 * is in: one file per lock under {@code <runs>/.locks}, read and written whole under an
 * operating-system lock on a file beside it, so that engines in several processes share it and it
 * outlives them all. A run counts as running while some engine holds its journal's lease.
 *
 * <p>What the table decides for a run is told as {@link Notice notices}, which the engine hands to
 * its own runs; a run of another engine hears of them when it asks again ({@link #request}), as it
 * does every so often while it holds or waits for the lock.
 */
final class LockTable {
  /** What a run hears from the table about its stage's lock. */
  record Notice(String run, String stage, String lock, boolean granted, Optional<String> byRun) {}

  /** One monitor per lock file in this JVM: the operating system does not tell threads of one process apart. */
  private static final Map<Path, Object> GUARDS = new ConcurrentHashMap<>();

  private final Path folder;
  private final Predicate<String> running;

  /** A table in {@code folder}; {@code running} tells whether a run is running in some engine, here or elsewhere. */
  LockTable(Path folder, Predicate<String> running) {
    this.folder = folder;
    this.running = running;
  }

  /** Asks for {@code lock} for a stage, or asks again, as {@link LockLine#request} says. */
  List<Notice> request(String lock, LockMode mode, String run, String stage, boolean held) {
    return update(lock, line -> line.request(mode, run, stage, held, running));
  }

  /** The stage no longer holds {@code lock} nor waits for it: the next in line gets it. */
  List<Notice> release(String lock, String run, String stage) {
    return update(lock, line -> line.release(run, stage, running));
  }

  /** Whether the stage holds {@code lock}, as far as the table knows. */
  boolean holds(String lock, String run, String stage) {
    boolean[] holds = new boolean[1];
    update(lock, line -> {
      holds[0] = line.holds(run, stage);
      return List.of();
    });
    return holds[0];
  }

  private interface Change {
    /** Changes the line in place; returns what to tell runs. */
    List<LockLine.Notice> apply(LockLine line);
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
          LockLine line = read(file);
          List<LockLine.Notice> notices = change.apply(line);
          write(file, line);
          return notices.stream().map(n -> new Notice(n.run(), n.stage(), lock, n.granted(), n.byRun())).toList();
        }
      } catch (IOException e) {
        throw new OttoException("the line of lock '" + lock + "' in " + folder + " could not be read or written: "
            + e.getMessage(), e);
      }
    }
  }

  private static LockLine read(Path file) throws IOException {
    List<LockLine.Request> requests = new ArrayList<>();
    if (Files.exists(file)) {
      for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        Map<String, String> entry = Entries.decode(text);
        if (entry != null && "request".equals(entry.get("t"))) {
          requests.add(new LockLine.Request(entry.get("run"), entry.get("stage"), LockMode.valueOf(entry.get("mode")),
              LockLine.State.valueOf(entry.get("state")), entry.get("by")));
        }
      }
    }
    return new LockLine(requests);
  }

  /** Writes the line to a file beside the old one, then moves it over: a crash leaves one or the other whole. */
  private static void write(Path file, LockLine line) throws IOException {
    StringBuilder text = new StringBuilder();
    for (LockLine.Request r : line.requests()) {
      text.append(Entries.encode("request", "run", r.run(), "stage", r.stage(), "mode", r.mode().name(), "state",
          r.state().name(), "by", r.by())).append('\n');
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
