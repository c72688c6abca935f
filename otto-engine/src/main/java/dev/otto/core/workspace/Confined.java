package dev.otto.core.workspace;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.otto.core.validate.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * File operations that stay inside a root folder (a workspace, a run's artifact folder, an
 * archive being unpacked), whatever links the folder holds.
 *
 * <p>Checking a path as text is not enough: with {@code l1 -> .} and {@code l2 -> l1/..}, the
 * text {@code l2/x} stays inside the folder while the file it names is one level above it.
 * {@link #resolve} therefore follows a path one name at a time on the file system as it is,
 * following each link it meets and refusing, with {@link LeavesRootException}, the first step
 * out of the root. A link is followed only while it leads to a place inside the root; a link
 * that leads out is never followed, never read through and never copied.
 *
 * <p>Links are copied and moved as links, never as what they point to.
 *
 * <p>The engine's: public for its caches and artifacts, which both place files in a workspace.
 * Not an API for hosts: it may change in any release.
 */
@API(status = INTERNAL, since = "0.1")
public final class Confined {
  /** As many links as Linux follows for one path before it gives up with ELOOP. */
  static final int MAX_LINKS = 40;

  private Confined() {}

  /** What a tree item is. Other kinds of files (sockets, pipes, devices) are never carried. */
  public enum Kind {
    DIRECTORY,
    FILE,
    LINK
  }

  /**
   * A file, directory or link found under a root.
   *
   * @param name its path relative to the root, with {@code /} between names
   * @param kind what it is, the link itself for a link
   * @param file where it is
   */
  public record Item(String name, Kind kind, Path file) {}

  /** The real path of {@code folder}, created when missing: the root the other methods take. */
  public static Path root(Path folder) throws IOException {
    return Files.createDirectories(folder).toRealPath();
  }

  /**
   * Where {@code relative} leads from {@code root} (a real path, see {@link #root}): every link on
   * the way is followed, and the result holds no link. A name that does not exist is taken as
   * written, as no link can lie below it.
   *
   * @throws LeavesRootException if the path, or a link on its way, leads out of {@code root}
   */
  public static Path resolve(Path root, String relative) throws IOException {
    return resolve(root, relative, relative);
  }

  /** {@link #resolve(Path, String)}, naming {@code shown} as the path that leads out. */
  private static Path resolve(Path root, String relative, String shown) throws IOException {
    Deque<String> names = new ArrayDeque<>(names(relative));
    Path at = root;
    String firstLink = null;
    int links = 0;
    while (!names.isEmpty()) {
      String name = names.removeFirst();
      if (name.equals("..")) {
        if (at.equals(root)) {
          throw new LeavesRootException(shown, firstLink);
        }
        at = at.getParent();
        continue;
      }
      Path next = child(at, name, shown);
      if (!Files.isSymbolicLink(next)) {
        at = next;
        continue;
      }
      if (firstLink == null) {
        firstLink = root.relativize(next).toString().replace('\\', '/');
      }
      if (++links > MAX_LINKS) {
        throw new IOException("'" + Names.printable(shown) + "' goes through more than " + MAX_LINKS + " links");
      }
      Path target = Files.readSymbolicLink(next);
      if (target.isAbsolute()) {
        throw new LeavesRootException(shown, firstLink);
      }
      List<String> through = names(target.toString().replace('\\', '/'));
      for (int i = through.size() - 1; i >= 0; i--) {
        names.addFirst(through.get(i));
      }
    }
    return at;
  }

  /**
   * Where an item named {@code relative} goes: its folder resolved, its own name not followed,
   * so that a link there is replaced or read as a link. The root itself for an empty path.
   */
  public static Path place(Path root, String relative) throws IOException {
    List<String> names = names(relative);
    if (names.isEmpty()) {
      return root;
    }
    String last = names.get(names.size() - 1);
    if (last.equals("..")) {
      return resolve(root, relative);
    }
    return child(resolve(root, String.join("/", names.subList(0, names.size() - 1)), relative), last, relative);
  }

  /**
   * The items at {@code relative} under {@code root}, that path first and its contents sorted by
   * name, without following links. A link is kept as a link when it leads to a place inside
   * {@code root}; the names of the others go to {@code leftOut}.
   *
   * @throws NoSuchFileException if nothing is at {@code relative}
   * @throws LeavesRootException if {@code relative} leads out of {@code root}
   */
  public static List<Item> items(Path root, String relative, List<String> leftOut) throws IOException {
    Path start = place(root, relative);
    if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(relative);
    }
    List<Path> found;
    try (Stream<Path> walk = Files.walk(start)) {
      found = walk.filter(p -> !p.equals(root)).sorted().toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    List<Item> items = new ArrayList<>(found.size());
    for (Path file : found) {
      String name = root.relativize(file).toString().replace('\\', '/');
      if (Files.isSymbolicLink(file)) {
        if (staysInside(root, name, Files.readSymbolicLink(file))) {
          items.add(new Item(name, Kind.LINK, file));
        } else {
          leftOut.add(name);
        }
      } else if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        items.add(new Item(name, Kind.DIRECTORY, file));
      } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        items.add(new Item(name, Kind.FILE, file));
      }
    }
    return items;
  }

  /**
   * Whether the link {@code name} under {@code root}, pointing to {@code target}, leads to a place
   * inside {@code root}. A link that cannot be followed to its end (a loop) does not.
   */
  public static boolean staysInside(Path root, String name, Path target) {
    if (target.isAbsolute()) {
      return false;
    }
    int slash = name.lastIndexOf('/');
    String from = slash < 0 ? "" : name.substring(0, slash + 1);
    try {
      resolve(root, from + target.toString().replace('\\', '/'));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Copies or moves {@code items} (from {@link #items}) to the same names under {@code root}, and
   * returns how many files it placed. Every place is found first; when one leads out of
   * {@code root} or holds a file where a directory goes (or the other way round), nothing is
   * placed. A directory of the items merges with one already there; a file or a link replaces
   * a file or a link already there, never what a link there points to.
   */
  public static int place(List<Item> items, Path root, boolean move) throws IOException {
    Map<String, Path> folders = new HashMap<>();
    List<Path> targets = new ArrayList<>(items.size());
    for (Item item : items) {
      targets.add(target(root, item, folders));
    }
    int files = 0;
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      Path target = targets.get(i);
      if (item.kind() == Kind.DIRECTORY) {
        Files.createDirectories(target);
        continue;
      }
      Files.createDirectories(target.getParent());
      if (move) {
        Files.move(item.file(), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.copy(item.file(), target, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
      }
      if (item.kind() == Kind.FILE) {
        files++;
      }
    }
    return files;
  }

  private static Path target(Path root, Item item, Map<String, Path> folders) throws IOException {
    String name = item.name();
    if (item.kind() == Kind.DIRECTORY) {
      Path target = resolve(root, name);
      requireFolder(root, target);
      folders.put(name, target);
      return target;
    }
    int slash = name.lastIndexOf('/');
    String parent = slash < 0 ? "" : name.substring(0, slash);
    Path folder = folders.get(parent);
    if (folder == null) {
      folder = resolve(root, parent, name);
      requireFolder(root, folder);
      folders.put(parent, folder);
    }
    Path target = child(folder, name.substring(slash + 1), name);
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("'" + Names.printable(name) + "' is a directory where a "
          + (item.kind() == Kind.LINK ? "link" : "file") + " is to go");
    }
    return target;
  }

  /** Checks that {@code folder} (resolved) is a directory or can be created as one. */
  private static void requireFolder(Path root, Path folder) throws IOException {
    for (Path up = folder; !up.equals(root); up = up.getParent()) {
      if (Files.exists(up, LinkOption.NOFOLLOW_LINKS)) {
        if (!Files.isDirectory(up, LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException("'" + root.relativize(up) + "' is a file where a directory is to go");
        }
        return;
      }
    }
  }

  /** Removes {@code folder} and everything in it; links are removed, never followed. */
  public static void delete(Path folder) throws IOException {
    if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(folder, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static Path child(Path folder, String name, String relative) throws IOException {
    try {
      return folder.resolve(name);
    } catch (InvalidPathException e) {
      throw new IOException("'" + Names.printable(relative) + "' is not a valid path: " + e.getReason());
    }
  }

  private static List<String> names(String relative) {
    List<String> names = new ArrayList<>();
    for (String name : relative.split("/")) {
      if (!name.isEmpty() && !name.equals(".")) {
        names.add(name);
      }
    }
    return names;
  }

  /** A path, or a link on its way, that leads out of the root it is taken from. */
  public static final class LeavesRootException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String link;

    LeavesRootException(String path, String link) {
      super("'" + path + "' leads out of its folder");
      this.path = path;
      this.link = link;
    }

    /** The path that leads out. */
    public String path() {
      return path;
    }

    /** A sentence saying how the path leads out of {@code folder}, e.g. {@code the workspace}. */
    public String describe(String folder) {
      String quoted = "'" + Names.printable(path) + "'";
      if (link == null) {
        return quoted + " leads out of " + folder;
      }
      if (names(path).equals(names(link))) {
        return quoted + " is a link that leads out of " + folder;
      }
      return quoted + " leads out of " + folder + " through the link '" + Names.printable(link) + "'";
    }
  }
}
