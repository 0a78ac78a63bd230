"""A malformed program file is refused with file:line:column and a reason."""
import os
import shutil
from harness import SOURCE, check, finish, run, temp_file, work_dir

good = open(os.path.join(SOURCE, "programs/m-reso-solidaire/program.yaml")).read()
bad = good.replace("quotient_familial <= plafond_quotient_familial", "quotient_familial <= plafond_qf")
path = temp_file(bad, suffix=".yaml")
line = next(i for i, l in enumerate(bad.splitlines(), 1) if "plafond_qf" in l)
column = bad.splitlines()[line - 1].index("plafond_qf") + 1
out = run("check", path)
check(out.returncode == 1, f"exit status {out.returncode}")
check(f"{path}:{line}:{column}: unknown name 'plafond_qf'" in out.stderr, out.stderr)
out = run("evaluate", "--program", path, "--situations", temp_file(""))
check(out.returncode == 2 and f"{path}:{line}:{column}:" in out.stderr, out.stderr)

# Decided per person, a fare read on the household's quotient familial
# without the foyer whose it is: a lodger listed with the household would
# be told of the allocataire's fare (a tester's program). Refused, at the
# place the datum is read.
start = good.index("\nfoyer:\n") + 1
no_foyer = good[:start] + good[good.index("\nvariables:", start) + 1:]
check(no_foyer.count("foyer:") == 0 and "quotient_familial <= plafond_quotient_familial" in no_foyer,
      "the M Réso program's foyer changed since this test was written")
path = temp_file(no_foyer, suffix=".yaml")
line = next(i for i, l in enumerate(no_foyer.splitlines(), 1) if "quotient_familial <= plafond_quotient_familial" in l)
out = run("check", path)
check(out.returncode == 1 and f"{path}:{line}:" in out.stderr and
      "'quotient_familial' is a datum of the household, and this program decides per person" in out.stderr, out.stderr)

syntax = good.replace("quotient_familial <= plafond_quotient_familial", "quotient_familial <=")
out = run("check", temp_file(syntax, suffix=".yaml"))
check("expected a value, a name or '(', found end of formula" in out.stderr, out.stderr)

# Every error of a file at once, each with its place: two formulas of the
# RSA that do not compile, the other variables checked all the same; what
# depends on a rule in error says nothing more (no cascade).
rsa = open(os.path.join(SOURCE, "programs/rsa/program.yaml")).read()
twice = (rsa.replace("formula: departement(commune) == \"976\"", "formula: departement(commune) == 976")
         .replace("formula: resources_3m / 3 [month]", "formula: resources_3m / 3 [month] + nombre_inconnu"))
check(twice != rsa and twice.count("nombre_inconnu") == 1, "the RSA's formulas changed since this test was written")
path = temp_file(twice, suffix=".yaml")
out = run("check", path)
errors = out.stderr.strip().splitlines()
places = [f"{path}:{i}:" for i, l in enumerate(twice.splitlines(), 1) if "== 976" in l or "nombre_inconnu" in l]
check(out.returncode == 1 and len(errors) == 2 and all(any(e.startswith(p) for e in errors) for p in places),
      f"two errors expected, at {places}: {out.stderr}")
check("unknown name 'nombre_inconnu'" in out.stderr and "cannot compare code with number" in out.stderr, out.stderr)

# A rule that cites no text is named at its place: an explanation gives
# each operation's article.
uncited = good.replace("    reference: Composition officielle des EPCI (@etalab/decoupage-administratif) ; SMMAG, une même "
                       "tarification solidaire sur les deux intercommunalités\n", "")
check(uncited != good, "the M Réso program's references changed since this test was written")
path = temp_file(uncited, suffix=".yaml")
line = next(i for i, l in enumerate(uncited.splitlines(), 1) if l.startswith("  habitant_du_ressort:")) + 1  # its body
out = run("check", path)
check(out.returncode == 1 and f"{path}:{line}:" in out.stderr and "cites no text" in out.stderr, out.stderr)
# Nor is it evaluated: `check` alone refused it, and the explanation of
# `evaluate` named no text for the operation.
out = run("evaluate", "--program", path, "--situations", "-", stdin="")
check(out.returncode == 2 and f"{path}:{line}:" in out.stderr and "cites no text" in out.stderr, f"{out.returncode} {out.stderr}")

