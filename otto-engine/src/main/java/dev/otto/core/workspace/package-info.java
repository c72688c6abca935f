/**
 * Where a run's workspace comes from: {@link dev.otto.core.workspace.WorkspaceSource}, with the
 * sources {@link dev.otto.core.workspace.WorkspaceSources} builds in (an empty folder, a copy of a
 * folder, a project's files as git sees them, a git checkout at a ref).
 */
@API(status = MAINTAINED, since = "0.1")
package dev.otto.core.workspace;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;
