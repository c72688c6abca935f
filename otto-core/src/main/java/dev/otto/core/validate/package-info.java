/**
 * Validation: {@link dev.otto.core.validate.Validator} reports every problem of a pipeline at
 * once, each a {@link dev.otto.core.validate.Problem} with a stable code ({@link
 * dev.otto.core.validate.Rule}), a severity, a path and a fix.
 */
package dev.otto.core.validate;
