"""Rows set aside by extracts that list persons without their household (the
DRM's monthly resources, the tax office's yearly ones): the person the row
may be is found by what it could be read with (its NIR, else the identity
traits), and their household is left undetermined with the reason, never
decided as if the row did not exist (the extract's absence meaning "no
resources"). Same synthetic population ingested twice, once with 60 DRM
rows given a bad NIR key and 40 tax rows a malformed amount or no birth
date: every household decided on the second is decided as on the first.
A campaign reads only what its programs read (GDPR art. 5-1-c): for the M
Réso fare alone, the extracts that give none of it are not read, and a
malformed value in a column it does not read sets no row aside."""
import csv
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import campaign_head, check, finish, run, work_dir  # noqa: E402

work = work_dir("proactif-rejected-")
clean, damaged = os.path.join(work, "clean"), os.path.join(work, "damaged")
r = run("synth", "--territory", "38", "--households", "3000", "--seed", "5", "--out", clean)
check(r.returncode == 0, r.stderr)
shutil.copytree(clean, damaged)


def rewrite(name, change):
    with open(os.path.join(clean, name), encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter=";"))
    changed = sum(change(rows[0], row) for row in rows[1:])
    with open(os.path.join(damaged, name), "w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\n").writerows(rows)
    return changed


def bad_nir_key(header, row, done=[0]):
    if done[0] >= 60 or float(row[header.index("RESSOURCES_3M")]) <= 1500:
        return 0
    nir = row[header.index("NIR")]
    row[header.index("NIR")] = nir[:14] + str((int(nir[14]) + 3) % 10)
    done[0] += 1
    return 1


def bad_tax_row(header, row, done=[0]):
    amount = header.index("REVENUS_12M")
    if done[0] >= 40 or not row[amount] or float(row[amount]) <= 15000:
        return 0
    if done[0] % 2:
        row[header.index("DATE_NAISSANCE")] = ""
    else:
        row[amount] = "12 000 EUR"
    done[0] += 1
    return 1


check(rewrite("drm.csv", bad_nir_key) == 60, "not 60 DRM rows damaged")
check(rewrite("dgfip.csv", bad_tax_row) == 40, "not 40 tax rows damaged")

decisions = {}
for folder in (clean, damaged):
    mappings = [os.path.join(folder, m + ".yaml") for m in ["caf", "cpam", "crous", "universites", "dgfip", "drm"]]
    snapshot = os.path.join(folder, "population.bin")
    r = run("ingest", *mappings, "--snapshot", snapshot, "--rejects-dir", os.path.join(folder, "rejects"),
            "--review", os.path.join(folder, "review.csv"))
    # The synthetic extracts carry a few invalid NIR keys of their own: rows
    # set aside in both folders, and the status says so.
    check(r.returncode == 1, r.stderr)
    if folder == damaged:
        check("DRM ressources des trois derniers mois" in r.stdout and "60 rejected" in r.stdout, r.stdout)
        check("resemble a row set aside by an extract that lists persons alone" in r.stdout, r.stdout)
    for program in ("rsa", "c2s"):
        r = run("evaluate", "--program", program, "--population", snapshot)
        check(r.returncode == 0, r.stderr[-500:])
        decisions[folder, program] = {d["situation"]: d for d in map(json.loads, r.stdout.splitlines())}

for program in ("rsa", "c2s"):
    before, after = decisions[clean, program], decisions[damaged, program]
    set_aside = differently = 0
    for household, d in after.items():
        was = before.get(household)
        if was is None or was["status"] == "undetermined":
            continue
        if d["status"] == "undetermined":
            set_aside += any("may be theirs was rejected at" in m for m in d["missing"])
        elif (d["status"], d["result"]) != (was["status"], was["result"]):
            differently += 1
            print(f"{program} {household}: {was['status']} {was['result']} became {d['status']} {d['result']}")
    print(f"{program}: {set_aside} households undetermined for a row set aside, {differently} decided otherwise")
    check(differently == 0, f"{program}: {differently} households decided otherwise than on the whole extracts")
    check(set_aside >= 10, f"{program}: only {set_aside} households set aside, the damage reached few")

fare = os.path.join(work, "fare.yaml")
fare_work = os.path.join(work, "fare.work")
with open(fare, "w", encoding="utf-8") as f:
    f.write(campaign_head("fare-only") + f"""population:
  mappings: [{", ".join(os.path.join(damaged, m + ".yaml") for m in ["caf", "cpam", "crous", "universites", "dgfip", "drm"])}]
programs:
  m-reso-solidaire: {{}}
channels: [letter]
letters: {{folder: letters}}
work_dir: {fare_work}
""")
r = run("campaign", "run", "--past-date", fare, "--store", "sqlite:" + os.path.join(work, "fare.db"), "--plan-only")
check(r.returncode == 0, r.stdout + r.stderr)
not_read = {line.split(" ")[0] for line in r.stdout.splitlines() if "not read, it gives none of the data" in line}
check(not_read == {"CPAM", "CROUS", "Universités", "DRM"}, f"extracts not read: {not_read}\n{r.stdout}")
rejects = os.path.join(fare_work, "rejects")
check(not os.path.exists(os.path.join(rejects, "drm.rejects.csv")), os.listdir(rejects))
# The tax office's extract gives addresses (contacts): read whole, as a
# person's address there is found through the values it gives.
check(os.path.exists(os.path.join(rejects, "dgfip.rejects.csv")), os.listdir(rejects))
finish()
