package dev.otto.core.explain;

import dev.otto.core.model.Pipeline;

/** Lets tests of other packages use the pipeline that has every kind of op and field. */
public final class PlanSchemaTestAccess {
  private PlanSchemaTestAccess() {}

  public static Pipeline everything() {
    return PlanSchemaTest.everything();
  }
}
