"""A full disk for letters: the letters that cannot be written stay in the
queue with the reason, the letter channel is paused after three failures in
a row (circuit breaker) rather than turning the campaign into dead letters;
no partial letter is left; once space is freed, delivery resumes and each
letter exists once. The disk is a 48 kB
tmpfs mounted in a mount namespace of the test's own (unshare); where the
machine allows no mount at all, the test says so and is reported skipped."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import BINARY, FAILURES, MESSAGE_FIELDS, check, finish, run, work_dir  # noqa: E402
from servers import query  # noqa: E402

work = work_dir("proactif-disk-")
r = run("synth", "--territory", "200040715", "--households", "1500", "--seed", "9", "--out",
        os.path.join(work, "extracts"))
check(r.returncode == 0, r.stderr)
mappings = ", ".join(os.path.join(work, "extracts", m + ".yaml") for m in ["caf", "cpam", "crous", "universites", "dgfip"])
path = os.path.join(work, "campaign.yaml")
letters = os.path.join(work, "full")
os.makedirs(letters)
with open(path, "w", encoding="utf-8") as f:
    f.write(f"""id: disk-full
title: Test de disque plein
sender: Test
period: "2025-06"
date: "2025-06-15"
how_to_object: écrivez à dpo@test.example
{MESSAGE_FIELDS}population:
  mappings: [{mappings}]
programs:
  c2s: {{already_receiving: {{c2s: [free, participation]}}}}
channels: [letter]
letters: {{folder: {letters}}}
delivery: {{max_attempts: 2, first_retry_seconds: 0.1}}
""")


def can_mount():
    probe = work_dir("proactif-mount-")
    for prefix in (["unshare", "-rm"], ["unshare", "-m"]):
        ok = subprocess.run(prefix + ["sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {probe}"],
                            capture_output=True).returncode == 0
        if ok:
            return prefix
    return None


prefix = can_mount()
if prefix is None:
    print("SKIPPED: this machine lets nobody mount a small filesystem (unshare -rm, unshare -m)")
    sys.exit(77 if not FAILURES else 1)
else:
    store = "sqlite:" + os.path.join(work, "store.db")
    # What the store says of the letters not written, read while the disk is still full.
    probe = os.path.join(work, "waiting.py")
    with open(probe, "w") as f:
        f.write("import sqlite3\n"
                f"db = sqlite3.connect({store[7:]!r})\n"
                "print('waiting=', db.execute(\"SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'retry')\")"
                ".fetchone()[0])\n"
                "print('dead=', db.execute(\"SELECT COUNT(*) FROM outbox WHERE state = 'dead'\").fetchone()[0])\n"
                "print('reason=', db.execute(\"SELECT MIN(last_error) FROM outbox WHERE state = 'retry'\").fetchone()[0])\n")
    script = f"""set -u
mount -t tmpfs -o size=48k tmpfs {letters}
{BINARY} campaign run --past-date {path} --store {store} --wait 3; echo "rc=$?"
echo "files=$(ls {letters} | grep -c '\\.pdf$')"
echo "partial=$(ls -a {letters} | grep -c 'tmp')"
{sys.executable} {probe}
mount -o remount,size=200m {letters}
{BINARY} campaign deliver {path} --store {store}; echo "rc2=$?"
echo "files2=$(ls {letters} | grep -c '\\.pdf$')"
"""
    r = subprocess.run(prefix + ["sh", "-c", script], capture_output=True, text=True)
    out = r.stdout
    check("rc=3" in out and "0 failed (dead letters)" in out and "paused" in out, out + r.stderr)
    check("dead= 0" in out and "waiting= 0" not in out and "No space left on device" in out, out)
    check("partial=0" in out, "a partial letter was left: " + out)
    total = int(query(store, "SELECT COUNT(*) FROM outbox")[0][0])
    check("rc2=0" in out and f"files2={total}" in out, out + r.stderr)
finish()
