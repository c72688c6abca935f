package dev.otto.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code otto callback}: resolves a webhook a run waits on, as the external system would. */
@Command(name = "callback", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
    description = "Calls back the webhook wait that was given TOKEN, with a payload. The run must be served by "
        + "'otto run --listen PORT'.")
final class CallbackCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "TOKEN", description = "the wait's callback token, as 'otto run' printed it")
  String token;

  @Option(names = "--payload", paramLabel = "TEXT", description = "what the callback carries; {} by default")
  String payload = "{}";

  @Option(names = "--endpoint", paramLabel = "URL", description = "the run's endpoint; http://127.0.0.1:8089 by "
      + "default")
  String endpoint = "http://127.0.0.1:8089";

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Http.Answer answer = Http.post(endpoint + "/callbacks/" + Http.segment(token), payload, null);
    spec.commandLine().getOut().println(answer.body());
    spec.commandLine().getOut().flush();
    return answer.status() < 300 ? ExitCodes.OK : ExitCodes.CANNOT_RUN;
  }
}
