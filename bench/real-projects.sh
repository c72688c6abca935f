#!/usr/bin/env bash
# Runs zero-config `otto run` on real public projects of several ecosystems, twice each, and
# prints a table: how long each run took, whether the second run restored caches, and whether
# the project folder was left exactly as it was.
#
# Usage: bench/real-projects.sh [NAME...]        (NAME: a project's name below; all by default)
#
# Environment:
#   OTTO                 the command that runs Otto; by default the CLI jar built in this tree:
#                        java -jar otto-cli/target/otto-cli.jar (build it with
#                        mvn -o -q -B -ntp -pl otto-cli -am -DskipTests package -Dinvoker.skip=true)
#   REAL_PROJECTS_MIRROR a folder of local git mirrors, OWNER+NAME/repo or OWNER+NAME, cloned
#                        instead of the public URL when present
#   REAL_PROJECTS_WORK   the folder for clones, runs, caches and logs; a new temporary one by default
#
# Each project is cloned at a pinned commit. Stages run as local processes (--container-engine none
# --containers local: no image can be pulled here, even where an engine answers),
# so the host needs the projects' tools: a JDK and Maven, Node.js and npm, Python 3 with pip, Go,
# gcc and make. Runs and caches are kept outside the project (--runs, --caches), so the project
# folder must be fully identical afterwards: same `git status --porcelain --ignored`, same files
# with the same contents.
set -uo pipefail

# name | ecosystem | public clone URL | pinned commit
PROJECTS=(
  "slf4j|maven multi-module|https://github.com/qos-ch/slf4j.git|c233ea1932228a7fc580823289f896e97ba8a74d"
  "jackson-core|maven wrapper|https://github.com/FasterXML/jackson-core.git|2272fcf675c3936568c855d2f8b3da58bb7713af"
  "statuses|npm|https://github.com/jshttp/statuses.git|f955850444e97b1ba3bf448c40da89ff990e3711"
  "jsmn|make (C)|https://github.com/zserge/jsmn.git|25647e692c7906b96ffd2b05ca54c097948e879c"
  "uuid|go|https://github.com/google/uuid.git|2d3c2a9cc518326daf99a383f07c4d3c44317e4d"
  "more-itertools|python|https://github.com/more-itertools/more-itertools.git|2fe1b2eeb9d75f994113fe3ac76d14b6bcd6fb10"
)

here="$(cd "$(dirname "$0")/.." && pwd)"
OTTO="${OTTO:-java -jar $here/otto-cli/target/otto-cli.jar}"
work="${REAL_PROJECTS_WORK:-$(mktemp -d -t otto-real-projects.XXXXXX)}"
mkdir -p "$work"

# shellcheck source=bench/pinned-repos.sh
source "$here/bench/pinned-repos.sh"

# What must not change in the project: git's view of it, ignored files included, and every
# file's content (.git's own files left aside: git may refresh its index stat data).
fingerprint() {
  local dir="$1"
  git -C "$dir" status --porcelain --ignored
  (cd "$dir" && find . -path ./.git -prune -o \( -type f -o -type l \) -print0 | LC_ALL=C sort -z \
    | xargs -0 -r sha256sum)
}

seconds_since() {
  echo "$(( $(date +%s) - $1 ))s"
}

# Runs otto once; prints the duration, or "failed (Ns)".
run_once() {
  local name="$1" dir="$2" log="$3" start status
  start=$(date +%s)
  $OTTO run --container-engine none --containers local --runs "$work/runs/$name" --caches "$work/caches/$name" "$dir" >"$log" 2>&1
  status=$?
  if [[ $status -eq 0 ]]; then
    seconds_since "$start"
  else
    echo "failed ($(seconds_since "$start"), exit $status)"
  fi
}

wanted() {
  [[ $# -le 1 ]] && return 0
  local name="$1"
  shift
  for w in "$@"; do [[ "$w" == "$name" ]] && return 0; done
  return 1
}

rows=()
failures=0
for entry in "${PROJECTS[@]}"; do
  IFS='|' read -r name ecosystem url commit <<<"$entry"
  wanted "$name" "$@" || continue
  dir="$work/src/$name"
  logs="$work/logs/$name"
  mkdir -p "$logs"
  echo "== $name ($ecosystem) at ${commit:0:12}, logs in $logs" >&2
  rm -rf "$dir"
  if ! git clone -q "$(source_of "$url")" "$dir" || ! git -C "$dir" checkout -q --detach "$commit"; then
    rows+=("| $name | $ecosystem | ${commit:0:12} | could not clone | | | |")
    failures=$((failures + 1))
    continue
  fi
  fingerprint "$dir" >"$logs/before"
  $OTTO explain "$dir" >"$logs/explain.txt" 2>&1 || echo "   explain failed, see $logs/explain.txt" >&2
  first=$(run_once "$name" "$dir" "$logs/run1.log")
  echo "   first run: $first" >&2
  second=$(run_once "$name" "$dir" "$logs/run2.log")
  echo "   second run: $second" >&2
  restored=$(grep -c 'restored cache' "$logs/run2.log")
  if ! grep -q '^caches:' "$logs/explain.txt"; then
    restored="none declared"
  fi
  fingerprint "$dir" >"$logs/after"
  if diff -q "$logs/before" "$logs/after" >/dev/null; then
    unchanged=yes
  else
    unchanged=no
    diff "$logs/before" "$logs/after" >"$logs/changes.diff"
  fi
  [[ "$first$second" == *failed* || "$unchanged" == no || "$restored" == 0 ]] && failures=$((failures + 1))
  rows+=("| $name | $ecosystem | ${commit:0:12} | $first | $second | $restored | $unchanged |")
done

echo "| project | ecosystem | commit | first run | second run | caches restored (2nd run) | unchanged |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo "work folder: $work" >&2
exit $((failures > 0))
