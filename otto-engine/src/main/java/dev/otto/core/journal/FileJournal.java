package dev.otto.core.journal;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A journal of plain files: {@code <root>/<run>/journal.log} holds one line per entry, each
 * prefixed with the CRC32C of its text. The lease is an operating-system lock on
 * {@code <root>/<run>/journal.lock}, so it is released when the holding process dies, however it
 * dies, and a run waiting in an engine costs two open files.
 *
 * <p>The lock has a file of its own because POSIX locks belong to a process, not to a channel:
 * a process that closes <em>any</em> descriptor of a locked file loses its lock on it. Nothing
 * but the lease ever opens the lock file, so reading a log (here, in a report, in a test) can
 * never drop a lease. Within one JVM, where the operating system would grant a second lock to the
 * same process, a registry of held leases refuses the second holder before it opens anything.
 *
 * <p>Every append, of one entry or of {@link RunLog#append(List) several together}, is written to
 * the file before it returns, in one write unless the file system takes less, so entries survive the death of the process as soon as {@link RunLog#append}
 * returns; {@link RunLog#sync()} forces them to the disk, so they also
 * survive the machine's. A process killed in the middle of a write leaves at most one damaged
 * entry at the end: opening the log drops it and goes on from the last whole entry. A damaged
 * entry followed by whole ones means the file was altered, and opening it fails.
 *
 * <p>Syncs are group commits: one disk flush covers every entry appended before it began, and
 * whoever waits for an entry ({@link RunLog#sync()}, or the future of {@link RunLog#syncAsync()})
 * is released by the first flush that covers it. {@link RunLog#syncAsync()} requests a flush in
 * the background on one thread shared by every journal. Background flushes of one log begin at
 * most once every {@link #DEFAULT_SPACING 2 ms} (see {@link #batched}): a request after a quiet
 * spell flushes at once, and the outcomes of a burst of short processes share a flush instead of
 * each paying for one. So an entry waits for at most the spacing and one flush, or the end of the
 * flush that runs and the whole next one, when its log is the only one waiting; the one thread
 * flushes logs one after the other, so with several runs' logs waiting, an entry may also wait
 * for one flush of each log ahead of it.
 *
 * <p>What a machine crash (a power loss, not the death of the process) can take: the entries
 * appended after the last completed flush began. The engine flushes, and waits, before it acts on
 * what must not happen twice (a decision, a callback, a cancel, a saved cache or artifact, a
 * webhook's token, the run's end); the outcome of a process it flushes in the background while
 * the stage goes on. So a machine crash can lose the outcomes of the processes that ended within
 * the spacing and one flush before it (2 ms and a flush by default; and a flush of each other
 * run's log waiting at the same time), and those processes run again on resume, in order, as
 * one in flight does. What a completed flush covered is never lost.
 *
 * <p>A write or a flush that fails (a full disk, an I/O error) leaves what is on the disk
 * unknown: the log takes no more entries, and the engine stops the run, which can be resumed from
 * what was written once the disk works again. A write that failed part-way is cut off the end of
 * the file, or stays as a damaged last entry, which opening the log drops. A thread that was
 * interrupted appends and syncs as any other, and stays interrupted. If the file system kept a later write of the file but not an earlier one, the
 * log would hold a damaged entry before whole ones, and opening it fails rather than resume from
 * a wrong state.
 */
public final class FileJournal implements Journal {
  private static final Logger LOG = LoggerFactory.getLogger(FileJournal.class);
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final String LOG_FILE = "journal.log";
  static final String LOCK_FILE = "journal.lock";

  /** The lock files whose lease this JVM holds; the operating system does not tell its threads apart. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  /** One thread syncs logs in the background for every journal; group commit merges its requests. */
  private static final ScheduledExecutorService SYNCER = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "otto-journal-sync");
    thread.setDaemon(true);
    return thread;
  });

  /** The least time between the beginnings of two background flushes of one log, by default. */
  public static final Duration DEFAULT_SPACING = Duration.ofMillis(2);

  private final Path root;
  /** The least time between the beginnings of two background flushes of one log. */
  private final Duration batch;

  private FileJournal(Path root, Duration batch) {
    this.root = root.toAbsolutePath().normalize();
    this.batch = batch;
  }

  /**
   * A journal keeping each run's files in a directory of {@code root} named after the run, that
   * flushes outcomes to the disk in the background by group commit, beginning a flush at most
   * every {@link #DEFAULT_SPACING 2 ms} (see above).
   */
  public static FileJournal in(Path root) {
    return new FileJournal(requireNonNull(root, "root"), DEFAULT_SPACING);
  }

  /**
   * A copy whose background flushes of a log begin at most once every {@code spacing}: the
   * first request after a quiet spell flushes at once, later ones wait for the spacing to pass
   * and share one flush. Zero begins a flush as soon as the one before ends. Waits, decisions,
   * callbacks and a run's end are synced before the engine answers whatever the spacing, and
   * entries always survive the death of the host process; what a longer spacing adds to the risk
   * is the death of the machine within it of a process ending, after which that process runs
   * again on resume, as one in flight does. A longer spacing saves disk flushes (and a disk
   * shared with other work the load of them) for runs of very many very short steps.
   *
   * @throws IllegalArgumentException if {@code spacing} is negative or longer than 1 s
   */
  public FileJournal batched(Duration spacing) {
    requireNonNull(spacing, "spacing");
    if (spacing.isNegative() || spacing.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException("the spacing of background flushes must be from 0 to 1 s, not " + spacing);
    }
    return new FileJournal(root, spacing);
  }

  /** As {@link #batched}, without its limit, for tests that must not depend on the machine's speed. */
  FileJournal spaced(Duration spacing) {
    return new FileJournal(root, spacing);
  }

  /** The directory the run's journal files are in. */
  public Path directory(String runId) {
    return root.resolve(checkRunId(runId));
  }

  @Override
  public RunLog create(String runId) {
    Path dir = directory(runId);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new JournalException(JournalException.Reason.IO, "could not create the journal of run '" + runId + "' in "
          + dir, e);
    }
    Lease lease = Lease.take(dir, runId);
    try {
      FileChannel channel = FileChannel.open(dir.resolve(LOG_FILE), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      // A new file's name is in its folder, whose own flush makes it outlive a machine crash.
      syncFolder(dir);
      syncFolder(dir.getParent());
      return new FileRunLog(runId, List.of(), channel, lease);
    } catch (FileAlreadyExistsException e) {
      lease.release();
      throw new JournalException(JournalException.Reason.EXISTS, "run '" + runId + "' already has a journal in " + dir
          + "; resume it, or start a new run with another id", e);
    } catch (IOException e) {
      lease.release();
      throw new JournalException(JournalException.Reason.IO, "could not create the journal of run '" + runId + "' in "
          + dir, e);
    }
  }

  @Override
  public RunLog open(String runId) {
    Path dir = directory(runId);
    Path file = dir.resolve(LOG_FILE);
    if (!Files.isRegularFile(file)) {
      throw notFound(runId, file);
    }
    Lease lease = Lease.take(dir, runId);
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      lease.release();
      throw notFound(runId, file);
    } catch (IOException e) {
      lease.release();
      throw new JournalException(JournalException.Reason.IO, "could not open the journal of run '" + runId + "'", e);
    }
    try {
      Scan scan = scan(runId, file, readAll(channel));
      if (scan.validBytes() < channel.size()) {
        LOG.warn("the journal of run '{}' ended in a damaged entry ({} bytes); it was dropped and the run goes on "
            + "from the entry before it", runId, channel.size() - scan.validBytes());
        channel.truncate(scan.validBytes());
        channel.force(true);
      }
      channel.position(scan.validBytes());
      return new FileRunLog(runId, scan.entries(), channel, lease);
    } catch (IOException e) {
      closeQuietly(channel);
      lease.release();
      throw new JournalException(JournalException.Reason.IO, "could not open the journal of run '" + runId + "'", e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      lease.release();
      throw e;
    }
  }

  private static byte[] readAll(FileChannel channel) throws IOException {
    long size = channel.size();
    if (size > Integer.MAX_VALUE - 8) {
      throw new IOException("the journal is larger than 2 GiB");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) size);
    channel.position(0);
    while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
      // read on: a channel may return fewer bytes than asked
    }
    return buffer.array();
  }

  @Override
  public List<String> read(String runId) {
    Path file = directory(runId).resolve(LOG_FILE);
    if (!Files.isRegularFile(file)) {
      throw notFound(runId, file);
    }
    try {
      return scan(runId, file, Files.readAllBytes(file)).entries();
    } catch (IOException e) {
      throw new JournalException(JournalException.Reason.IO, "could not read the journal of run '" + runId + "'", e);
    }
  }

  private static JournalException notFound(String runId, Path file) {
    return new JournalException(JournalException.Reason.NOT_FOUND, "run '" + runId + "' has no journal (" + file
        + " does not exist); check the run id and the journal's directory");
  }

  /**
   * Refuses what cannot be a run's id here: 1 to 128 letters, digits, '.', '_' or '-', starting
   * with a letter or digit.
   *
   * @throws IllegalArgumentException naming the id and the rule
   */
  public static String checkRunId(String runId) {
    requireNonNull(runId, "runId");
    if (!RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("'" + runId + "' is not a run id: use 1 to 128 letters, digits, '.', '_' or "
          + "'-', starting with a letter or digit");
    }
    return runId;
  }

  /** The whole entries of a file, and how many bytes they take. */
  record Scan(List<String> entries, long validBytes) {}

  static Scan scan(String runId, Path file, byte[] bytes) {
    ImmutableList.Builder<String> entries = ImmutableList.builder();
    int start = 0;
    int number = 0;
    while (start < bytes.length) {
      int end = indexOf(bytes, (byte) '\n', start);
      String entry = end < 0 ? null : decode(bytes, start, end);
      if (entry == null) {
        int damaged = number + 1;
        if (end >= 0 && hasWholeEntryAfter(bytes, end + 1)) {
          throw new JournalException(JournalException.Reason.CORRUPT, "entry " + damaged + " of the journal of run '"
              + runId + "' (" + file + ") is damaged and whole entries follow it, so the run's state cannot be rebuilt "
              + "safely; restart the run from one of its stages instead of resuming it");
        }
        return new Scan(entries.build(), start);
      }
      entries.add(entry);
      number++;
      start = end + 1;
    }
    return new Scan(entries.build(), start);
  }

  private static boolean hasWholeEntryAfter(byte[] bytes, int from) {
    int start = from;
    while (start < bytes.length) {
      int end = indexOf(bytes, (byte) '\n', start);
      if (end < 0) {
        return false;
      }
      if (decode(bytes, start, end) != null) {
        return true;
      }
      start = end + 1;
    }
    return false;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** The entry of a line {@code <crc> <text>}, or null when the line is damaged. */
  private static String decode(byte[] bytes, int start, int end) {
    if (end - start < 9 || bytes[start + 8] != ' ') {
      return null;
    }
    long expected;
    try {
      expected = Long.parseLong(new String(bytes, start, 8, StandardCharsets.US_ASCII), 16);
    } catch (NumberFormatException e) {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, start + 9, end - start - 9);
    return crc.getValue() == expected ? new String(bytes, start + 9, end - start - 9, StandardCharsets.UTF_8) : null;
  }

  static byte[] encode(String entry) {
    byte[] text = entry.getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(text);
    byte[] line = new byte[text.length + 10];
    byte[] prefix = (HexFormat.of().toHexDigits((int) crc.getValue()) + " ").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(prefix, 0, line, 0, 9);
    System.arraycopy(text, 0, line, 9, text.length);
    line[line.length - 1] = '\n';
    return line;
  }

  /**
   * The right to append to one run's log: the operating-system lock on its lock file, held by
   * this JVM's registry too, until {@link #release()}.
   */
  private record Lease(Path file, FileChannel channel, FileLock lock) {

    static Lease take(Path dir, String runId) {
      Path file = identity(dir.resolve(LOCK_FILE));
      if (!HELD.add(file)) {
        throw leased(runId, file);
      }
      FileChannel channel;
      try {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      } catch (IOException e) {
        HELD.remove(file);
        throw new JournalException(JournalException.Reason.IO, "could not open the lock file " + file, e);
      }
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      } catch (IOException e) {
        closeQuietly(channel);
        HELD.remove(file);
        throw new JournalException(JournalException.Reason.IO, "could not lock " + file, e);
      }
      if (lock == null) {
        closeQuietly(channel);
        HELD.remove(file);
        throw leased(runId, file);
      }
      return new Lease(file, channel, lock);
    }

    /**
     * The lock file's real path, created if missing. An exclusive create that finds the file opens
     * no descriptor, so it cannot drop a lock this JVM holds through another path to it.
     */
    private static Path identity(Path file) {
      try {
        try {
          Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
          // another engine made it first: the lock decides who holds the run
        }
        return file.toRealPath();
      } catch (IOException e) {
        throw new JournalException(JournalException.Reason.IO, "could not create the lock file " + file, e);
      }
    }

    void release() {
      try {
        lock.release();
      } catch (IOException e) {
        LOG.debug("releasing the lock {} failed: {}", file, e.toString());
      }
      closeQuietly(channel);
      HELD.remove(file);
    }

    private static JournalException leased(String runId, Path file) {
      return new JournalException(JournalException.Reason.LEASED, "run '" + runId + "' is held by another engine "
          + "(the lock on " + file + " is taken); only one engine at a time may run it");
    }
  }

  /** Flushes a folder's entries to the disk, where the system lets a folder be opened for it. */
  private static void syncFolder(Path folder) {
    if (folder == null) {
      return;
    }
    boolean interrupted = Thread.interrupted();
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug("could not flush the folder {}: {}", folder, e.toString());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing a journal file failed: {}", e.toString());
    }
  }

  private final class FileRunLog implements RunLog {
    private final String runId;
    private final List<String> entries;
    private final FileChannel channel;
    private final Lease lease;
    private final Object syncing = new Object();
    /** The background sync requested and not yet begun, guarded by this log; null when none is. */
    private CompletableFuture<Void> next;
    /** When the last background sync began ({@link System#nanoTime()}), guarded by this log. */
    private long lastBegan = System.nanoTime() - batch.toNanos();
    private boolean closed;
    /**
     * Why the log takes no more entries: a write or a sync failed, and what is on the disk is no
     * longer known; guarded by this log. A write that failed part-way is cut off again where it
     * can be, and is a torn last line, which reading drops, where it cannot.
     */
    private JournalException failed;
    /** Entries appended, and entries known to be on the disk; the second guarded by {@link #syncing}. */
    private long appended;
    private long synced;

    FileRunLog(String runId, List<String> entries, FileChannel channel, Lease lease) {
      this.runId = runId;
      this.entries = List.copyOf(entries);
      this.channel = channel;
      this.lease = lease;
    }

    @Override
    public String runId() {
      return runId;
    }

    @Override
    public List<String> entries() {
      return entries;
    }

    @Override
    public void append(String entry) {
      write(ByteBuffer.wrap(line(entry)), 1);
    }

    /** Writes the entries with one call to the file system. */
    @Override
    public void append(List<String> entries) {
      if (entries.size() == 1) {
        append(entries.get(0));
        return;
      }
      List<byte[]> lines = new ArrayList<>(entries.size());
      int length = 0;
      for (String entry : entries) {
        byte[] line = line(entry);
        lines.add(line);
        length += line.length;
      }
      ByteBuffer buffer = ByteBuffer.allocate(length);
      lines.forEach(buffer::put);
      write(buffer.flip(), lines.size());
    }

    private byte[] line(String entry) {
      requireNonNull(entry, "entry");
      if (entry.indexOf('\n') >= 0 || entry.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("a journal entry is one line; this one holds a line break");
      }
      return encode(entry);
    }

    private void write(ByteBuffer buffer, int count) {
      if (!buffer.hasRemaining()) {
        return;
      }
      synchronized (this) {
        checkOpen();
        // An interrupted thread's write would close the channel for every later one.
        boolean interrupted = Thread.interrupted();
        long start = -1;
        try {
          start = channel.position();
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
        } catch (IOException e) {
          failed = new JournalException(JournalException.Reason.IO, "could not append to the journal of run '" + runId
              + "'", e);
          cutBack(start);
          throw failed;
        } finally {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
        appended += count;
      }
    }

    /** Takes a write that failed part-way off the end of the file, where it can. */
    private void cutBack(long start) {
      if (start < 0) {
        return;
      }
      try {
        channel.truncate(start);
      } catch (IOException e) {
        LOG.warn("the journal of run '{}' keeps the start of an entry that could not be written: {}", runId,
            e.toString());
      }
    }

    /**
     * Group commit: a thread that finds another syncing waits for it, and returns at once when
     * that sync covered its entries.
     */
    @Override
    public void sync() {
      long wanted;
      synchronized (this) {
        checkOpen();
        wanted = appended;
      }
      synchronized (syncing) {
        if (synced >= wanted) {
          return;
        }
        long covering;
        synchronized (this) {
          covering = appended;
        }
        boolean interrupted = Thread.interrupted();
        try {
          channel.force(false);
        } catch (IOException e) {
          // A failed sync may have dropped written pages, and a later one would not say so.
          JournalException failure = new JournalException(JournalException.Reason.IO, "could not sync the journal of "
              + "run '" + runId + "'", e);
          synchronized (this) {
            failed = failure;
          }
          throw failure;
        } finally {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
        synced = covering;
      }
    }

    /**
     * Group commit in the background: the first request after a sync began schedules the next
     * sync (at once, or after the batch delay), later requests join it, and that one sync covers
     * every entry appended before it began. The syncer is never idle while an entry waits.
     */
    @Override
    public CompletableFuture<Void> syncAsync() {
      CompletableFuture<Void> joined;
      long wait;
      synchronized (this) {
        checkOpen();
        if (next != null) {
          return next;
        }
        next = new CompletableFuture<>();
        joined = next;
        wait = lastBegan + batch.toNanos() - System.nanoTime();
      }
      if (wait <= 0) {
        SYNCER.execute(this::syncRequested);
      } else {
        SYNCER.schedule(this::syncRequested, wait, TimeUnit.NANOSECONDS);
      }
      return joined;
    }

    /** Syncs for the requests made until now; a request made from here on asks for another sync. */
    private void syncRequested() {
      CompletableFuture<Void> requested;
      synchronized (this) {
        requested = next;
        next = null;
        lastBegan = System.nanoTime();
        if (closed) {
          // Closing synced every entry.
          requested.complete(null);
          return;
        }
      }
      try {
        sync();
        requested.complete(null);
      } catch (RuntimeException e) {
        synchronized (this) {
          if (closed) {
            requested.complete(null);
            return;
          }
        }
        LOG.warn("a background sync of the journal of run '{}' failed: {}", runId, e.toString());
        requested.completeExceptionally(e);
      }
    }

    private void checkOpen() {
      if (closed) {
        throw new IllegalStateException("the journal of run '" + runId + "' was closed");
      }
      if (failed != null) {
        throw new JournalException(JournalException.Reason.IO, "the journal of run '" + runId + "' takes no more "
            + "entries: " + failed.getMessage() + " (" + failed.getCause() + ")", failed);
      }
    }

    @Override
    public void close() {
      synchronized (syncing) {
        synchronized (this) {
          closeLocked();
        }
      }
    }

    private void closeLocked() {
      if (closed) {
        return;
      }
      try {
        channel.force(false);
      } catch (IOException e) {
        LOG.warn("the journal of run '{}' could not be synced when closed: {}", runId, e.toString());
      }
      closed = true;
      closeQuietly(channel);
      lease.release();
    }
  }
}
