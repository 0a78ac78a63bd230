"""What the store records while a campaign is planning is not acted against:
a campaign read who objected and who was told when its planning began, and
stores its plan in parts. An objection recorded, and another campaign's
notices stored, between two parts are seen by the parts stored after them:
the objector is not told, and nobody is told twice within the year.

The campaign is stopped (SIGSTOP) between two of its transactions, once its
first part is stored, while an objection is recorded and another campaign
of the month before plans; then it goes on. Then, on a store of its own,
an objection commits while the campaign's next part waits for the lock the
objection holds (on PostgreSQL, whose default isolation is set to
repeatable read for it). On a real store: SQLite, or the PostgreSQL server
in PROACTIF_TEST_POSTGRES."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import BINARY, MESSAGE_FIELDS, check, finish, work_dir  # noqa: E402
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
  synthetic: {{territory: "200040715", households: 24000, seed: 11}}
work_dir: work-{name}
programs:
  c2s:
    undetermined: notify_possible
channels: [letter]
letters: {{folder: letters-{name}}}
""")
    return path


june, may = campaign("juin", "2025-06"), campaign("mai", "2025-05")


def proactif(*args):
    """The command, stopped after 10 minutes rather than waiting forever."""
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=600)


def told(store, run):
    return {row[0] for row in query(store, f"SELECT subject FROM outbox WHERE run_id LIKE '{run}:%' "
                                           "AND state <> 'cancelled'")}


# The order in which June's campaign stores its subjects, from a store of
# its own: its last is in its last part.
reference = "sqlite:" + os.path.join(work, "reference.db")
r = proactif("campaign", "run", june, "--store", reference, "--plan-only")
check(r.returncode == 0, r.stdout + r.stderr)
# (A household no channel reaches has its decision kept too, and is told
# nothing: listed for the social services.)
order = [row[0] for row in query(reference, "SELECT subject FROM decisions WHERE listed_in IS NULL ORDER BY rowid")]
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


def stopped(process):
    """Waits until the kernel has stopped the process (state T)."""
    for _ in range(1000):
        with open(f"/proc/{process.pid}/stat") as f:
            if f.read().rsplit(")", 1)[1].split()[0] in ("T", "t"):
                return
        time.sleep(0.001)


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
        stopped(process)
        if not holds_lock(store):
            return True
        process.send_signal(signal.SIGCONT)
        time.sleep(0.002)
    return False


def june_stopped(name):
    """June's campaign on a new store, stopped between two parts of its
    plan before its last: (store, process, subjects stored), or None."""
    for attempt in range(5):
        store = postgres or "sqlite:" + os.path.join(work, f"{name}-{attempt}.db")
        if postgres:
            # A clean schema for each attempt: the tables outlive it.
            query(store, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        planning = subprocess.Popen([BINARY, "campaign", "run", june, "--store", store, "--plan-only"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if stopped_between_parts(store, planning) and last not in told(store, "juin"):
            return store, planning, len(told(store, "juin"))
        planning.send_signal(signal.SIGCONT)
        planning.communicate(timeout=600)
        print(f"attempt {attempt}: the campaign was not caught between two parts of its plan, again")
    check(False, "the campaign was never caught between two parts of its plan")
    return None


# 1. While June's campaign is stopped between two parts, the household it
# stores last objects, and May's campaign tells the households it has not
# stored yet.
stopped_june = june_stopped("store")
if stopped_june:
    store, planning, stored_when_stopped = stopped_june
    r = proactif("object", "--subject", last, "--not-yet-known", "--program", "c2s", "--origin", "courrier",
                 "--store", store)
    check(r.returncode == 0, r.stdout + r.stderr)
    r = proactif("campaign", "run", may, "--store", store, "--plan-only")
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

# 2. The objection commits while June's next part waits for the lock it
# holds (as Store::object holds it): the part reads it once it has the
# lock. On PostgreSQL the database's default isolation is repeatable read,
# under which a transaction would read what was committed before it waited.
if postgres:
    query(postgres, "ALTER DATABASE " + query(postgres, "SELECT current_database()")[0][0]
          + " SET default_transaction_isolation = 'repeatable read'")
stopped_june = june_stopped("waiting")
if stopped_june:
    store, planning, stored_when_stopped = stopped_june
    # The first subject of the part that waits.
    objector = order[stored_when_stopped]
    check(objector not in told(store, "juin"), f"{objector} is stored already: the parts are not in order")
    objection = (f"INSERT INTO objections (subject, program, recorded_at, origin) VALUES ('{objector}', 'c2s', "
                 f"{int(time.time() * 1000)}, 'courrier')")
    if postgres:
        objecting = subprocess.Popen(["psql", store, "-At", "-v", "ON_ERROR_STOP=1"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        objecting.stdin.write(f"BEGIN; SELECT pg_advisory_xact_lock(hashtext('proactif requests')); {objection};\n")
        objecting.stdin.flush()
        line = ""
        while not line.startswith("INSERT"):
            line = objecting.stdout.readline()
            if not line:  # psql stopped (an error)
                break
        check(line.strip() == "INSERT 0 1", f"the objection was not recorded: {line!r}")
    else:
        objecting = sqlite3.connect(store.removeprefix("sqlite:"), isolation_level=None)
        objecting.execute("BEGIN IMMEDIATE")
        objecting.execute(objection)
    planning.send_signal(signal.SIGCONT)
    if postgres:
        deadline = time.time() + 120
        while not query(store, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid::int = "
                               "hashtext('proactif requests')") and time.time() < deadline:
            time.sleep(0.02)
        check(time.time() < deadline, "June's next part did not wait for the objection's lock")
        objecting.stdin.write("COMMIT;\n")
        objecting.stdin.close()
        objecting.wait()
    else:
        # SQLite shows no waiter: time for the next part to reach the lock,
        # which it waits for up to 10 s.
        time.sleep(3)
        objecting.execute("COMMIT")
        objecting.close()
    out, err = planning.communicate(timeout=600)
    check(planning.returncode == 0, out + err)
    check(objector not in told(store, "juin"),
          f"{objector} objected while June's part waited for the lock, and is told: "
          + str(query(store, f"SELECT run_id, action, state FROM outbox WHERE subject = '{objector}'")))
    check("skipped   1  objected or refused" in out, "June's report: "
          + "; ".join(line.strip() for line in out.splitlines() if "skipped" in line))

finish()
