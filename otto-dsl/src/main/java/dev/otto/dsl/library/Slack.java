package dev.otto.dsl.library;

import static java.util.Objects.requireNonNull;

import dev.otto.core.library.ActionSpec;
import dev.otto.core.library.ParamSpec;
import dev.otto.core.library.Primitive;
import dev.otto.core.library.StepLibrary;
import dev.otto.core.library.ValueType;
import dev.otto.core.model.LibraryStep;
import dev.otto.core.model.SecretRef;
import dev.otto.dsl.LibraryDefinition;
import dev.otto.dsl.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Slack notifications through an incoming webhook.
 *
 * <pre>{@code
 * var hook = p.secret("slack-webhook");
 * var slack = p.use(Slack.library(), cfg -> cfg.channel("#otto").webhook(hook));
 * p.stage("Deploy", s -> s.steps(sh("./deploy.sh")).onFailure(slack.send("Deploy failed")));
 * }</pre>
 *
 * <p>{@code send} expands, when planned, into one process that posts the message with
 * {@code curl}. The webhook URL is a secret: the process receives it in an environment variable
 * and hands it to curl on standard input, so it never appears on a command line.
 */
public final class Slack {
  /** The library's id in plans. */
  public static final String ID = "slack";

  private static final StepLibrary LIBRARY = new Library();

  private Slack() {}

  /** The library, for {@code p.use(Slack.library(), cfg -> ...)}. */
  public static LibraryDefinition<Config, Steps> library() {
    return LibraryDefinition.of(LIBRARY, Config::new, config -> config.values, Steps::new);
  }

  /** The configuration: the channel, and the secret holding the webhook URL. */
  public static final class Config {
    private final Map<String, Object> values = new LinkedHashMap<>();

    Config() {}

    public Config channel(String channel) {
      values.put("channel", requireNonNull(channel, "channel"));
      return this;
    }

    public Config webhook(Secret webhookUrl) {
      values.put("webhook", requireNonNull(webhookUrl, "webhook").ref());
      return this;
    }

    /** The name messages are posted as. */
    public Config username(String username) {
      values.put("username", requireNonNull(username, "username"));
      return this;
    }
  }

  /** Makes Slack steps. */
  public static final class Steps {
    Steps() {}

    /** Posts {@code message} to the configured channel. */
    public LibraryStep send(String message) {
      return LibraryStep.of(ID, "send", Map.of("message", requireNonNull(message, "message")));
    }
  }

  private static final class Library implements StepLibrary {
    @Override
    public String id() {
      return ID;
    }

    @Override
    public String description() {
      return "Slack notifications through an incoming webhook";
    }

    @Override
    public List<ParamSpec> configSpec() {
      return List.of(
          ParamSpec.required("channel", ValueType.STRING, "the channel to post to, e.g. #otto"),
          ParamSpec.required("webhook", ValueType.SECRET, "the secret holding the incoming webhook URL"),
          new ParamSpec("username", ValueType.STRING, false, Optional.of("otto"), "the name to post as"));
    }

    @Override
    public List<ActionSpec> actions() {
      return List.of(new ActionSpec("send", "posts a message to the channel",
          List.of(ParamSpec.required("message", ValueType.STRING, "the text to post"))));
    }

    @Override
    public List<Primitive> expand(String action, Map<String, Object> arguments, Map<String, Object> config) {
      String message = (String) arguments.get("message");
      Map<String, String> env = new LinkedHashMap<>();
      env.put("OTTO_SLACK_PAYLOAD", payload((String) config.get("channel"), (String) config.get("username"), message));
      Map<String, String> url = Map.of("OTTO_SLACK_WEBHOOK_URL", ((SecretRef) config.get("webhook")).name());
      String script = "printf 'url = \"%s\"\\n' \"$OTTO_SLACK_WEBHOOK_URL\""
          + " | curl --silent --show-error --fail --config - -H 'Content-Type: application/json'"
          + " --data-binary \"$OTTO_SLACK_PAYLOAD\"";
      return List.of(new Primitive.Run("slack: " + message, script, env, url));
    }

    private static String payload(String channel, String username, String text) {
      return "{\"channel\":" + Json.quote(channel) + ",\"username\":" + Json.quote(username) + ",\"text\":"
          + Json.quote(text) + "}";
    }
  }
}
