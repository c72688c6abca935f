package dev.otto.core.validate;

import dev.otto.core.model.StagePath;
import java.util.List;

/** Builds the paths problems are reported at: {@code pipeline 'webapp' > stage 'Deploy'}. */
final class Where {
  private static final int SHOWN_DEPTH = 12;

  private Where() {}

  static String pipeline(String pipeline) {
    return "pipeline '" + Names.printable(pipeline) + "'";
  }

  /**
   * The path of a stage. A path deeper than 12 stages shows its first and last
   * stages and how many are left out, so that a problem deep in a generated pipeline stays
   * readable.
   */
  static String stage(String pipeline, StagePath path) {
    StringBuilder out = new StringBuilder(pipeline(pipeline));
    List<String> names = path.names();
    if (names.size() <= SHOWN_DEPTH) {
      return stages(out, names).toString();
    }
    int ends = SHOWN_DEPTH / 2;
    stages(out, names.subList(0, ends)).append(" > … ").append(names.size() - 2 * ends).append(" more stages …");
    return stages(out, names.subList(names.size() - ends, names.size())).toString();
  }

  private static StringBuilder stages(StringBuilder out, List<String> names) {
    for (String name : names) {
      out.append(" > stage '").append(Names.printable(name)).append('\'');
    }
    return out;
  }

  static String quoted(StagePath path) {
    return "'" + Names.printable(path.toString()) + "'";
  }
}
