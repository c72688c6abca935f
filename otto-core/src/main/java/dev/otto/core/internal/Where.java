package dev.otto.core.internal;

import dev.otto.core.model.StagePath;

/** Builds the paths problems are reported at: {@code pipeline 'webapp' > stage 'Deploy'}. */
public final class Where {
  private Where() {}

  public static String pipeline(String pipeline) {
    return "pipeline '" + Names.printable(pipeline) + "'";
  }

  public static String stage(String pipeline, StagePath path) {
    StringBuilder out = new StringBuilder(pipeline(pipeline));
    for (String name : path.names()) {
      out.append(" > stage '").append(Names.printable(name)).append('\'');
    }
    return out.toString();
  }

  public static String quoted(StagePath path) {
    return "'" + Names.printable(path.toString()) + "'";
  }
}
