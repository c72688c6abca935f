#!/usr/bin/env bash
# Measures what masking secrets costs: 256 MiB of build-log output turned into lines, without
# masking and with 100 registered secrets masked, timed in turns in each of a few JVMs; prints
# each fork's median ratio and their mean (target: at most 1.30; goal 1.10). Then the same log
# printed by a run's step through the engine, with and without those secrets bound.
#
#   bench/mask.sh [forks] [rounds]      (3 forks of 10 rounds by default)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Pbench -pl bench -am -DskipTests package
java -cp bench/target/otto-bench.jar dev.otto.bench.MaskCost "$@"
# The same log printed by a run's step, through the engine: what a user's run pays.
java -Xmx2g -cp bench/target/otto-bench.jar dev.otto.bench.MaskEngineCost
