"""`proactif ingest` on real files: every rejection reason, identical results
from differently encoded files, and clear errors for unreadable ones."""
import csv
import json
import os
import shutil
from harness import SOURCE, check, finish, run, work_dir

data = os.path.join(SOURCE, "tests/data/extracts")
out = work_dir("proactif-ingest-")

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
check(r.returncode == 1 and "28 rows read, 3 accepted, 25 rejected" in r.stdout, r.stdout + r.stderr)
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
    # a birth after the extract, a thousands separator (12,000 was read as 12
    # €: a tester's finding), a birth 150 years before it.
    (21, "QF", "'=1+1", "not a number"),
    (22, "DTNAIS", "12/03/2031", "a date after 2025-05-31, the date the data describe"),
    (23, "QF", "12,000", "three digits after the decimal mark (a thousands separator?): an amount of money has at "
                         "most two decimals (cents)"),
    (24, "DTNAIS", "12/03/1870", "a date more than 150 years before 2025-05-31"),
    # Thousands grouped by spaces as a spreadsheet writes them (line 28,
    # "1 222,50", is accepted); digits grouped otherwise, or a decimal
    # comma without digits on one side, are not read as a number.
    (25, "QF", "12 34", "spaces group a number's digits by three before its decimal mark (1 222,50)"),
    (26, "QF", "1222,", "a decimal mark needs digits on both sides"),
    (27, "QF", ",5", "a decimal mark needs digits on both sides"),
    # A name written in UTF-8 in this Latin-1 file reads "DuprÃ©": it would
    # reach a letter or a request so.
    (29, "NOM", "DuprÃ©", "UTF-8 text read in another encoding (\"Ã©\"): is the file's encoding the one the mapping gives?"),
}
check(got == expected, f"unexpected rejects: {sorted(got ^ expected)}")
check(all(x["file"].endswith("caf_rejects.csv") for x in rejects), "file column")

# A truncated file keeps its valid rows; its last row is set aside.
r = run("ingest", os.path.join(data, "truncated.yaml"), "--rejects-dir", out, "--review", os.path.join(out, "review.csv"))
check(r.returncode == 1 and "3 rows read, 1 accepted, 2 rejected" in r.stdout, r.stdout + r.stderr)
with open(os.path.join(out, "truncated.rejects.csv"), encoding="utf-8") as f:
    reasons = {(int(x["line"]), x["reason"]) for x in csv.DictReader(f, delimiter=";")}
check((4, "a quote opened in this row is never closed (a stray quote, or the file is truncated), or its field runs past "
           "65536 bytes") in reasons, str(reasons))

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


def ingest_rows(name, rows, household_columns=False):
    """Ingests `rows` (after the header of tests/data/extracts/truncated.csv)
    as a CAF extract of their own: (ingest's result, the C2S decisions by
    household)."""
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    shutil.copy(os.path.join(data, "truncated.yaml"), folder)
    with open(os.path.join(folder, "truncated.csv"), "w", encoding="latin-1") as f:  # as its mapping says
        f.write(header + "".join(row + "\n" for row in rows))
    if household_columns:  # the quotient familial and the commune as the household's
        mapping = open(os.path.join(folder, "truncated.yaml"), encoding="utf-8").read()
        for column in ["QF: {variable: quotient_familial,", "DEPCOM: {variable: commune,"]:
            mapping = mapping.replace(column, column + " entity: household,")
        open(os.path.join(folder, "truncated.yaml"), "w", encoding="utf-8").write(mapping)
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

# Members' rows that give their household two quotients familiaux: which
# is right is not known; the value is unknown, counted, and a program that
# reads it does not decide on the first row's.
r, decided = ingest_rows("household-conflict", ["B01;Q01;185033818512395;Martin;Paul;12/03/1985;M;38185;500;N;0;x",
                                                "B01;Q02;;Martin;Zoé;12/03/2024;F;38185;9000;N;0;x",
                                                "B04;Q04;;Petit;Anne;12/03/1990;F;38185;500;N;0;x"],
                                 household_columns=True)
check(r.returncode == 0 and "two rows of one extract give them differently: 1 " in r.stdout and
      "    truncated.csv lines 2 and 3: quotient_familial\n" in r.stdout, r.stdout + r.stderr)
