package dev.otto.core.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's journal entries: flat JSON objects of strings, one per line, the field {@code t}
 * naming the kind. Entries hold ids, statuses and reasons, never secret values.
 */
final class Entries {
  private static final JsonFactory JSON = new JsonFactory();

  private Entries() {}

  /** An entry of kind {@code type} with the given field names and values; null values are left out. */
  static String encode(String type, String... fields) {
    StringWriter out = new StringWriter(64 + fields.length * 16);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("t", type);
      for (int i = 0; i < fields.length; i += 2) {
        if (fields[i + 1] != null) {
          json.writeStringField(fields[i], fields[i + 1]);
        }
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The fields of an entry, or null when it is not one of the engine's entries. */
  static Map<String, String> decode(String entry) {
    Map<String, String> fields = new LinkedHashMap<>();
    try (JsonParser json = JSON.createParser(entry)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken token;
      while ((token = json.nextToken()) == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        if (json.nextToken() != JsonToken.VALUE_STRING) {
          return null;
        }
        fields.put(name, json.getText());
      }
      if (token != JsonToken.END_OBJECT || json.nextToken() != null || !fields.containsKey("t")) {
        return null;
      }
    } catch (IOException e) {
      return null;
    }
    return fields;
  }
}
