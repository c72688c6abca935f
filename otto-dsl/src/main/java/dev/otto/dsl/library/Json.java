package dev.otto.dsl.library;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** JSON string quoting for the payloads libraries build. */
final class Json {
  private Json() {}

  static String quote(String text) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
  }
}
