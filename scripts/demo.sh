#!/usr/bin/env bash
# The main job: install, build, then a demonstration campaign on the embedded
# store (SQLite): a synthetic population of Grenoble-Alpes Métropole (20 000
# households), C2S, RSA and the M Réso solidarity fare evaluated, each household
# entitled and not receiving told once, by email (to a real SMTP server on
# loopback that keeps the messages in out/mail) or by letter (PDF in
# out/letters); the summary printed; one message's code verified.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
scripts/build.sh
rm -rf out && mkdir -p out
# The SMTP server on a free port; the campaign's copy in out/ points at it.
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
/usr/bin/python3 tools/smtp_sink.py --port "$port" --folder out/mail >/dev/null &
sink=$!
trap 'kill $sink 2>/dev/null || true' EXIT
for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
sed -e "s|smtp://127.0.0.1:2525|smtp://127.0.0.1:$port|" -e "s|\.\./out/|./|g" examples/campaign-grenoble.yaml \
  > out/campaign-grenoble.yaml
cp examples/logo-demonstration.png out/

echo
echo "== proactif campaign run examples/campaign-grenoble.yaml (store: out/proactif.db) =="
build/proactif campaign run out/campaign-grenoble.yaml --store sqlite:out/proactif.db

echo
echo "== what was sent =="
emails=(out/mail/*.eml)
letters=(out/letters/*.pdf)
echo "emails kept by the local SMTP server: ${#emails[@]} in out/mail, e.g. ${emails[0]}"
echo "letters (PDF, A4, window envelope): ${#letters[@]} in out/letters, e.g. ${letters[0]}"
code=$(basename "${letters[0]}" .pdf)
echo
echo "== proactif verify $code (what a person who received this letter can check) =="
build/proactif verify "$code" --store sqlite:out/proactif.db
