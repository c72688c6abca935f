#!/usr/bin/env bash
# Explains zero-config pipelines of real public repositories and checks each against what a careful
# person expects of it: the package manager, the versions, the projects found. Nothing is run.
#
# Usage: bench/conventions-explain.sh [NAME...]   (NAME: a repository's name below; all by default)
#
# Environment:
#   OTTO                 the command that runs Otto; by default the CLI jar built in this tree:
#                        java -jar otto-cli/target/otto-cli.jar (build it with
#                        mvn -o -q -B -ntp -pl otto-cli -am -DskipTests package -Dinvoker.skip=true)
#   REAL_PROJECTS_MIRROR a folder of local git mirrors, OWNER+NAME/repo or OWNER+NAME, cloned
#                        instead of the public URL when present
#   REAL_PROJECTS_WORK   the folder for clones and explanations; a new temporary one by default
#
# Each expectation is a string the explanation must hold; one starting with ! must not be in it.
# Prints a Markdown table, and exits with 1 when an expectation is not met.
set -uo pipefail

# name | ecosystem | public clone URL | pinned commit | expectations, separated by ;;
REPOS=(
  "h3|pnpm|https://github.com/unjs/h3.git|ac609aae8fa93947b564de55e2d1a6bec5ad18ad|pnpm@10.7.0 from packageManager;;pnpm install --frozen-lockfile;;node 24 from engines.node"
  "prettier|Yarn 4|https://github.com/prettier/prettier.git|4f84a934201322ca87750e2b9b25baf296da6560|yarn install --immutable;;!--frozen-lockfile;;node 24 from engines.node \">=22\""
  "express|npm, no lock file|https://github.com/expressjs/express.git|a3714473feb3d2908add734d340e7755fd85e0a3|npm install --cache .npm;;npm test"
  "statuses|npm|https://github.com/jshttp/statuses.git|f955850444e97b1ba3bf448c40da89ff990e3711|npm run build;;npm test"
  "flask|uv|https://github.com/pallets/flask.git|2ac89889f4cc330eabd50f295dcef02828522c69|uv sync --frozen --group tests;;uv run --frozen pytest"
  "poetry-core|Poetry|https://github.com/python-poetry/poetry-core.git|c4d922c3183763f19b790c5123b5f9d4f5fa9eaf|poetry install;;python 3.13 from requires-python"
  "httpx|pip with requirements|https://github.com/encode/httpx.git|ae1b9f66238f75ced3ced5e4485408435de10768|-r requirements.txt;;!pip-cache pytest"
  "more-itertools|pip|https://github.com/more-itertools/more-itertools.git|2fe1b2eeb9d75f994113fe3ac76d14b6bcd6fb10|pip install --cache-dir .pip-cache pytest"
  "bubbletea|Go|https://github.com/charmbracelet/bubbletea.git|73b6d91ac1c3854dd4af046ab5f9e51d3b3b4290|golang:1.25;;go 1.25 from go.mod's go line"
  "gin|Go|https://github.com/gin-gonic/gin.git|dcaa4296d111981ffb31ac3eba90bb63e1eb5ab9|golang:1.25;;!convention make"
  "oauth2-provider|Go with toolchain, tooling package.json|https://github.com/authelia/oauth2-provider.git|1c32b907baed5104d8b7eb52e9f27e9728b5e6e0|golang:1.27.0;;from go.mod's toolchain line;;!convention node"
  "sinatra|Ruby|https://github.com/sinatra/sinatra.git|cb22afd7902b566b6eaba6c4ea89739494a65d12|bundle exec rake;;ruby 3.4, the default"
  "ripgrep|Rust workspace|https://github.com/BurntSushi/ripgrep.git|3fce3b5bb0236da2df6d99672afb8a719642eca7|cargo test --locked;;!Projects"
  "okio|Gradle|https://github.com/square/okio.git|4164f2976ac7174f3d35d52150e8ffbdbe0acbec|./gradlew --no-daemon check"
  "spring-petclinic|Maven and Gradle|https://github.com/spring-projects/spring-petclinic.git|edf4db28affcc4741c79850a3d95bc3f177b5ff9|maven:3-eclipse-temurin-21;;!convention gradle;;.m2/wrapper/"
  "jackson-core|Maven wrapper|https://github.com/FasterXML/jackson-core.git|2272fcf675c3936568c855d2f8b3da58bb7713af|./mvnw -B -ntp;;verify;;.m2/wrapper/"
  "junit4|Maven wrapper 3.3.1 script|https://github.com/junit-team/junit4.git|71c33ce555230d9dfb6cab5e133e22a4cc95cdff|./mvnw -B -ntp;;in the user's home (~/.m2/wrapper);;!.m2/wrapper/"
  "cJSON|CMake (C)|https://github.com/DaveGamble/cJSON.git|a29814f285cc531c00223743ad3c55cd38c0dc56|convention cmake;;ctest --output-on-failure"
  "googletest|CMake (C++)|https://github.com/google/googletest.git|7260682388d493f155be62c3ce2efc7c7a9a3dcf|convention cmake;;!no convention"
  "jsmn|Make (C), first target test|https://github.com/zserge/jsmn.git|25647e692c7906b96ffd2b05ca54c097948e879c|its first target is test;;!Test  [runs]"
  "serilog|.NET|https://github.com/serilog/serilog.git|60935b4d7abad71cf6157b45a10f5c3c65ead527|dotnet test --no-build 'Serilog.sln';;dotnet 10.0 from global.json;;sdk:10.0"
)

