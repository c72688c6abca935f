package dev.otto.core.engine;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives one run's events to the engine's listeners, in order, without letting a listener hold up
 * a step's output, in bounded memory.
 *
 * <p>Output lines are queued and delivered on a thread of the feed's own; the thread reading a
 * step's output only adds to the queue. Every other event is delivered in the thread that emits
 * it, after the lines queued before it, so a listener sees a step's lines before the step's end,
 * and has seen every event when the run's result completes. The queue keeps at most
 * {@link #MAX_QUEUED_BYTES} of output in memory; while listeners are further behind, lines are
 * spooled to a file of the run's folder and read back in order, so no line is lost and memory
 * stays bounded whatever the output's size. Lines are masked before they get here.
 */
final class EventFeed {
  private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
  /** Output waiting for slow listeners in memory, counted roughly as the heap it takes. */
  static final long MAX_QUEUED_BYTES = 8L << 20;

  /** One thread delivers queued lines for every run; it only runs listeners. */
  private static final ExecutorService DELIVERY = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "otto-events");
    thread.setDaemon(true);
    return thread;
  });

  private final List<RunListener> listeners;
  private final Path spoolFile;
  /** Held while listeners are called: one event at a time, in order. */
  private final Object delivering = new Object();
  /** Guards the queue, the spool and {@link #scheduled}; never held while a listener runs. */
  private final Object queueing = new Object();
  private ArrayDeque<RunEvent.OutputLine> queue = new ArrayDeque<>();
  private long queuedBytes;
  private boolean scheduled;
  private Spool spool;
  private boolean spoolFailed;

  EventFeed(List<RunListener> listeners, Path spoolFile) {
    this.listeners = listeners;
    this.spoolFile = spoolFile;
  }

  void emit(RunEvent event) {
    if (listeners.isEmpty()) {
      return;
    }
    if (event instanceof RunEvent.OutputLine line) {
      queue(line);
      return;
    }
    synchronized (delivering) {
      drainLocked();
      deliver(event);
    }
  }

  private void queue(RunEvent.OutputLine line) {
    boolean schedule;
    synchronized (queueing) {
      if (spool == null && queuedBytes + size(line) > MAX_QUEUED_BYTES && !spoolFailed) {
        try {
          spool = Spool.open(spoolFile);
        } catch (UncheckedIOException e) {
          spoolFailed = true;
          LOG.warn("listeners fell behind and {} could not be written ({}); lines wait for them in memory",
              spoolFile, e.getCause().toString());
        }
      }
      if (spool != null) {
        spool.write(line);
      } else {
        queue.addLast(line);
        queuedBytes += size(line);
      }
      schedule = !scheduled;
      scheduled = true;
    }
    if (schedule) {
      DELIVERY.execute(this::drainQueued);
    }
  }

  private void drainQueued() {
    try {
      synchronized (delivering) {
        drainLocked();
      }
    } catch (RuntimeException | Error e) {
      // Whatever stopped this thread, the next line queued schedules it again.
      synchronized (queueing) {
        scheduled = false;
      }
      throw e;
    }
  }

  /**
   * Delivers the lines queued, in memory then spooled, until none is left; then the feed's thread
   * is no longer scheduled, so a step printing faster than listeners take its lines wakes that
   * thread once, not once a line. Lines in memory are taken all at once, one lock for many lines;
   * they count against the feed's memory until delivered. Caller holds {@link #delivering}.
   */
  private void drainLocked() {
    while (true) {
      ArrayDeque<RunEvent.OutputLine> batch = null;
      RunEvent.OutputLine spooled = null;
      synchronized (queueing) {
        if (!queue.isEmpty()) {
          batch = queue;
          queue = new ArrayDeque<>();
        } else if (spool != null) {
          spooled = spool.read();
          if (spooled == null) {
            spool.delete();
            spool = null;
          }
        }
        if (batch == null && spooled == null) {
          scheduled = false;
          return;
        }
      }
      if (spooled != null) {
        deliver(spooled);
        continue;
      }
      long delivered = 0;
      for (RunEvent.OutputLine line : batch) {
        deliver(line);
        delivered += size(line);
      }
      synchronized (queueing) {
        queuedBytes -= delivered;
      }
    }
  }

  private static long size(RunEvent.OutputLine line) {
    return 96L + 2L * line.line().length() + 2L * line.stage().length();
  }

  private void deliver(RunEvent event) {
    for (RunListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("a run listener failed on {}: {}", event.getClass().getSimpleName(), e.toString());
      }
    }
  }

  /** Lines written to a file and read back in order; lines of one run, already masked. */
  private static final class Spool {
    private final Path file;
    private final DataOutputStream out;
    private final FileChannel channel;
    private final DataInputStream in;
    private long written;
    private long flushed;
    private long read;

    private Spool(Path file, DataOutputStream out, FileChannel channel) {
      this.file = file;
      this.out = out;
      this.channel = channel;
      InputStream raw = Channels.newInputStream(channel);
      this.in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16));
    }

    static Spool open(Path file) {
      try {
        Files.createDirectories(file.getParent());
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
            StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), 1 << 16));
        return new Spool(file, out, FileChannel.open(file, StandardOpenOption.READ));
      } catch (IOException e) {
        throw new UncheckedIOException("could not spool step output to " + file, e);
      }
    }

    void write(RunEvent.OutputLine line) {
      try {
        out.writeUTF(line.run());
        out.writeLong(line.at().getEpochSecond());
        out.writeInt(line.at().getNano());
        out.writeUTF(line.stage());
        out.writeInt(line.step());
        byte[] text = line.line().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(text.length);
        out.write(text);
        written++;
      } catch (IOException e) {
        throw new UncheckedIOException("could not spool step output to " + file, e);
      }
    }

    /** The next line, or null when every line written was read. */
    RunEvent.OutputLine read() {
      if (read == written) {
        return null;
      }
      try {
        if (read >= flushed) {
          out.flush();
          flushed = written;
        }
        String run = in.readUTF();
        Instant at = Instant.ofEpochSecond(in.readLong(), in.readInt());
        String stage = in.readUTF();
        int step = in.readInt();
        byte[] text = in.readNBytes(in.readInt());
        read++;
        return new RunEvent.OutputLine(run, at, stage, step,
            new String(text, java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("could not read spooled step output from " + file, e);
      }
    }

    void delete() {
      try {
        out.close();
        in.close();
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.debug("could not delete the output spool {}: {}", file, e.toString());
      }
    }
  }
}
