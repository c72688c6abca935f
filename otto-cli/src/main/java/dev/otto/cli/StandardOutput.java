package dev.otto.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * The command's standard output: characters through the writer picocli made for it, and bytes
 * straight to the stream under it, for what is large and UTF-8 already, such as a plan's JSON,
 * which would otherwise be made a string and encoded again on its way out.
 */
final class StandardOutput extends PrintWriter {
  private final PrintStream bytes;

  StandardOutput(PrintWriter chars, PrintStream bytes) {
    super(chars, true);
    this.bytes = bytes;
  }

  /** Writes what {@code write} gives as bytes, after the characters printed so far. */
  void writeBytes(Consumer<OutputStream> write) {
    flush();
    write.accept(bytes);
    bytes.flush();
  }
}
