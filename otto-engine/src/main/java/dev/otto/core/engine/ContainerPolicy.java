package dev.otto.core.engine;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;

/** What happens to a container stage when no executor runs containers. */
@API(status = MAINTAINED, since = "0.1")
public enum ContainerPolicy {
  /** The plan is refused before anything runs. */
  FAIL,
  /** The stage runs as local processes, with a warning event. */
  LOCAL_FALLBACK
}
