"""The command line's conventions, on every command: -h/--help prints its
help to standard output and exits 0 without doing anything else (no store
created, no file written, nothing read); --version gives the version the
store records with each run and decision; --opt=value is accepted; a usage
error exits 2 naming the option; a situation asked for and absent is said;
the reports a command prints are also given as JSON (--json), parsed here."""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import BINARY, SOURCE, check, finish, situation, work_dir  # noqa: E402
from servers import SmtpSink  # noqa: E402

work = work_dir("proactif-cli-")
bare = os.path.join(work, "bare")  # the current folder of the --help runs: must stay empty
os.makedirs(bare)
environment = {k: v for k, v in os.environ.items() if not k.startswith("PROACTIF_")}


def run(*args, cwd=work, stdin=None):
    return subprocess.run([BINARY, *args], input=stdin, capture_output=True, text=True, cwd=cwd, env=environment)


COMMANDS = [["evaluate"], ["explain"], ["test"], ["check"], ["ingest"], ["synth"], ["campaign"], ["event"], ["verify"],
            ["decision"], ["audit"], ["purge"], ["object"], ["serve"], ["agent"], ["agent", "add"], ["agent", "token"], ["agent", "list"],
            ["agent", "password"], ["agent", "revoke"], ["agent", "remove"], ["proofs"], ["decide"]] + \
           [["campaign", verb] for verb in ["run", "deliver", "report", "requeue", "settle", "truth"]]
top = run("--help", cwd=bare)
check(top.returncode == 0 and top.stderr == "", f"--help: {top.returncode} {top.stderr}")
for command in COMMANDS:
    if command[0] not in ("campaign",) or len(command) == 1:
        check(re.search(rf"^\s+{command[0]}\s", top.stdout, re.M), f"--help does not list {command[0]}")
    for flag in ("--help", "-h"):
        r = run(*command, flag, cwd=bare)
        check(r.returncode == 0, f"{command} {flag}: exit {r.returncode} {r.stderr}")
        check(r.stderr == "", f"{command} {flag}: wrote to standard error: {r.stderr}")
        check("Usage: proactif " + " ".join(command) in r.stdout, f"{command} {flag}: no usage line in {r.stdout[:200]}")
    # Help is asked for wherever it stands, even after an argument that
    # would otherwise be read (a household named -h, a code "HELP").
    r = run(*command, "SOMETHING", "--help", cwd=bare)
    check(r.returncode == 0 and "Usage:" in r.stdout, f"{command} SOMETHING --help: {r.returncode}")
check(os.listdir(bare) == [], f"--help runs left files behind: {os.listdir(bare)}")

version = run("--version", cwd=bare)
cmake = open(os.path.join(SOURCE, "CMakeLists.txt"), encoding="utf-8").read()
declared = re.search(r"project\(proactif VERSION ([0-9.]+)", cmake).group(1)
# The release and the commit built, that an auditor reads beside each decision.
built = re.fullmatch(r"proactif ([0-9.]+)(?:\+([0-9a-f]{12})(\.modified)?)?", version.stdout.strip())
check(version.returncode == 0 and built and built.group(1) == declared,
      f"--version: {version.returncode} {version.stdout!r}, CMakeLists.txt says {declared}")
if os.path.exists(os.path.join(SOURCE, ".git")):
    check(built.group(2) and subprocess.run(["git", "-C", SOURCE, "cat-file", "-e", built.group(2) + "^{commit}"]).returncode == 0,
          f"--version names no commit of {SOURCE}: {version.stdout!r}")
declared = version.stdout.strip().removeprefix("proactif ")

