"""`proactif ingest` on real files: every rejection reason, identical results
from differently encoded files, and clear errors for unreadable ones."""
import csv
import json
import os
import shutil
import tempfile
from harness import SOURCE, check, finish, run

data = os.path.join(SOURCE, "tests/data/extracts")
out = tempfile.mkdtemp()

dumps = []
for name in ["caf_latin1", "caf_utf8_bom", "caf_jsonl"]:
    dump = os.path.join(out, name + ".jsonl")
    r = run("ingest", os.path.join(data, name + ".yaml"), "--rejects-dir", out, "--dump", dump, "--review",
            os.path.join(out, "review.csv"))
    check(r.returncode == 0, r.stderr)
    check("6 rows read, 6 accepted, 0 rejected" in r.stdout, r.stdout)
    dumps.append(open(dump, encoding="utf-8").read())
check(dumps[0] == dumps[1] == dumps[2], "Latin-1, UTF-8 with BOM and JSONL extracts differ once read")
check('"first_names": "Hélène Marie"' in dumps[0] and '"quotient_familial": 1204.75' in dumps[0], dumps[0][:400])
check('"commune": "2A004"' in dumps[0] and '"housing_benefit_monthly": 0.5' in dumps[0], dumps[0])
check("COMMENTAIRE" not in dumps[0] and "note" not in dumps[0], "an unmapped column was read")

r = run("ingest", os.path.join(data, "caf_rejects.yaml"), "--rejects-dir", out, "--review", os.path.join(out, "review.csv"))
# Rows set aside: the exit status says so (1), as evaluate does.
check(r.returncode == 1 and "23 rows read, 2 accepted, 21 rejected" in r.stdout, r.stdout + r.stderr)
check("Martin" not in r.stdout + r.stderr, "personal data printed to the terminal")
with open(os.path.join(out, "caf_rejects.rejects.csv"), encoding="utf-8") as f:
    rejects = list(csv.DictReader(f, delimiter=";"))
got = {(int(x["line"]), x["column"], x["value"], x["reason"]) for x in rejects}
expected = {
    (3, "NOM", "", "a value is required"),
    (4, "QF", "cinq cents", "not a number"),
    (5, "QF", "500.5", "a decimal point where the mapping says comma"),
    (6, "QF", "-3", "below the minimum 0"),
    (7, "QF", "200000", "above the maximum 100000"),
    (8, "RSA", "peut-être", "not one of the spellings of true or false given by the mapping"),
    (9, "DTNAIS", "30/02/1985", "not a date dd/mm/yyyy that exists"),
    (10, "DTNAIS", "1985-03-12", "not a date dd/mm/yyyy that exists"),
    (11, "SEXE", "X", "not one of the codes the mapping lists"),
    (12, "DEPCOM", "38999", "not a commune code of the INSEE COG"),
    (13, "NIR", "18503381851", "a NIR has 15 characters (13 and a 2-digit key), not 11"),
    (14, "NIR", "585033818512345", "a NIR starts with 1, 2, 3, 4, 7 or 8"),
    (15, "NIR", "1850338X8512345", "a NIR is made of digits (2A or 2B for Corsica)"),
    (16, "NIR", "185033818512300", "the NIR key does not match (expected 95)"),
    (17, "NUMALLOC", "", "the household identifier is missing"),
    (18, "NUMPERS", "", "the person identifier is missing"),
    (19, "NUMPERS", "Q01", "duplicate identifier, first seen at line 2"),
    # Out of their domain: a formula (written as text for the spreadsheet),
    # a birth after the extract, money below the cent, a birth 150 years before it.
    (21, "QF", "'=1+1", "not a number"),
    (22, "DTNAIS", "12/03/2031", "a date after 2025-05-31, the date the data describe"),
    (23, "QF", "500,125", "an amount of money has at most two decimals (cents)"),
    (24, "DTNAIS", "12/03/1870", "a date more than 150 years before 2025-05-31"),
}
check(got == expected, f"unexpected rejects: {sorted(got ^ expected)}")
check(all(x["file"].endswith("caf_rejects.csv") for x in rejects), "file column")

