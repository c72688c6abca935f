package dev.otto.conventions;

import dev.otto.core.model.Service;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database a Rails app's {@code config/database.yml} names for its tests, and the service
 * container that provides it: {@code postgresql} a PostgreSQL server, {@code mysql2} and
 * {@code trilogy} a MySQL server. SQLite needs none. The tests reach the service as {@code db},
 * through {@code DATABASE_URL}, which Rails merges with the file's settings (the database's name
 * stays the file's).
 */
final class Databases {
  private static final Pattern SECTION = Pattern.compile("^([A-Za-z0-9_]+):\\s*(?:&(\\w+))?\\s*(?:#.*)?$");
  private static final Pattern ADAPTER = Pattern.compile("^\\s+adapter:\\s*[\"']?([A-Za-z0-9_]+)[\"']?\\s*(?:#.*)?$");
  private static final Pattern MERGE = Pattern.compile("^\\s+<<:\\s*\\*(\\w+)\\s*(?:#.*)?$");

  private Databases() {}

  /**
   * A database service and the URL the tests reach it by.
   *
   * @param service the container, named {@code db}
   * @param url the value of {@code DATABASE_URL} for the tests
   */
  record Database(Service service, String url) {}

  /**
   * The adapter of the {@code test} section of a {@code database.yml}: its own, or the one of
   * the section it merges ({@code <<: *default}), or else the first the file names. Empty when
   * the file names none as plain text (an ERB expression, say).
   */
  static Optional<String> adapter(String yaml) {
    Map<String, String> adapters = new LinkedHashMap<>();
    Map<String, String> anchors = new LinkedHashMap<>();
    Map<String, String> merges = new LinkedHashMap<>();
    String section = null;
    for (String line : yaml.lines().toList()) {
      Matcher top = SECTION.matcher(line);
      Matcher adapter = ADAPTER.matcher(line);
      Matcher merge = MERGE.matcher(line);
      if (top.matches()) {
        section = top.group(1);
        if (top.group(2) != null) {
          anchors.put(top.group(2), section);
        }
      } else if (section != null && adapter.matches()) {
        adapters.putIfAbsent(section, adapter.group(1));
      } else if (section != null && merge.matches()) {
        merges.putIfAbsent(section, merge.group(1));
      }
    }
    String own = adapters.get("test");
    if (own != null) {
      return Optional.of(own);
    }
    String merged = anchors.get(merges.get("test"));
    if (merged != null && adapters.containsKey(merged)) {
      return Optional.of(adapters.get(merged));
    }
    return adapters.values().stream().findFirst();
  }

  /** The service of {@code adapter}; empty for SQLite and for adapters this convention does not know. */
  static Optional<Database> of(String adapter) {
    return switch (adapter) {
      case "postgresql" -> Optional.of(new Database(Service.builder("db", "postgres:16")
          .putEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
          .healthCheck("pg_isready -h 127.0.0.1 -U postgres").build(), adapter + "://postgres@db:5432"));
      case "mysql2", "trilogy" -> Optional.of(new Database(Service.builder("db", "mysql:8.4")
          .putEnv("MYSQL_ALLOW_EMPTY_PASSWORD", "yes")
          .healthCheck("mysqladmin ping -h 127.0.0.1 --silent").build(), adapter + "://root@db:3306"));
      default -> Optional.empty();
    };
  }
}