fares = [json.loads(line) for line in run("evaluate", "--program", "m-reso-solidaire", "--population",
                                          os.path.join(out, "household-conflict", "population.bin")).stdout.splitlines()]
for d in fares:
    conflicting = d["situation"] == "CAF:B01"
    check((d["status"] == "undetermined" and "household.quotient_familial" in d["missing"]) == conflicting and
          (conflicting or "household.quotient_familial" not in d["missing"]), str(d))
check(len(fares) == 3, str(fares))

# A person the resources' extract lists twice (two rows, one NIR) with two
# amounts: the amount is unknown, not the first row's.
r, decided = ingest_rows("person-twice", ["B01;Q01;185033818512395;Martin;Paul;12/03/1985;M;38185;500;N;0;x",
                                          "B04;Q04;285033818512345;Petit;Anne;12/03/1985;F;38185;500;N;0;x"])
folder = os.path.join(out, "person-twice")
with open(os.path.join(folder, "drm.csv"), "w", encoding="utf-8") as f:
    f.write("ID;NIR;NOM;PRENOMS;DATE_NAISSANCE;RESSOURCES_3M\nD1;185033818512395;MARTIN;PAUL;1985-03-12;900\n"
            "D2;285033818512345;PETIT;ANNE;1985-03-12;450\nD3;185033818512395;MARTIN;PAUL;1985-03-12;9000\n")
with open(os.path.join(folder, "drm.yaml"), "w", encoding="utf-8") as f:
    f.write('file: drm.csv\nsource: DRM\nextract: ressources\nextracted_on: "2025-05-31"\nformat: csv\nencoding: utf-8\n'
            'separator: ";"\ndecimal: point\nidentifiers: {household: ID, person: ID}\ncolumns:\n'
            '  NIR: {variable: nir, type: nir, required: true}\n  NOM: {variable: birth_name, type: text}\n'
            '  PRENOMS: {variable: first_names, type: text}\n  DATE_NAISSANCE: {variable: birth_date, type: date}\n'
            '  RESSOURCES_3M: {variable: resources_3m, type: number, unit: EUR, refers_to: "2025-05"}\n')
snapshot = os.path.join(folder, "population.bin")
r = run("ingest", os.path.join(folder, "truncated.yaml"), os.path.join(folder, "drm.yaml"), "--snapshot", snapshot,
        "--rejects-dir", out, "--review", os.path.join(out, "review.csv"))
check(r.returncode == 0 and "two rows of one extract give them differently: 1 " in r.stdout and
      "    drm.csv lines 2 and 4: resources_3m\n" in r.stdout, r.stdout + r.stderr)
rsa = {d["situation"]: d for d in map(json.loads, run("evaluate", "--program", "rsa", "--population", snapshot).stdout.splitlines())}
check("persons.CAF:Q01.resources_3m" in rsa.get("CAF:B01", {}).get("missing", []), str(rsa.get("CAF:B01")))
check("persons.CAF:Q04.resources_3m" not in rsa.get("CAF:B04", {}).get("missing", ["none"]), str(rsa.get("CAF:B04")))

# A birth date two extracts give otherwise: a day and month swapped (a row
# whose NIR agrees with its date swapped is accepted), and the one the
# NIR's year and month agree with is the person's; a day that differs, where
# the NIR agrees with both, is unknown, listed, not the CAF's guess.
anne, lea = "2850338185124", "2900338185125"
anne += "%02d" % (97 - int(anne) % 97)
lea += "%02d" % (97 - int(lea) % 97)
r, decided = ingest_rows("birth-swapped", ["B01;Q01;185033818512395;Martin;Paul;03/12/1985;M;38185;500;N;0;x",
                                           f"B04;Q04;{anne};Petit;Anne;15/03/1985;F;38185;500;N;0;x",
                                           f"B05;Q05;{lea};Durand;Léa;03/12/1990;F;38185;500;N;0;x"])
folder = os.path.join(out, "birth-swapped")
with open(os.path.join(folder, "drm.csv"), "w", encoding="utf-8") as f:
    f.write(f"ID;NIR;NOM;PRENOMS;DATE_NAISSANCE;RESSOURCES_3M\nD1;185033818512395;MARTIN;PAUL;1985-03-12;900\n"
            f"D2;{anne};PETIT;ANNE;1985-03-12;450\n")
