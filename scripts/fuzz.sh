#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/) with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer in build-fuzz/, and runs each for SECONDS
# (default 20, as CI does; `scripts/fuzz.sh 3600` for a longer run) from its
# corpus in fuzz/corpus/<harness>. New inputs go to build-fuzz/corpus/, the
# repository's corpus is only read. A failure (crash, leak, timeout, memory)
# stops the script with the input that caused it (build-fuzz/crash-*,
# leak-*, timeout-*, oom-*) and the fuzzer's log, exit status 1.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
export CCACHE_DIR="${CCACHE_DIR:-$PWD/.cache/ccache}"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DPROACTIF_FUZZ=ON -DPROACTIF_TESTS=OFF -DPROACTIF_BENCH=OFF >/dev/null
harnesses=(formula program situation csv extract campaign)
rm -f build-fuzz/crash-* build-fuzz/leak-* build-fuzz/oom-* build-fuzz/timeout-*
cmake --build build-fuzz --target "${harnesses[@]/%/_fuzz}"
for h in "${harnesses[@]}"; do
  mkdir -p "build-fuzz/corpus/$h"
  echo "fuzz: $h for ${seconds} s"
  status=0
  (cd build-fuzz && "./fuzz/${h}_fuzz" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
     -print_final_stats=1 "corpus/$h" "../fuzz/corpus/$h" > "fuzz-$h.log" 2>&1) || status=$?
  grep -E "^(stat::number_of_executed_units|stat::peak_rss|==[0-9]+==|SUMMARY)" "build-fuzz/fuzz-$h.log" || true
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $h failed (exit $status): $(ls build-fuzz/crash-* build-fuzz/leak-* build-fuzz/oom-* \
      build-fuzz/timeout-* 2>/dev/null | tr '\n' ' ')see build-fuzz/fuzz-$h.log"
    exit 1
  fi
done
