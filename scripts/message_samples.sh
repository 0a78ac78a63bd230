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

# The first letter (by name) of each kind, found by what it says: how many
# rights it tells of, and a sentence of the kind.
first_letter() {
  for f in out/letters/*.pdf; do
    text=$(pdftotext "$f" - | tr '\n' ' ')
    rights=$(grep -o "Code de vérification de ce droit" <<<"$text" | wc -l)
    if [ "$rights" -ge "$1" ] && grep -q "$2" <<<"$text"; then echo "$f"; return; fi
  done
}
several=$(first_letter 2 "vous pourriez avoir droit")
pdftoppm -r 70 -png "$several" "$docs/lettre-plusieurs-droits"
possible=$(first_letter 1 "Il est possible que vous y ayez droit")
pdftoppm -r 70 -png -f 1 -l 1 "$possible" "$docs/lettre-droit-possible"

# Emails: headers a person sees, then the text part.
/usr/bin/python3 - "$docs" <<'PY'
import email, email.policy, os, sys
docs = sys.argv[1]
def rights(body):
    return body.count("Code de vérification de ce droit")
wanted = {"courriel-plusieurs-droits.txt": lambda b: rights(b) >= 2, "courriel-droit.txt": lambda b: rights(b) == 1}
for name in sorted(os.listdir("out/mail")):
    if not name.endswith(".eml") or not wanted:
        continue
    m = email.message_from_binary_file(open(os.path.join("out/mail", name), "rb"), policy=email.policy.default)
    body = m.get_body(("plain",)).get_content().replace("\r\n", "\n")
    for sample, kind in list(wanted.items()):
        if kind(body):
            with open(os.path.join(docs, sample), "w", encoding="utf-8") as f:
                for h in ["From", "To", "Subject", "Date", "Message-ID"]:
                    f.write(f"{h}: {m[h]}\n")
                f.write("\n" + body)
            del wanted[sample]
PY

# A C2S request transmitted when the RSA is granted: the person's letter.
rm -rf out/letters-events out/cpam out/events.db
sed -e "s|\.\./out/|./|g" examples/events-c2s-rsa.yaml > out/events-c2s-rsa.yaml
build/proactif event --past-date examples/events-rsa.jsonl --rules out/events-c2s-rsa.yaml --store sqlite:out/events.db >/dev/null
grant=$(ls out/letters-events/*.pdf | head -1)
pdftoppm -r 70 -png "$grant" "$docs/lettre-demande-transmise"
ls "$docs"
