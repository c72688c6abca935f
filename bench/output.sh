#!/usr/bin/env bash
# Measures the heap step output keeps alive: a step printing 1 GiB without a line end, and one
# printing 10 million short lines, through the engine with a secret masked (target: at most
# 64 MiB of live heap growth).
#
#   bench/output.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Pbench -pl bench -am -DskipTests package
java -Xmx2g -cp bench/target/otto-bench.jar dev.otto.bench.OutputMemory
