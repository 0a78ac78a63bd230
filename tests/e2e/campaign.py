"""A campaign end to end on a real store (SQLite, or the PostgreSQL server in
PROACTIF_TEST_POSTGRES) and a real SMTP server: each message goes to the
right household, once; running again sends nothing; codes verify; another
campaign of the same period skips who was acted on; an objection is honoured
by every later campaign; nothing is kept on households found not eligible."""
import collections
import csv
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import check, finish, run  # noqa: E402
from servers import SmtpSink, query, text_part  # noqa: E402

work = tempfile.mkdtemp(prefix="proactif-campaign-")
store = os.environ.get("PROACTIF_TEST_POSTGRES") or "sqlite:" + os.path.join(work, "store.db")
sink = SmtpSink(os.path.join(work, "mail"))


def campaign(name, period, households=3000, seed=11):
    path = os.path.join(work, name + ".yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""id: {name}
title: Campagne de test
sender: Grenoble-Alpes Métropole (test)
period: "{period}"
date: "2025-06-15"
how_to_object: écrivez à dpo@grenoble.example
population:
  synthetic: {{territory: "200040715", households: {households}, seed: {seed}}}
work_dir: work-{name}
programs:
  c2s:
    already_receiving: {{c2s: [free, participation]}}
  rsa:
    undetermined: nothing
    already_receiving: {{rsa: "true"}}
  m-reso-solidaire:
    undetermined: nothing
channels: [email, letter]
email: {{smtp: "{sink.url}", from: droits@grenoble.example, starttls: false}}
letters: {{folder: letters-{name}}}
delivery: {{max_attempts: 3, first_retry_seconds: 0.2}}
""")
    return path


def planned(stdout, what):
    return sum(int(n) for n, w in re.findall(r"planned +(\d+)  (.*)", stdout) if w.endswith(what))


def skipped(stdout, reason):
    return sum(int(n) for n, r in re.findall(r"skipped +(\d+)  (.*)", stdout) if r == reason)


try:
    first = campaign("juin", "2025-06")
    r = run("campaign", "run", first, "--store", store)
    check(r.returncode == 0, r.stdout + r.stderr)
    emails, letters = planned(r.stdout, "by email"), planned(r.stdout, "by letter")
    check(emails > 100 and letters > 50, r.stdout)
    messages = sink.messages()
    check(len(messages) == emails, f"{len(messages)} emails arrived, {emails} planned")
    letter_files = os.listdir(os.path.join(work, "letters-juin"))
    check(len(letter_files) == letters, f"{len(letter_files)} letters, {letters} planned")
    for name in letter_files[:20]:
        with open(os.path.join(work, "letters-juin", name), "rb") as f:
            pdf = f.read()
        check(pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-32:], f"{name} is not a whole PDF")

    # Each email went to its household's allocataire, as the CAF extract says.
    with open(os.path.join(work, "work-juin/extracts/caf.csv"), encoding="cp1252") as f:
        email_of = {row["NUMALLOC"]: row["COURRIEL"] for row in csv.DictReader(f, delimiter=";")
                    if row["QUALITE"] == "DEM"}
    subject_of = dict(query(store, "SELECT verification_code, subject FROM outbox"))
    wrong = 0
    for m in messages:
        code = m["X-Proactif-Verification"]
        household = subject_of[code].removeprefix("CAF:")
        wrong += m["To"].strip("<>") != email_of.get(household)
        body = text_part(m)
        check(code in body and "mot de passe" in body and "RGPD" in body, "message without code or GDPR notice")
    check(wrong == 0, f"{wrong} emails went to another household's address")

    # What each message says was checked, and from where: a possible right,
    # an estimated amount, what is left to confirm; the data listed are those
    # the stored decision depended on, with the administrations they came
    # from; nothing of a regime the household's commune does not have.
    used = {}
    for program, subject, explanation in query(store, "SELECT program, subject, explanation FROM decisions"):
        items = json.loads(explanation)["data"]
        used[program, subject] = {d["label"] for d in items if d["used"]}
    outbox = {code: (program, subject, action) for code, program, subject, action in
              query(store, "SELECT verification_code, program, subject, action FROM outbox")}
    seen = collections.Counter()
    for m in messages:
        program, subject, action = outbox[m["X-Proactif-Verification"]]
        body = text_part(m)
        seen[program, action] += 1
        for wrong_words in ["vous remplissez les conditions", "montant mensuel dû", "mes-aides", "Alsace"]:
            check(wrong_words not in body, f"{program} {action}: '{wrong_words}' in {body[:300]}")
        data = re.findall(r"^- (.*) \(source : (.*)\)$", body.split("article L114-8) :")[1], re.M)
        check(data, f"{program} {action}: no data listed")
        labels = {label for label, _ in data}
        check(labels == used[program, subject], f"{program} {subject}: the message lists {sorted(labels)}, "
              f"the decision used {sorted(used[program, subject])}")
        holders = re.search(r"(?:D'après les informations que détiennent|Les informations que détiennent) (.*?)"
                            r"(?:, vous pourriez| ne suffisent)", body)
        named = set(re.split(r", | et ", holders.group(1))) if holders else set()
        from_sources = {src.split(" (")[0] for _, sources in data for src in re.split(r"\), |, (?=[A-Z])", sources)}
        check(named == from_sources, f"{program}: holders {named}, sources {from_sources}")
        if action == "notify":
            check("vous pourriez avoir droit" in body and "Il reste à confirmer" in body, body[:600])
        else:
            check("mesdroitssociaux.gouv.fr" in body, body[:600])
        if program == "rsa":
            check("Montant mensuel estimé" in body and "nationalité" in body, body[:900])
            resources = [src for label, src in data if label == "Ressources des 3 derniers mois"]
            check(all(src.startswith("DRM") for src in resources), f"RSA resources said to come from {resources}")
        if program == "m-reso-solidaire":
            check("réseau M Réso" in body and "SMMAG" in body, body[:600])
    check(all(seen[p, "notify"] > 5 for p in ["c2s", "rsa", "m-reso-solidaire"]), f"emails per program: {seen}")
    check(len({m["Message-ID"] for m in messages}) == len(messages), "two emails share a Message-ID")

    # Nothing is kept on households found not eligible; kept decisions carry
    # their explanation and the hash of the program files applied.
    rows = query(store, "SELECT status, program_hash, explanation FROM decisions")
    check(rows and {s for s, _, _ in rows} <= {"eligible", "undetermined"}, "a not-eligible decision was stored")
    check(all(re.fullmatch(r"[0-9a-f]{64}", h) for _, h, _ in rows), "a decision without its program hash")
    check(all('"parameters": [' in e and '"operations": [' in e and '"source": ' in e for _, _, e in rows),
          "a decision without its explanation")
    check(query(store, "SELECT COUNT(*) FROM outbox WHERE state = 'delivered' AND (recipient <> '' OR message <> '')")
          == [("0",)], "a delivered message kept its recipient or content")

    # A kept decision, explained as when it was taken, for the person or an auditor.
    kept = query(store, "SELECT subject FROM decisions WHERE program = 'c2s' ORDER BY subject")[0][0]
    r = run("decision", kept, "--program", "c2s", "--store", store)
    check(r.returncode == 0 and "2° Données traitées et leurs sources" in r.stdout and "ligne " in r.stdout, r.stdout)
    check("sont ceux qui ont été appliqués (SHA-256" in r.stdout, r.stdout[:400])

    # Running it again: already planned, nothing sent twice.
    r = run("campaign", "run", first, "--store", store)
    check(r.returncode == 0 and "already planned" in r.stdout, r.stdout + r.stderr)
    check(len(sink.messages()) == emails, "running the campaign again sent emails again")

    # Verification codes: authentic ones say who and when, nothing personal.
    code = messages[0]["X-Proactif-Verification"]
    r = run("verify", code.lower(), "--store", store)
    check(r.returncode == 0 and "authentique" in r.stdout and "juin" in r.stdout, r.stdout + r.stderr)
    check("de la part de Grenoble-Alpes Métropole (test)" in r.stdout, r.stdout)
    check("@" not in r.stdout and "CAF:" not in r.stdout, "verify revealed personal data: " + r.stdout)
    r = run("verify", "AAAA-BBBB-CCCC", "--store", store)
    check(r.returncode == 1 and "aucun message" in r.stdout, r.stdout)

    # Another campaign of the same period acts on nobody already acted on.
    r = run("campaign", "run", campaign("juin-bis", "2025-06"), "--store", store)
    check(r.returncode == 0, r.stderr)
    check(planned(r.stdout, "by email") + planned(r.stdout, "by letter") == 0, r.stdout)
    check(skipped(r.stdout, "already acted on for this period") == emails + letters, r.stdout)
    check(len(sink.messages()) == emails, "a second campaign of the period sent emails")

    # Objections: a household to everything, a person (a spouse) of another to C2S.
    households = sorted({s for s, in query(store, "SELECT subject FROM decisions WHERE program = 'c2s'")})
    objector = households[0]
    r = run("object", "--subject", objector, "--all", "--origin", "courrier du 2025-06-20", "--store", store)
    check(r.returncode == 0 and "objection recorded" in r.stdout, r.stdout + r.stderr)
    check(query(store, f"SELECT COUNT(*) FROM decisions WHERE subject = '{objector}'") == [("0",)],
          "the objector's decisions were kept")
    r = run("decision", objector, "--store", store)
    check(r.returncode == 1 and "Aucune décision" in r.stdout, r.stdout)
    couples = [(s, p) for s, p in query(store, "SELECT subject, persons FROM decisions WHERE program = 'c2s'")
               if p.count(",") > 2 and s != objector]
    spouse_household, persons = couples[0]
    spouse = persons.strip(",").split(",")[1]
    r = run("object", "--subject", spouse, "--program", "c2s", "--origin", "appel", "--store", store)
    check(r.returncode == 0, r.stderr)
    check(query(store, "SELECT COUNT(*) FROM objections") == [("2",)], "objections not kept")

    before = len(sink.messages())
    r = run("campaign", "run", campaign("juillet", "2025-07"), "--store", store)
    check(r.returncode == 0, r.stderr)
    check(skipped(r.stdout, "objected or refused") >= 2, r.stdout)
    new = sink.messages()[before:]
    check(len(new) > 0, "the July campaign sent nothing")
    subject_of = dict(query(store, "SELECT verification_code, subject || ' ' || program FROM outbox"))
    reached = {subject_of[m["X-Proactif-Verification"]] for m in new}
    check(not any(s.startswith(objector + " ") for s in reached), "the objector was contacted again")
    check(spouse_household + " c2s" not in reached, "the spouse's household was contacted again about C2S")
    july_letters = os.listdir(os.path.join(work, "letters-juillet")) if os.path.isdir(
        os.path.join(work, "letters-juillet")) else []
    letter_subjects = {subject_of[n.removesuffix(".pdf")] for n in july_letters}
    check(not any(s.startswith(objector + " ") for s in letter_subjects), "the objector got a letter")
    # The audit trail says who did what, without contact data.
    r = run("audit", "--store", store)
    for operation in ["campaign planned", "actions delivered", "code checked", "objection recorded",
                      "decisions consulted"]:
        check(f"  {operation}  " in r.stdout, f"no '{operation}' in the audit log: {r.stdout[:800]}")
    check("@" not in r.stdout.replace("dpo@", ""), "contact data in the audit log")
finally:
    sink.stop()
finish()
