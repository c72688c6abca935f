package dev.otto.core.explain;

import dev.otto.core.model.Cache;
import dev.otto.core.model.Gate;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.Service;
import dev.otto.core.plan.Op;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** One-line descriptions of ops, shared by the renderers. */
final class Describe {
  private Describe() {}

  static String op(Op op) {
    String guard = switch (op.guard()) {
      case ON_SUCCESS -> "on success: ";
      case ON_FAILURE -> "on failure: ";
      case ALWAYS -> op instanceof Op.EndStage ? "" : "always: ";
      case NORMAL -> "";
    };
    return guard + body(op);
  }

  private static String body(Op op) {
    if (op instanceof Op.RunProcess p) {
      return "run " + p.label() + process(p);
    }
    if (op instanceof Op.RestoreCache r) {
      return "restore cache " + r.cache() + " " + r.paths() + keyed(r.keyFiles()) + fallbacks(r.keyFiles(), r.fallbacks());
    }
    if (op instanceof Op.SaveCache s) {
      return "save cache " + s.cache() + " " + s.paths() + keyed(s.keyFiles());
    }
    if (op instanceof Op.AwaitApproval a) {
      return lower(a.position()) + ": wait for approval '" + a.prompt() + "'"
          + (a.approvers().isEmpty() ? "" : " by " + String.join(", ", a.approvers())) + bound(a);
    }
    if (op instanceof Op.AwaitWebhook w) {
      return lower(w.position()) + ": wait for webhook '" + w.description() + "'" + bound(w);
    }
    if (op instanceof Op.Poll p) {
      String backoff = p.backoff() == 1.0 ? "" : ", backoff x" + p.backoff() + " up to " + duration(p.maxInterval());
      return lower(p.position()) + ": poll '" + p.description() + "' every " + duration(p.interval()) + backoff
          + " with: " + p.probe().label() + process(p.probe()) + bound(p);
    }
    if (op instanceof Op.AcquireLock l) {
      return "hold lock " + l.lock() + " (" + lower(l.mode()).replace('_', '-') + ") until the stage ends" + bound(l);
    }
    if (op instanceof Op.Emit e) {
      return "emit " + e.event() + ": " + e.message();
    }
    if (op instanceof Op.StoreArtifact a) {
      return "store artifact " + a.name() + " " + a.paths();
    }
    if (op instanceof Op.RestoreArtifact a) {
      return "restore artifact " + a.name() + a.from().map(from -> " " + from.describe()).orElse("");
    }
    if (op instanceof Op.AwaitChildren c) {
      return "run " + c.children().size() + (c.children().size() == 1 ? " child stage" : " child stages")
          + (c.parallel() ? " in parallel" : " in order");
    }
    return op.kind();
  }

  private static String process(Op.RunProcess p) {
    StringBuilder out = new StringBuilder();
    if (!p.env().isEmpty()) {
      out.append("; env ").append(String.join(", ", p.env().keySet()));
    }
    if (!p.secrets().isEmpty()) {
      out.append("; secrets ").append(p.secrets().stream().map(Describe::binding).collect(Collectors.joining(", ")));
    }
    p.timeout().ifPresent(t -> out.append("; timeout ").append(duration(t)));
    if (p.retries() > 0) {
      out.append("; retried up to ").append(p.retries()).append(p.retries() == 1 ? " time" : " times")
          .append(", first after ").append(duration(p.retryBackoff()));
    }
    return out.length() == 0 ? "" : "  (" + out.substring(2) + ")";
  }

  /** A service of a stage, e.g. {@code service db: postgres:16; env POSTGRES_DB; ready when 'pg_isready' succeeds, within 2m}. */
  static String service(Service service) {
    StringBuilder out = new StringBuilder("service ").append(service.name()).append(": ").append(service.image());
    if (!service.command().isEmpty()) {
      out.append(' ').append(String.join(" ", service.command()));
    }
    if (!service.env().isEmpty()) {
      out.append("; env ").append(String.join(", ", service.env().keySet()));
    }
    out.append(service.healthCheck().map(check -> "; ready when '" + check + "' succeeds").orElse("; ready when running"));
    return out.append(", within ").append(duration(service.startTimeout())).toString();
  }

  static String binding(SecretBinding b) {
    return b.secret() + (b.delivery() == SecretBinding.Delivery.ENV ? " as $" : " as file $") + b.variable();
  }

  private static String keyed(List<String> keyFiles) {
    return keyFiles.isEmpty() ? "" : " keyed by " + String.join(", ", keyFiles);
  }

  /**
   * What a restore does when the key has no entry: ", else ..." for each fallback, or ", exact
   * key only". A cache without key files has one key, so fallbacks never apply to it and are
   * not shown.
   */
  static String fallbacks(List<String> keyFiles, List<Cache.Fallback> fallbacks) {
    if (keyFiles.isEmpty()) {
      return "";
    }
    if (fallbacks.isEmpty()) {
      return ", exact key only";
    }
    return fallbacks.stream().map(fallback -> fallback.keyFiles().isEmpty() ? ", else the cache's newest entry"
        : ", else the newest entry with the same " + String.join(", ", fallback.keyFiles()))
        .collect(Collectors.joining());
  }

  private static String bound(Op.Wait wait) {
    return " (timeout " + duration(wait.timeout()) + ", then "
        + (wait.onTimeout() == Gate.OnTimeout.FAIL ? "fail" : "continue") + ")";
  }

  /** A duration as people write it: {@code 24h}, {@code 30m}, {@code 1h30m}, {@code 45s}. */
  static String duration(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long days = d.toDays();
    if (days > 0) {
      out.append(days).append('d');
    }
    if (d.toHoursPart() > 0) {
      out.append(d.toHoursPart()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      out.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      out.append(d.toSecondsPart()).append('s');
    }
    if (d.toMillisPart() > 0) {
      out.append(d.toMillisPart()).append("ms");
    }
    return out.length() == 0 ? d.toString() : out.toString();
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
