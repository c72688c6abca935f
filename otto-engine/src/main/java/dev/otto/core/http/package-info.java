/**
 * An optional HTTP endpoint for a running engine: {@link dev.otto.core.http.EngineEndpoint}
 * serves run status, decisions on approvals and webhook callbacks, with a bearer token, read
 * deadlines and bounded bodies.
 */
package dev.otto.core.http;