# Usage errors: exit 2, the reason on standard error, nothing on standard output.
for args, says in [(["evaluate", "--program", "c2s"], "--situations or --population"),
                   (["evaluate", "--program", "c2s", "--situations", "-", "--date", "2025-02-30"], "--date"),
                   (["evaluate", "--program", "c2s", "--situations", "-", "--threads", "many"], "--threads"),
                   (["campaign", "settle", "x.yaml"], "--arrived or --send-again"),
                   (["object", "--code", "ABCD", "--subject", "X", "--origin", "o"], "--code"),
                   (["object", "--subject", "X", "--origin", "o"], "--program ID or --all"),
                   (["frobnicate"], "frobnicate"),
                   (["decide", "--program", "c2s", "--identity", "-", "--recipient", "13002526500013", "--lives-alone",
                     "--member", "role=spouse"], "--member excludes --lives-alone"),
                   # Nothing fetched about a person without their consent,
                   # nor with a purpose that says nothing (a tester's
                   # findings, 2026-12-07).
                   (["decide", "--program", "c2s", "--identity", "-", "--recipient", "13002526500013", "--lives-alone"],
                    "--consent: the person's consent"),
                   (["proofs", "--identity", "-", "--data", "quotient_familial", "--purpose", " \t",
                     "--recipient", "13002526500013"], "--purpose: it says nothing"),
                   (["object", "--subject", "X", "--program", "c2s", "--origin", "  "], "--origin: it says nothing"),
                   ([], "subcommand is required")]:
    r = run(*args, cwd=bare)
    check(r.returncode == 2 and says in r.stderr and r.stdout == "", f"{args}: {r.returncode} {r.stderr!r} {r.stdout!r}")
check(os.listdir(bare) == [], f"usage errors left files behind: {os.listdir(bare)}")

# --opt=value and --opt value read the same.
situations = os.path.join(work, "s.jsonl")
with open(situations, "w", encoding="utf-8") as f:
    f.write(json.dumps(situation("S1")) + "\n" + json.dumps(situation("S2", rsa=True)) + "\n")
spaced = run("evaluate", "--program", "c2s", "--situations", situations, "--date", "2025-06-15")
joined = run("evaluate", "--program=c2s", f"--situations={situations}", "--date=2025-06-15")
check(spaced.returncode == 0 and spaced.stdout == joined.stdout and len(spaced.stdout.splitlines()) == 2,
      f"--opt=value: {joined.returncode} {joined.stderr}")

# A file saved by a spreadsheet or Windows (a UTF-8 byte order mark, CRLF):
# the same decisions, the first line's included; a UTF-16 file is refused,
# saying so, rather than each of its lines.
with open(situations, encoding="utf-8") as f, open(os.path.join(work, "bom.jsonl"), "w", encoding="utf-8-sig", newline="\r\n") as g:
    g.write(f.read())
r = run("evaluate", "--program", "c2s", "--situations", os.path.join(work, "bom.jsonl"), "--date", "2025-06-15")
check(r.returncode == 0 and r.stdout == spaced.stdout, f"a byte order mark: {r.returncode} {r.stderr}")
with open(situations, encoding="utf-8") as f, open(os.path.join(work, "utf16.jsonl"), "w", encoding="utf-16") as g:
    g.write(f.read())
r = run("evaluate", "--program", "c2s", "--situations", os.path.join(work, "utf16.jsonl"), "--date", "2025-06-15")
check(r.returncode == 2 and "utf16.jsonl: the text is in UTF-16" in r.stderr and r.stdout == "", f"UTF-16: {r.returncode} {r.stderr}")

# A situation asked for and not there is said, not passed over.
r = run("explain", "--program", "c2s", "--situations", situations, "--situation", "S1", "--situation", "NOPE")
check(r.returncode == 1 and "NOPE" in r.stderr and "S1" in r.stdout, f"explain --situation NOPE: {r.returncode} {r.stderr}")
r = run("ingest", os.path.join(work, "missing.yaml"))
check(r.returncode == 2 and "missing.yaml" in r.stderr and ":0:0" not in r.stderr, f"ingest missing.yaml: {r.stderr}")

# The reports as JSON, from a small campaign of the demonstration's file.
sink = SmtpSink(os.path.join(work, "mail"))
text = open(os.path.join(SOURCE, "examples", "campaign-grenoble.yaml"), encoding="utf-8").read()
text = (text.replace("households: 20000", "households: 400").replace("smtp://127.0.0.1:2525", sink.url)
        .replace("../out/work", "work").replace("../out/letters", "letters").replace("paths_outside: [../out]\n", ""))
