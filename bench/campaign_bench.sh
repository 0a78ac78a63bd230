#!/usr/bin/env bash
# Campaign benchmark: plans a campaign over about a million synthetic persons
# (Isère, 450 000 households) on the embedded store, and measures delivery
# throughput to a real SMTP server on loopback (tools/smtp_sink.py) and to
# PDF letters. Run after scripts/build.sh:
#   bench/campaign_bench.sh [households] [store URL]
# Prints the times of each stage and the deliveries per second.
set -euo pipefail
cd "$(dirname "$0")/.."
households=${1:-450000}
work=$(mktemp -d /tmp/proactif-bench-XXXX)
store=${2:-sqlite:$work/store.db}
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
/usr/bin/python3 tools/smtp_sink.py --port "$port" --folder "$work/mail" >/dev/null &
sink=$!
trap 'kill $sink 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
campaign() {  # id households
  cat > "$work/$1.yaml" <<YAML
id: $1
title: Banc d'essai
sender: Département de l'Isère (banc d'essai)
period: "2025-06"
date: "2025-06-15"
how_to_object: écrivez à dpo@isere.example
letterhead:
  name: Département de l'Isère (banc d'essai)
  address: ["7 rue Fantin-Latour", "38000 Grenoble"]
  contact: ["04 00 00 00 00"]
  town: Grenoble
  signatory: {name: Banc d'essai, title: Service des droits}
verify_url: https://droits.isere.example/verifier
privacy:
  controller: {name: Département de l'Isère, contact: "7 rue Fantin-Latour, 38000 Grenoble"}
  dpo: dpo@isere.example
  purposes: ["Informer les habitants des droits qu'ils ne demandent pas."]
  legal_basis: ["RGPD, article 6-1-e ; CRPA, article L114-8 II."]
  recipients: ["Les agents chargés de cette campagne."]
claim:
  where: "l'organisme qui verse ce droit"
  website: https://www.mesdroitssociaux.gouv.fr
population:
  synthetic: {territory: "38", households: $2, seed: 3}
programs:
  c2s: {already_receiving: {c2s: [free, participation]}}
  rsa: {already_receiving: {rsa: "true"}, undetermined: nothing}
  m-reso-solidaire: {undetermined: nothing}
channels: [email, letter]
email: {smtp: "smtp://127.0.0.1:$port", from: droits@isere.example, starttls: false}
letters: {folder: $work/letters-$1}
YAML
}
echo "== planning: $households households of Isère, store $store =="
campaign plan "$households"
/usr/bin/time -f "wall %e s, peak memory %M kB" build/proactif campaign run "$work/plan.yaml" --store "$store" --plan-only \
  | grep -E "synthetic|population read|actions planned|planned +[0-9]"
echo "== delivery: 20 000 households' actions to the SMTP server and to letters =="
campaign deliver 20000
build/proactif campaign run "$work/deliver.yaml" --store "sqlite:$work/deliver.db" | grep -E "^outbox|^delivery"
echo "emails stored by the SMTP server: $(ls "$work/mail" | grep -c '\.eml$')"
