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
from harness import MESSAGE_FIELDS, campaign_head, check, finish, run, work_dir  # noqa: E402
from servers import query  # noqa: E402

work = work_dir("proactif-moved-")
extracts = os.path.join(work, "extracts")
r = run("synth", "--territory", "200040715", "--households", "3000", "--seed", "5", "--out", extracts)
check(r.returncode == 0, r.stderr)
moved = os.path.join(work, "moved")
shutil.copytree(extracts, moved)

# Every other Grenoble household with an email, in turn, written to in Paris
# or in Saint-Martin-d'Hères; the same extracts, unchanged, for comparison.
towns = ["75012 PARIS", "38400 SAINT-MARTIN-D-HERES", "69000 LYON", "98000 MONACO"]
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
# Enough of each to find every case below (58 a town on this seed since the
# synthetic minimum benefits count as resources: fewer CAF households).
check(all(len(s) > 50 for s in elsewhere.values()), str({t: len(s) for t, s in elsewhere.items()}))


def plan(folder):
    name = os.path.basename(folder)
    path = os.path.join(work, name + ".yaml")
    mappings = ", ".join(os.path.join(folder, m + ".yaml") for m in ["caf", "cpam", "crous", "universites", "dgfip", "drm"])
    with open(path, "w", encoding="utf-8") as f:
        f.write(campaign_head(name) + f"""population:
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
in_paris = elsewhere["75012 PARIS"] | elsewhere["69000 LYON"] | elsewhere["98000 MONACO"]
in_smh = elsewhere["38400 SAINT-MARTIN-D-HERES"]
fare_told = {s for s in before.get("m-reso-solidaire", {}) if s in in_paris}
check(len(fare_told) > 10 and any(before["m-reso-solidaire"][s] == "letter" for s in fare_told & by_letter) and
      any(s in elsewhere["69000 LYON"] for s in fare_told) and any(s in elsewhere["98000 MONACO"] for s in fare_told),
      f"{len(fare_told)} households written to in Paris or Lyon told of the fare before")
# Grenoble's fare: no channel for a household written to in Paris or Lyon.
check(not any(s in in_paris for s in after.get("m-reso-solidaire", {})),
      "a household written to in Paris or Lyon told of Grenoble's fare: " +
      str({s: c for s, c in after.get("m-reso-solidaire", {}).items() if s in in_paris}))
skipped = re.search(r"skipped +(\d+)  postal address in another commune, where the decision would not be the same",
                    report[report.index("m-reso-solidaire:"):])
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
# Persons who form a foyer of their own (an adult child), told of their
# own C2S before, in households the CAF now writes to in Monaco, with no
# email of the allocataire's: the C2S is not Monaco's, and another
# extract's address for the household (the tax office's, in Grenoble) does
# not lift the doubt for them either, an email of their own or not.
own_told = {s for s in before.get("c2s", {}) if s.startswith("CAF:P")}
household_of = {"CAF:" + row["NUMPERS"]: row["NUMALLOC"] for row in rows}
own_households = {household_of[p] for p in own_told}
own_dir = os.path.join(work, "own")
shutil.copytree(extracts, own_dir)
with open(os.path.join(extracts, "caf.csv"), encoding="latin-1", newline="") as f:
    own_rows = list(csv.DictReader(f, delimiter=";"))
for k, row in enumerate(own_rows):
    if row["NUMALLOC"] in own_households and row["QUALITE"] == "DEM":
        row["COURRIEL"], row["TEL_PORTABLE"], row["CP_COMMUNE"] = "", "", "98000 MONACO"
    if "CAF:" + row["NUMPERS"] in own_told and k % 2:
        row["COURRIEL"] = row["NUMPERS"].lower() + "@courriel.example"
with open(os.path.join(own_dir, "caf.csv"), "w", encoding="latin-1", newline="") as f:
    writer = csv.DictWriter(f, fieldnames=fields, delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(own_rows)
own_report, own_after = plan(own_dir)
check(len(own_told) > 10 and not any(s in own_told for s in own_after.get("c2s", {})),
      f"{len(own_told)} persons of their own foyer told before; now: "
      f"{[(s, c) for s, c in own_after.get('c2s', {}).items() if s in own_told]}")

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
