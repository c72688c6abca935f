#!/usr/bin/env bash
# otto explain as a whole process on a generated pipeline of 100,000 steps, against ninja -n on
# the equivalent build.ninja; prints the ratio as ./otto runs it, with its class-data archive
# (target: at most 1.0), and java -jar alone, and where the time goes.
# Installs ninja with apt when missing.
#
#   bench/explain.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v ninja >/dev/null; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq ninja-build >/dev/null
fi
mvn -q -B -Pbench -pl bench,otto-cli -am -DskipTests package
java -cp bench/target/otto-bench.jar dev.otto.bench.ExplainProcess otto-cli/target/otto-cli.jar "$@"
