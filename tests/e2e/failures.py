"""When the outside world fails, actions wait or fail loudly, and none is
lost or sent twice:
 - an SMTP server that answers 451 (try later): attempts are retried with
   backoff; once it accepts again, every email arrives once; meanwhile a
   second delivering process is refused;
 - an SMTP server that answers 550 (never): the emails become dead letters,
   counted, the exit status says so; requeued after the fix, they arrive once;
   or, the mailboxes not existing, requeued by letter where a postal address
   is known;
 - a PostgreSQL server stopped in the middle of delivery: proactif stops with
   a message naming the store and the reason; restarted, it holds the emails
   whose send was interrupted for the operator, who sends them again; every
   email arrives once (an interrupted send at most twice, with the same
   Message-ID, which the server keeps once);
 (a full disk for letters: tests/e2e/full_disk.py)."""
import datetime
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import BINARY, MESSAGE_FIELDS, check, finish, france_today, run, work_dir  # noqa: E402
from postgres_server import PostgresServer  # noqa: E402
from servers import references, SmtpSink, query, wait_for_delivery_lock  # noqa: E402

work = work_dir("proactif-failures-")
r = run("synth", "--territory", "200040715", "--households", "1500", "--seed", "9", "--out",
        os.path.join(work, "extracts"))
check(r.returncode == 0, r.stderr)
mappings = ", ".join(os.path.join(work, "extracts", m + ".yaml") for m in ["caf", "cpam", "crous", "universites", "dgfip"])


