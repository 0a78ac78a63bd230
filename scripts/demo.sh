#!/usr/bin/env bash
# The main job: install, build, then a demonstration campaign on the embedded
# store (SQLite): a synthetic population of Grenoble-Alpes Métropole (20 000
# households), C2S, RSA and the M Réso solidarity fare evaluated, each household
# entitled and not receiving told once, by email (to a real SMTP server on
# loopback that keeps the messages in out/mail) or by letter (PDF in
# out/letters); the summary printed; one message's code verified; then the
# pages of the demonstration's store served (proactif serve) until Ctrl-C.
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
web_port=${PROACTIF_DEMO_PORT:-8080}
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

echo
echo "== proactif agent add agent-demo (an account for the agents' pages; its password on standard input) =="
echo "mot de passe de démonstration" |
  build/proactif agent add agent-demo --role admin --organisation "Grenoble-Alpes Métropole (démonstration)" \
    --store sqlite:out/proactif.db

echo
echo "== proactif serve --store sqlite:out/proactif.db --listen 127.0.0.1:$web_port =="
# The letters' QR codes give the campaign's verify_url, an https address
# (https://droits.grenoble.example/verifier): here, the same page on this machine.
echo "this letter's verification page:                http://127.0.0.1:$web_port/verifier?code=$code"
echo "  (its QR code gives the same page at the campaign's https address, https://droits.grenoble.example/verifier)"
echo "object with a message's code:                  http://127.0.0.1:$web_port/m-opposer"
echo "the algorithms' public pages:                  http://127.0.0.1:$web_port/algorithmes"
echo "the API and its OpenAPI document:              http://127.0.0.1:$web_port/api/v1/openapi.json"
echo "the agents' dashboard:                         http://127.0.0.1:$web_port/agent"
echo "  (login agent-demo, password: mot de passe de démonstration)"
if [ -t 0 ]; then
  echo "(Ctrl-C stops it)"
  kill $sink 2>/dev/null || true
  exec build/proactif serve --store sqlite:out/proactif.db --listen "127.0.0.1:$web_port"
fi
# Not at a terminal (a script, CI): the page asked once, then the server stopped.
build/proactif serve --store sqlite:out/proactif.db --listen "127.0.0.1:$web_port" 2>out/serve.log &
server=$!
trap 'kill $sink $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening out/serve.log 2>/dev/null && break; sleep 0.1; done
/usr/bin/python3 - "http://127.0.0.1:$web_port/verifier?code=$code" <<'PY'
import re, sys, urllib.request
page = urllib.request.urlopen(sys.argv[1], timeout=30).read().decode()
print("the page says:", re.sub(r"<[^>]+>", " ", re.search(r'<h2 class="fr-alert__title">(.*?)</h2>', page).group(1)))
PY
kill -TERM $server
wait $server
