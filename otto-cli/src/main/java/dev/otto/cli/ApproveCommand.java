package dev.otto.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code otto approve}: decides an approval of a run that 'otto run --listen' serves. */
@Command(name = "approve", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
    description = "Approves (or, with --reject, rejects) an approval a run waits on. The run must be served "
        + "by 'otto run --listen PORT --bearer-file FILE'.")
final class ApproveCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN", description = "the run's id")
  String run;

  @Parameters(index = "1", paramLabel = "WAIT", description = "the wait's id, e.g. 'Deploy#enter-1'")
  String waitId;

  @Option(names = "--by", required = true, paramLabel = "NAME", description = "who decides")
  String by;

  @Option(names = "--comment", paramLabel = "TEXT", description = "why")
  String comment;

  @Option(names = "--reject", description = "reject instead of approving")
  boolean reject;

  @Option(names = "--endpoint", paramLabel = "URL", description = "the run's endpoint; http://127.0.0.1:8089 by "
      + "default")
  String endpoint = "http://127.0.0.1:8089";

  @Option(names = "--bearer-file", required = true, paramLabel = "FILE", description = "the endpoint's bearer token")
  Path bearerFile;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    String body = Http.decision(waitId, !reject, by, comment);
    Http.Answer answer = Http.post(endpoint + "/runs/" + Http.segment(run) + "/decisions", body,
        Http.bearer(bearerFile));
    spec.commandLine().getOut().println(answer.body());
    spec.commandLine().getOut().flush();
    return answer.status() < 300 ? ExitCodes.OK : ExitCodes.CANNOT_RUN;
  }
}
