"""Shared helpers for the end-to-end tests: run the real proactif binary."""
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile

BINARY = os.path.abspath(sys.argv[1])
SOURCE = os.path.abspath(sys.argv[2])
FAILURES = []
# The folders and files this test made: removed when it ends without a
# failure, kept and named when it fails or raises.
_MADE = []
_RAISED = []


def _note_raised(kind, value, traceback):
    _RAISED.append(kind)
    sys.__excepthook__(kind, value, traceback)


sys.excepthook = _note_raised


@atexit.register
def _remove_made():
    for path in _MADE:
        if FAILURES or _RAISED:
            print("kept for inspection:", path, file=sys.stderr)
        elif os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        elif os.path.exists(path):
            os.unlink(path)


def work_dir(prefix):
    """A private folder for this test's files (see _MADE)."""
    path = tempfile.mkdtemp(prefix=prefix)
    _MADE.append(path)
    return path


def run(*args, stdin=None):
    return subprocess.run([BINARY, *args], input=stdin, capture_output=True, text=True)


def france_today():
    """Today in metropolitan France's legal time (UTC+1, UTC+2 from the last
    Sunday of March to the last Sunday of October at 01:00 UTC), the day
    Proactif dates letters and decisions by; without the time zone database,
    which a fresh machine may lack."""
    import datetime
    now = datetime.datetime.now(datetime.timezone.utc)

    def last_sunday(month):
        last = datetime.datetime(now.year, month, 31, 1, tzinfo=datetime.timezone.utc)
        return last - datetime.timedelta(days=(last.weekday() + 1) % 7)
    summer = last_sunday(3) <= now < last_sunday(10)
    return (now + datetime.timedelta(hours=2 if summer else 1)).date().isoformat()


def temp_file(text, suffix=".jsonl"):
    fd, path = tempfile.mkstemp(suffix=suffix)
    _MADE.append(path)
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


# What every campaign file declares for its messages (letterhead, the
# verification page, GDPR art. 14, how to claim), one level of indentation
# deep: a test's campaign puts it at its top.
MESSAGE_FIELDS = """letterhead:
  name: Grenoble-Alpes Métropole
  address: ["3 rue Malakoff", "38031 Grenoble Cedex 01"]
  contact: ["04 00 00 00 00"]
  town: Grenoble
  signatory: {name: Claire Exemple, title: Directrice de l'action sociale}
verify_url: https://droits.grenoble.example/verifier
privacy:
  controller: {name: Grenoble-Alpes Métropole, contact: "3 rue Malakoff, 38031 Grenoble Cedex 01"}
  joint_controllers: [{name: "la CAF de l'Isère", contact: "www.caf.fr"}]
  dpo: dpo@grenoble.example
  purposes: ["Informer les habitants des droits qu'ils ne demandent pas."]
  legal_basis: ["RGPD, article 6-1-e ; CRPA, article L114-8 II."]
  recipients: ["Les agents chargés de cette campagne."]
  notice_url: https://droits.grenoble.example/vos-donnees
claim:
  where: "l'organisme qui verse ce droit"
  website: https://www.mesdroitssociaux.gouv.fr
  phone: "39 39"
  documents: ["une pièce d'identité"]
"""


def campaign_head(name, period="2025-06", date="2025-06-15"):
    """A test campaign file's first fields, down to its population."""
    return (f'id: {name}\ntitle: Test\nsender: Test\nperiod: "{period}"\ndate: "{date}"\n'
            f"how_to_object: écrivez à dpo@test.example\n{MESSAGE_FIELDS}")
