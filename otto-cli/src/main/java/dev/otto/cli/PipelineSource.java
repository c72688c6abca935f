package dev.otto.cli;

import dev.otto.conventions.ConventionException;
import dev.otto.conventions.Conventions;
import dev.otto.core.model.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Where a folder's pipeline comes from: its {@code Ottofile.java}, a Java source using the DSL
 * compiled here against Otto's API and the jars it declares ({@link DependencyOptions}), with no
 * build tool, or else the conventions its files match.
 */
final class PipelineSource {
  static final String OTTOFILE = "Ottofile.java";

  private PipelineSource() {}

  /**
   * A pipeline, where it came from, for messages, and whether the folder's conventions made it
   * (so {@code --only-changed} applies to it).
   */
  record Loaded(Pipeline pipeline, String source, boolean conventions) {}

  /**
   * Refuses a DIR that is not a folder, saying whether it is missing or a file: a path mistyped is
   * told apart from a file given for its folder.
   */
  static void requireFolder(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new CliException(ExitCodes.USAGE, dir + (Files.exists(dir) ? " is a file, not a folder"
          : " does not exist") + "; give the project's folder");
    }
  }

  /**
   * The folder's pipeline; with {@code onlyChanged}, the conventions of a repository of several
   * projects build only the projects the run's commits changed ({@link Conventions#onlyChanged()}).
   */
  static Loaded load(Path dir, boolean onlyChanged, DependencyOptions dependencies) {
    requireFolder(dir);
    Path ottofile = dir.resolve(OTTOFILE);
    if (Files.isRegularFile(ottofile)) {
      return new Loaded(compile(ottofile, dependencies.classPath(ottofile)), ottofile.toString(), false);
    }
    dependencies.refuseWithoutOttofile(dir);
    try {
      Path absolute = dir.toAbsolutePath().normalize();
      String name = absolute.getFileName() == null ? "pipeline" : absolute.getFileName().toString();
      Conventions conventions = Conventions.in(absolute);
      return new Loaded((onlyChanged ? conventions.onlyChanged() : conventions).pipeline(name),
          "the conventions of " + absolute, true);
    } catch (ConventionException e) {
      throw new CliException(ExitCodes.CANNOT_RUN, "there is no " + OTTOFILE + " in " + dir + ", and "
          + e.getMessage() + " Run 'otto init' to start one.");
    }
  }

  /**
   * Compiles an Ottofile against the command's class path and {@code classPath} (or takes the
   * classes compiled from the same source against the same class path, kept in the user's cache
   * folder: see {@link #classesFor}) and calls its {@code public static Pipeline pipeline(Path
   * folder)} with the folder it is in, or its {@code public static Pipeline pipeline()}.
   */
  static Pipeline compile(Path ottofile, List<Path> classPath) {
    Path classes = classesFor(ottofile, classPath);
    Path cache = classes.getParent();
    if (!Files.isDirectory(classes)) {
      Path fresh = compileInto(ottofile, classPath, cache);
      try {
        Files.move(fresh, classes, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        // Another otto compiled the same source meanwhile, or the folder cannot be written: use ours.
        classes = Files.isDirectory(classes) ? classes : fresh;
      }
    }
    return call(ottofile, classes, classPath);
  }

  /**
   * A key for the source and the class path it compiles against (the command's, then {@code
   * classPath}, each jar with its size and time, each class folder with its files'): the same key,
   * the same classes.
   */
  /**
   * The Ottofile is compiled with its local variables' names, so that an exception in it names
   * them ({@code because "tool" is null}) and its lines.
   */
  private static final List<String> DEBUG = List.of("-g");

  private static String key(Path ottofile, List<Path> classPath) {
    com.google.common.hash.Hasher hasher = com.google.common.hash.Hashing.sha256().newHasher();
    try {
      hasher.putBytes(Files.readAllBytes(ottofile));
      DEBUG.forEach(option -> hasher.putString(option, StandardCharsets.UTF_8));
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        putEntry(hasher, Path.of(entry), false);
      }
      for (Path entry : classPath) {
        putEntry(hasher, entry, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + ottofile, e);
    }
    return hasher.hash().toString().substring(0, 32);
  }

  private static void putEntry(com.google.common.hash.Hasher hasher, Path entry, boolean folderFiles)
      throws IOException {
    hasher.putString(entry.toString(), StandardCharsets.UTF_8);
    if (Files.isRegularFile(entry)) {
      hasher.putLong(Files.size(entry)).putLong(Files.getLastModifiedTime(entry).toMillis());
    } else if (folderFiles && Files.isDirectory(entry)) {
      try (Stream<Path> walk = Files.walk(entry)) {
        for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
          hasher.putString(entry.relativize(file).toString(), StandardCharsets.UTF_8)
              .putLong(Files.size(file)).putLong(Files.getLastModifiedTime(file).toMillis());
        }
      }
    }
  }

  /**
   * Where the classes compiled from {@code ottofile} against {@code classPath} are kept: a folder
   * named after the hash of the source and the class path in {@code $XDG_CACHE_HOME/otto/ottofiles}
   * ({@code ~/.cache/otto/ottofiles} by default), never in the project, so that explaining or
   * running a project writes nothing into it.
   */
  static Path classesFor(Path ottofile, List<Path> classPath) {
    return cacheHome().resolve("otto").resolve("ottofiles").resolve(key(ottofile, classPath));
  }

  static Path cacheHome() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg);
    }
    String home = System.getProperty("user.home");
    if (home != null && !home.isBlank() && Files.isWritable(Path.of(home))) {
      return Path.of(home, ".cache");
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "otto-" + System.getProperty("user.name", "user"));
  }

  private static Path compileInto(Path ottofile, List<Path> classPath, Path cache) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new CliException(ExitCodes.CANNOT_RUN, "compiling " + OTTOFILE + " needs a JDK, and this is a JRE; "
          + "run otto with a JDK's java");
    }
    Path classes;
    try {
      Files.createDirectories(cache);
      classes = Files.createTempDirectory(cache, "compiling-");
    } catch (IOException e) {
      try {
        classes = Files.createTempDirectory("otto-ottofile");
      } catch (IOException again) {
        throw new UncheckedIOException(again);
      }
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
        StandardCharsets.UTF_8)) {
      List<String> options = new ArrayList<>(List.of("-classpath", javacClassPath(classPath), "-d", classes.toString(),
          "-proc:none", "-encoding", "UTF-8"));
      options.addAll(DEBUG);
      boolean ok = compiler.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(ottofile)).call();
      if (!ok) {
        delete(classes);
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
          if (d.getKind() == Diagnostic.Kind.ERROR) {
            errors.add(ottofile.getFileName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
          }
        }
        throw new CliException(ExitCodes.CANNOT_RUN, ottofile + " does not compile:\n  " + String.join("\n  ", errors));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return classes;
  }

  private static String javacClassPath(List<Path> classPath) {
    List<String> entries = new ArrayList<>(List.of(System.getProperty("java.class.path")));
    classPath.forEach(entry -> entries.add(entry.toString()));
    return String.join(java.io.File.pathSeparator, entries);
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // What is left is a temporary folder that no key names; it does no harm.
    }
  }

  /**
   * {@code pipeline(Path folder)}, which is given the Ottofile's folder wherever the command runs
   * from (what a pipeline made from the folder's files needs), or else {@code pipeline()}.
   */
  private static Method pipelineMethod(Class<?> type, Path ottofile) {
    try {
      return type.getMethod("pipeline", Path.class);
    } catch (NoSuchMethodException e) {
      try {
        return type.getMethod("pipeline");
      } catch (NoSuchMethodException again) {
        throw new CliException(ExitCodes.CANNOT_RUN, ottofile + ": the class Ottofile must have a method "
            + "'public static Pipeline pipeline()', or 'public static Pipeline pipeline(Path folder)' to be given "
            + "the folder it is in");
      }
    }
  }

  private static Pipeline call(Path ottofile, Path classes, List<Path> classPath) {
    String className;
    try (Stream<Path> walk = Files.walk(classes)) {
      className = walk.filter(p -> p.getFileName().toString().equals("Ottofile.class")).findFirst()
          .map(p -> classes.relativize(p).toString().replace('/', '.').replace('\\', '.').replaceAll("\\.class$", ""))
          .orElseThrow(() -> new CliException(ExitCodes.CANNOT_RUN, ottofile + " must declare a class named Ottofile"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (URLClassLoader loader = new URLClassLoader(urls(classes, classPath), PipelineSource.class.getClassLoader())) {
      Method method = pipelineMethod(loader.loadClass(className), ottofile);
      if (!Modifier.isStatic(method.getModifiers()) || !Pipeline.class.isAssignableFrom(method.getReturnType())) {
        throw new CliException(ExitCodes.CANNOT_RUN, ottofile + ": Ottofile.pipeline() must be static and return a "
            + "Pipeline");
      }
      Path folder = ottofile.toAbsolutePath().normalize().getParent();
      Pipeline pipeline = ExitGuard.around(ottofile, () -> (Pipeline) (method.getParameterCount() == 0
          ? method.invoke(null) : method.invoke(null, folder)));
      if (pipeline == null) {
        throw new CliException(ExitCodes.CANNOT_RUN, ottofile + ": Ottofile.pipeline() returned null; return the "
            + "Pipeline that Otto.pipeline(...) builds");
      }
      return pipeline;
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof dev.otto.core.OttoException otto) {
        throw otto;
      }
      // A refusal of the DSL or a convention says what is wrong in its message; other exceptions, subclasses of those
      // two included (a NumberFormatException), keep their class, which says as much.
      boolean refusal = (cause.getClass() == IllegalArgumentException.class
          || cause.getClass() == IllegalStateException.class) && cause.getMessage() != null;
      throw new CliException(ExitCodes.CANNOT_RUN, ottofile + where(cause) + ": pipeline() failed: "
          + (refusal ? cause.getMessage() : cause));
    } catch (ReflectiveOperationException | IOException e) {
      throw new CliException(ExitCodes.CANNOT_RUN, "could not load the compiled " + ottofile + ": " + e);
    }
  }

  /** {@code :LINE} of the Ottofile's line nearest to where {@code error} was thrown, or nothing. */
  private static String where(Throwable error) {
    for (StackTraceElement frame : error.getStackTrace()) {
      if (OTTOFILE.equals(frame.getFileName()) && frame.getLineNumber() > 0) {
        return ":" + frame.getLineNumber();
      }
    }
    return "";
  }

  private static URL[] urls(Path classes, List<Path> classPath) throws IOException {
    List<URL> urls = new ArrayList<>(List.of(classes.toUri().toURL()));
    for (Path entry : classPath) {
      urls.add(entry.toUri().toURL());
    }
    return urls.toArray(URL[]::new);
  }
}
