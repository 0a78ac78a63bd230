#!/usr/bin/env bash
# The whole test suite: install, build under the sanitizers, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh test
cd build-test
ctest --output-on-failure -j "$(nproc)"
