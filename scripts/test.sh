#!/usr/bin/env bash
# The whole test suite: install, build under the sanitizers, run every test,
# then fuzz each reader of outside input for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each part's time, so that a slow suite says where its minutes go.
part() { echo "test.sh: $1 done at ${SECONDS} s"; }
scripts/setup.sh
part setup
scripts/build.sh test
part "test build"
# AddressSanitizer records the stack of every allocation, 30 frames by
# default; 5 still say where a block came from, and the letters' libraries
# allocate much (about a tenth of the tests' processor time).
(cd build-test && ASAN_OPTIONS="${ASAN_OPTIONS:-malloc_context_size=5}" ctest --output-on-failure -j "$(nproc)")
part "tests"
# The threaded parts under ThreadSanitizer: the executor's threads, the
# situations streamed over threads, and the delivery workers of a campaign.
scripts/build.sh tsan
part "ThreadSanitizer build"
python=$(command -v /usr/bin/python3 || command -v python3)
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp"
build-tsan/tests/proactif_unit_tests --gtest_filter='*Thread*' --gtest_brief=1
"$python" tests/e2e/streaming.py build-tsan/proactif "$PWD"
"$python" tests/e2e/campaign.py build-tsan/proactif "$PWD"
unset TSAN_OPTIONS
part "ThreadSanitizer tests"
# Each parser of outside input fuzzed for a bounded time (a longer run:
# scripts/fuzz.sh 3600).
scripts/fuzz.sh 20
part fuzzing
