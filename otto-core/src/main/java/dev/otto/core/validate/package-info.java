/**
 * Validation: {@link dev.otto.core.validate.Validator} reports every problem of a pipeline at
 * once, each a {@link dev.otto.core.validate.Problem} with a stable code ({@link
 * dev.otto.core.validate.Rule}), a severity, a path and a fix.
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.core.validate;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
