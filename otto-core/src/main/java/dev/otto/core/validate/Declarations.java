package dev.otto.core.validate;

import static dev.otto.core.validate.Problem.error;

import dev.otto.core.library.ParamSpec;
import dev.otto.core.library.ValueType;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Environment;
import dev.otto.core.model.LibraryUse;
import dev.otto.core.model.Lock;
import dev.otto.core.model.Parameter;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.SecretRef;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The declarations of a pipeline (secrets, parameters, environments, caches, libraries), checked
 * once, and the checks that steps and stages share: arguments, durations, variables and secret
 * bindings. Problems go to the shared list.
 */
final class Declarations {
  final List<Problem> problems;
  final String top;
  final Set<String> secrets = new HashSet<>();
  final Map<String, Environment> environments = new HashMap<>();
  final Map<String, Parameter> parameters = new HashMap<>();
  /** In declaration order, as problems about caches are reported in it. */
  final Map<String, Cache> caches = new LinkedHashMap<>();
  final Map<String, LibraryUse> libraries = new HashMap<>();
  /** The libraries whose configuration is valid, whose steps can therefore be expanded. */
  final Set<String> configured = new HashSet<>();
  private final Pipeline pipeline;
  /**
   * The declarations refused for their names, as {@code kind:name}: a use of one is not reported
   * again as undeclared, whose fix (declare it) would be wrong, and no other check reads them.
   */
  private final Set<String> refused = new HashSet<>();

  Declarations(Pipeline pipeline, List<Problem> problems) {
    this.pipeline = pipeline;
    this.problems = problems;
    this.top = Where.pipeline(pipeline.name());
  }

  void check() {
    checkSecrets();
    checkParameters();
    checkEnvironments();
    checkCaches();
    checkLibraries();
  }

  private void checkSecrets() {
    for (SecretRef secret : pipeline.secrets()) {
      if (!Names.isIdentifier(secret.name())) {
        problems.add(error(Rule.SECRET_NAME, top, "'" + Names.printable(secret.name()) + "' is not a valid secret name.",
            "use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. 'heroku-api-key'."));
        refused.add("secret:" + secret.name());
      } else if (!secrets.add(secret.name())) {
        problems.add(error(Rule.DUPLICATE_SECRET, top, "the secret '" + secret.name() + "' is declared twice.",
            "declare each secret once and share its handle."));
      }
    }
  }

  private void checkParameters() {
    for (Parameter parameter : pipeline.parameters()) {
      String name = parameter.name();
      if (!Names.isIdentifier(name)) {
        problems.add(error(Rule.PARAMETER_DECLARATION, top, "'" + Names.printable(name) + "' is not a valid parameter name.",
            "use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit."));
        refused.add("parameter:" + name);
        continue;
      }
      if (parameters.putIfAbsent(name, parameter) != null) {
        problems.add(error(Rule.PARAMETER_DECLARATION, top, "the parameter '" + name + "' is declared twice.",
            "declare each parameter once."));
        continue;
      }
      if (parameter.type() == Parameter.Type.CHOICE && parameter.choices().isEmpty()) {
        problems.add(error(Rule.PARAMETER_DECLARATION, top, "the choice parameter '" + name + "' has no choices.",
            "list the allowed values."));
      }
      parameter.defaultValue().ifPresent(value -> {
        if (!accepts(parameter, value)) {
          problems.add(error(Rule.PARAMETER_DECLARATION, top, "the default '" + Names.printable(value)
              + "' of parameter '" + name + "' is not a valid " + describe(parameter) + ".",
              "give a default of the parameter's type."));
        }
      });
    }
  }

  /** Whether {@code value} is of {@code type}: a secret is a {@link SecretRef}, which the library SPI does not know. */
  private static boolean isOf(ValueType type, Object value) {
    return type == ValueType.SECRET ? value instanceof SecretRef : type.accepts(value);
  }

  static boolean accepts(Parameter parameter, String value) {
    return parameter.type().accepts(value)
        && (parameter.type() != Parameter.Type.CHOICE || parameter.choices().contains(value));
  }

  static String describe(Parameter parameter) {
    return parameter.type() == Parameter.Type.CHOICE
        ? "choice of " + parameter.choices()
        : parameter.type().name().toLowerCase(java.util.Locale.ROOT);
  }

  private void checkEnvironments() {
    for (Environment environment : pipeline.environments()) {
      String name = environment.name();
      String where = top + " > environment '" + Names.printable(name) + "'";
      if (!Names.isIdentifier(name)) {
        problems.add(error(Rule.ENVIRONMENT_NAME, where, "'" + Names.printable(name) + "' is not a valid environment name.",
            "use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. 'production'."));
        refused.add("environment:" + name);
        continue;
      }
      if (environments.putIfAbsent(name, environment) != null) {
        problems.add(error(Rule.DUPLICATE_ENVIRONMENT, where, "the environment '" + name + "' is declared twice.",
            "declare each environment once and share its handle."));
        continue;
      }
      checkVariables(() -> where, environment.settings().keySet());
      checkBindings(() -> where, environment.secrets());
      for (String glob : environment.allowedBranches()) {
        Glob.error(glob).ifPresent(e -> problems.add(error(Rule.INVALID_GLOB, where, e + ".",
            "write branch globs such as 'main' or 'release/*'.")));
      }
      checkDuration(where, "approval timeout", Optional.of(environment.approvalTimeout()));
      checkLocks(where, environment.locks());
    }
  }

