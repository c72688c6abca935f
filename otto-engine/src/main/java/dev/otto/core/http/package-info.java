/**
 * An optional HTTP endpoint for a running engine: {@link dev.otto.core.http.EngineEndpoint}
 * serves run status, decisions on approvals and webhook callbacks, with a bearer token, read
 * deadlines and bounded bodies.
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.core.http;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