# A key given twice: the reviewer may read the one not applied.
twice = good.replace("eligibility:\n", "eligibility:\n  formula: \"false\"\n", 1)
check(twice != good, "the M Réso program has no eligibility block")
path = temp_file(twice, suffix=".yaml")
out = run("check", path)
check(out.returncode == 1 and "'formula' is given twice" in out.stderr, out.stderr)

# Test cases that could pass without checking anything are failures, each
# named with its line: an expectation of a person the situation does not
# list, a household's expectation where the program decides per person, a
# key no case has, no expectation at all.
cases = work_dir("proactif-cases-")
with open(os.path.join(cases, "program.yaml"), "w", encoding="utf-8") as f:
    f.write(open(os.path.join(SOURCE, "programs/brest-bibus-boursiers/program.yaml")).read())
situation = ('{id: t, date: "2025-06-15", household: {commune: "29019"}, persons: [{id: p1, role: applicant, '
             'birth_date: "2005-01-01", student: true, scholarship_echelon: "4"}]}')
with open(os.path.join(cases, "tests.yaml"), "w", encoding="utf-8") as f:
    f.write(f"""- name: juste
  situation: {situation}
  expect: {{p1: {{status: eligible}}}}
- name: personne absente
  situation: {situation}
  expect: {{p9: {{status: eligible}}}}
- name: attente du foyer
  situation: {situation}
  expect: {{status: ineligible}}
- name: clé inconnue
  situation: {situation}
  expect: {{p1: {{status: eligible}}}}
  foo: 1
- name: sans attente
  situation: {situation}
- name: date illisible, qui laisserait celle de la situation
  situation: {situation}
  date: "01/10/2024"
  expect: {{p1: {{status: eligible}}}}
- name: avant le tarif, comme evaluate le décide
  situation: {situation}
  date: "2024-06-15"
  expect: {{p1: {{status: undetermined}}}}
- name: erreur attendue, attente mal écrite
  situation: {{id: e, date: "2025-06-15", household: {{commune: "29019"}}, persons: []}}
  error: ""
  expcet: {{p1: {{status: eligible}}}}
""")
out = run("test", cases)
check(out.returncode == 1 and "2 passed, 6 failed" in out.stdout and "unknown key 'expcet'" in out.stdout and
      "FAIL brest-bibus-boursiers: date illisible, qui laisserait celle de la situation" in out.stdout and
      "date: expected YYYY-MM-DD" in out.stdout and "ok   brest-bibus-boursiers: avant le tarif" in out.stdout and
      "'p9' is not a person of the situation" in out.stdout and "unknown key 'foo'" in out.stdout and
      "a case needs either expect" in out.stdout and "by their id (the program decides per person)" in out.stdout,
      out.stdout + out.stderr)

# A program's folder bears its id: one holding another program's (a copy
# not renamed inside) would store its decisions, objections and requests
# under the other's. Refused where the program is named by its id.
copies = work_dir("proactif-programs-")
shutil.copytree(os.path.join(SOURCE, "programs"), os.path.join(copies, "programs"))
shutil.copytree(os.path.join(copies, "programs", "m-reso-solidaire"), os.path.join(copies, "programs", "m-reso-bis"))
os.environ["PROACTIF_PROGRAMS"] = os.path.join(copies, "programs")
try:
    out = run("evaluate", "--program", "m-reso-bis", "--situations", temp_file(""))
finally:
    del os.environ["PROACTIF_PROGRAMS"]
check(out.returncode == 2 and "its id is 'm-reso-solidaire', where the folder 'm-reso-bis' names it" in out.stderr,
      f"{out.returncode} {out.stderr}")

for program in ["c2s", "rsa", "m-reso-solidaire", "brest-bibus-boursiers", "l1113-1"]:
    out = run("check", program)
    check(out.returncode == 0, out.stderr)
finish()