shutil.copy(os.path.join(out, "person-twice", "drm.yaml"), folder)
snapshot = os.path.join(folder, "population.bin")
r = run("ingest", os.path.join(folder, "truncated.yaml"), os.path.join(folder, "drm.yaml"), "--snapshot", snapshot,
        "--rejects-dir", out, "--review", os.path.join(out, "review.csv"))
check(r.returncode == 0 and "truncated.csv line 3 and drm.csv line 3: birth_date (the NIR's year and month agree with more than one)" in r.stdout and
      "truncated.csv line 2 and drm.csv line 2" not in r.stdout and
      # Léa's only row swaps her day and month: her NIR says March.
      "truncated.csv line 4: birth_date (the NIR's year and month agree with none)" in r.stdout, r.stdout + r.stderr)
born = {}
for d in map(json.loads, run("evaluate", "--program", "c2s", "--population", snapshot, "--explain").stdout.splitlines()):
    for item in d["explanation"]["data"]:
        if item["name"].endswith(".birth_date"):
            born[item["name"]] = item.get("value")
check(born.get("persons.CAF:Q01.birth_date") == "1985-03-12" and born.get("persons.CAF:Q04.birth_date") is None and
      born.get("persons.CAF:Q05.birth_date") is None,
      f"birth dates read: {born}")

# One person id in two households: the second row is set aside, and the
# first household is no surer of its members than the second.
r, decided = ingest_rows("id-twice", ["B01;Q01;185033818512395;Martin;Paul;12/03/1985;M;38185;500;N;0;x",
                                      "B03;Q03;;Durand;Paul;12/03/1985;M;38185;500;N;0;x",
                                      "B03;Q01;;Durand;Léa;12/03/1987;F;38185;500;N;0;x"])
check(r.returncode == 1 and "3 rows read, 2 accepted, 1 rejected" in r.stdout, r.stdout + r.stderr)
check(any(m.startswith("persons.CAF:Q01: listed in this household (truncated.csv line 2) and in CAF:B03 (truncated.csv line 4, "
                       "set aside: duplicate identifier") for m in decided.get("CAF:B01", {}).get("missing", [])),
      str(decided.get("CAF:B01")))
check(decided.get("CAF:B03", {}).get("status") == "undetermined", str(decided.get("CAF:B03")))

# Values no row of a household's extract should hold: a control character
# (it would reach a letter or an email as is), a name of no-break spaces or
# without a letter, a value longer than any field holds, money below the
# cent written as an exponent; a row whose fields are shifted says that
# alone; the header again in the middle of the file is named; a NIR that
# says another birth date or sex than its row is another person's.
r, decided = ingest_rows("junk", ["B01;Q01;;Mar\x1btin;Paul;12/03/1985;M;38185;500;N;0;x",
                                  "B02;Q02;;\u00a0\u00a0;Paul;12/03/1985;M;38185;500;N;0;x",
                                  "B03;Q03;;-;Paul;12/03/1985;M;38185;500;N;0;x",
                                  "B04;Q04;;Petit;" + "A" * 2000 + ";12/03/1990;F;38185;500;N;0;x",
                                  "B05;Q05;;Petit;Anne;12/03/1990;F;38185;1e-10;N;0;x",
                                  "B06;Q06;;Petit;Anne;12/03/1990;F;38185;500",
                                  header.rstrip("\n"),
                                  "B07;Q07;;Petit;Anne;12/03/1990;F;38185;500,00;N;0;x",
                                  # A NIR of a man born in March 1985: another person's on these rows,
                                  "B08;Q08;185033818512395;Martin;Paul;12/03/1990;M;38185;500;N;0;x",
                                  "B09;Q09;185033818512395;Martin;Pauline;12/03/1985;F;38185;500;N;0;x",
                                  # not on this one, whose day and month are swapped.
                                  "B10;Q10;185033818512395;Martin;Paul;03/12/1985;M;38185;500;N;0;x",
                                  # Signs and quotes are not letters (x and / beside the
                                  # accented letters); accented letters are.
                                  "B11;Q11;;\u00d7\u00f7\u00ab\u00bb;Paul;12/03/1985;M;38185;500;N;0;x",
                                  "B12;Q12;;\u00d1\u00fa\u00f1ez;\u00c9tienne;12/03/1985;M;38185;500;N;0;x"])
