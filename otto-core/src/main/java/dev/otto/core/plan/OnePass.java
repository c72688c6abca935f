package dev.otto.core.plan;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Takes a plan's indented JSON, written without its fingerprint, and gives it back with the
 * fingerprint in its place: what lets the JSON be written once where it would be written twice,
 * compact to be hashed and then indented. Indenting only adds spaces and line ends between tokens,
 * never inside a string (where a line end is written {@code \n}), so leaving out every space and
 * line end outside strings gives the compact JSON back, byte for byte, which is hashed. The bytes
 * are kept in chunks, never copied to grow one array.
 *
 * <p>Hashing costs more than writing, and code that runs once runs slowly: past its first chunk,
 * the JSON is hashed by a thread of its own, chunk by chunk in order, while the rest is written.
 * Close it to stop that thread.
 */
final class OnePass extends OutputStream {
  private static final int CHUNK = 1 << 16;

  private final Hasher hasher = Hashing.sha256().newHasher();
  private final byte[] compact = new byte[CHUNK];
  private final List<byte[]> chunks = new ArrayList<>();
  private byte[] chunk = new byte[CHUNK];
  private int used;
  private long size;
  private long fingerprintAt = -1;
  private boolean inString;
  private boolean escaped;
  private ExecutorService hashing;

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    size += length;
    while (length > 0) {
      if (used == chunk.length) {
        chunks.add(chunk);
        hashLater(chunk);
        chunk = new byte[CHUNK];
        used = 0;
      }
      int n = Math.min(length, chunk.length - used);
      System.arraycopy(bytes, offset, chunk, used, n);
      used += n;
      offset += n;
      length -= n;
    }
  }

  /** Hashes a full chunk, which is never written to again, on the hashing thread. */
  private void hashLater(byte[] full) {
    if (hashing == null) {
      hashing = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "otto-plan-hash");
        thread.setDaemon(true);
        return thread;
      });
    }
    hashing.execute(() -> hash(full, 0, full.length));
  }

  /** Hashes the compact form of {@code bytes}: all but the spaces and line ends outside strings. */
  private void hash(byte[] bytes, int offset, int length) {
    int kept = 0;
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == ' ' || b == '\n') {
        continue;
      } else if (b == '"') {
        inString = true;
      }
      compact[kept++] = b;
      if (kept == compact.length) {
        hasher.putBytes(compact, 0, kept);
        kept = 0;
      }
    }
    hasher.putBytes(compact, 0, kept);
  }

  /** Marks where the fingerprint goes: right after the schema, the first field, all written so far. */
  void markFingerprint() {
    fingerprintAt = size;
  }

  /** {@code sha256:<hex>} of the compact JSON written: the plan's fingerprint. Call once, at the end. */
  String fingerprint() {
    if (hashing == null) {
      hash(chunk, 0, used);
    } else {
      byte[] last = chunk;
      int length = used;
      try {
        hashing.submit(() -> hash(last, 0, length)).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while hashing the plan's JSON", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("could not hash the plan's JSON", e.getCause());
      }
    }
    return "sha256:" + hasher.hash();
  }

  /** Stops the hashing thread, if there is one. */
  @Override
  public void close() {
    if (hashing != null) {
      hashing.shutdownNow();
    }
  }

  /** Writes the JSON to {@code out} with {@code fingerprint} in its place, at the depth of the schema. */
  void writeTo(OutputStream out, String fingerprint) {
    if (fingerprintAt < 0) {
      throw new IllegalStateException("the place of the fingerprint was not marked");
    }
    byte[] field = (",\n  \"fingerprint\" : \"" + fingerprint + "\"").getBytes(StandardCharsets.UTF_8);
    try {
      long at = 0;
      for (byte[] full : chunks) {
        at = write(out, full, full.length, at, field);
      }
      write(out, chunk, used, at, field);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the plan as JSON", e);
    }
  }

  /** Writes {@code length} bytes that start at {@code at} in the JSON; gives where the next start. */
  private long write(OutputStream out, byte[] bytes, int length, long at, byte[] field) throws IOException {
    if (at <= fingerprintAt && fingerprintAt < at + length) {
      int split = (int) (fingerprintAt - at);
      out.write(bytes, 0, split);
      out.write(field);
      out.write(bytes, split, length - split);
    } else {
      out.write(bytes, 0, length);
    }
    return at + length;
  }
}
