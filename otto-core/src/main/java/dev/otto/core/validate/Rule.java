package dev.otto.core.validate;

/**
 * The rules validation checks, each with a stable code. Codes never change meaning; the site's
 * validation page lists them with examples.
 */
public enum Rule {
  PIPELINE_NAME("OTTO-001", "invalid pipeline name"),
  EMPTY_PIPELINE("OTTO-002", "pipeline without stages"),
  STAGE_NAME("OTTO-010", "invalid stage name"),
  DUPLICATE_STAGE("OTTO-011", "two sibling stages with one name"),
  EMPTY_STAGE("OTTO-012", "stage with neither steps nor child stages"),
  STEPS_AND_CHILDREN("OTTO-013", "stage with both steps and child stages"),
  NESTING_TOO_DEEP("OTTO-014", "stages nested too deep"),
  GROUP_SETTING("OTTO-015", "setting that only a stage with steps can use"),
  INVALID_RUNTIME("OTTO-016", "blank container image or agent label"),
  CHILDREN_SETTING("OTTO-017", "setting that only a group or a matrix can use"),
  UNKNOWN_STAGE("OTTO-020", "reference to a stage that does not exist"),
  SELF_OR_ANCESTOR_DEPENDENCY("OTTO-021", "stage depending on itself or on a stage that contains it"),
  DEPENDENCY_CYCLE("OTTO-022", "dependency cycle"),
  MATRIX_AXIS("OTTO-030", "invalid matrix axis"),
  MATRIX_DUPLICATE_NAME("OTTO-031", "matrix producing one stage name twice"),
  MATRIX_PLACEHOLDER("OTTO-032", "unknown matrix placeholder"),
  MATRIX_TOO_LARGE("OTTO-033", "matrix with too many combinations"),
  CACHE_DECLARATION("OTTO-040", "invalid cache declaration"),
  UNKNOWN_CACHE("OTTO-041", "reference to an undeclared cache"),
  CACHE_NOT_SAVED_BEFORE("OTTO-042", "cache restored before any stage saves it"),
  ARTIFACT("OTTO-043", "invalid artifact name or path"),
  CACHE_NEVER_RESTORED("OTTO-044", "cache that no stage restores"),
  ARTIFACT_NEVER_ARCHIVED("OTTO-045", "artifact restored that no stage archives"),
  SAME_AS_NOT_BEFORE("OTTO-051", "same-as runtime of a stage that does not run before"),
  SERVICE("OTTO-052", "invalid service declaration"),
  SERVICE_WITHOUT_CONTAINER("OTTO-053", "service on a stage that does not run in a container"),
  WAIT_WITHOUT_TIMEOUT("OTTO-060", "wait without a timeout"),
  INVALID_DURATION("OTTO-061", "zero, negative or invalid duration"),
  CONDITION_ON_EXIT("OTTO-062", "condition used as an exit gate"),
  INVALID_RETRIES("OTTO-063", "retries out of range"),
  SECRET_NAME("OTTO-070", "invalid secret name"),
  UNDECLARED_SECRET("OTTO-071", "reference to an undeclared secret"),
  DUPLICATE_SECRET("OTTO-072", "secret declared twice"),
  ENVIRONMENT_NAME("OTTO-080", "invalid environment name"),
  UNKNOWN_ENVIRONMENT("OTTO-081", "reference to an undeclared environment"),
  DUPLICATE_ENVIRONMENT("OTTO-082", "environment declared twice"),
  VARIABLE_NAME("OTTO-083", "invalid environment variable name"),
  UNDECLARED_PARAMETER("OTTO-090", "condition on an undeclared parameter"),
  PARAMETER_DECLARATION("OTTO-091", "invalid parameter declaration"),
  CONDITION_NEVER_TRUE("OTTO-092", "condition comparing a parameter with a value of the wrong type"),
  CONDITION_TOO_DEEP("OTTO-093", "condition nested too deep"),
  BLUEPRINT_VARIABLE_TYPE("OTTO-100", "blueprint variable of the wrong type"),
  BLUEPRINT_VARIABLE_MISSING("OTTO-101", "required blueprint variable missing"),
  BLUEPRINT_VARIABLE_UNKNOWN("OTTO-102", "value for a variable the blueprint does not declare"),
  UNKNOWN_LIBRARY("OTTO-110", "step of a library the pipeline does not use"),
  UNKNOWN_ACTION("OTTO-111", "library action that does not exist"),
  LIBRARY_ARGUMENT("OTTO-112", "invalid library step argument"),
  LIBRARY_CONFIG("OTTO-113", "invalid library configuration"),
  DUPLICATE_LIBRARY("OTTO-114", "library used twice"),
  EMPTY_SCRIPT("OTTO-120", "empty script"),
  INVALID_GLOB("OTTO-121", "invalid glob"),
  LOCK_NAME("OTTO-130", "invalid lock name");

  private final String code;
  private final String title;

  Rule(String code, String title) {
    this.code = code;
    this.title = title;
  }

  /** The stable code, e.g. {@code OTTO-060}. */
  public String code() {
    return code;
  }

  /** What the rule is about, in a few words. */
  public String title() {
    return title;
  }
}
