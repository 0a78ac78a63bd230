#!/usr/bin/env bash
# Renders samples of what a person receives into docs/messages/, from the
# demonstration (scripts/demo.sh leaves its messages in out/): a letter
# telling of several rights (PNG pages), emails as a mail client shows their
# text, and the letter of a C2S request transmitted with the RSA (an event).
# Run again when the templates or the letter's layout change.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d out/letters ] && [ -d out/mail ] || { echo "run scripts/demo.sh first" >&2; exit 2; }
docs=docs/messages
rm -rf "$docs" && mkdir -p "$docs"

# The first letter (by name) of each kind, found by its title.
first_letter() {
  for f in out/letters/*.pdf; do
    pdfinfo "$f" | grep -q "^Title: *$1" && { echo "$f"; return; }
  done
}
several=$(first_letter "Vos droits")
pdftoppm -r 70 -png "$several" "$docs/lettre-plusieurs-droits"
possible=$(first_letter "Vous avez peut-être droit")
pdftoppm -r 70 -png -f 1 -l 1 "$possible" "$docs/lettre-droit-possible"

# Emails: headers a person sees, then the text part.
/usr/bin/python3 - "$docs" <<'PY'
import email, email.policy, os, sys
docs = sys.argv[1]
wanted = {"courriel-plusieurs-droits.txt": "Vos droits", "courriel-droit.txt": "Vous pourriez avoir droit"}
for name in sorted(os.listdir("out/mail")):
    if not name.endswith(".eml") or not wanted:
        continue
    m = email.message_from_binary_file(open(os.path.join("out/mail", name), "rb"), policy=email.policy.default)
    for sample, start in list(wanted.items()):
        if m["Subject"].startswith(start):
            with open(os.path.join(docs, sample), "w", encoding="utf-8") as f:
                for h in ["From", "To", "Subject", "Date", "Message-ID"]:
                    f.write(f"{h}: {m[h]}\n")
                f.write("\n" + m.get_body(("plain",)).get_content())
            del wanted[sample]
PY

# A C2S request transmitted when the RSA is granted: the person's letter.
rm -rf out/letters-events out/cpam
sed -e "s|\.\./out/|./|g" examples/events-c2s-rsa.yaml > out/events-c2s-rsa.yaml
build/proactif event examples/events-rsa.jsonl --rules out/events-c2s-rsa.yaml --store sqlite:out/events.db >/dev/null
grant=$(ls out/letters-events/*.pdf | head -1)
pdftoppm -r 70 -png "$grant" "$docs/lettre-demande-transmise"
ls "$docs"
