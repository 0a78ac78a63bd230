"""`proactif synth` then `proactif ingest`: same seed, same files; the extracts
read back; linkage meets its targets against the ground truth."""
import filecmp
import json
import os
import re
from harness import check, finish, run, work_dir

a, b, c = (work_dir("proactif-synth-") for _ in range(3))
for out, seed in [(a, "3"), (b, "3"), (c, "4")]:
    r = run("synth", "--territory", "38", "--households", "8000", "--seed", seed, "--out", out)
    check(r.returncode == 0, r.stderr)
files = ["caf.csv", "cpam.csv", "crous.jsonl", "universites.csv", "dgfip.csv", "drm.csv", "truth.csv",
         "truth_records.csv", "truth_situations.jsonl", "caf.yaml", "drm.yaml"]
check(all(filecmp.cmp(os.path.join(a, f), os.path.join(b, f), shallow=False) for f in files), "same seed, other files")
check(not filecmp.cmp(os.path.join(a, "cpam.csv"), os.path.join(c, "cpam.csv"), shallow=False), "other seed, same files")
check(open(os.path.join(a, "caf.csv"), "rb").read().startswith(b"NUMALLOC;NUMPERS;NIR"), "CAF header")

mappings = [os.path.join(a, m + ".yaml") for m in ["caf", "cpam", "crous", "universites", "dgfip", "drm"]]
snapshot = os.path.join(a, "population.bin")
r = run("ingest", *mappings, "--rejects-dir", os.path.join(a, "rejects"), "--review", os.path.join(a, "review.csv"),
        "--truth", os.path.join(a, "truth_records.csv"), "--snapshot", snapshot)
# The synthetic extracts carry invalid NIR keys on purpose: rows set aside, status 1.
check(r.returncode == 1, r.stderr)
print(r.stdout)
# Invalid NIR keys are the only defect that sets a whole row aside.
check(all(reason == "the NIR key does not match" for _, reason in re.findall(r"^  (\d+)  (.*)$", r.stdout, re.M)),
      "unexpected rejection reasons")
m = re.search(r"precision ([\d.]+) %, recall ([\d.]+) %", r.stdout)
review = re.search(r"persons under review \(([\d.e+-]+) %\)", r.stdout)
check(m is not None and review is not None, r.stdout)
if m and review:
    precision, recall, under_review = float(m.group(1)), float(m.group(2)), float(review.group(1))
    check(precision >= 99.5, f"precision {precision} < 99.5 %")
    check(recall >= 98, f"recall {recall} < 98 %")
    check(under_review < 2, f"{under_review} % of persons under review")
# A minimum benefit received is a resource (CONTRACT.md: resources as the
# C2S and the RSA count them): nobody on the ASPA or the AAH, differential
# allowances bringing a person alone up to about 1 034 € a month, has less.
with open(os.path.join(a, "truth_situations.jsonl"), encoding="utf-8") as f:
    on_benefits = [p for line in f for p in json.loads(line)["persons"]
                   if set(p.get("minimum_benefits") or []) & {"aspa", "aah"}]
check(len(on_benefits) > 50 and all(p["resources_12m"] >= 12000 and p["resources_3m"] >= 3000 for p in on_benefits),
      f"{len(on_benefits)} persons on the ASPA or the AAH, "
      f"{sum(1 for p in on_benefits if p['resources_12m'] < 12000)} with less than its amount")
# The true households are valid situations for the engine.
r = run("evaluate", "--program", "c2s", "--program", "rsa", "--situations", os.path.join(a, "truth_situations.jsonl"))
check(r.returncode == 0 and r.stdout.count("\n") == 16000, r.stderr[-500:])
truth, truth_rsa = {}, {}
for line in r.stdout.splitlines():
    d = json.loads(line)
    (truth if d["program"] == "c2s" else truth_rsa)[d["situation"]] = d

# The population built from the extracts gives, where it can decide, the
# decision the true households give (CAF household "A00000012" is true household 12).
r = run("evaluate", "--program", "c2s", "--population", snapshot)
check(r.returncode == 0, r.stderr[-500:])
decided = agree = reviewed = 0
for line in r.stdout.splitlines():
    d = json.loads(line)
    check(set(d) - {"under_review"} == {"situation", "program", "status", "result", "missing"}, str(d))
    reviewed += d.get("under_review", False)
    if not d["situation"].startswith("CAF:A") or d["status"] == "undetermined":
        continue
    t = truth[str(int(d["situation"][5:]))]
    decided += 1
    agree += d["status"] == t["status"] and d["result"].get("variant") == t["result"].get("variant")
print(f"C2S decided on the ingested population for {decided} CAF households, as on the truth for {agree}")
check(decided > 500 and agree >= 0.99 * decided, f"{agree} of {decided}")
# The RSA's three-month resources come from the DRM: the CAF households are
# decided, and as on the truth.
r = run("evaluate", "--program", "rsa", "--population", snapshot)
check(r.returncode == 0, r.stderr[-500:])
decided = agree = households = 0
for line in r.stdout.splitlines():
    d = json.loads(line)
    if not d["situation"].startswith("CAF:A"):
        continue
    households += 1
    if d["status"] == "undetermined":
        continue
    t = truth_rsa[str(int(d["situation"][5:]))]
    decided += 1
    agree += d["status"] == t["status"] and d["result"] == t["result"]
print(f"RSA decided on the ingested population for {decided} of {households} CAF households, as on the truth for {agree}")
check(decided > 0.9 * households and agree >= 0.98 * decided, f"{agree} of {decided} of {households}")
# Explanations name the extract and line each value came from.
first = next(json.loads(l)["situation"] for l in r.stdout.splitlines() if '"eligible"' in l and "CAF:A" in l)
r = run("explain", "--program", "c2s", "--population", snapshot, "--situation", first)
check(r.returncode == 0 and "caf.csv), ligne " in r.stdout and "dgfip.csv)" in r.stdout, r.stdout[:2000])
review_lines = sum(1 for _ in open(os.path.join(a, "review.csv"))) - 1
check((reviewed > 0) == (review_lines > 0), f"{reviewed} decisions under review, {review_lines} pairs to review")
finish()
