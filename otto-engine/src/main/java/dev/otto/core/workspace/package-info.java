/**
 * Where a run's workspace comes from: {@link dev.otto.core.workspace.WorkspaceSource}, with the
 * sources {@link dev.otto.core.workspace.WorkspaceSources} builds in (an empty folder, a copy of a
 * folder, a project's files as git sees them, a git checkout at a ref).
 */
package dev.otto.core.workspace;