campaign = os.path.join(work, "campaign.yaml")
open(campaign, "w", encoding="utf-8").write(text)
shutil.copy(os.path.join(SOURCE, "examples", "logo-demonstration.png"), work)
store = "sqlite:" + os.path.join(work, "store.db")
first = run("campaign", "run", campaign, "--store", store, "--plan-only")
check(first.returncode == 0, f"campaign run --plan-only: {first.returncode} {first.stderr}")
delivered = run("campaign", "run", campaign, "--store", store)
check(delivered.returncode == 0 and "already planned" in delivered.stdout, f"campaign run again: {delivered.stderr}")
report = run("campaign", "report", campaign, "--store", store, "--json")
check(report.returncode == 0, f"campaign report --json: {report.stderr}")
stored = json.loads(report.stdout)
# The plan's summary is the one stored when the run was planned: resuming
# (the second run) kept it; the delivery is the second run's.
planned = [line for line in first.stdout.splitlines() if line.startswith("decisions over")]
check(planned and stored["plan"]["programs"] and
      planned[0].startswith(f"decisions over {stored['plan']['households']} households"),
      f"plan summary lost: {stored['plan']}")
# The persons no extract places with others (the CPAM's insured the CAF
# does not know) are households of one: said apart (an auditor read them
# as households).
check(0 < stored["plan"].get("persons_alone", 0) < stored["plan"]["households"] and
      f"of which {stored['plan']['persons_alone']} are a person no extract places with others" in planned[0],
      f"persons alone: {stored['plan'].get('persons_alone')}: {planned[0]}")
check(stored["now"]["outbox"]["delivered"] > 0 and stored["now"]["outbox"]["pending"] == 0, f"outbox: {stored['now']}")
check(stored["last_delivery"]["delivery"]["delivered"] == stored["now"]["outbox"]["delivered"], "last delivery")
check(stored["proactif_version"] == declared, f"run's version: {stored['proactif_version']}")
text_report = run("campaign", "report", campaign, "--store", store)
check(planned and planned[0] in text_report.stdout, f"campaign report: {text_report.stdout[:300]}")
# A run this store never saw: said, exit 1, both ways.
for extra in ([], ["--json"]):
    unknown = run("campaign", "report", campaign, "--store", "sqlite:" + os.path.join(work, "other.db"), *extra)
    check(unknown.returncode == 1 and "has not been run on this store" in unknown.stderr and unknown.stdout == "",
          f"campaign report {extra} on another store: {unknown.returncode} {unknown.stdout[:200]} {unknown.stderr}")

db = sqlite3.connect(os.path.join(work, "store.db"))
subject, = db.execute("SELECT subject FROM decisions ORDER BY subject LIMIT 1").fetchone()
versions = {v for (v,) in db.execute("SELECT DISTINCT proactif_version FROM decisions")}
check(versions == {declared}, f"decisions' versions: {versions}")
db.close()
r = run("decision", subject, "--store", store, "--json")
lines = [json.loads(line) for line in r.stdout.splitlines()]
check(r.returncode == 0 and lines and all(d["subject"] == subject and d["decision"]["status"] == d["status"]
                                          and d["program_unchanged"] and d["explanation"] for d in lines),
      f"decision --json: {r.returncode} {r.stdout[:300]}")
r = run("audit", "--store", store, "--json")
entries = [json.loads(line) for line in r.stdout.splitlines()]
operations = {e["operation"] for e in entries}
check(r.returncode == 0 and {"campaign planned", "actions delivered", "decisions consulted"} <= operations,
      f"audit --json: {operations}")
