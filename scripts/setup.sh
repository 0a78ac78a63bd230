#!/usr/bin/env bash
# Installs what Proactif needs on a Debian 12 machine (run as root), then the
# official territory data from npm. Safe to run again: it installs only what
# is missing. `scripts/setup.sh run` installs only what building and running
# need (the demonstration), without the test suite's tools and servers.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config  # C++20 toolchain and build
  libyaml-cpp-dev     # program and parameter files (YAML, with line and column of each node)
  libsimdjson-dev     # situations in JSONL, parsed at memory speed
  libsqlite3-dev      # the embedded store (default)
  libpq-dev           # the production store, PostgreSQL, through its C client library
  libssl-dev          # SHA-256 of program files recorded with each decision (OpenSSL)
  libcurl4-openssl-dev  # email by SMTP, SMS and transmissions by HTTP
  libpango1.0-dev libcairo2-dev  # postal letters as tagged PDF (cairo >= 1.16 tags structure; pango lays out French text)
  fonts-dejavu-core   # the letters' font, embedded in each PDF
  libgmime-3.0-dev    # emails as MIME (display names, folded encoded words) by a maintained library
  libqrencode-dev     # the verification QR code printed on letters
  libqpdf-dev         # letters made readable by a screen reader where cairo cannot: language, figures' alternative texts, artifacts
  libkainjow-mustache-dev  # message templates (Mustache), header only
  libcli11-dev        # the command line: options, checks and --help of every command (header only)
  libspdlog-dev       # the log on standard error: timestamps and levels, progress of long runs
  libcpp-httplib-dev  # proactif serve: HTTP/1.1 server with a thread pool, compiled by Debian as a library
  libargon2-dev       # agents' passwords hashed with argon2id
  python3 python3-aiosmtpd  # the demonstration's SMTP server on loopback (tools/smtp_sink.py)
  python3-yaml        # the local API Particulier (tests/support/api_particulier_simulator.py) reads the official sandbox cases
)
test_packages=(
  libgtest-dev        # unit tests
  clang libclang-rt-14-dev  # fuzzing: clang's libFuzzer, with its sanitizers (scripts/fuzz.sh)
  postgresql          # tests run the store's suite against a real PostgreSQL server
  poppler-utils zbar-tools qpdf  # tests read the letters as a reader would: pdfinfo, pdffonts, pdftotext, zbarimg, qpdf --check
  chromium            # the service's pages tested in a real browser (driven by npm playwright-core, web/)
  python3-jsonschema  # the service's answers checked against its OpenAPI document
  openssl             # the tests' SMTP relay speaks TLS with a certificate of its own authority (openssl req)
)
[ "${1:-}" = run ] || packages+=("${test_packages[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches @etalab/decoupage-administratif (official communes and EPCI).
# A machine that already has a Node.js with its npm keeps it.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! cmp -s data/package-lock.json data/node_modules/.package-lock.json 2>/dev/null || [ ! -f data/names-fr.json ]; then
  echo "setup: installing the official territory data and the names of the synthetic population (npm ci)"
  (cd data && npm ci --no-audit --no-fund --loglevel=error)
fi

# The service's web assets: the State's design system (@gouvfr/dsfr); for the
# tests, playwright-core (it drives Debian's chromium, downloads no browser)
# and axe-core. No package's install script runs.
if [ "${1:-}" = run ]; then
  [ -f web/node_modules/@gouvfr/dsfr/dist/dsfr.min.css ] ||
    (cd web && npm ci --ignore-scripts --omit=dev --no-audit --no-fund --loglevel=error)
elif ! cmp -s web/package-lock.json web/node_modules/.package-lock.json 2>/dev/null; then
  echo "setup: installing the service's web assets and browser test tools (npm ci)"
  (cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
