package dev.otto.dsl;

import java.util.List;

/**
 * A reusable, parameterized part of a pipeline: typed variables, and the stages, caches,
 * environments and secrets it contributes. A pipeline is built {@code from} a blueprint and may
 * add to it.
 *
 * <pre>{@code
 * public final class RubyGem implements Blueprint {
 *   public static final Variable<String> RUBY_VERSION = Variable.string("rubyVersion").defaultValue("ruby");
 *   public static final Variable<Boolean> DEPLOY = Variable.bool("deploy").defaultValue(true);
 *
 *   public String name() { return "rubygem"; }
 *   public List<Variable<?>> variables() { return List.of(RUBY_VERSION, DEPLOY); }
 *   public void contribute(PipelineSpec p, BlueprintValues v) {
 *     p.stage("Build", s -> s.runtime(docker(v.get(RUBY_VERSION))).steps(sh("bundle exec rake build")));
 *   }
 * }
 *
 * Pipeline gem = Otto.pipeline("my-gem", p -> p.from(new RubyGem(), v -> v.set(RubyGem.DEPLOY, false)));
 * }</pre>
 *
 * <p>Values given by name ({@link PipelineSpec#from(Blueprint, java.util.Map)}, for example from a
 * file) are checked against the declared types; a wrong type, a missing required variable or
 * an unknown name is reported with the pipeline's other problems.
 */
public interface Blueprint {

  /** A short name shown in explain, e.g. {@code rubygem}. */
  String name();

  /** The variables, in the order explain shows them. */
  List<Variable<?>> variables();

  /** Adds the blueprint's parts to {@code pipeline}, given the variables' values. */
  void contribute(PipelineSpec pipeline, BlueprintValues values);
}