  /** Lock names are identifiers, so that every engine can name a lock table's entry after them. */
  void checkLocks(String where, List<Lock> locks) {
    for (Lock lock : locks) {
      if (!Names.isIdentifier(lock.name())) {
        problems.add(error(Rule.LOCK_NAME, where, "'" + Names.printable(lock.name()) + "' is not a valid lock name.",
            "use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. .lock(\"production\")."));
      }
    }
  }

  private void checkCaches() {
    for (Cache cache : pipeline.caches()) {
      String where = top + " > cache '" + Names.printable(cache.name()) + "'";
      if (!Names.isIdentifier(cache.name())) {
        problems.add(error(Rule.CACHE_DECLARATION, where, "'" + Names.printable(cache.name()) + "' is not a valid cache name.",
            "use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. 'gems'."));
        refused.add("cache:" + cache.name());
      } else if (caches.putIfAbsent(cache.name(), cache) != null) {
        problems.add(error(Rule.CACHE_DECLARATION, where, "the cache '" + cache.name() + "' is declared twice.",
            "declare each cache once and share its handle."));
      } else if (cache.paths().isEmpty()) {
        problems.add(error(Rule.CACHE_DECLARATION, where, "the cache '" + cache.name() + "' has no paths.",
            "list the workspace paths it keeps, e.g. 'vendor/'."));
      }
      for (String path : cache.paths()) {
        if (Names.isUnexpanded(path)) {
          problems.add(error(Rule.CACHE_DECLARATION, where, "the path '" + Names.printable(path) + "' starts with '"
              + path.charAt(0) + "', which no shell expands here: cache paths are relative to the workspace.",
              "have the tool keep its files in the workspace and cache that folder, e.g. "
                  + "'mvn -Dmaven.repo.local=.m2/repository' and the path '.m2/repository/'."));
        } else if (!Names.isWorkspacePath(path)) {
          problems.add(error(Rule.CACHE_DECLARATION, where, "the path '" + Names.printable(path)
              + "' is not a relative path inside the workspace.", "use paths relative to the workspace, e.g. 'vendor/'."));
        }
      }
      for (String keyFile : cache.keyFiles()) {
        if (Names.isUnexpanded(keyFile) || !Names.isWorkspacePath(keyFile)) {
          problems.add(error(Rule.CACHE_DECLARATION, where, "the key file '" + Names.printable(keyFile)
              + "' is not a relative path inside the workspace, where the engine reads key files.",
              "name a file of the workspace whose content decides the cache's key, e.g. 'Gemfile.lock'."));
        } else if (Cache.readsAsPattern(keyFile)) {
          problems.add(error(Rule.CACHE_DECLARATION, where, "the key file '" + Names.printable(keyFile)
              + "' is a pattern, but key files are paths, read as written: no file is named so, and the cache's key "
              + "would never change.", "name each file, e.g. 'package-lock.json' and 'web/package-lock.json'."));
        }
      }
      checkFallbacks(cache, where);
    }
  }

  /** A fallback keeps some of the cache's key files; a file that is not one would never match. */
  private void checkFallbacks(Cache cache, String where) {
    for (Cache.Fallback fallback : cache.fallbacks()) {
      for (String keyFile : fallback.keyFiles()) {
        if (!cache.keyFiles().contains(keyFile)) {
          problems.add(error(Rule.CACHE_DECLARATION, where, "a fallback of cache '" + cache.name() + "' keeps '"
              + Names.printable(keyFile) + "', which is not one of its key files.",
              "keep only some of its key files " + cache.keyFiles() + " (or make '" + Names.printable(keyFile)
                  + "' a key file too), or call fallback() for the cache's newest entry."));
        }
      }
    }
  }

  private void checkLibraries() {
    for (LibraryUse use : pipeline.libraries()) {
      String where = top + " > library '" + Names.printable(use.id()) + "'";
      if (libraries.putIfAbsent(use.id(), use) != null) {
        problems.add(error(Rule.DUPLICATE_LIBRARY, where, "the library '" + use.id() + "' is used twice.",
            "use each library once; its handle can make any number of steps."));
        continue;
      }
      if (checkArguments(where, Rule.LIBRARY_CONFIG, "configuration", use.library().configSpec(), use.config())) {
        configured.add(use.id());
      }
    }
  }