here="$(cd "$(dirname "$0")/.." && pwd)"
OTTO="${OTTO:-java -jar $here/otto-cli/target/otto-cli.jar}"
work="${REAL_PROJECTS_WORK:-$(mktemp -d -t otto-conventions.XXXXXX)}"
mkdir -p "$work"

# shellcheck source=bench/pinned-repos.sh
source "$here/bench/pinned-repos.sh"

wanted() {
  [[ $# -eq 1 ]] && return 0
  local name="$1"; shift
  for w in "$@"; do [[ "$w" == "$name" ]] && return 0; done
  return 1
}

failed=0
echo "| repository | ecosystem | commit | expected | met |"
echo "|---|---|---|---|---|"
for entry in "${REPOS[@]}"; do
  IFS='|' read -r name ecosystem url commit expectations <<<"$entry"
  wanted "$name" "$@" || continue
  dir="$work/$name"
  if [[ ! -d "$dir/.git" ]]; then
    git clone -q "$(source_of "$url")" "$dir" || { echo "| $name | $ecosystem | ${commit:0:12} | clone failed | no |"; failed=1; continue; }
  fi
  if ! git -C "$dir" -c advice.detachedHead=false checkout -q "$commit" 2>/dev/null; then
    echo "| $name | $ecosystem | ${commit:0:12} | commit not found | no |"
    failed=1
    continue
  fi
  $OTTO explain "$dir" >"$work/$name.explain.txt" 2>&1
  met=yes
  shown=()
  IFS=$'\x1f' read -r -a checks <<<"${expectations//;;/$'\x1f'}"
  for check in "${checks[@]}"; do
    if [[ "$check" == !* ]]; then
      grep -qF -- "${check:1}" "$work/$name.explain.txt" && met="no (has ${check:1})"
      shown+=("not \`${check:1}\`")
    else
      grep -qF -- "$check" "$work/$name.explain.txt" || met="no (lacks $check)"
      shown+=("\`$check\`")
    fi
  done
  [[ "$met" == yes ]] || failed=1
  expected="$(printf '%s, ' "${shown[@]}")"
  echo "| [$name](${url%.git}) | $ecosystem | ${commit:0:12} | ${expected%, } | $met |"
done
echo
echo "explanations: $work/<name>.explain.txt"
exit $failed
