"""Shared helpers for the end-to-end tests: run the real proactif binary."""
import json
import os
import subprocess
import sys
import tempfile

BINARY = os.path.abspath(sys.argv[1])
SOURCE = os.path.abspath(sys.argv[2])
FAILURES = []


def run(*args, stdin=None):
    return subprocess.run([BINARY, *args], input=stdin, capture_output=True, text=True)


def temp_file(text, suffix=".jsonl"):
    fd, path = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as f:  # raw bytes allowed
        f.write(text)
    return path


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message)


def decisions(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def situation(sid, date="2025-06-15", **household):
    base = {"commune": "38185", "housing": "tenant", "housing_benefit_monthly": 0, "rsa": False}
    base.update(household)
    return {"id": sid, "date": date, "household": base,
            "persons": [{"id": "p1", "role": "applicant", "birth_date": "1990-04-02",
                         "resources_12m": 7200, "resources_3m": 1800, "student": False,
                         "minimum_benefits": []}]}


def finish():
    passed = "passed" if not FAILURES else "failed"
    print(f"{os.path.basename(sys.argv[0])}: {passed}")
    sys.exit(1 if FAILURES else 0)
