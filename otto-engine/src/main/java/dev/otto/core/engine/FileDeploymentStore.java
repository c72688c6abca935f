package dev.otto.core.engine;

import dev.otto.core.OttoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The record of deployments in one file, {@code deployments.log}: one line per entry, appended
 * under a file lock (engines of several processes may share a folder) and forced to the disk
 * before {@link #record} returns. A line cut short by a crash has no line end: readers skip it,
 * and the next writer ends it first, so that the entries after it stay whole.
 */
final class FileDeploymentStore implements DeploymentStore {
  static final String FILE = "deployments.log";

  private final Path file;

  FileDeploymentStore(Path folder) {
    this.file = folder.toAbsolutePath().normalize().resolve(FILE);
  }

  @Override
  public void record(Deployment deployment) {
    byte[] line = (encode(deployment) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
        long size = channel.size();
        ByteBuffer last = ByteBuffer.allocate(1);
        boolean cutShort = size > 0 && channel.read(last, size - 1) == 1 && last.get(0) != '\n';
        channel.position(size);
        if (cutShort) {
          channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
        }
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(false);
      }
    } catch (IOException e) {
      throw new OttoException("the deployment of run '" + deployment.run() + "' to '" + deployment.environment()
          + "' could not be recorded in " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<Deployment> deployments(String environment) {
    java.util.Objects.requireNonNull(environment, "environment");
    List<Deployment> found = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Deployment deployment : all()) {
      if (deployment.environment().equals(environment) && seen.add(deployment.run() + '\u0000' + deployment.stage())) {
        found.add(deployment);
      }
    }
    java.util.Collections.reverse(found);
    return List.copyOf(found);
  }

  @Override
  public java.util.SortedSet<String> environments() {
    java.util.SortedSet<String> names = new java.util.TreeSet<>();
    all().forEach(deployment -> names.add(deployment.environment()));
    return java.util.Collections.unmodifiableSortedSet(names);
  }

  /** Every entry of the record, oldest first; none when there is no record yet. */
  private List<Deployment> all() {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new OttoException("the record of deployments " + file + " could not be read: " + e.getMessage(), e);
    }
    List<Deployment> entries = new ArrayList<>();
    int start = 0;
    for (int end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
      Deployment deployment = decode(text.substring(start, end));
      if (deployment != null) {
        entries.add(deployment);
      }
    }
    return entries;
  }

  static String encode(Deployment d) {
    List<String> artifacts = d.artifacts().stream().map(a -> a.name() + "=" + a.digest()).toList();
    return Entries.encode("deployed", "environment", d.environment(), "run", d.run(), "pipeline", d.pipeline(),
        "stage", d.stage(), "commit", d.commit().orElse(null), "artifacts", String.join(",", artifacts),
        "started", d.started().toString(), "ended", d.ended().toString(), "approvedBy", d.approvedBy().orElse(null),
        "status", d.status().name());
  }

  /** The entry a line holds, or null for a line cut short or not of this record. */
  static Deployment decode(String line) {
    Map<String, String> fields = Entries.decode(line);
    if (fields == null || !"deployed".equals(fields.get("t"))) {
      return null;
    }
    try {
      List<Deployment.Artifact> artifacts = new ArrayList<>();
      String listed = fields.getOrDefault("artifacts", "");
      for (String artifact : listed.isEmpty() ? new String[0] : listed.split(",")) {
        int eq = artifact.indexOf('=');
        artifacts.add(new Deployment.Artifact(artifact.substring(0, eq), artifact.substring(eq + 1)));
      }
      return new Deployment(fields.get("environment"), fields.get("run"), fields.get("pipeline"), fields.get("stage"),
          Optional.ofNullable(fields.get("commit")), artifacts, Instant.parse(fields.get("started")),
          Instant.parse(fields.get("ended")), Optional.ofNullable(fields.get("approvedBy")),
          RunResult.Status.valueOf(fields.get("status")));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