check(r.returncode == 1 and "13 rows read, 3 accepted, 10 rejected" in r.stdout, r.stdout + r.stderr)
with open(os.path.join(out, "truncated.rejects.csv"), encoding="utf-8") as f:
    reasons = sorted((int(x["line"]), x["column"], x["reason"]) for x in csv.DictReader(f, delimiter=";"))
check(reasons == [(2, "NOM", "a control character (U+001B) in the value"),
                  (3, "NOM", "a value is required"),
                  (4, "NOM", "a name without a letter"),
                  (5, "PRENOMS", "a value of 2000 bytes, longer than any this field holds"),
                  (6, "QF", "an amount of money has at most two decimals (cents)"),
                  (7, "", f"9 fields where the header has {fields} (a separator too many or too few)"),
                  (8, "", "the header again (files joined together?)"),
                  (10, "NIR", "the NIR does not agree with the row's birth date"),
                  (11, "NIR", "the NIR does not agree with the row's sex"),
                  (13, "NOM", "a name without a letter")], str(reasons))

# A header that names a column twice: which holds the data is not known.
twice = os.path.join(out, "header-twice")
os.makedirs(twice, exist_ok=True)
shutil.copy(os.path.join(data, "truncated.yaml"), twice)
with open(os.path.join(twice, "truncated.csv"), "w", encoding="utf-8") as f:
    f.write(header.rstrip("\n") + ";QF\nB01;Q01;;Martin;Paul;12/03/1985;M;38185;500;N;0;x;9000\n")
r = run("ingest", os.path.join(twice, "truncated.yaml"), "--rejects-dir", out, "--review", os.path.join(out, "review.csv"))
check(r.returncode == 2 and "the header names QF twice" in r.stderr, f"{r.returncode} {r.stderr}")

# A UTF-8 file under a mapping that says Latin-1: its accented letters
# would all be stored wrong ("Ã©"); it stops.
declared = os.path.join(out, "declared-latin1")
os.makedirs(declared, exist_ok=True)
shutil.copy(os.path.join(data, "caf_utf8_bom.csv"), declared)
mapping = open(os.path.join(data, "caf_utf8_bom.yaml"), encoding="utf-8").read()
check("encoding: utf-8" in mapping, mapping[:200])
open(os.path.join(declared, "caf.yaml"), "w", encoding="utf-8").write(mapping.replace("encoding: utf-8", "encoding: latin1"))
r = run("ingest", os.path.join(declared, "caf.yaml"), "--rejects-dir", out, "--review", os.path.join(out, "review.csv"))
check(r.returncode == 2 and "caf_utf8_bom.csv:1: the text is UTF-8, not ISO-8859-1" in r.stderr, f"{r.returncode} {r.stderr}")
# Without its byte-order mark, at its first accented letter.
with open(os.path.join(data, "caf_utf8_bom.csv"), "rb") as f:
    open(os.path.join(declared, "caf_utf8_bom.csv"), "wb").write(f.read()[3:])
r = run("ingest", os.path.join(declared, "caf.yaml"), "--rejects-dir", out, "--review", os.path.join(out, "review.csv"))
check(r.returncode == 2 and "caf_utf8_bom.csv:2: the text is UTF-8, not ISO-8859-1" in r.stderr, f"{r.returncode} {r.stderr}")
# Latin-1 whose only accented letter is followed by a no-break space (C9
# A0, valid UTF-8 too) is read as Latin-1.
r, decided = ingest_rows("latin1-pairs", ["B01;Q01;185033818512395;REN\u00c9\u00a0MARTIN;Paul;12/03/1985;M;38185;500;N;0;x",
                                          "B02;Q02;;Petit;Anne;12/03/1990;F;38185;500;N;0;x"])
check(r.returncode == 0 and "2 rows read, 2 accepted" in r.stdout, r.stdout + r.stderr)

# A character drawn as nothing makes a name another one than the person's:
# a soft hyphen (which windows-1252 and Latin-1 hold) is set aside, named.
r, decided = ingest_rows("soft-hyphen", ["B01;Q01;;Blan\u00adchez;Paul;12/03/1985;M;38185;500;N;0;x",
                                         "B02;Q02;;Petit;Anne;12/03/1990;F;38185;500;N;0;x"])
