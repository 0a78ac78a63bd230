"""A household whose postal address is in another commune than the one its
decision read (the CAF's commune is Grenoble, the address in Paris: it may
have moved, or an extract is behind) is told of a right only where the
decision would be the same in every commune the address may be in: by
email, since the letter would go to the other commune. Grenoble's
solidarity fare, which a Parisian does not get, is not announced to it by
any channel, nor by a letter to the address another extract holds; nor to
one written to at "69000 LYON", a code La Poste does not give; nor after an
event. The C2S, decided alike in Paris, is; an address in
Saint-Martin-d'Hères, in the fare's territory too, changes nothing."""
import csv
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import MESSAGE_FIELDS, check, finish, run, work_dir  # noqa: E402
from servers import query  # noqa: E402

work = work_dir("proactif-moved-")
extracts = os.path.join(work, "extracts")
r = run("synth", "--territory", "200040715", "--households", "3000", "--seed", "5", "--out", extracts)
check(r.returncode == 0, r.stderr)
moved = os.path.join(work, "moved")
shutil.copytree(extracts, moved)

# Every other Grenoble household with an email, in turn, written to in Paris
# or in Saint-Martin-d'Hères; the same extracts, unchanged, for comparison.
towns = ["75012 PARIS", "38400 SAINT-MARTIN-D-HERES", "69000 LYON"]
elsewhere = {town: set() for town in towns}
with open(os.path.join(extracts, "caf.csv"), encoding="latin-1", newline="") as f:
    reader = csv.DictReader(f, delimiter=";")
    fields = reader.fieldnames
    rows = list(reader)
# And those without an email, in Paris: told by letter, at the address
# another extract may hold, before.
by_letter = set()
for row in rows:
    if row["QUALITE"] == "DEM" and row["DEPCOM"] == "38185" and row["COURRIEL"]:
        town = towns[sum(len(s) for s in elsewhere.values()) % len(towns)]
        elsewhere[town].add("CAF:" + row["NUMALLOC"])
    elif row["QUALITE"] == "DEM" and row["DEPCOM"] == "38185":
        by_letter.add("CAF:" + row["NUMALLOC"])
elsewhere["75012 PARIS"] |= by_letter
for row in rows:
    for town, households in elsewhere.items():
        if "CAF:" + row["NUMALLOC"] in households:
            row["CP_COMMUNE"] = town
