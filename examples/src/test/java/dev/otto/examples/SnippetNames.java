package dev.otto.examples;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.Elements;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The names a snippet of a compiled source uses that a reader of its page could not resolve.
 *
 * <p>A snippet is part of a source that compiles; what it needs to compile on its own, besides
 * the variables the page speaks of, is the classes and static methods it names. javac attributes
 * the whole source, and each simple name inside the snippet that is a class or a static method
 * must be imported by the snippet as shown, declared in it, in {@code java.lang}, or declared by
 * the page. Variables, fields and instance methods are the context a page describes in words.
 */
final class SnippetNames {
  private final Map<Path, Attributed> attributed = new HashMap<>();

  /** A source attributed by javac, with the tools to ask what its names are. */
  private record Attributed(String text, CompilationUnitTree unit, Trees trees, Elements elements) {}

  /**
   * The names {@code code}, part of {@code source}, uses that neither {@code shownImports} nor
   * the snippet nor {@code declaredOnPage} make known.
   */
  Set<String> unresolved(Path source, String code, List<String> shownImports, Predicate<String> declaredOnPage) {
    if (code.isBlank()) {
      return Set.of();
    }
    Attributed a = attributed.computeIfAbsent(source, SnippetNames::attribute);
    int[] range = locate(a.text(), code);
    Set<String> names = new TreeSet<>();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        long start = a.trees().getSourcePositions().getStartPosition(a.unit(), tree);
        Element element = a.trees().getElement(getCurrentPath());
        if (start >= range[0] && start < range[1] && element != null
            && !known(a, element, range, shownImports, declaredOnPage)) {
          names.add(tree.getName().toString());
        }
        return super.visitIdentifier(tree, unused);
      }
    }.scan(a.unit(), null);
    return names;
  }

  private static boolean known(Attributed a, Element element, int[] range, List<String> shownImports,
      Predicate<String> declaredOnPage) {
    String name = element.getSimpleName().toString();
    if (element instanceof TypeElement type) {
      return type.asType().getKind() == TypeKind.ERROR  // not on this class path: the import check covers it
          || declaredWithin(a, type, range) || declaredOnPage.test(name)
          || type.getEnclosingElement() instanceof PackageElement p && p.getQualifiedName().contentEquals("java.lang")
          || shownImports.contains("import " + type.getQualifiedName() + ";")
          || shownImports.contains("import " + qualifiedName(type.getEnclosingElement()) + ".*;");
    }
    if (element.getKind() == ElementKind.METHOD && element.getModifiers().contains(Modifier.STATIC)) {
      return declaredWithin(a, element.getEnclosingElement(), range) || declaredOnPage.test(name)
          || shownImports.stream().anyMatch(line -> line.startsWith("import static ") && line.endsWith("." + name + ";"))
          || shownImports.stream().filter(line -> line.startsWith("import static ") && line.endsWith(".*;"))
              .map(line -> a.elements().getTypeElement(line.substring(14, line.length() - 3)))
              .anyMatch(owner -> owner != null && a.elements().getAllMembers(owner).contains(element));
    }
    return true;
  }

  private static String qualifiedName(Element element) {
    return element instanceof TypeElement type ? type.getQualifiedName().toString()
        : ((PackageElement) element).getQualifiedName().toString();
  }

  private static boolean declaredWithin(Attributed a, Element element, int[] range) {
    TreePath path = a.trees().getPath(element);
    if (path == null || path.getCompilationUnit() != a.unit()) {
      return false;
    }
    long start = a.trees().getSourcePositions().getStartPosition(a.unit(), path.getLeaf());
    return start >= range[0] && start < range[1];
  }

  /** Where {@code code} is in {@code text}, white space aside: its first and after its last character. */
  private static int[] locate(String text, String code) {
    StringBuilder squeezed = new StringBuilder();
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      boolean space = Character.isWhitespace(text.charAt(i));
      if (!space || squeezed.length() == 0 || squeezed.charAt(squeezed.length() - 1) != ' ') {
        squeezed.append(space ? ' ' : text.charAt(i));
        at.add(i);
      }
    }
    String wanted = code.replaceAll("\\s+", " ").trim();
    int from = squeezed.indexOf(wanted);
    if (from < 0) {
      throw new IllegalArgumentException("the source does not hold the snippet:\n" + code);
    }
    return new int[] {at.get(from), at.get(from + wanted.length() - 1) + 1};
  }

  /**
   * Attributes {@code source} against this test's class path and the sources of its module, so
   * that a class of the module that is not on the class path resolves too; names that still do
   * not resolve are left to the import check.
   */
  private static Attributed attribute(Path source) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    StandardJavaFileManager files = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8);
    List<String> options = new ArrayList<>(List.of("-proc:none", "-XDshould-stop.ifError=FLOW",
        "-classpath", System.getProperty("java.class.path")));
    String path = source.toString();
    int src = path.indexOf(File.separator + "src" + File.separator);
    if (src >= 0) {
      String module = path.substring(0, src);
      options.addAll(List.of("-sourcepath", module + "/src/main/java" + File.pathSeparator + module + "/src/test/java"));
    }
    JavacTask task = (JavacTask) compiler.getTask(Writer.nullWriter(), files, diagnostic -> { }, options, null,
        files.getJavaFileObjects(source));
    try {
      CompilationUnitTree unit = task.parse().iterator().next();
      task.analyze();
      return new Attributed(Files.readString(source, StandardCharsets.UTF_8), unit, Trees.instance(task),
          task.getElements());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