with open(os.path.join(out, "truncated.rejects.csv"), encoding="utf-8") as f:
    reasons = {(int(x["line"]), x["reason"]) for x in csv.DictReader(f, delimiter=";")}
check(r.returncode == 1 and "2 rows read, 1 accepted, 1 rejected" in r.stdout and
      (2, "an invisible character (U+00AD) in the value") in reasons, r.stdout + str(reasons))

# Roles that do not say whose foyer a household is: a second applicant, no
# applicant at all (each row's role known), a second spouse. The household
# is incomplete, undetermined for every program that reads its members,
# never decided with another family situation than its own; a household
# whose roles are right is not held for them (this extract lacks the rest).
roles = os.path.join(out, "roles")
os.makedirs(roles, exist_ok=True)
shutil.copy(os.path.join(data, "truncated.yaml"), roles)
mapping = open(os.path.join(roles, "truncated.yaml"), encoding="utf-8").read()
open(os.path.join(roles, "truncated.yaml"), "w", encoding="utf-8").write(mapping + (
    "  QUALITE: {variable: role, type: code, values: [DEM, CJT, ENF, AUT], "
    "recode: {DEM: applicant, CJT: spouse, ENF: child, AUT: other}}\n"))
with open(os.path.join(roles, "truncated.csv"), "w", encoding="latin-1") as f:
    f.write(header.rstrip("\n") + ";QUALITE\n" + "".join(row + "\n" for row in [
        "B01;Q01;;Martin;Paul;12/03/1985;M;38185;500;N;0;x;DEM",
        "B01;Q02;;Martin;Zoé;12/03/1986;F;38185;500;N;0;x;DEM",
        "B02;Q03;;Durand;Paul;12/03/1985;M;38185;500;N;0;x;CJT",
        "B02;Q04;;Durand;Léa;12/03/2015;F;38185;500;N;0;x;ENF",
        "B03;Q05;;Petit;Anne;12/03/1990;F;38185;500;N;0;x;DEM",
        "B03;Q06;;Petit;Marc;12/03/1990;M;38185;500;N;0;x;CJT",
        "B03;Q07;;Roux;Luc;12/03/1991;M;38185;500;N;0;x;CJT",
        "B04;Q08;;Blanc;Anne;12/03/1990;F;38185;500;N;0;x;DEM",
        "B04;Q09;;Blanc;Léo;12/03/2016;M;38185;500;N;0;x;ENF"]))
snapshot = os.path.join(roles, "population.bin")
r = run("ingest", os.path.join(roles, "truncated.yaml"), "--snapshot", snapshot, "--rejects-dir", out,
        "--review", os.path.join(out, "review.csv"))
check(r.returncode == 0, r.stdout + r.stderr)
for program in ["c2s", "rsa"]:
    decided = {d["situation"]: d for d in map(json.loads, run("evaluate", "--program", program, "--population",
                                                              snapshot).stdout.splitlines())}
    for household, reason in [("CAF:B01", "persons.CAF:Q02.role: a second person with the role applicant (truncated.csv line 3)"),
                              ("CAF:B02", "persons: no person has the role applicant"),
                              ("CAF:B03", "persons.CAF:Q07.role: a second person with the role spouse (truncated.csv line 8)")]:
        d = decided.get(household, {})
        check(d.get("status") == "undetermined" and any(m.startswith(reason) for m in d.get("missing", [])),
              f"{program} {household}: {d}")
    check("CAF:B04" in decided and not any("role" in m for m in decided["CAF:B04"]["missing"]),
          f"{program}: {decided.get('CAF:B04')}")

# Unreadable files stop with a clear message and exit status 2.
for mapping, message in [
        ("wrong_encoding", "caf_latin1.csv:2: byte 0xE8 is not valid UTF-8"),
        ("wrong_separator", "caf_latin1.csv:1: the header does not match the mapping")]:
    r = run("ingest", os.path.join(data, mapping + ".yaml"), "--rejects-dir", out, "--review", os.path.join(out, "review.csv"))
    check(r.returncode == 2 and message in r.stderr, f"{mapping}: {r.returncode} {r.stderr}")
finish()