def campaign(name, smtp_port, channels="email, letter", attempts=3, letters="letters"):
    path = os.path.join(work, name + ".yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""id: {name}
title: Test de pannes
sender: Test
period: "2025-06"
date: "2025-06-15"
how_to_object: écrivez à dpo@test.example
{MESSAGE_FIELDS}population:
  mappings: [{mappings}]
programs:
  c2s: {{already_receiving: {{c2s: [free, participation]}}}}
channels: [{channels}]
email: {{smtp: "smtp://127.0.0.1:{smtp_port}", from: test@test.example, starttls: false}}
letters: {{folder: {letters}}}
delivery: {{max_attempts: {attempts}, first_retry_seconds: 0.1}}
""")
    return path


def emails_once(sink, store, label):
    arrived = [m["Message-ID"] for m in sink.messages()]
    planned = references(store, "email")
    got = {m.strip("<>").split("@")[0] for m in arrived}
    check(len(arrived) == len(got) and got == planned, f"{label}: {len(planned)} planned, {len(arrived)} arrived")


# SMTP 451, then accepting again on the same port.
folder = os.path.join(work, "mail451")
sink = SmtpSink(folder, refuse="451")
store = "sqlite:" + os.path.join(work, "s451.db")
path = campaign("smtp-451", sink.port, channels="email", attempts=50)
# Dated June 2025 and run now: its messages would tell people what held then.
# Refused before the run is registered, so that the same file runs once the
# operator says to plan it as of that day all the same (--past-date).
r = run("campaign", "run", path, "--store", store, "--wait", "1")
check(r.returncode != 0 and "the campaign's date 2025-06-15 is more than 31 days before today" in r.stderr and
      "--past-date" in r.stderr, r.stdout + r.stderr)
check(query(store, "SELECT COUNT(*) FROM campaign_runs") == [("0",)], "a run refused for its date was registered: " + str(query(store, "SELECT * FROM campaign_runs")))
r = run("campaign", "run", "--past-date", path, "--store", store, "--wait", "1")
check(query(store, "SELECT operation, detail FROM audit_log WHERE operation = 'campaign dated in the past'") ==
      [("campaign dated in the past", "smtp-451:2025-06: dated 2025-06-15, planned on " + france_today() + " (--past-date)")],
      str(query(store, "SELECT operation, detail FROM audit_log")))
# Still queued when the wait ends: exit status 3, run deliver again later.
check(r.returncode == 3 and "0 delivered" in r.stdout and "failed attempts" in r.stdout, r.stdout + r.stderr)
check("courriel.example" not in r.stdout + r.stderr, "an email address in the output")
retrying = query(store, "SELECT COUNT(*) FROM outbox WHERE state = 'retry' AND last_error LIKE 'SMTP 451%'")
check(retrying and int(retrying[0][0]) > 0, f"no action waiting for a retry: {retrying}")
# While one process delivers (here, waiting for the retries), another cannot:
# it would take the first one's sends in progress for interrupted ones.
started = time.monotonic()
first = subprocess.Popen([BINARY, "campaign", "deliver", path, "--store", store, "--wait", "20"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
check(wait_for_delivery_lock(store, first), "the first deliverer never held the store's lock")
r = run("campaign", "deliver", path, "--store", store)
check(r.returncode == 2 and "another proactif is delivering" in r.stderr, r.stdout + r.stderr)
# Another campaign run meanwhile is planned but cannot deliver: its plan's
# summary is stored with the plan, and the error says where to read it.
other = campaign("smtp-451-other", sink.port, channels="email", attempts=50)
r = run("campaign", "run", "--past-date", other, "--store", store)
check(r.returncode == 2 and "another proactif is delivering" in r.stderr and "campaign report" in r.stderr,
      r.stdout + r.stderr)
r = run("campaign", "report", other, "--store", store, "--json")
check(r.returncode == 0 and json.loads(r.stdout).get("plan"), r.stdout + r.stderr)
# Its retries all failing, the first gives up once 20 s passed without a
# send going through; failed retries do not extend the wait (they did:
# retried every 0.1 s, doubling, it waited past 50 s).
check(first.wait() == 3 and time.monotonic() - started < 40, f"{time.monotonic() - started:.0f} s")
port = sink.port
sink.stop()
sink = SmtpSink(folder)
if sink.port != port:  # the sink takes a fresh port: point the campaign at it
    path = campaign("smtp-451", sink.port, channels="email", attempts=50)
r = run("campaign", "deliver", path, "--store", store)
check(r.returncode == 0 and "0 pending" in r.stdout, r.stdout + r.stderr)
emails_once(sink, store, "after 451")
sink.stop()

# SMTP 550: dead letters, then requeued.
folder = os.path.join(work, "mail550")
sink = SmtpSink(folder, refuse="550")
store = "sqlite:" + os.path.join(work, "s550.db")
path = campaign("smtp-550", sink.port, letters=os.path.join(work, "letters550"))
r = run("campaign", "run", "--past-date", path, "--store", store)
check(r.returncode == 1 and "failed (dead letters)" in r.stdout, r.stdout + r.stderr)
dead = query(store, "SELECT COUNT(*), MIN(last_error) FROM outbox WHERE state = 'dead'")
emails = int(query(store, "SELECT COUNT(*) FROM outbox WHERE channel = 'email'")[0][0])
check(int(dead[0][0]) == emails and dead[0][1].startswith("SMTP 550"), str(dead))
letters = int(query(store, "SELECT COUNT(*) FROM outbox WHERE channel = 'letter' AND state = 'delivered'")[0][0])
check(letters == len(os.listdir(os.path.join(work, "letters550"))), "letters were not all delivered")
sink.stop()
sink = SmtpSink(folder)
path = campaign("smtp-550", sink.port, letters=os.path.join(work, "letters550"))
r = run("campaign", "requeue", path, "--store", store)
check(r.returncode == 0 and f"{emails} dead letters back" in r.stdout, r.stdout + r.stderr)
r = run("campaign", "deliver", path, "--store", store)
check(r.returncode == 0 and "0 pending, 0 failed" in r.stdout, r.stdout + r.stderr)
emails_once(sink, store, "after 550")
sink.stop()

# SMTP 550 for mailboxes that do not exist: the operator sends those rights
# by letter, where the extracts gave a postal address; an envelope's rights
# in one letter; nothing sent by email.
folder = os.path.join(work, "mail550l")
sink = SmtpSink(folder, refuse="550")
store = "sqlite:" + os.path.join(work, "s550l.db")
letters_dir = os.path.join(work, "letters550l")
path = campaign("smtp-550-lettres", sink.port, letters=letters_dir)
r = run("campaign", "run", "--past-date", path, "--store", store)
check(r.returncode == 1 and "failed (dead letters)" in r.stdout, r.stdout + r.stderr)
emails = int(query(store, "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND state = 'dead'")[0][0])
letters_before = len(os.listdir(letters_dir))
r = run("campaign", "requeue", path, "--store", store, "--by-letter")
moved = re.search(r"(\d+) dead letters back in the queue as letters, (\d+) left as they are", r.stdout)
check(r.returncode == 0 and moved and int(moved[1]) > 0 and int(moved[1]) + int(moved[2]) == emails,
      f"{emails} dead emails: {r.stdout}{r.stderr}")
requeued = query(store, "SELECT COUNT(*), COUNT(DISTINCT envelope) FROM outbox WHERE channel = 'letter' AND state = 'retry'")
r = run("campaign", "deliver", path, "--store", store)
# Those without a postal address are still dead letters: exit status 1.
check(r.returncode == (1 if moved and int(moved[2]) else 0) and "0 pending" in r.stdout, r.stdout + r.stderr)
written = len(os.listdir(letters_dir)) - letters_before
check(moved and int(requeued[0][0]) == int(moved[1]) and written == int(requeued[0][1]),
      f"{written} letters written for {requeued} (rights, envelopes) requeued")
check(int(query(store, "SELECT COUNT(*) FROM outbox WHERE channel = 'letter' AND state <> 'delivered'")[0][0]) == 0,
      "letters not delivered")
check(not sink.messages(), "an email arrived from a refusing server")
check(int(query(store, "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND state = 'dead'")[0][0]) == int(moved[2]),
      "dead emails left")
sink.stop()

# A server that takes every email and never answers QUIT: the run ends
# within the channel's send timeout (3 s) of closing the connection, not
# curl's two minutes, and every email is delivered once.
folder = os.path.join(work, "mailquit")
sink = SmtpSink(folder, quit_hang=True)
store = "sqlite:" + os.path.join(work, "squit.db")
path = campaign("smtp-quit", sink.port, channels="email")
with open(path, encoding="utf-8") as f:
    text = f.read().replace("starttls: false}", "starttls: false, timeouts: {connect: 2, send: 3}}")
with open(path, "w", encoding="utf-8") as f:
    f.write(text)
started = time.monotonic()
r = run("campaign", "run", "--past-date", path, "--store", store)
took = time.monotonic() - started
check(r.returncode == 0 and "0 pending" in r.stdout and took < 60, f"{took:.0f} s: {r.stdout}{r.stderr}")
emails_once(sink, store, "server never answering QUIT")
sink.stop()

# PostgreSQL stopped during delivery.
pg = PostgresServer()
try:
    folder = os.path.join(work, "mailpg")
    sink = SmtpSink(folder)
    path = campaign("pg-stop", sink.port, letters=os.path.join(work, "letterspg"))
    r = run("campaign", "run", "--past-date", path, "--store", pg.url, "--plan-only")
    check(r.returncode == 0, r.stdout + r.stderr)
    p = subprocess.Popen([BINARY, "campaign", "deliver", path, "--store", pg.url], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while len(sink.messages()) < 20 and time.time() < deadline and p.poll() is None:
        time.sleep(0.02)
    pg.stop("immediate")
    out, err = p.communicate(timeout=120)
    check(p.returncode == 2 and "PostgreSQL store" in err and "proactif@127.0.0.1" in err, f"{p.returncode}: {err}")
    check("password" not in err.lower() or "***" in err, err)
    pg.start()
    r = run("campaign", "deliver", path, "--store", pg.url)
    # Emails whose send the stop interrupted are held (they may have
    # arrived); the operator sends them again, the server keeps one copy.
    held = int(query(pg.url, "SELECT COUNT(*) FROM outbox WHERE state = 'held'")[0][0])
    if held:
        check(r.returncode == 1 and "held" in r.stdout, r.stdout + r.stderr)
        r = run("campaign", "settle", path, "--send-again", "--store", pg.url)
        check(r.returncode == 0 and f"{held} held sends back in the queue" in r.stdout, r.stdout + r.stderr)
        r = run("campaign", "deliver", path, "--store", pg.url)
    check(r.returncode == 0 and "0 pending" in r.stdout, r.stdout + r.stderr)
    arrived = [m["Message-ID"].strip("<>").split("@")[0] for m in sink.messages()]
    planned = {c for c, in query(pg.url, "SELECT verification_code FROM outbox WHERE channel = 'email'")}
    check(set(arrived) == planned and len(arrived) == len(planned), f"{len(planned)} planned, {len(arrived)} arrived")
    log = os.path.join(folder, "duplicates.log")
    doubted = {c for c, in query(pg.url, "SELECT verification_code FROM outbox WHERE in_doubt = 1")}
    if os.path.exists(log):
        check(all(line.strip().split("@")[0] in doubted for line in open(log)),
              "a second arrival that was not an interrupted send")
    sink.stop()
finally:
    pg.close()

# A run planned more than 31 days ago is not delivered without the
# operator's word: what it has left to send would tell what held then (the
# store's planning time moved back, as if it had waited so long).
sink = SmtpSink(os.path.join(work, "mail-old"))
store = "sqlite:" + os.path.join(work, "old.db")
path = campaign("old-plan", sink.port, channels="email")
r = run("campaign", "run", "--past-date", path, "--store", store, "--plan-only")
check(r.returncode == 0, r.stdout + r.stderr)
with sqlite3.connect(store.removeprefix("sqlite:")) as db:
    db.execute("UPDATE campaign_runs SET planned_at = planned_at - 40 * 86400000")
r = run("campaign", "deliver", path, "--store", store, "--wait", "1")
check(r.returncode != 0 and "more than 31 days before today" in r.stderr and "campaign withdraw" in r.stderr and
      not sink.messages(), r.stdout + r.stderr)
# Nor through an events file of the same id, whose runs are the id's.
rules = os.path.join(work, "old-plan-events.yaml")
with open(rules, "w", encoding="utf-8") as f:
    f.write(f"""id: old-plan
title: Test
sender: Test
how_to_object: écrivez à dpo@test.example
{MESSAGE_FIELDS}events:
  rsa_granted:
    programs:
      c2s: {{}}
channels: [email]
email: {{smtp: "smtp://127.0.0.1:{sink.port}", from: test@test.example, starttls: false}}
letters: {{folder: letters}}
""")
empty = os.path.join(work, "no-events.jsonl")
open(empty, "w").close()
for args in (["event", empty, "--rules", rules], ["campaign", "deliver", rules]):
    r = run(*args, "--store", store)
    check(r.returncode != 0 and "more than 31 days before today" in r.stderr and not sink.messages(),
          f"{args[0]}: {r.stdout} {r.stderr}")
r = run("campaign", "deliver", "--past-date", path, "--store", store, "--wait", "5")
check(r.returncode == 0 and sink.messages() and
      query(store, "SELECT COUNT(*) FROM audit_log WHERE operation = 'campaign delivered long after its planning'") == [("1",)],
      r.stdout + r.stderr)
sink.stop()
# A run whose planning did not finish (an extract missing) is planned again
# from its extracts: its date is checked again, as a new run's.
missing = os.path.join(work, "missing-extracts")
shutil.copytree(os.path.join(work, "extracts"), missing)
os.rename(os.path.join(missing, "caf.csv"), os.path.join(missing, "caf.csv.away"))
with open(path, encoding="utf-8") as f:
    text = f.read().replace(os.path.join(work, "extracts"), missing).replace("id: old-plan", "id: interrupted")
path = os.path.join(work, "interrupted.yaml")
with open(path, "w", encoding="utf-8") as f:
    f.write(text)
store = "sqlite:" + os.path.join(work, "interrupted.db")
r = run("campaign", "run", "--past-date", path, "--store", store, "--plan-only")
check(r.returncode != 0 and query(store, "SELECT run_id, planned_at FROM campaign_runs") == [("interrupted:2025-06", "")],
      r.stdout + r.stderr)
os.rename(os.path.join(missing, "caf.csv.away"), os.path.join(missing, "caf.csv"))
r = run("campaign", "run", path, "--store", store, "--plan-only")
check(r.returncode != 0 and "the campaign's date 2025-06-15 is more than 31 days before today" in r.stderr, r.stdout + r.stderr)
r = run("campaign", "run", "--past-date", path, "--store", store, "--plan-only")
check(r.returncode == 0 and "actions planned" in r.stdout, r.stdout + r.stderr)

# A campaign of today over extracts taken 40 days ago: an RSA may have
# stopped since, an address been left. Refused before the run is
# registered, naming each old mapping; planned with --past-date, the audit trail
# recording each old extract.
today = datetime.date.fromisoformat(france_today())
taken = (today - datetime.timedelta(days=40)).isoformat()
old = os.path.join(work, "old-extracts")
r = run("synth", "--territory", "200040715", "--households", "300", "--seed", "9", "--date", taken, "--out", old)
check(r.returncode == 0, r.stderr)
with open(campaign("old-extracts", 9), encoding="utf-8") as f:
    text = f.read().replace(os.path.join(work, "extracts"), old).replace(
        'period: "2025-06"', f'period: "{today.isoformat()[:7]}"').replace('date: "2025-06-15"', f'date: "{today}"')
path = os.path.join(work, "old-extracts.yaml")
with open(path, "w", encoding="utf-8") as f:
    f.write(text)
store = "sqlite:" + os.path.join(work, "old-extracts.db")
r = run("campaign", "run", path, "--store", store, "--plan-only")
check(r.returncode != 0 and os.path.join(old, "caf.yaml") + ": its extract was taken on " + taken +
      " (extracted_on), more than 31 days before the campaign's date " + today.isoformat() in r.stderr and
      r.stderr.count(": its extract was taken on " + taken) == 5 and "--past-date" in r.stderr and
      query(store, "SELECT COUNT(*) FROM campaign_runs") == [("0",)], r.stdout + r.stderr)
r = run("campaign", "run", "--past-date", path, "--store", store, "--plan-only")
audited = query(store, "SELECT detail FROM audit_log WHERE operation = 'campaign on an old extract'")
check(r.returncode == 0 and "actions planned" in r.stdout and len(audited) == 5 and
      all(d.startswith("old-extracts:" + today.isoformat()[:7] + ": ") and d.endswith(" (--past-date)") for (d,) in audited),
      r.stdout + r.stderr + str(audited))

# An extract of today whose quotient familial describes a month two years
# before (`refers_to`): what it says is not this month's, and a fare told
# on it would be (a tester's finding, 2026-12-07: refers_to was read and
# never used). Refused before the run is registered, naming the column;
# planned with --past-date, audited. A month of the future is refused
# whatever, and a refers_to that names no month or year when read.
fresh = os.path.join(work, "fresh-extracts")
r = run("synth", "--territory", "200040715", "--households", "300", "--seed", "9", "--date", today.isoformat(), "--out", fresh)
check(r.returncode == 0, r.stderr)
with open(os.path.join(fresh, "caf.yaml"), encoding="utf-8") as f:
    caf_mapping = f.read()
two_years_before = f"{today.year - 2}-{today.month:02d}"
check(f'refers_to: "{today.isoformat()[:7]}"' in caf_mapping, caf_mapping)
path = os.path.join(work, "stale-qf.yaml")
with open(path, "w", encoding="utf-8") as f:
    f.write(text.replace(old, fresh).replace("id: old-extracts", "id: stale-qf"))
for label, refers_to, expected in (
        ("two years before", two_years_before, f"column QF (quotient_familial) describes {two_years_before} (refers_to), a "
                                               "period whose values are no longer the latest"),
        ("the month after", f"{today.year + (today.month == 12)}-{today.month % 12 + 1:02d}", "after the campaign's date"),
        ("not a period", "mai 2025", "refers_to: the month (YYYY-MM) or the year (YYYY) the values describe")):
    with open(os.path.join(fresh, "caf.yaml"), "w", encoding="utf-8") as f:
        f.write(caf_mapping.replace(f'refers_to: "{today.isoformat()[:7]}"', f'refers_to: "{refers_to}"'))
    store = "sqlite:" + os.path.join(work, f"stale-qf-{len(refers_to)}-{refers_to[:4]}.db")
    r = run("campaign", "run", path, "--store", store, "--plan-only")
    check(r.returncode != 0 and expected in r.stderr and query(store, "SELECT COUNT(*) FROM campaign_runs") == [("0",)],
          label + ": " + r.stdout + r.stderr)
    if label == "two years before":
        r = run("campaign", "run", "--past-date", path, "--store", store, "--plan-only")
        audited = query(store, "SELECT detail FROM audit_log WHERE operation = 'campaign on an old extract'")
        check(r.returncode == 0 and [d for (d,) in audited if "column QF" in d] != [], r.stdout + r.stderr + str(audited))
finish()
