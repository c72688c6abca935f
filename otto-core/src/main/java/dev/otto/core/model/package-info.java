/**
 * The immutable pipeline model: what a pipeline is, independent of how it was written.
 *
 * <p>Every type here is a value: equal when its parts are equal, safe to share between threads,
 * and free of behaviour that depends on when or where it runs. The typed DSL in
 * {@code dev.otto.dsl} is the usual way to build one; tools may also build the model directly
 * with the builders here. A model value is not checked when built: {@link
 * dev.otto.core.validate.Validator} reports every problem of a whole pipeline at once.
 */
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    builderVisibility = Value.Style.BuilderVisibility.PACKAGE,
    overshadowImplementation = true,
    defaults = @Value.Immutable(copy = true),
    get = {"is*", "get*"},
    jdkOnly = false,
    allParameters = false,
    allowedClasspathAnnotations = {Override.class})
@API(status = MAINTAINED, since = "0.1")
package dev.otto.core.model;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
import org.immutables.value.Value;
