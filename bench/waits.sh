#!/usr/bin/env bash
# What a waiting run costs: 1,000 runs waiting on an approval in one engine. Prints the thread
# count (target: no growth with the number of runs) and the heap per waiting run (target: at
# most 20 KiB), beside the reference of one blocked thread per waiting run.
#
#   bench/waits.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Pbench -pl bench -am -DskipTests package
java -Xmx1g -cp bench/target/otto-bench.jar dev.otto.bench.WaitingRuns "$@"
