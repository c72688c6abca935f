package dev.otto.core.executor;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and stops every process a step started, including those that left its process tree:
 * background jobs, {@code nohup}, double-forked daemons and children that started a session of
 * their own. Three nets, because each misses something: the step's process group (the step
 * starts in a session of its own), the descendants the JDK still sees, and, on Linux, every
 * process whose environment carries the step's cookie variable, which children inherit
 * wherever they move.
 */
final class ProcessTree {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessTree.class);
  private static final Path PROC = Path.of("/proc");
  private static final int ROUNDS = 5;
  /**
   * The processes whose environment could not be read (kernel threads, other users' processes),
   * by pid, with when that was found ({@link System#nanoTime()}). Most of /proc is kernel threads,
   * and a failed open costs an exception: a scan skips them for {@link #UNREADABLE_NANOS}. A pid is
   * only given to a new process once the kernel has handed out every other pid since, which takes
   * far longer than that.
   */
  private static final java.util.concurrent.ConcurrentHashMap<Long, Long> UNREADABLE =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final long UNREADABLE_NANOS = TimeUnit.SECONDS.toNanos(1);
  /**
   * The kernel's threads and the zombies, by pid, with when that was found: {@link #othersInGroup}
   * skips them for {@link #UNREADABLE_NANOS}, as the environment scan skips what it cannot read.
   */
  private static final java.util.concurrent.ConcurrentHashMap<Long, Long> NOT_IN_GROUPS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private ProcessTree() {}

  /**
   * Stops {@code root}, its group and every process whose environment holds {@code cookie}, a
   * whole {@code NAME=value} entry; returns how many were stopped.
   */
  static int kill(ProcessHandle root, boolean ownGroup, String cookie) {
    java.util.function.Supplier<Set<ProcessHandle>> find = () -> {
      Set<ProcessHandle> victims = new LinkedHashSet<>();
      if (root.isAlive()) {
        victims.add(root);
      }
      root.descendants().forEach(victims::add);
      victims.addAll(carrying(cookie));
      return victims;
    };
    // Counted before the group is killed: what the group kill ends, the rounds below no longer find.
    Set<ProcessHandle> stopped = new LinkedHashSet<>(find.get());
    if (ownGroup) {
      killGroup(root.pid());
    }
    stopped.addAll(stop(find));
    return stopped.size();
  }

  /** Stops every process whose environment holds {@code cookie} ({@code NAME=value}); returns how many. */
  static int killCarrying(String cookie) {
    return stop(() -> carrying(cookie)).size();
  }

  /** As {@link #killCarrying(String)}, leaving out {@code except}, which its owner stops itself. */
  static int killCarrying(String cookie, ProcessHandle except) {
    return stop(() -> {
      Set<ProcessHandle> victims = carrying(cookie);
      victims.remove(except);
      return victims;
    }).size();
  }

  /** Kills what {@code find} finds, in rounds, until it finds nothing (processes may fork while we kill); returns them. */
  private static Set<ProcessHandle> stop(java.util.function.Supplier<Set<ProcessHandle>> find) {
    Set<ProcessHandle> killed = new LinkedHashSet<>();
    for (int round = 0; round < ROUNDS; round++) {
      Set<ProcessHandle> victims = find.get();
      if (victims.isEmpty()) {
        break;
      }
      for (ProcessHandle victim : victims) {
        if (victim.destroyForcibly()) {
          killed.add(victim);
        }
      }
      for (ProcessHandle victim : victims) {
        awaitEnd(victim);
      }
    }
    return killed;
  }

  /**
   * Waits up to a second for a killed process to end. One whose parent died too is reaped by
   * init, which may take its time: as a zombie it runs nothing, so it counts as ended.
   */
  private static void awaitEnd(ProcessHandle victim) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (!victim.onExit().isDone() && !zombie(victim.pid())) {
      if (System.nanoTime() > deadline) {
        LOG.debug("process {} did not end within a second of being killed", victim.pid());
        return;
      }
      try {
        victim.onExit().get(10, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // Look again.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        return;
      }
    }
  }

  /** Whether a process has ended and waits for its parent to reap it; false where /proc cannot tell. */
  private static boolean zombie(long pid) {
    Path stat = PROC.resolve(pid + "/stat");
    try {
      String fields = java.nio.file.Files.readString(stat);
      int close = fields.lastIndexOf(')');
      return close > 0 && close + 2 < fields.length() && fields.charAt(close + 2) == 'Z';
    } catch (IOException e) {
      return java.nio.file.Files.isDirectory(PROC);
    }
  }

  /**
   * How many running processes, other than {@code leader}, are in the process group or the
   * session that {@code leader} leads: what still shares a shell started with {@code setsid}, and
   * perhaps its output, whatever its environment says (a program may clear or overwrite its
   * environment). Zombies run nothing and hold nothing open: they are left out. -1 where /proc
   * cannot tell.
   */
  static int othersInGroup(long leader) {
    String[] entries = PROC.toFile().list();
    if (entries == null) {
      return -1;
    }
    long now = System.nanoTime();
    prune(NOT_IN_GROUPS, entries.length, now);
    int others = 0;
    byte[] buffer = new byte[1024];
    for (String entry : entries) {
      long pid = isNumber(entry) ? Long.parseLong(entry) : -1;
      if (pid < 0 || pid == leader || skipped(NOT_IN_GROUPS, pid, now)) {
        continue;
      }
      int length;
      try (InputStream in = new FileInputStream("/proc/" + entry + "/stat")) {
        length = Math.max(0, in.read(buffer, 0, buffer.length));
      } catch (IOException e) {
        // It ended while we looked.
        continue;
      }
      // pid (command) state ppid pgrp session ...: the command may hold spaces and parentheses.
      String stat = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 1).trim().split(" ");
      if (pid == 2 || fields.length > 1 && (fields[0].equals("Z") || fields[1].equals("2"))) {
        // kthreadd and its children, the kernel's threads, most of /proc; and zombies, which may
        // wait long for a parent to reap them, and run nothing meanwhile.
        NOT_IN_GROUPS.put(pid, now);
        continue;
      }
      if (fields.length > 3
          && (fields[2].equals(Long.toString(leader)) || fields[3].equals(Long.toString(leader)))) {
        others++;
      }
    }
    return others;
  }

  /** The processes whose environment holds the entry {@code cookie} ({@code NAME=value}); empty without /proc. */
  static Set<ProcessHandle> carrying(String cookie) {
    return scan((cookie + "\0").getBytes(StandardCharsets.UTF_8));
  }

  /** The processes with an environment entry that begins with {@code prefix}, e.g. {@code NAME=} or {@code NAME=run:}. */
  static Set<ProcessHandle> carryingPrefix(String prefix) {
    return scan(prefix.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads every process's environment with plain streams into one buffer: a stage's end scans
   * /proc, and the channel and path objects of {@code Files.readAllBytes} made a scan of a hundred
   * processes several times slower.
   */
  private static Set<ProcessHandle> scan(byte[] needle) {
    Set<ProcessHandle> found = new LinkedHashSet<>();
    String[] entries = PROC.toFile().list();
    if (entries == null) {
      LOG.debug("could not list /proc");
      return found;
    }
    long self = ProcessHandle.current().pid();
    long now = System.nanoTime();
    prune(UNREADABLE, entries.length, now);
    Environments environments = new Environments();
    for (String entry : entries) {
      long pid = isNumber(entry) ? Long.parseLong(entry) : -1;
      if (pid < 0 || pid == self || skipped(UNREADABLE, pid, now)) {
        continue;
      }
      try {
        int length = environments.read(entry);
        if (length == 0 && zombie(pid)) {
          // It has ended, and waits for its parent to reap it: where nothing reaps orphans (a
          // container whose first process is this JVM), it may wait for ever. It starts nothing.
          UNREADABLE.put(pid, now);
          continue;
        }
        // A process between the two halves of exec shows an empty environment for a few microseconds.
        for (int retry = 0; length == 0 && retry < EMPTY_RETRIES; retry++) {
          java.util.concurrent.locks.LockSupport.parkNanos(EMPTY_PAUSE_NANOS);
          length = environments.read(entry);
        }
        if (contains(environments.buffer, length, needle)) {
          ProcessHandle.of(pid).ifPresent(found::add);
        }
      } catch (IOException | SecurityException e) {
        // A kernel thread, another user's process, or one that ended while we looked.
        UNREADABLE.put(pid, now);
      }
    }
    return found;
  }

  private static final int EMPTY_RETRIES = 5;
  private static final long EMPTY_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

  /**
   * Reads environments into one buffer that grows as they need. An environment is read with one
   * call: the kernel reads it from one memory of the process, while a process that executes a
   * program between two calls would show the start of its old environment and the rest of its
   * new one, or only the start. One that does not fit is read again, whole, into a larger buffer.
   */
  private static final class Environments {
    private static final int MAX = 64 << 20;
    byte[] buffer = new byte[64 * 1024];

    /** Reads the environment of process {@code pid} into the buffer; returns its length. */
    int read(String pid) throws IOException {
      while (true) {
        try (InputStream in = new FileInputStream("/proc/" + pid + "/environ")) {
          int length = Math.max(0, in.read(buffer, 0, buffer.length));
          if (length < buffer.length || buffer.length >= MAX) {
            return length;
          }
        }
        buffer = new byte[buffer.length * 2];
      }
    }
  }

  private static void killGroup(long pgid) {
    try {
      Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      LOG.debug("could not run kill for process group {}: {}", pgid, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@code pid} was put in {@code skipped} less than {@link #UNREADABLE_NANOS} ago. */
  private static boolean skipped(java.util.Map<Long, Long> skipped, long pid, long now) {
    Long since = skipped.get(pid);
    return since != null && now - since < UNREADABLE_NANOS;
  }

  /** Forgets what was skipped long enough ago, once the map outgrows what /proc lists. */
  private static void prune(java.util.Map<Long, Long> skipped, int processes, long now) {
    if (skipped.size() > 4 * processes + 1024) {
      skipped.values().removeIf(since -> now - since >= UNREADABLE_NANOS);
    }
  }

  private static boolean isNumber(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Whether the first {@code length} bytes of {@code haystack} hold an entry that begins with {@code needle}. */
  private static boolean contains(byte[] haystack, int length, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= length; i++) {
      if (i > 0 && haystack[i - 1] != 0) {
        continue;
      }
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
