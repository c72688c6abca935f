package dev.otto.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The few HTTP calls the command makes to a run's endpoint. */
final class Http {
  private static final JsonFactory JSON = new JsonFactory();

  private Http() {}

  record Answer(int status, String body) {}

  static Answer post(String url, String body, String bearer) {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      connection.setRequestMethod("POST");
      connection.setConnectTimeout(10_000);
      connection.setReadTimeout(30_000);
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "application/json");
      if (bearer != null) {
        connection.setRequestProperty("Authorization", "Bearer " + bearer);
      }
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      }
      int status = connection.getResponseCode();
      InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
      String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Answer(status, text);
    } catch (IOException e) {
      throw new CliException(ExitCodes.CANNOT_RUN, "could not reach " + url + ": " + e.getMessage()
          + "; is 'otto run --listen' serving the run?");
    }
  }

  static String bearer(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, "could not read the bearer token from " + file + ": " + e.getMessage());
    }
  }

  static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The body of a decision, as the endpoint takes it. */
  static String decision(String wait, boolean approve, String by, String comment) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("wait", wait);
      json.writeBooleanField("approve", approve);
      json.writeStringField("by", by);
      if (comment != null) {
        json.writeStringField("comment", comment);
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
