#!/usr/bin/env bash
# The main job: install, build, then evaluate the example situations against
# C2S, RSA and the Grenoble TAG solidarity fare, and explain one decision.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
echo
echo "== proactif evaluate (decisions, one JSON line each) =="
build/proactif evaluate --program c2s --program rsa --program grenoble-tag-solidaire \
  --situations examples/situations.jsonl
echo
echo "== proactif explain (CRPA R311-3-1-2) for situation grenoble-couple-enfant =="
build/proactif explain --program c2s --situations examples/situations.jsonl --situation grenoble-couple-enfant
