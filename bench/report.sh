#!/usr/bin/env bash
# Measures step output through the whole `otto run --report` command: a step printing N lines,
# for N = 100,000 and 1,000,000, after a one-line run that gives the fixed cost (JVM start, the
# Ottofile's compilation, the journal). Prints the cost per line beyond the fixed cost for each N
# and how it grows from 100,000 to 1,000,000 lines (target: it does not grow, ratio at most 1.2),
# the peak memory of each run, and, as the reference measured in the same run, the same lines
# written by the shell to a file with no Otto in between. Every run has a 64 MiB heap: output of
# any size must fit in it.
#
#   bench/report.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
mvn -q -B -ntp -pl otto-cli -am -DskipTests package
jar="$PWD/otto-cli/target/otto-cli.jar"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# shellcheck source=bench/lines-project.sh
source bench/lines-project.sh

# seconds and peak KiB of one `otto run --report` of N lines; output and report are checked
measure() {
  local dir="$1" n="$2"
  rm -rf "$dir/.otto" "$dir/report.html"
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$work/mem" java -Xmx64m -jar "$jar" run --report "$dir/report.html" "$dir" > "$work/out" 2>&1
  end=$(date +%s%N)
  local printed
  printed=$(grep -c "Print | " "$work/out" || true)
  if [ "$printed" -ne "$n" ]; then
    echo "the run printed $printed of $n lines" >&2
    exit 1
  fi
  grep -q "<pre>" "$dir/report.html"
  echo "$(( (end - start) / 1000000 )) $(cat "$work/mem")"
}

reference() { # milliseconds for the shell to write N lines to a file
  local start end
  start=$(date +%s%N)
  sh -c "seq 1 $1" > "$work/reference"
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

one=$(project 1); small=$(project 100000); large=$(project 1000000)
measure "$one" 1 > /dev/null   # compiles the Ottofile once, as a second run would find it
for run in $(seq 1 "$runs"); do
  read -r base _ < <(measure "$one" 1)
  read -r t1 m1 < <(measure "$small" 100000)
  read -r t2 m2 < <(measure "$large" 1000000)
  r2=$(reference 1000000)
  awk -v b="$base" -v t1="$t1" -v t2="$t2" -v m1="$m1" -v m2="$m2" -v r="$r2" -v run="$run" 'BEGIN {
    p1 = (t1 - b) / 100000 * 1000; p2 = (t2 - b) / 1000000 * 1000;
    printf "run %d (heap at most 64 MiB): fixed cost %d ms; 100,000 lines: %.2f us/line, peak %d MiB; 1,000,000 lines: %.2f us/line, peak %d MiB\n", run, b, p1, m1 / 1024, p2, m2 / 1024;
    printf "run %d: per-line cost growth from 100,000 to 1,000,000 lines: %.2fx (target at most 1.2x); 1,000,000 lines cost %.1fx the shell writing them to a file (%d ms)\n", run, p2 / p1, (t2 - b) / (r > 0 ? r : 1), r;
  }'
done
