package dev.otto.cli;

/** The command's exit codes, as its help lists them. */
final class ExitCodes {
  /** Everything went as asked. */
  static final int OK = 0;
  /** The run failed or was cancelled. */
  static final int RUN_FAILED = 1;
  /** The command line was wrong. */
  static final int USAGE = 2;
  /** The pipeline is invalid: validation found errors. */
  static final int INVALID_PIPELINE = 3;
  /**
   * The pipeline could not be loaded or run: no Ottofile.java and no convention, a compile error, a refused plan;
   * or the run succeeded and its report could not be written, so that a script does not take it for written.
   */
  static final int CANNOT_RUN = 4;

  static final String HELP = "%nExit codes:%n  0  success%n  1  the run failed or was cancelled%n"
      + "  2  usage error%n  3  the pipeline is invalid%n"
      + "  4  the pipeline could not be loaded or run (no Ottofile.java and no%n"
      + "     convention, a compile error, a refused plan), or the run succeeded%n"
      + "     and its --report could not be written%n"
      + "  130, 143  Ctrl-C (SIGINT) or SIGTERM: the run was cancelled, its%n"
      + "     processes stopped%n";

  private ExitCodes() {}
}
