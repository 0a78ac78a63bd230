"""What the store records while a campaign is planning is not acted against:
a campaign read who objected and who was told when its planning began, and
stores its plan in parts. An objection recorded, and another campaign's
notices stored, between two parts are seen by the parts stored after them:
the objector is not told, and nobody is told twice within the year.

The campaign is stopped (SIGSTOP) between two of its transactions, once its
first part is stored, while an objection is recorded and another campaign
of the month before plans; then it goes on. On a real store: SQLite, or the
PostgreSQL server in PROACTIF_TEST_POSTGRES."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import BINARY, MESSAGE_FIELDS, check, finish, run, work_dir  # noqa: E402
from servers import query  # noqa: E402

work = work_dir("proactif-planning-race-")
postgres = os.environ.get("PROACTIF_TEST_POSTGRES")


def campaign(name, period):
    path = os.path.join(work, name + ".yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""id: {name}
title: Campagne de test
sender: Grenoble-Alpes Métropole (test)
period: "{period}"
date: "2025-06-15"
how_to_object: écrivez à dpo@grenoble.example
{MESSAGE_FIELDS}population:
  synthetic: {{territory: "200040715", households: 20000, seed: 11}}
work_dir: work-{name}
programs:
  c2s:
    undetermined: notify_possible
channels: [letter]
letters: {{folder: letters-{name}}}
""")
    return path


june, may = campaign("juin", "2025-06"), campaign("mai", "2025-05")


def told(store, run):
    return {row[0] for row in query(store, f"SELECT subject FROM outbox WHERE run_id LIKE '{run}:%' "
                                           "AND state <> 'cancelled'")}


# The order in which June's campaign stores its subjects, from a store of
# its own: its last is in its last part.
reference = "sqlite:" + os.path.join(work, "reference.db")
r = run("campaign", "run", june, "--store", reference, "--plan-only")
check(r.returncode == 0, r.stdout + r.stderr)
order = [row[0] for row in query(reference, "SELECT subject FROM decisions ORDER BY rowid")]
check(len(order) > 4000, f"June's campaign acts on {len(order)} subjects, too few for three parts of 2 000")
last = order[-1]


def holds_lock(store):
    """Whether a process holds the store's lock for what follows from
    requests (SQLite's writer lock; PostgreSQL's advisory lock)."""
    if store.startswith("postgresql://"):
        return query(store, "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                            "AND objid::int = hashtext('proactif requests')")[0][0] != "0"
    try:
        db = sqlite3.connect(store.removeprefix("sqlite:"), timeout=0, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        db.execute("ROLLBACK")
        db.close()
        return False
    except sqlite3.OperationalError:
        return True


def stopped_between_parts(store, process):
    """Stops the campaign once its first part is stored, outside any of its
    transactions (let go and stopped again until then). False when its
    planning ended first."""
    deadline = time.time() + 300
    while time.time() < deadline and process.poll() is None:
        try:
            if query(store, "SELECT COUNT(*) FROM decisions WHERE run_id LIKE 'juin:%'")[0][0] != "0":
                break
        except (sqlite3.OperationalError, subprocess.CalledProcessError):
            pass  # no tables yet
        time.sleep(0.005)
    for _ in range(2000):
        if process.poll() is not None:
            return False
        process.send_signal(signal.SIGSTOP)
        if not holds_lock(store):
            return True
        process.send_signal(signal.SIGCONT)
        time.sleep(0.002)
    return False


for attempt in range(5):
    store = postgres or "sqlite:" + os.path.join(work, f"store-{attempt}.db")
    if postgres:
        # A clean schema for each attempt: the tables outlive it.
        query(store, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    planning = subprocess.Popen([BINARY, "campaign", "run", june, "--store", store, "--plan-only"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    caught = stopped_between_parts(store, planning)
    stored_when_stopped = len(told(store, "juin"))
    if caught and last in told(store, "juin"):
        caught = False  # its last part was stored already
    if not caught:
        planning.send_signal(signal.SIGCONT)
        planning.communicate(timeout=600)
        print(f"attempt {attempt}: the campaign was not caught between two parts, again")
        continue
    # While it is stopped: the household it stores last objects, and May's
    # campaign tells the households it has not stored yet.
    r = run("object", "--subject", last, "--not-yet-known", "--program", "c2s", "--origin", "courrier", "--store", store)
    check(r.returncode == 0, r.stdout + r.stderr)
    r = run("campaign", "run", may, "--store", store, "--plan-only")
    check(r.returncode == 0, r.stdout + r.stderr)
    planning.send_signal(signal.SIGCONT)
    out, err = planning.communicate(timeout=600)
    check(planning.returncode == 0, out + err)
    june_told, may_told = told(store, "juin"), told(store, "mai")
    set_aside = "; ".join(line.strip() for line in out.splitlines() if "skipped" in line)
    print(f"June's campaign stopped after {stored_when_stopped} of {len(order)} subjects; "
          f"May's told {len(may_told)}, June's {len(june_told)}; June's report: {set_aside}")
    check(last not in june_told and last not in may_told,
          f"{last} objected while June's campaign was planning, and is told: "
          + str(query(store, f"SELECT run_id, action, state FROM outbox WHERE subject = '{last}'")))
    twice = june_told & may_told
    check(not twice, f"{len(twice)} households told by both campaigns within the year, e.g. {sorted(twice)[:3]}")
    check(len(may_told) > 0, "May's campaign told nobody: the test did not test what it says")
    check(len(june_told | may_told | {last}) == len(order),
          f"{len(order)} households to tell, {len(june_told | may_told)} told by one of the campaigns")
    check("objected or refused" in out and "told within 12 months" in out,
          "June's report does not count what it set aside: " + set_aside)
    break
else:
    check(False, "the campaign was never caught between two parts of its plan")

finish()