with open(os.path.join(moved, "caf.csv"), "w", encoding="latin-1", newline="") as f:
    writer = csv.DictWriter(f, fieldnames=fields, delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
check(all(len(s) > 60 for s in elsewhere.values()), str({t: len(s) for t, s in elsewhere.items()}))


def plan(folder):
    name = os.path.basename(folder)
    path = os.path.join(work, name + ".yaml")
    mappings = ", ".join(os.path.join(folder, m + ".yaml") for m in ["caf", "cpam", "crous", "universites", "dgfip", "drm"])
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""id: {name}
title: Test
sender: Test
period: "2025-06"
date: "2025-06-15"
how_to_object: écrivez à dpo@test.example
{MESSAGE_FIELDS}population:
  mappings: [{mappings}]
programs:
  c2s: {{already_receiving: {{c2s: [free, participation]}}, undetermined: nothing}}
  m-reso-solidaire: {{undetermined: nothing}}
work_dir: work-{name}
channels: [email, letter]
email: {{smtp: "smtp://127.0.0.1:1", from: droits@grenoble.example, starttls: false}}
letters: {{folder: letters-{name}}}
""")
    store = "sqlite:" + os.path.join(work, name + ".db")
    r = run("campaign", "run", "--past-date", path, "--store", store, "--plan-only")
    check(r.returncode == 0, r.stdout + r.stderr)
    actions = {}
    for program, subject, channel in query(store, "SELECT program, subject, channel FROM outbox"):
        actions.setdefault(program, {})[subject] = channel
    return r.stdout, actions


_, before = plan(extracts)
report, after = plan(moved)
in_paris, in_smh = elsewhere["75012 PARIS"] | elsewhere["69000 LYON"], elsewhere["38400 SAINT-MARTIN-D-HERES"]
fare_told = {s for s in before.get("m-reso-solidaire", {}) if s in in_paris}
check(len(fare_told) > 10 and any(before["m-reso-solidaire"][s] == "letter" for s in fare_told & by_letter) and
      any(s in elsewhere["69000 LYON"] for s in fare_told),
      f"{len(fare_told)} households written to in Paris or Lyon told of the fare before")
# Grenoble's fare: no channel for a household written to in Paris or Lyon.
check(not any(s in in_paris for s in after.get("m-reso-solidaire", {})),
      "a household written to in Paris or Lyon told of Grenoble's fare: " +
      str({s: c for s, c in after.get("m-reso-solidaire", {}).items() if s in in_paris}))
skipped = re.search(r"skipped +(\d+)  postal address in another commune, where the decision would not be the same", report)
# (and the persons of their own foyer among them)
check(skipped and int(skipped.group(1)) >= len(fare_told), f"{len(fare_told)} expected: {report}")
# The C2S, decided alike in Paris: told by email, as before.
c2s_paris = {s: c for s, c in before.get("c2s", {}).items() if s in elsewhere["75012 PARIS"] and c == "email"}
check(c2s_paris and {s: after["c2s"].get(s) for s in c2s_paris} == c2s_paris,
      f"{len(c2s_paris)} C2S notices to households written to in Paris: {c2s_paris} then "
      f"{ {s: after.get('c2s', {}).get(s) for s in c2s_paris} }")
# Saint-Martin-d'Hères is in the fare's territory: nothing changes there.
for program in ["c2s", "m-reso-solidaire"]:
    mine_before = {s: c for s, c in before.get(program, {}).items() if s in in_smh}
    mine_after = {s: c for s, c in after.get(program, {}).items() if s in in_smh}
    check(mine_before and mine_before == mine_after, f"{program}: {mine_before} then {mine_after}")
# An event (an RSA granted) whose household the CAF places in Grenoble and
# whose contact is in Paris: not told of the fare either; one in Grenoble is.
rules = os.path.join(work, "events.yaml")
with open(rules, "w", encoding="utf-8") as f:
    f.write(f"""id: fare-on-rsa
title: Test
sender: CAF de l'Isère
how_to_object: écrivez à dpo@test.example
{MESSAGE_FIELDS}events:
  rsa_granted:
    programs:
      m-reso-solidaire: {{undetermined: nothing}}
channels: [email]
email: {{smtp: "smtp://127.0.0.1:1", from: droits@grenoble.example, starttls: false}}
letters: {{folder: letters-events}}
""")
events = os.path.join(work, "events.jsonl")
with open(events, "w", encoding="utf-8") as f:
    for household, town in [("CAF:E1", "75012 PARIS"), ("CAF:E2", "38000 GRENOBLE")]:
        f.write(json.dumps({
            "event": "rsa_granted", "date": "2025-06-20",
            "situation": {"id": household, "household": {"commune": "38185", "quotient_familial": 300, "rsa": True},
                          "persons": [{"id": household + "-p1", "role": "applicant", "birth_date": "1985-03-02"}]},
            "contact": {"email": "jeanne.martin@courriel.example", "address": "3 rue des Alpes", "town": town}}) + "\n")
store = "sqlite:" + os.path.join(work, "events.db")
r = run("event", "--past-date", events, "--rules", rules, "--store", store, "--plan-only")
check(r.returncode == 0 and "skipped   1  postal address in another commune, where the decision would not be the same"
      in r.stdout, r.stdout + r.stderr)
check(query(store, "SELECT subject, channel FROM outbox") == [("CAF:E2", "email")], str(query(store, "SELECT subject FROM outbox")))
finish()
