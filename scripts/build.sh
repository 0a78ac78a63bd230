#!/usr/bin/env bash
# Builds Proactif. `scripts/build.sh` makes the optimised build in build/;
# `scripts/build.sh test` makes the test build (AddressSanitizer and
# UndefinedBehaviorSanitizer) in build-test/; `scripts/build.sh tsan` the
# binary and unit tests under ThreadSanitizer in build-tsan/.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$PWD/.cache/ccache}"
if [ "${1:-}" = test ]; then
  # Debian's interpreter runs the tests: the SMTP server they start needs its python3-aiosmtpd.
  python=$(command -v /usr/bin/python3 || command -v python3)
  cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROACTIF_SANITIZE=ON -DPROACTIF_BENCH=OFF \
    -DPython3_EXECUTABLE="$python" >/dev/null
  cmake --build build-test
elif [ "${1:-}" = tsan ]; then
  python=$(command -v /usr/bin/python3 || command -v python3)
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROACTIF_TSAN=ON -DPROACTIF_BENCH=OFF \
    -DPython3_EXECUTABLE="$python" >/dev/null
  cmake --build build-tsan --target proactif proactif_unit_tests
else
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPROACTIF_TESTS=OFF >/dev/null
  cmake --build build
fi
