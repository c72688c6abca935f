package dev.otto.core.workspace;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a run's workspace starts as. The engine creates the workspace as an empty folder and
 * asks the run's source to fill it before the first stage starts; a resumed run keeps the
 * workspace it had. A source never writes anywhere but into the workspace it is given: in
 * particular, never into the project it copies.
 *
 * <p>{@link WorkspaceSources} has the built-in sources. A host with its own (an archive from a
 * build server, a checkout through its own credentials) implements this interface:
 *
 * <pre>{@code
 * WorkspaceSource source = new WorkspaceSource() {
 *   public String description() { return "the sources of build " + build; }
 *   public Filled fill(Path workspace) throws IOException { ...; return new Filled(files, bytes, revision); }
 * };
 * engine.start(plan, source);
 * }</pre>
 */
public interface WorkspaceSource {

  /** What the workspace starts as, for explain, events and reports: "a copy of /src/shop". */
  String description();

  /**
   * Fills {@code workspace}, an empty folder, and says what it put there.
   *
   * @throws IOException if it cannot; the run does not start, and the message says why
   */
  Filled fill(Path workspace) throws IOException;

  /**
   * What a source put into a workspace.
   *
   * @param files how many files (and links) it wrote
   * @param bytes how many bytes they hold
   * @param revision the commit the files come from, when a version control system says so; empty
   *     otherwise, e.g. for a copy with uncommitted changes
   */
  record Filled(long files, long bytes, java.util.Optional<String> revision) {
    public Filled {
      java.util.Objects.requireNonNull(revision, "revision");
    }
  }
}
