# Sourced by the scripts that run Otto on public repositories at pinned commits.

# The public URL, or a local mirror of it when REAL_PROJECTS_MIRROR holds one.
source_of() {
  local url="$1" slug
  slug="$(basename "$(dirname "$url")")+$(basename "$url" .git)"
  if [[ -n "${REAL_PROJECTS_MIRROR:-}" ]]; then
    for candidate in "$REAL_PROJECTS_MIRROR/$slug/repo" "$REAL_PROJECTS_MIRROR/$slug"; do
      if git -C "$candidate" rev-parse --git-dir >/dev/null 2>&1; then
        echo "$candidate"
        return
      fi
    done
  fi
  echo "$url"
}
