package dev.otto.core.engine;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.otto.core.OttoException;
import org.apiguardian.api.API;

/**
 * A resume given another plan than the one the run ran: another pipeline, or the same planned
 * for another context. Nothing was resumed. A host that plans the run again from a source it can
 * point at (a folder, a commit) says where to plan it from; a changed plan runs by a
 * {@linkplain LocalEngine#restart restart}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PlanMismatchException extends OttoException {
  private static final long serialVersionUID = 1L;

  public PlanMismatchException(String message) {
    super(message);
  }
}