check(all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", e["at"]) for e in entries), "audit --json: timestamps")

# An instant decision for a household: the persons who live with the person
# (--member), stated complete. API Particulier cannot be reached here, so the
# RSA is a document to bring; the rest decides. A couple of 35 and 37 on
# 1 January 2026 and a child of 10, 19 000 EUR over 12 months: above the
# free C2S's ceiling for three (18 758 EUR since 1 April 2026, CSS D861-1),
# under the participation's (25 324 EUR): 14 + 14 + 8 EUR a month (arrêté du
# 21 juin 2019, art. 1).
identity = os.path.join(work, "identity.json")
with open(identity, "w", encoding="utf-8") as f:
    json.dump({"birth_name": "BERNARD", "first_names": ["ELODIE"], "birth_date": "1990-03-10", "sex": "F"}, f)
token = os.path.join(work, "token")
with open(token, "w", encoding="utf-8") as f:
    f.write("jeton-de-test")
os.chmod(token, 0o600)
decide = ["decide", "--consent", "--program", "c2s", "--identity", identity, "--recipient", "13002526500013", "--api",
          "http://127.0.0.1:9", "--token-file", token, "--store", store, "--date", "2026-12-01", "--answer",
          "commune=38185", "--answer", "housing=tenant", "--answer", "housing_benefit_monthly=0", "--answer",
          "resources_12m=9000", "--member", "role=spouse,birth_date=1988-05-01,resources_12m=10000",
          "--member", "role=child,birth_date=2015-04-01,resources_12m=0,minimum_benefits="]
for extra, says in (([], "who lives with them"), (["--member", "role=applicant"], "person 4: 'role'"),
                    (["--member", "role=child,commune=38185"], "not an input of c2s about a person"),
                    (["--member", "role=child,role=other"], "--member #3 (person 4): role given twice"),
                    # Which of the persons given the value is wrong for.
                    (["--member", "role=child,resources_12m=1e3"], "--member #3 (person 4) resources_12m: '1e3' is not a number"),
                    # Two communes contradict each other: neither is taken.
                    (["--answer", "commune=75056"], "--answer commune given twice")):
    r = run(*decide, *extra, *(["--household-complete"] if extra else []))
    check(r.returncode == 2 and says in r.stderr and r.stdout == "", f"decide {extra}: {r.returncode} {r.stderr!r}")
import socket  # noqa: E402


def decide_listening(args):
    """`decide` with API Particulier at an address that listens: whether
    anything connected to it."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen(8)
    listening.settimeout(0.5)
    api = f"http://127.0.0.1:{listening.getsockname()[1]}"
    r = run(*[api if a == "http://127.0.0.1:9" else a for a in args], "--household-complete")
    try:
        listening.accept()
        called = True
    except socket.timeout:
        called = False
    listening.close()
    return r, called


# An answer refused is refused before any call.
r, called = decide_listening([a if not a.startswith("role=child") else "role=child,birth_date=2031-01-01"
                              for a in decide])
check(r.returncode == 2 and "birth_date" in r.stderr and not called,
      f"decide with a refused answer: {r.returncode} {r.stderr!r}, API Particulier called: {called}")
r = run(*decide, "--household-complete")
got = json.loads(r.stdout) if r.returncode == 0 else {}
check(got.get("decision", {}).get("status") == "eligible" and
      got["decision"].get("result") == {"variant": "participation", "monthly_participation_eur": 36, "presumed": False} and
      [d["input"] for d in got.get("documents", [])] == ["Bénéfice du RSA par le foyer"],
      f"decide for a household: {r.returncode} {r.stdout[:400]} {r.stderr[-300:]}")
# The same household with 12 000 EUR over 12 months (2 000 and 10 000),
# under the free C2S's ceiling for three: free whether or not it is on the
# RSA (CSS L861-1), so API Particulier is not asked about the RSA (nothing
# connects, for a person it could be asked about) and no document is asked
# for it (GDPR art. 5 1 c).
born_in_grenoble = os.path.join(work, "born-in-grenoble.json")
with open(born_in_grenoble, "w", encoding="utf-8") as f:
    json.dump({"birth_name": "BERNARD", "first_names": ["ELODIE"], "birth_date": "1990-03-10", "sex": "F",
               "birth_commune": "38185"}, f)
r, called = decide_listening(["resources_12m=2000" if a == "resources_12m=9000" else
                              born_in_grenoble if a == identity else a for a in decide])
got = json.loads(r.stdout) if r.returncode == 0 else {}
check(got.get("decision", {}).get("status") == "eligible" and got["decision"].get("result", {}).get("variant") == "free"
      and got.get("documents") == [] and got.get("fetched") == [] and not called,
      f"decide where the RSA changes nothing: {r.stdout[:400]} {r.stderr[-300:]}, API Particulier called: {called}")
sink.stop()
finish()
