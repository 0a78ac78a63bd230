#!/usr/bin/env bash
# The whole test suite: install, build under the sanitizers, run every test,
# then fuzz each reader of outside input for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh test
(cd build-test && ctest --output-on-failure -j "$(nproc)")
# Each parser of outside input fuzzed for a bounded time (a longer run:
# scripts/fuzz.sh 3600).
scripts/fuzz.sh 20
