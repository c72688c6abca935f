#!/usr/bin/env bash
# Measures the engine's overhead: 2,000 trivial steps (200 chains of 10, two at a time) run by
# Otto's engine in-process, by ninja -j2 and by make -j2, side by side in rounds; prints the
# ratios (target: Otto, with its default journal, at most 1.0 times ninja's time; goal 0.7).
# Otto is measured warmed up, after the JIT compiled it; its first run in the fresh JVM is printed too.
# Installs ninja and make with apt when missing.
#
#   bench/engine.sh [runs] [warm-up runs of each journal, 6 by default]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v ninja >/dev/null || ! command -v make >/dev/null; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq ninja-build make >/dev/null
fi
mvn -q -B -Pbench -pl bench -am -DskipTests package
java -cp bench/target/otto-bench.jar dev.otto.bench.EngineOverhead "$@"
