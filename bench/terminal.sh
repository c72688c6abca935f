#!/usr/bin/env bash
# Measures what showing a step's output in a terminal costs: `otto run` of one step printing
# 1,000,000 lines, inside a pseudo-terminal (`script`), so that the live display of the running
# stages is on, against the same lines printed by the shell into the same kind of terminal, in the
# same run. Prints the seconds of each, Otto's time beyond its fixed cost (a one-line run) per
# line, and the bytes each wrote to the terminal. Needs `script` (util-linux).
#
#   bench/terminal.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
command -v script >/dev/null || { echo "bench/terminal.sh needs script (util-linux)" >&2; exit 1; }
mvn -q -B -ntp -pl otto-cli -am -DskipTests package -Dinvoker.skip=true
jar="$PWD/otto-cli/target/otto-cli.jar"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# shellcheck source=bench/lines-project.sh
source bench/lines-project.sh

# milliseconds and bytes written to the terminal by COMMAND run in a pseudo-terminal
in_terminal() {
  local start end
  start=$(date +%s%N)
  script -qec "$1" "$work/typescript" > /dev/null
  end=$(date +%s%N)
  echo "$(( (end - start) / 1000000 )) $(wc -c < "$work/typescript")"
}

one=$(project 1); large=$(project 1000000)
otto="java -jar $jar run --runs $work/runs --caches $work/caches"
in_terminal "$otto $one" > /dev/null   # compiles the Ottofile once, as a second run would find it
for run in $(seq 1 "$runs"); do
  read -r base _ < <(in_terminal "$otto $one")
  read -r t bytes < <(in_terminal "$otto $large")
  shown=$(grep -c "Print | " "$work/typescript" || true)
  if [ "$shown" -ne 1000000 ]; then
    echo "the run showed $shown of 1000000 lines" >&2
    exit 1
  fi
  read -r r rbytes < <(in_terminal "seq 1 1000000")
  awk -v b="$base" -v t="$t" -v r="$r" -v bytes="$bytes" -v rbytes="$rbytes" -v run="$run" 'BEGIN {
    printf "run %d: 1,000,000 lines in a terminal: otto run %.1f s (fixed cost %.1f s, %.2f us a line beyond it, %.1f MB written); the shell %.1f s (%.1f MB); otto / shell = %.1fx\n",
      run, t / 1000, b / 1000, (t - b) / 1000, bytes / 1e6, r / 1000, rbytes / 1e6, t / (r > 0 ? r : 1);
  }'
done
