#!/usr/bin/env bash
# Measures how building, validating, planning and writing a plan scale with pipeline size:
# 1,000, 10,000, 100,000 and 300,000 steps (ten a stage). Prints the cost per step at each size,
# the ratios 100k/10k (target: at most 1.20) and 300k/100k, and the time to plan 100,000 steps.
#
#   bench/plan.sh [forks] [iterations]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Pbench -pl bench -am -DskipTests package
java -jar bench/target/otto-bench.jar "$@"
