package dev.otto.core.plan;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.google.common.hash.Funnels;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Environment;
import dev.otto.core.model.LibraryUse;
import dev.otto.core.model.Lock;
import dev.otto.core.model.Parameter;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.SecretRef;
import dev.otto.core.model.Service;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a plan as JSON in the documented {@code otto-plan/1} form. Fields come in a fixed order
 * and absent optional fields are left out, so equal plans give equal bytes.
 */
final class PlanJsonWriter {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private PlanJsonWriter() {}

  /** The plan's JSON, indented, fingerprint included. */
  static String pretty(Plan plan) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    writePretty(plan, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * Writes the plan's JSON, indented, fingerprint included, to {@code out} as UTF-8; does not close
   * {@code out}. With the fingerprint known, the JSON streams to {@code out}; else it is written
   * once, into memory, and hashed on the way ({@link OnePass}), rather than written twice.
   */
  static void writePretty(Plan plan, OutputStream out) {
    if (plan.knownFingerprint() != null) {
      write(plan, out, true, true);
      return;
    }
    try (OnePass pass = new OnePass()) {
      try (JsonGenerator json = generator(pass, true)) {
        new PlanJsonWriter.Body(json).plan(plan, pass);
        json.writeRaw('\n');
      } catch (IOException e) {
        throw new UncheckedIOException("could not write the plan as JSON", e);
      }
      String fingerprint = pass.fingerprint();
      plan.knownFingerprint(fingerprint);
      pass.writeTo(out, fingerprint);
    }
  }

  /**
   * {@code sha256:<hex>} of the compact UTF-8 JSON without the fingerprint, hashed as it is
   * written, so that a large plan is never held as one string.
   */
  static String fingerprint(Plan plan) {
    Hasher hasher = Hashing.sha256().newHasher();
    write(plan, Funnels.asOutputStream(hasher), false, false);
    return "sha256:" + hasher.hash();
  }

  /** Writes the JSON to {@code out} as UTF-8; does not close {@code out}. */
  static void write(Plan plan, OutputStream out, boolean pretty, boolean withFingerprint) {
    try (JsonGenerator json = generator(out, pretty)) {
      new PlanJsonWriter.Body(json).plan(plan, withFingerprint ? plan.fingerprint() : null);
      if (pretty) {
        json.writeRaw('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the plan as JSON", e);
    }
  }

  private static JsonGenerator generator(OutputStream out, boolean pretty) throws IOException {
    JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8);
    if (pretty) {
      DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
      json.setPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter));
    }
    return json;
  }

  private static final class Body {
    private final JsonGenerator json;

    Body(JsonGenerator json) {
      this.json = json;
    }

    /** The plan, with {@code fingerprint} unless it is null. */
    void plan(Plan plan, String fingerprint) throws IOException {
      json.writeStartObject();
      json.writeStringField("schema", Plan.SCHEMA);
      if (fingerprint != null) {
        json.writeStringField("fingerprint", fingerprint);
      }
      rest(plan);
    }

    /** The plan without its fingerprint, where {@code pass} marks the place the fingerprint goes. */
    void plan(Plan plan, OnePass pass) throws IOException {
      json.writeStartObject();
      json.writeStringField("schema", Plan.SCHEMA);
      json.flush();
      pass.markFingerprint();
      rest(plan);
    }

