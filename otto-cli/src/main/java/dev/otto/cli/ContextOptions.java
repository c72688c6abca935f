package dev.otto.cli;

import dev.otto.core.plan.RunContext;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The run context, from the command line. */
final class ContextOptions {
  @Option(names = "--branch", paramLabel = "B", description = "the branch of the run")
  String branch;

  @Option(names = "--tag", paramLabel = "T", description = "the tag of the run")
  String tag;

  @Option(names = "--trigger", paramLabel = "T", description = "what started the run, e.g. push")
  String trigger;

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "a parameter's value; may be repeated")
  Map<String, String> params = new LinkedHashMap<>();

  boolean given() {
    return branch != null || tag != null || trigger != null || !params.isEmpty();
  }

  /** The context given, or an unknown one when nothing is. */
  RunContext contextOrUnknown() {
    return given() ? context(null) : RunContext.unknown();
  }

  /** The context given, on {@code defaultBranch} when no branch or tag is. */
  RunContext context(String defaultBranch) {
    RunContext.Builder builder = RunContext.builder();
    if (branch != null) {
      builder.branch(branch);
    } else if (tag == null && defaultBranch != null) {
      builder.branch(defaultBranch);
    }
    if (tag != null) {
      builder.tag(tag);
    }
    if (trigger != null) {
      builder.trigger(trigger);
    }
    params.forEach(builder::param);
    return builder.build();
  }
}
