/**
 * Zero-configuration pipelines: conventions detect a repository's projects from their files and
 * contribute ordinary, explainable stages for them.
 */
module dev.otto.conventions {
  requires transitive dev.otto.dsl;
  requires com.fasterxml.jackson.core;

  exports dev.otto.conventions;

  uses dev.otto.conventions.Convention;
}