# A truncated file keeps its valid rows; its last row is set aside.
r = run("ingest", os.path.join(data, "truncated.yaml"), "--rejects-dir", out, "--review", os.path.join(out, "review.csv"))
check(r.returncode == 1 and "3 rows read, 1 accepted, 2 rejected" in r.stdout, r.stdout + r.stderr)
with open(os.path.join(out, "truncated.rejects.csv"), encoding="utf-8") as f:
    reasons = {(int(x["line"]), x["reason"]) for x in csv.DictReader(f, delimiter=";")}
check((4, "a quote opened in this row is never closed (a stray quote, or the file is truncated)") in reasons, str(reasons))

# JSON lines: a key given twice (the second QF would otherwise win) and a
# second object on a line are set aside with their reason, like malformed rows.
jsonl = os.path.join(out, "twice")
os.makedirs(jsonl, exist_ok=True)
rows = open(os.path.join(data, "caf.jsonl"), encoding="utf-8").read().splitlines()
rows[0] = rows[0][:-1] + ', "QF": 99999.0}'
rows[1] = rows[1] + ' {"NUMALLOC": "A999"}'
open(os.path.join(jsonl, "caf.jsonl"), "w", encoding="utf-8").write("\n".join(rows) + "\n")
shutil.copy(os.path.join(data, "caf_jsonl.yaml"), jsonl)
r = run("ingest", os.path.join(jsonl, "caf_jsonl.yaml"), "--rejects-dir", out, "--review", os.path.join(out, "review.csv"))
check(r.returncode == 1 and f"{len(rows)} rows read, {len(rows) - 2} accepted, 2 rejected" in r.stdout
      and "key 'QF' given twice" in r.stdout and "text after the row's object" in r.stdout, r.stdout + r.stderr)

# A member's line that cannot be read whole still names its household when
# its identifiers came before the fault: the household is incomplete, and
# nobody decides on it as if the member did not exist.
partial = os.path.join(out, "partial")
os.makedirs(partial, exist_ok=True)
rows = open(os.path.join(data, "caf.jsonl"), encoding="utf-8").read().splitlines()
check('"NUMALLOC": "A001", "NUMPERS": "P2"' in rows[1] and '"SEXE": "M"' in rows[1], rows[1])
rows[1] = rows[1].replace('"SEXE": "M"', '"SEXE": fals')
open(os.path.join(partial, "caf.jsonl"), "w", encoding="utf-8").write("\n".join(rows) + "\n")
shutil.copy(os.path.join(data, "caf_jsonl.yaml"), partial)
snapshot = os.path.join(partial, "population.bin")
r = run("ingest", os.path.join(partial, "caf_jsonl.yaml"), "--snapshot", snapshot, "--rejects-dir", out, "--review",
        os.path.join(out, "review.csv"))
check(r.returncode == 1 and "1 rejected" in r.stdout, r.stdout + r.stderr)
r = run("evaluate", "--program", "c2s", "--population", snapshot)
a001 = [json.loads(line) for line in r.stdout.splitlines() if '"CAF:A001"' in line]
check(len(a001) == 1 and a001[0]["status"] == "undetermined" and
      any(m.startswith("persons.CAF:P2: rejected at caf.jsonl line 2: not a valid JSON object") for m in a001[0]["missing"]),
      str(a001))

with open(os.path.join(data, "truncated.csv"), encoding="utf-8") as f:
    header = f.readline()


def ingest_rows(name, rows):
    """Ingests `rows` (after the header of tests/data/extracts/truncated.csv)
    as a CAF extract of their own: (ingest's result, the C2S decisions by
    household)."""
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    shutil.copy(os.path.join(data, "truncated.yaml"), folder)
    with open(os.path.join(folder, "truncated.csv"), "w", encoding="utf-8") as f:
        f.write(header + "".join(row + "\n" for row in rows))
    snapshot = os.path.join(folder, "population.bin")
    ingested = run("ingest", os.path.join(folder, "truncated.yaml"), "--snapshot", snapshot, "--rejects-dir", out,
                   "--review", os.path.join(out, "review.csv"))
    evaluated = run("evaluate", "--program", "c2s", "--population", snapshot)
    return ingested, {d["situation"]: d for d in map(json.loads, evaluated.stdout.splitlines())}


# The same for a CSV row whose last field opens a quote never closed: the
# fields before it were read whole.
r, decided = ingest_rows("stray", ["B01;Q01;185033818512395;Martin;Paul;12/03/1985;M;38185;500;N;0;x",
                                   "B01;Q02;;Martin;Zoé;12/03/1986;F;38185;500;N;0;\"note",
                                   "B03;Q03;;Durand;Paul;12/03/1985;M;38185;500;N;0;x"])
