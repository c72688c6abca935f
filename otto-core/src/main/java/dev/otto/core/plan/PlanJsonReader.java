package dev.otto.core.plan;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.google.common.hash.Funnels;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Gate.OnTimeout;
import dev.otto.core.model.LockMode;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.Service;
import dev.otto.core.model.StagePath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the stages of a plan back from its {@code otto-plan/1} JSON, as {@link PlanJsonWriter}
 * wrote them. The document is read into plain maps and lists first, then each field is taken
 * by name, so that a missing or mistyped field is reported with its place in the document.
 */
final class PlanJsonReader {
  private static final JsonFactory FACTORY = new JsonFactory();

  private PlanJsonReader() {}

  /** Reads a plan's runnable part; throws {@link IllegalArgumentException} saying what is wrong, and where. */
  static RunnablePlan read(String json) {
    Object tree;
    try (JsonParser parser = FACTORY.createParser(json)) {
      parser.nextToken();
      tree = value(parser);
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("not an " + Plan.SCHEMA + " document: text follows the plan's object");
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not an " + Plan.SCHEMA + " document: " + e.getOriginalMessage()
          + " at line " + e.getLocation().getLineNr(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Node plan = new Node(tree, "the plan");
    String schema = plan.string("schema");
    if (!schema.equals(Plan.SCHEMA)) {
      throw new IllegalArgumentException("the plan is in the form '" + schema + "', not '" + Plan.SCHEMA
          + "'; plan the pipeline again with this version of Otto");
    }
    List<PlannedStage> stages = new ArrayList<>();
    for (Node stage : plan.list("stages")) {
      stages.add(stage(stage));
    }
    String fingerprint = plan.string("fingerprint");
    String content = contentFingerprint(json);
    if (!fingerprint.equals(content)) {
      throw new IllegalArgumentException("the plan of '" + plan.string("pipeline") + "' says its fingerprint is "
          + fingerprint + ", but what it holds has the fingerprint " + content + ": it was changed after it was "
          + "planned; plan the pipeline again rather than edit its plan");
    }
    return new RunnablePlan(plan.string("pipeline"), fingerprint, stages);
  }

  /**
   * The fingerprint of what a plan's JSON holds, as {@link PlanJsonWriter#fingerprint} computes it
   * when it writes the plan: the SHA-256 of the document written compactly without its
   * {@code fingerprint} field. Each token is written again as the writer writes it, so a plan
   * indented again, by Otto or another tool ({@code jq}, which writes the double {@code 2.0} as
   * {@code 2}), or written by an earlier version, has the fingerprint it was given.
   */
  /** The plan's fields that hold a double, which the writer writes with a fraction ({@code 2.0}). */
  private static final java.util.Set<String> DOUBLE_FIELDS = java.util.Set.of("backoff");

  static String contentFingerprint(String json) {
    Hasher hasher = Hashing.sha256().newHasher();
    try (JsonParser parser = FACTORY.createParser(json);
        JsonGenerator out = FACTORY.createGenerator(Funnels.asOutputStream(hasher), JsonEncoding.UTF8)) {
      int depth = 0;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (depth == 1 && token == JsonToken.FIELD_NAME && parser.currentName().equals("fingerprint")) {
          parser.nextToken();
          parser.skipChildren();
          continue;
        }
        if (token == JsonToken.VALUE_NUMBER_INT && DOUBLE_FIELDS.contains(parser.currentName())) {
          // Written as a double (2.0); a tool that indents JSON again may write it as 2.
          out.writeNumber(parser.getDoubleValue());
        } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
          // 2.0, 2.00 and 2e0 are one number, which the plan was written with as 2.0.
          out.writeNumber(parser.getDoubleValue());
        } else {
          out.copyCurrentEvent(parser);
        }
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "sha256:" + hasher.hash();
  }

  private static PlannedStage stage(Node stage) {
    String id = stage.string("id");
    Node at = stage.named("stage '" + id + "'");
    List<Op> ops = new ArrayList<>();
    int index = 0;
    for (Node op : at.list("ops")) {
      ops.add(op(op.named("op " + index++ + " of stage '" + id + "'")));
    }
    return new PlannedStage(id, StagePath.parse(id), at.optional("parent"), at.strings("children"),
        at.has("parallel") && at.bool("parallel"), at.constant("status", StageStatus.class), at.optional("reason"),
        runtime(at.node("runtime")), at.optional("runtimeSource"), services(at), at.optional("environment"),
        at.optional("origin"), at.optional("timeout").map(text -> at.duration("timeout")), at.strings("dependsOn"),
        at.has("runsEvenIfSkipped") ? at.strings("runsEvenIfSkipped") : List.of(), ops);
  }

  /** A cache op's fallbacks; a plan written before fallbacks existed has the default one. */
  private static List<Cache.Fallback> fallbacks(Node op) {
    if (!op.has("fallbacks")) {
      return List.of(Cache.Fallback.ANY_KEY_FILES);
    }
    return op.list("fallbacks").stream().map(fallback -> new Cache.Fallback(fallback.strings("keyFiles"))).toList();
  }

  private static List<Service> services(Node stage) {
    List<Service> services = new ArrayList<>();
    for (Node service : stage.list("services")) {
      services.add(Service.builder(service.string("name"), service.string("image")).env(service.map("env"))
          .command(service.strings("command")).healthCheck(service.optional("healthCheck"))
          .startTimeout(service.duration("startTimeout")).build());
    }
    return services;
  }

  private static Runtime runtime(Node runtime) {
    String kind = runtime.string("kind");
    Runtime.Local local;
    try {
      local = new Runtime.Local(runtime.strings("tools"), runtime.has("network") && runtime.bool("network"));
    } catch (IllegalArgumentException e) {
      throw runtime.problem("has 'tools' with " + e.getMessage());
    }
    switch (kind) {
      case "local":
        return local;
      case "container":
        return new Runtime.Container(runtime.string("image"), local.tools(), local.network());
      case "agent":
        return new Runtime.Agent(runtime.string("label"), local.tools(), local.network());
      default:
        throw runtime.problem("has runtime kind '" + kind + "'; the kinds are local, container and agent");
    }
  }

  private static Op op(Node op) {
    String kind = op.string("op");
    Op.Guard guard = op.has("guard") ? op.constant("guard", Op.Guard.class) : Op.Guard.NORMAL;
    switch (kind) {
      case "begin-stage":
        return new Op.BeginStage(op.string("stage"));
      case "end-stage":
        return new Op.EndStage(op.string("stage"));
      case "restore-cache":
        return new Op.RestoreCache(op.string("cache"), op.strings("paths"), op.strings("keyFiles"), fallbacks(op));
      case "save-cache":
        return new Op.SaveCache(op.string("cache"), op.strings("paths"), op.strings("keyFiles"), fallbacks(op));
      case "run":
        return process(op, guard);
      case "emit":
        return new Op.Emit(op.string("event"), op.string("message"), guard);
      case "store-artifact":
        return new Op.StoreArtifact(op.string("name"), op.strings("paths"), guard);
      case "restore-artifact":
        return new Op.RestoreArtifact(op.string("name"), op.has("from") ? Optional.of(new Op.Deployed(
            op.string("from"), op.has("previous") && op.bool("previous"))) : Optional.empty(), guard);
      case "await-children":
        return new Op.AwaitChildren(op.strings("children"), op.bool("parallel"),
            op.has("keepsGoing") && op.bool("keepsGoing"));
      case "await-approval":
        return new Op.AwaitApproval(op.string("id"), op.constant("position", Op.Position.class), op.string("prompt"),
            op.strings("approvers"), op.duration("timeout"), op.constant("onTimeout", OnTimeout.class));
      case "await-webhook":
        return new Op.AwaitWebhook(op.string("id"), op.constant("position", Op.Position.class),
            op.string("description"), op.duration("timeout"), op.constant("onTimeout", OnTimeout.class));
      case "poll":
        return new Op.Poll(op.string("id"), op.constant("position", Op.Position.class), op.string("description"),
            process(op.node("probe"), Op.Guard.NORMAL), op.duration("interval"), op.number("backoff"),
            op.duration("maxInterval"), op.duration("timeout"), op.constant("onTimeout", OnTimeout.class));
      case "lock":
        return new Op.AcquireLock(op.string("id"), op.string("lock"), op.constant("mode", LockMode.class),
            op.duration("timeout"));
      default:
        throw op.problem("is an op of kind '" + kind + "', which this version of Otto does not know");
    }
  }

  private static Op.RunProcess process(Node op, Op.Guard guard) {
    List<SecretBinding> secrets = new ArrayList<>();
    for (Node binding : op.list("secrets")) {
      secrets.add(new SecretBinding(binding.string("secret"), binding.constant("as", SecretBinding.Delivery.class),
          binding.string("variable")));
    }
    boolean retries = op.has("retries");
    return new Op.RunProcess(op.string("label"), op.string("script"), op.map("env"), secrets,
        op.optional("timeout").map(text -> op.duration("timeout")), retries ? (int) op.number("retries") : 0,
        retries ? op.duration("retryBackoff") : Duration.ofSeconds(1), guard);
  }

  private static Object value(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.START_OBJECT) {
      Map<String, Object> object = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        object.put(name, value(parser));
      }
      return object;
    }
    if (token == JsonToken.START_ARRAY) {
      List<Object> array = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        array.add(value(parser));
      }
      return array;
    }
    if (token == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return parser.getDoubleValue();
    }
    if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
      return parser.getBooleanValue();
    }
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    throw new IllegalArgumentException("not an " + Plan.SCHEMA + " document: it ends early");
  }

  /** A JSON object of the plan, and what it is, for messages. */
  private static final class Node {
    private final Map<?, ?> fields;
    private final String where;

    Node(Object value, String where) {
      if (!(value instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException("not an " + Plan.SCHEMA + " document: " + where + " is not an object");
      }
      this.fields = map;
      this.where = where;
    }

    Node named(String name) {
      return new Node(fields, name);
    }

    IllegalArgumentException problem(String what) {
      return new IllegalArgumentException("not an " + Plan.SCHEMA + " document: " + where + " " + what);
    }

    boolean has(String field) {
      return fields.get(field) != null;
    }

    private <T> T get(String field, Class<T> type, String expected) {
      Object value = fields.get(field);
      if (value == null) {
        throw problem("has no '" + field + "'");
      }
      if (!type.isInstance(value)) {
        throw problem("has '" + field + "' that is not " + expected);
      }
      return type.cast(value);
    }

    String string(String field) {
      return get(field, String.class, "a string");
    }

    Optional<String> optional(String field) {
      return has(field) ? Optional.of(string(field)) : Optional.empty();
    }

    boolean bool(String field) {
      return get(field, Boolean.class, "true or false");
    }

    double number(String field) {
      return get(field, Double.class, "a number");
    }

    Node node(String field) {
      return new Node(get(field, Map.class, "an object"), "'" + field + "' of " + where);
    }

    List<Node> list(String field) {
      if (!has(field)) {
        return List.of();
      }
      List<Node> nodes = new ArrayList<>();
      int index = 0;
      for (Object element : get(field, List.class, "a list")) {
        nodes.add(new Node(element, field + "[" + index++ + "] of " + where));
      }
      return nodes;
    }

    List<String> strings(String field) {
      if (!has(field)) {
        return List.of();
      }
      List<String> strings = new ArrayList<>();
      for (Object element : get(field, List.class, "a list")) {
        if (!(element instanceof String text)) {
          throw problem("has '" + field + "' with an element that is not a string");
        }
        strings.add(text);
      }
      return strings;
    }

    Map<String, String> map(String field) {
      if (!has(field)) {
        return Map.of();
      }
      Map<String, String> map = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) get(field, Map.class, "an object")).entrySet()) {
        if (!(entry.getValue() instanceof String text)) {
          throw problem("has '" + field + "' with a value that is not a string");
        }
        map.put((String) entry.getKey(), text);
      }
      return map;
    }

    Duration duration(String field) {
      String text = string(field);
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw problem("has '" + field + "' that is not an ISO-8601 duration: '" + text + "'");
      }
    }

    <E extends Enum<E>> E constant(String field, Class<E> type) {
      String text = string(field);
      try {
        return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw problem("has '" + field + "' of '" + text + "', which is none of "
            + java.util.Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
      }
    }
  }
}