  /** Reports what is wrong with {@code given}; returns whether nothing is. */
  boolean checkArguments(String where, Rule rule, String what, List<ParamSpec> specs, Map<String, Object> given) {
    int before = problems.size();
    Map<String, ParamSpec> byName = new LinkedHashMap<>();
    for (ParamSpec spec : specs) {
      byName.put(spec.name(), spec);
    }
    for (Map.Entry<String, Object> entry : given.entrySet()) {
      ParamSpec spec = byName.get(entry.getKey());
      if (spec == null) {
        problems.add(error(rule, where, "the " + what + " has no parameter '" + Names.printable(entry.getKey()) + "'.",
            "use one of " + byName.keySet() + "."));
      } else if (!isOf(spec.type(), entry.getValue())) {
        problems.add(error(rule, where, "the " + what + " parameter '" + spec.name() + "' must be a " + spec.type().word()
            + ", not " + typeOf(entry.getValue()) + ".", "pass a " + spec.type().word() + "."));
      } else if (spec.type() == ValueType.SECRET && !secrets.contains(((SecretRef) entry.getValue()).name())
          && !refused("secret", ((SecretRef) entry.getValue()).name())) {
        problems.add(undeclaredSecret(where, ((SecretRef) entry.getValue()).name()));
      }
    }
    for (ParamSpec spec : specs) {
      if (spec.required() && !given.containsKey(spec.name())) {
        problems.add(error(rule, where, "the " + what + " needs the parameter '" + spec.name() + "' ("
            + spec.description() + ").", "give a " + spec.type().word() + " for '" + spec.name() + "'."));
      }
    }
    return problems.size() == before;
  }

  private static String typeOf(Object value) {
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof List) {
      return "a list";
    }
    return "a " + value.getClass().getSimpleName();
  }

  /** Whether the declaration of the {@code kind} named {@code name} was refused for its name. */
  boolean refused(String kind, String name) {
    return refused.contains(kind + ":" + name);
  }

  Problem undeclaredSecret(String where, String name) {
    return error(Rule.UNDECLARED_SECRET, where, "the secret '" + Names.printable(name) + "' is not declared.",
        "declare it on the pipeline first, e.g. var key = p.secret(\"" + Names.printable(name) + "\").");
  }

  void checkDuration(At where, String what, Optional<Duration> duration) {
    if (duration.isPresent() && (duration.get().isNegative() || duration.get().isZero())) {
      checkDuration(where.get(), what, duration);
    }
  }

  void checkDuration(String where, String what, Optional<Duration> duration) {
    if (duration.isPresent() && (duration.get().isNegative() || duration.get().isZero())) {
      problems.add(error(Rule.INVALID_DURATION, where, "the " + what + " is " + duration.get() + ".",
          "use a positive duration."));
    }
  }

  void checkVariables(At where, Iterable<String> names) {
    for (String name : names) {
      if (!Names.isVariable(name)) {
        problems.add(error(Rule.VARIABLE_NAME, where.get(), "'" + Names.printable(name) + "' is not a valid environment variable name.",
            "use letters, digits and '_', not starting with a digit, e.g. 'HEROKU_API_KEY'."));
      }
    }
  }

  /** The shell's and the engine's variables, which a secret bound to would replace. */
  private static final Set<String> SHELL_VARIABLES = Set.of("PATH", "HOME", "PWD", "SHELL", "IFS");

  private static boolean reserved(String variable) {
    return SHELL_VARIABLES.contains(variable) || variable.startsWith("OTTO_");
  }

  /** A variable named after {@code secret}, as the fix's example. */
  private static String suggestion(String secret) {
    String upper = secret.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    return upper.isEmpty() || !Character.isLetter(upper.charAt(0)) || reserved(upper) ? "API_TOKEN" : upper;
  }

  void checkBindings(At where, List<SecretBinding> bindings) {
    if (bindings.isEmpty()) {
      return;
    }
    Set<String> variables = new HashSet<>();
    for (SecretBinding binding : bindings) {
      if (!secrets.contains(binding.secret()) && !refused("secret", binding.secret())) {
        problems.add(undeclaredSecret(where.get(), binding.secret()));
      }
      if (!Names.isVariable(binding.variable())) {
        problems.add(error(Rule.VARIABLE_NAME, where.get(), "'" + Names.printable(binding.variable())
            + "' is not a valid environment variable name for the secret '" + Names.printable(binding.secret()) + "'.",
            "use letters, digits and '_', not starting with a digit, e.g. 'HEROKU_API_KEY'."));
      } else if (reserved(binding.variable())) {
        problems.add(error(Rule.VARIABLE_NAME, where.get(), "the secret '" + Names.printable(binding.secret())
            + "' is bound to $" + binding.variable() + ", which " + (binding.variable().startsWith("OTTO_")
                ? "is the engine's own, as every variable starting with OTTO_ is, so the step would not see the engine's"
                : "the shell and the step's tools rely on, so the step would break") + ".",
            "bind it to a variable of its own, e.g. '" + suggestion(binding.secret()) + "'."));
      } else if (!variables.add(binding.variable())) {
        problems.add(error(Rule.VARIABLE_NAME, where.get(), "two secrets are bound to $" + binding.variable() + ".",
            "bind each secret to a variable of its own."));
      }
    }
  }
}