check(r.returncode == 1 and "3 rows read, 2 accepted, 1 rejected" in r.stdout, r.stdout + r.stderr)
check(any(m.startswith("persons.CAF:Q02: rejected at truncated.csv line 3: a quote opened in this row is never closed")
          for m in decided.get("CAF:B01", {}).get("missing", [])), str(decided.get("CAF:B01")))
check(not any("rejected at" in m for m in decided.get("CAF:B03", {}).get("missing", [])), str(decided.get("CAF:B03")))

# A row with a separator too many, and one cut short (its last fields would
# be read as unknown): set aside with the reason, their households
# incomplete.
r, decided = ingest_rows("field-count", ["B01;Q01;185033818512395;Martin;Paul;12/03/1985;M;38185;500;N;0;x",
                                         "B01;Q02;;Martin;Zoé;12/03/1986;F;38185;500;N;0;x;secret",
                                         "B03;Q03;;Durand;Paul;12/03/1985;M;38185;500;N;0;x",
                                         "B03;Q04;;Durand;Léa;12/03/1987;F;38185",
                                         "B04;Q05;;Petit;Anne;12/03/1990;F;38185;500;N;0;x"])
check(r.returncode == 1 and "5 rows read, 3 accepted, 2 rejected" in r.stdout, r.stdout + r.stderr)
fields = len(header.rstrip("\n").split(";"))
with open(os.path.join(out, "truncated.rejects.csv"), encoding="utf-8") as f:
    reasons = {(int(x["line"]), x["reason"]) for x in csv.DictReader(f, delimiter=";")}
check((3, f"{fields + 1} fields where the header has {fields} (a separator too many or too few)") in reasons and
      (5, f"8 fields where the header has {fields} (a separator too many or too few)") in reasons, str(reasons))
for household, person, line in [("CAF:B01", "Q02", 3), ("CAF:B03", "Q04", 5)]:
    check(any(m.startswith(f"persons.CAF:{person}: rejected at truncated.csv line {line}: ")
              for m in decided.get(household, {}).get("missing", [])), str(decided.get(household)))
check(not any("rejected at" in m for m in decided.get("CAF:B04", {}).get("missing", [])), str(decided.get("CAF:B04")))

# A person listed in two households (a stale row, the same NIR under two
# allocataires): neither household is decided as if the other list were
# the only one; both are incomplete, each naming the other.
r, decided = ingest_rows("listed-twice", ["B01;Q01;185033818512395;Martin;Paul;12/03/1985;M;38185;500;N;0;x",
                                          "B01;Q02;;Martin;Zoé;12/03/2024;F;38185;500;N;0;x",
                                          "B03;Q03;;Durand;Paul;12/03/1985;M;38185;500;N;0;x",
                                          "B03;Q09;185033818512395;Martin;Paul;12/03/1985;M;38185;500;N;0;x",
                                          "B04;Q04;;Petit;Anne;12/03/1990;F;38185;500;N;0;x"])
check(r.returncode == 0 and "5 rows read, 5 accepted, 0 rejected" in r.stdout, r.stdout + r.stderr)
for household, here, other in [("CAF:B01", "line 2", "CAF:B03 (truncated.csv line 5)"),
                               ("CAF:B03", "line 5", "CAF:B01 (truncated.csv line 2)")]:
    d = decided.get(household, {})
    check(d.get("status") == "undetermined" and
          any(m.startswith(f"persons.CAF:Q01: listed in this household (truncated.csv {here}) and in {other}")
              for m in d.get("missing", [])), f"{household}: {d}")
check(not any("listed in" in m for m in decided.get("CAF:B04", {}).get("missing", [])), str(decided.get("CAF:B04")))

# Unreadable files stop with a clear message and exit status 2.
for mapping, message in [
        ("wrong_encoding", "caf_latin1.csv:2: byte 0xE8 is not valid UTF-8"),
        ("wrong_separator", "caf_latin1.csv:1: the header does not match the mapping")]:
    r = run("ingest", os.path.join(data, mapping + ".yaml"), "--rejects-dir", out, "--review", os.path.join(out, "review.csv"))
    check(r.returncode == 2 and message in r.stderr, f"{mapping}: {r.returncode} {r.stderr}")
finish()
