"""Two `proactif serve` on one PostgreSQL: stateless servers share the
store. An agent signed in on one is signed in on the other and signed out
from both by one sign-out; a code sent by a campaign is verified on one and
objected to on the other, once; both evaluate alike; requests spread over
both at once all succeed; both stop cleanly on SIGTERM. Run through
tests/support/with_postgres.py (PROACTIF_TEST_POSTGRES)."""
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import BINARY, MESSAGE_FIELDS, SOURCE, check, finish, run, work_dir  # noqa: E402
from servers import ProactifServer, SmtpSink, query  # noqa: E402

store = os.environ["PROACTIF_TEST_POSTGRES"]
work = work_dir("proactif-serve-pg-")
sink = SmtpSink(os.path.join(work, "mail"))
servers = []
try:
    r = run("synth", "--territory", "200040715", "--households", "600", "--seed", "3", "--out",
            os.path.join(work, "extracts"))
    check(r.returncode == 0, r.stderr)
    mappings = ", ".join(os.path.join(work, "extracts", m + ".yaml") for m in ["caf", "cpam", "crous", "universites", "dgfip"])
    path = os.path.join(work, "campaign.yaml")
    open(path, "w", encoding="utf-8").write(f"""id: serveurs
title: Deux serveurs
sender: Test
period: "2025-06"
date: "2025-06-15"
how_to_object: écrivez à dpo@test.example
{MESSAGE_FIELDS}paths_outside: [extracts]
population:
  mappings: [{mappings}]
programs:
  c2s: {{already_receiving: {{c2s: [free, participation]}}}}
channels: [email]
email: {{smtp: "{sink.url}", from: test@test.example, starttls: false}}
""")
    r = run("campaign", "run", "--past-date", path, "--store", store)
    check(r.returncode == 0, r.stdout[-600:] + r.stderr[-600:])
    r = subprocess.run([BINARY, "agent", "add", "marie", "--role", "admin", "--organisation", "CAF", "--store", store],
                       input="un mot de passe de test\n", capture_output=True, text=True)
    check(r.returncode == 0, r.stderr)
    # More requests with codes than a person makes: the limit raised.
    a = ProactifServer(BINARY, store, work, "--citizen-per-minute", "1000")
    servers.append(a)
    b = ProactifServer(BINARY, store, work, "--citizen-per-minute", "1000")
    servers.append(b)

    # Signed in on A, recognised by B; signed out on B, gone on A.
    _, _, body = a.request("GET", "/agent/connexion")
    token = re.search(r'name="jeton" value="([0-9a-f]{32})"', body.decode()).group(1)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, headers, _ = a.request("POST", "/agent/connexion", urllib.parse.urlencode(
        {"jeton": token, "identifiant": "marie", "mot_de_passe": "un mot de passe de test"}),
        {**form, "Cookie": f"proactif_connexion={token}"})
    session = headers.get("set-cookie", "").split(";")[0]
    check(status == 303 and session.startswith("proactif_session="), f"sign-in on A: {status}")
    status, _, body = b.request("GET", "/agent", headers={"Cookie": session})
    check(status == 200 and "serveurs:2025-06" in body.decode(), f"the session from A on B: {status}")
    csrf = re.search(r'action="/agent/deconnexion"[^>]*><input type="hidden" name="jeton" value="([0-9a-f]{32})"', body.decode())
    status, _, _ = b.request("POST", "/agent/deconnexion", "jeton=" + (csrf.group(1) if csrf else ""), {**form, "Cookie": session})
    check(status == 303, f"sign-out on B: {status}")
    status, _, _ = a.request("GET", "/agent", headers={"Cookie": session})
    check(status == 303, f"signed out on B, still signed in on A: {status}")

    # A code: verified on A, objected to on B, once.
    code, subject = query(store, "SELECT verification_code, subject FROM outbox WHERE state = 'delivered' LIMIT 1")[0]
    json_type = {"Content-Type": "application/json"}
    status, _, body = a.request("POST", "/api/v1/verifications", json.dumps({"code": code}), json_type)
    check(status == 200 and json.loads(body)["authentic"], f"verify on A: {body!r}")
    status, _, body = b.request("POST", "/api/v1/objections", json.dumps({"code": code, "scope": "all"}), json_type)
    check(status == 201, f"object on B: {status} {body!r}")
    check(query(store, f"SELECT COUNT(*) FROM objections WHERE subject = '{subject}'") == [("1",)], "the objection is not stored once")

    # Both evaluate alike.
    situations = open(os.path.join(SOURCE, "examples", "situations.jsonl"), encoding="utf-8").read()
    answers = [server.request("POST", "/api/v1/evaluate?program=c2s&program=rsa", situations,
                              {"Content-Type": "application/x-ndjson"}) for server in (a, b)]
    check(answers[0][0] == answers[1][0] == 200 and answers[0][2] == answers[1][2], "the two servers evaluate differently")

    # Requests on both at once.
    codes = [row[0] for row in query(store, "SELECT verification_code FROM outbox LIMIT 40")]
    results = []

    def verify_all(server, some):
        for c in some:
            status, _, body = server.request("POST", "/api/v1/verifications", json.dumps({"code": c}), json_type)
            results.append(status == 200 and json.loads(body)["authentic"])

    threads = [threading.Thread(target=verify_all, args=(server, codes[i::4]))
               for i, server in enumerate((a, b, a, b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(len(results) == len(codes) and all(results), f"{results.count(False)} of {len(results)} verifications failed")
    checked = query(store, "SELECT COUNT(*) FROM audit_log WHERE operation = 'code checked'")[0][0]
    check(int(checked) == len(codes) + 1, f"{checked} verifications audited, {len(codes) + 1} made")
    for name, server in (("A", a), ("B", b)):
        code_, log = server.stop()
        check(code_ == 0 and "stopped" in log, f"server {name} on SIGTERM: {code_}")
finally:
    for server in servers:
        if server.process.poll() is None:
            server.stop()
    sink.process.terminate()
    shutil.rmtree(work, ignore_errors=True)
finish()