    private void rest(Plan plan) throws IOException {
      json.writeStringField("pipeline", plan.pipeline());
      context(plan.context());
      json.writeArrayFieldStart("parameters");
      for (Parameter parameter : plan.parameters()) {
        json.writeStartObject();
        json.writeStringField("name", parameter.name());
        json.writeStringField("type", lower(parameter.type()));
        optional("default", parameter.defaultValue());
        if (!parameter.description().isEmpty()) {
          json.writeStringField("description", parameter.description());
        }
        strings("choices", parameter.choices(), false);
        optional("value", Optional.ofNullable(plan.parameterValues().get(parameter.name())));
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("libraries");
      for (LibraryUse use : plan.libraries()) {
        json.writeStartObject();
        json.writeStringField("id", use.id());
        json.writeStringField("description", use.library().description());
        values("config", use.config());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("environments");
      for (Environment environment : plan.environments()) {
        environment(environment);
      }
      json.writeEndArray();
      strings("secrets", plan.secrets(), true);
      json.writeArrayFieldStart("caches");
      for (Cache cache : plan.caches()) {
        json.writeStartObject();
        json.writeStringField("name", cache.name());
        strings("paths", cache.paths(), true);
        strings("keyFiles", cache.keyFiles(), false);
        fallbacks(cache.fallbacks());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("blueprints");
      for (var blueprint : plan.blueprints()) {
        json.writeStartObject();
        json.writeStringField("name", blueprint.name());
        map("variables", blueprint.variables());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("stages");
      for (PlannedStage stage : plan.stages()) {
        stage(stage);
      }
      json.writeEndArray();
      json.writeEndObject();
    }

    private void context(RunContext context) throws IOException {
      json.writeObjectFieldStart("context");
      json.writeBooleanField("known", context.isKnown());
      optional("branch", context.branch());
      optional("tag", context.tag());
      optional("trigger", context.trigger());
      map("parameters", context.parameters());
      optional("rollback", context.rollback());
      if (context.changedFiles().isPresent()) {
        strings("changedFiles", context.changedFiles().get(), true);
      }
      json.writeEndObject();
    }

    private void environment(Environment environment) throws IOException {
      json.writeStartObject();
      json.writeStringField("name", environment.name());
      map("settings", environment.settings());
      bindings(environment.secrets());
      strings("allowedBranches", environment.allowedBranches(), false);
      json.writeBooleanField("requiresApproval", environment.requiresApproval());
      if (environment.requiresApproval()) {
        json.writeStringField("approvalTimeout", duration(environment.approvalTimeout()));
      }
      if (!environment.locks().isEmpty()) {
        json.writeArrayFieldStart("locks");
        for (Lock lock : environment.locks()) {
          json.writeStartObject();
          json.writeStringField("name", lock.name());
          json.writeStringField("mode", lower(lock.mode()));
          json.writeEndObject();
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    }

    private void stage(PlannedStage stage) throws IOException {
      json.writeStartObject();
      json.writeStringField("id", stage.id());
      json.writeStringField("name", stage.name());
      optional("parent", stage.parent());
      if (stage.isGroup()) {
        strings("children", stage.children(), true);
        json.writeBooleanField("parallel", stage.parallel());
      }
      json.writeStringField("status", lower(stage.status()));
      optional("reason", stage.reason());
      runtime(stage.runtime());
      optional("runtimeSource", stage.runtimeSource());
      services(stage.services());
      optional("environment", stage.environment());
      optional("origin", stage.origin());
      if (stage.timeout().isPresent()) {
        json.writeStringField("timeout", duration(stage.timeout().get()));
      }
      strings("dependsOn", stage.dependsOn(), true);
      strings("runsEvenIfSkipped", stage.runsEvenIfSkipped(), false);
      json.writeArrayFieldStart("ops");
      for (Op op : stage.ops()) {
        op(op);
      }
      json.writeEndArray();
      json.writeEndObject();
    }

    private void runtime(Runtime runtime) throws IOException {
      json.writeObjectFieldStart("runtime");
      if (runtime instanceof Runtime.Container c) {
        json.writeStringField("kind", "container");
        json.writeStringField("image", c.image());
      } else if (runtime instanceof Runtime.Agent a) {
        json.writeStringField("kind", "agent");
        json.writeStringField("label", a.label());
      } else {
        json.writeStringField("kind", "local");
      }
      strings("tools", runtime.tools(), false);
      if (runtime.network()) {
        json.writeBooleanField("network", true);
      }
      json.writeEndObject();
    }

    /** The stage's services; left out when there are none, so plans without services read as before. */
    private void services(List<Service> services) throws IOException {
      if (services.isEmpty()) {
        return;
      }
      json.writeArrayFieldStart("services");
      for (Service service : services) {
        json.writeStartObject();
        json.writeStringField("name", service.name());
        json.writeStringField("image", service.image());
        map("env", service.env());
        strings("command", service.command(), false);
        optional("healthCheck", service.healthCheck());
        json.writeStringField("startTimeout", duration(service.startTimeout()));
        json.writeEndObject();
      }
      json.writeEndArray();
    }

    private void op(Op op) throws IOException {
      json.writeStartObject();
      json.writeStringField("op", op.kind());
      if (op.guard() != Op.Guard.NORMAL && !(op instanceof Op.EndStage)) {
        json.writeStringField("guard", lower(op.guard()));
      }
      if (op instanceof Op.BeginStage || op instanceof Op.EndStage) {
        json.writeStringField("stage", op instanceof Op.BeginStage b ? b.stage() : ((Op.EndStage) op).stage());
      } else if (op instanceof Op.RestoreCache r) {
        cache(r.cache(), r.paths(), r.keyFiles(), r.fallbacks());
      } else if (op instanceof Op.SaveCache s) {
        cache(s.cache(), s.paths(), s.keyFiles(), s.fallbacks());
      } else if (op instanceof Op.RunProcess p) {
        process(p);
      } else if (op instanceof Op.Emit e) {
        json.writeStringField("event", e.event());
        json.writeStringField("message", e.message());
      } else if (op instanceof Op.StoreArtifact a) {
        json.writeStringField("name", a.name());
        strings("paths", a.paths(), true);
      } else if (op instanceof Op.RestoreArtifact a) {
        json.writeStringField("name", a.name());
        if (a.from().isPresent()) {
          json.writeStringField("from", a.from().get().environment());
          if (a.from().get().previous()) {
            json.writeBooleanField("previous", true);
          }
        }
      } else if (op instanceof Op.AwaitChildren c) {
        strings("children", c.children(), true);
        json.writeBooleanField("parallel", c.parallel());
        if (c.keepsGoing()) {
          json.writeBooleanField("keepsGoing", true);
        }
      } else if (op instanceof Op.Wait w) {
        wait(w);
      }
      json.writeEndObject();
    }

    private void wait(Op.Wait wait) throws IOException {
      json.writeStringField("id", wait.id());
      if (wait instanceof Op.AwaitApproval a) {
        json.writeStringField("position", lower(a.position()));
        json.writeStringField("prompt", a.prompt());
        strings("approvers", a.approvers(), false);
      } else if (wait instanceof Op.AwaitWebhook w) {
        json.writeStringField("position", lower(w.position()));
        json.writeStringField("description", w.description());
      } else if (wait instanceof Op.Poll p) {
        json.writeStringField("position", lower(p.position()));
        json.writeStringField("description", p.description());
        json.writeStringField("interval", duration(p.interval()));
        json.writeNumberField("backoff", p.backoff());
        json.writeStringField("maxInterval", duration(p.maxInterval()));
        json.writeFieldName("probe");
        json.writeStartObject();
        process(p.probe());
        json.writeEndObject();
      } else if (wait instanceof Op.AcquireLock l) {
        json.writeStringField("lock", l.lock());
        json.writeStringField("mode", lower(l.mode()));
      }
      json.writeStringField("timeout", duration(wait.timeout()));
      json.writeStringField("onTimeout", lower(wait.onTimeout()));
    }

    private void process(Op.RunProcess p) throws IOException {
      json.writeStringField("label", p.label());
      json.writeStringField("script", p.script());
      map("env", p.env());
      bindings(p.secrets());
      if (p.timeout().isPresent()) {
        json.writeStringField("timeout", duration(p.timeout().get()));
      }
      if (p.retries() > 0) {
        json.writeNumberField("retries", p.retries());
        json.writeStringField("retryBackoff", duration(p.retryBackoff()));
      }
    }

    private void cache(String name, List<String> paths, List<String> keyFiles, List<Cache.Fallback> fallbacks)
        throws IOException {
      json.writeStringField("cache", name);
      strings("paths", paths, true);
      strings("keyFiles", keyFiles, false);
      fallbacks(fallbacks);
    }

    /** Always written, an empty list meaning the exact key only. */
    private void fallbacks(List<Cache.Fallback> fallbacks) throws IOException {
      json.writeArrayFieldStart("fallbacks");
      for (Cache.Fallback fallback : fallbacks) {
        json.writeStartObject();
        strings("keyFiles", fallback.keyFiles(), true);
        json.writeEndObject();
      }
      json.writeEndArray();
    }

    private void bindings(List<SecretBinding> bindings) throws IOException {
      if (bindings.isEmpty()) {
        return;
      }
      json.writeArrayFieldStart("secrets");
      for (SecretBinding binding : bindings) {
        json.writeStartObject();
        json.writeStringField("secret", binding.secret());
        json.writeStringField("as", lower(binding.delivery()));
        json.writeStringField("variable", binding.variable());
        json.writeEndObject();
      }
      json.writeEndArray();
    }

    private void values(String field, Map<String, Object> values) throws IOException {
      json.writeObjectFieldStart(field);
      for (Map.Entry<String, Object> entry : values.entrySet()) {
        json.writeFieldName(entry.getKey());
        value(entry.getValue());
      }
      json.writeEndObject();
    }

    private void value(Object value) throws IOException {
      if (value instanceof Boolean b) {
        json.writeBoolean(b);
      } else if (value instanceof Long n) {
        json.writeNumber(n);
      } else if (value instanceof List<?> list) {
        json.writeStartArray();
        for (Object element : list) {
          json.writeString(String.valueOf(element));
        }
        json.writeEndArray();
      } else if (value instanceof SecretRef secret) {
        json.writeStartObject();
        json.writeStringField("secret", secret.name());
        json.writeEndObject();
      } else {
        json.writeString(String.valueOf(value));
      }
    }

    private void map(String field, Map<String, String> map) throws IOException {
      if (map.isEmpty()) {
        return;
      }
      json.writeObjectFieldStart(field);
      for (Map.Entry<String, String> entry : map.entrySet()) {
        json.writeStringField(entry.getKey(), entry.getValue());
      }
      json.writeEndObject();
    }

    private void strings(String field, List<String> values, boolean evenIfEmpty) throws IOException {
      if (values.isEmpty() && !evenIfEmpty) {
        return;
      }
      json.writeArrayFieldStart(field);
      for (String value : values) {
        json.writeString(value);
      }
      json.writeEndArray();
    }

    private void optional(String field, Optional<String> value) throws IOException {
      if (value.isPresent()) {
        json.writeStringField(field, value.get());
      }
    }

    private static String lower(Enum<?> value) {
      return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String duration(Duration duration) {
      return duration.toString();
    }
  }
}
