"""proactif serve, used as a person, a program's agent and an outside tool
would use it, over real HTTP on loopback, against a store filled by the
demonstration's own campaign (smaller):
- POST /api/v1/evaluate answers byte for byte what `proactif evaluate`
  writes for the same situations; refused lines are named (422);
- every answer of the API matches the OpenAPI document's schema for its
  operation and status; errors are RFC 9457 problems;
- a letter's QR code leads to the verification page, which says the letter
  is authentic with nothing personal; an objection by code, through the API
  and through the page (with its anti-forgery token), is recorded;
- the citizen endpoints are rate limited per address (429, Retry-After);
- the access log holds no code, no query string, no name;
- the design system's files are served, nothing outside them;
- SIGTERM stops the server cleanly.
Then the pages are driven in Chromium (tests/browser/pages.mjs)."""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import BINARY, SOURCE, finish, france_today, run, work_dir  # noqa: E402
from harness import check as record  # noqa: E402
from servers import ProactifServer, SmtpSink, query  # noqa: E402

try:
    import jsonschema
except ImportError:  # scripts/setup.sh installs python3-jsonschema: missing is a failure
    jsonschema = None



def check(condition, message):
    """The harness's check, which also gives the condition back."""
    record(condition, message)
    return condition


work = work_dir("proactif-serve-")
store = "sqlite:" + os.path.join(work, "store.db")
sink = SmtpSink(os.path.join(work, "mail"))
VERIFY_URL = "https://droits.grenoble.example/verifier"


def campaign():
    text = open(os.path.join(SOURCE, "examples", "campaign-grenoble.yaml"), encoding="utf-8").read()
    text = (text.replace("id: grenoble-droits-demo", "id: serve")
            .replace("households: 20000", "households: 2000")
            .replace("smtp://127.0.0.1:2525", sink.url)
            .replace("channels: [email, letter]", "channels: [email, letter]")
            .replace("../out/work", "work-serve").replace("../out/letters", "letters-serve")
            .replace("paths_outside: [../out]\n", ""))
    check(f"verify_url: {VERIFY_URL}" in text, "the demonstration's campaign no longer declares its verify_url")
    path = os.path.join(work, "serve.yaml")
    open(path, "w", encoding="utf-8").write(text)
    shutil.copy(os.path.join(SOURCE, "examples", "logo-demonstration.png"), work)
    return path


# The OpenAPI document, and a response checked against its schema.
spec = json.load(open(os.path.join(SOURCE, "web", "openapi.json"), encoding="utf-8"))


def conforms(path, method, status, headers, body):
    operation = spec["paths"][path][method]
    response = operation["responses"].get(str(status))
    if not check(response is not None, f"{method.upper()} {path} answered {status}, which the document does not list"):
        return
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    media = headers.get("content-type", "").split(";")[0]
    content = response.get("content", {})
    if not check(media in content, f"{method.upper()} {path} {status}: {media} is not documented ({list(content)})"):
        return
    if media == "application/x-ndjson":
        line_schema = content[media].get("x-line-schema")
        documents = [json.loads(line) for line in body.decode().splitlines() if line]
        schema = line_schema
    else:
        documents = [json.loads(body)]
        schema = content[media]["schema"]
    if jsonschema is None:
        check(False, "python3-jsonschema is not installed (scripts/setup.sh installs it)")
        return
    resolver_root = dict(spec)
    for document in documents:
        try:
            jsonschema.validate(document, {**schema, "components": resolver_root["components"]},
                                cls=jsonschema.Draft202012Validator)
        except jsonschema.ValidationError as e:
            check(False, f"{method.upper()} {path} {status} does not match the document: {e.message}")


server = None
try:
    r = run("campaign", "run", campaign(), "--store", store)
    check(r.returncode == 0, r.stdout[-800:] + r.stderr[-800:])
    # The checks below make more requests with codes than a person would.
    server = ProactifServer(BINARY, store, work, "--citizen-per-minute", "1000")

    # Evaluation: exactly what the command gives.
    situations = open(os.path.join(SOURCE, "examples", "situations.jsonl"), encoding="utf-8").read()
    for programs in (["c2s"], ["c2s", "rsa"], ["m-reso-solidaire"], ["rsa", "l1113-1", "brest-bibus-boursiers"]):
        query_string = "&".join(f"program={p}" for p in programs)
        status, headers, body = server.request("POST", f"/api/v1/evaluate?{query_string}", situations,
                                               {"Content-Type": "application/x-ndjson"})
        cli = subprocess.run([BINARY, "evaluate", *sum((["--program", p] for p in programs), []), "--situations", "-"],
                             input=situations, capture_output=True, text=True)
        check(status == 200 and body.decode() == cli.stdout and cli.stdout,
              f"evaluate {programs}: the API ({status}) and the command differ")
        conforms("/api/v1/evaluate", "post", status, headers, body)
    # With explanations: the same but for where the situation came from.
    status, headers, body = server.request("POST", "/api/v1/evaluate?program=c2s&explain=true&date=2025-07-01", situations,
                                           {"Content-Type": "application/x-ndjson"})
    cli = run("evaluate", "--program", "c2s", "--explain", "--date", "2025-07-01", "--situations", "-", stdin=situations)
    check(status == 200 and body.decode().replace("requête au service", "entrée standard") == cli.stdout,
          "evaluate with explanations: the API and the command differ")
    # One situation as application/json, over several lines.
    first = json.loads(situations.splitlines()[0])
    status, headers, body = server.request("POST", "/api/v1/evaluate?program=rsa", json.dumps(first, indent=2),
                                           {"Content-Type": "application/json"})
    cli = run("evaluate", "--program", "rsa", "--situations", "-", stdin=json.dumps(first) + "\n")
    check(status == 200 and body.decode() == cli.stdout, f"one situation as JSON: {status} {body[:200]!r}")
    # As a spreadsheet or Windows saves them, with a byte order mark and
    # CRLF line ends: the same decisions (a tool lost its first household).
    bom = "\ufeff" + "\r\n".join(situations.splitlines()) + "\r\n"
    status, headers, body = server.request("POST", "/api/v1/evaluate?program=c2s", bom, {"Content-Type": "application/x-ndjson"})
    cli = run("evaluate", "--program", "c2s", "--situations", "-", stdin=situations)
    check(status == 200 and body.decode() == cli.stdout, f"situations with a byte order mark: {status} {body[:300]!r}")
    status, headers, body = server.request("POST", "/api/v1/evaluate?program=rsa", "\ufeff" + json.dumps(first, indent=2),
                                           {"Content-Type": "application/json"})
    check(status == 200 and body.decode() == run("evaluate", "--program", "rsa", "--situations", "-",
                                                 stdin=json.dumps(first) + "\n").stdout,
          f"one situation with a byte order mark: {status} {body[:200]!r}")
    status, headers, body = server.request("POST", "/api/v1/evaluate?program=c2s", situations.encode("utf-16"),
                                           {"Content-Type": "application/x-ndjson"})
    check(status == 422 and "UTF-16" in json.loads(body)["errors"][0]["detail"], f"UTF-16: {status} {body[:300]!r}")
    # Refusals, each a documented problem.
    bad = situations.splitlines()[0] + "\n{\"id\": \"x\", \"persons\": \n" + situations.splitlines()[1] + "\n"
    status, headers, body = server.request("POST", "/api/v1/evaluate?program=c2s", bad, {"Content-Type": "application/x-ndjson"})
    problem = json.loads(body)
    check(status == 422 and headers["content-type"] == "application/problem+json" and
          [e["line"] for e in problem.get("errors", [])] == [2], f"a malformed line: {status} {body[:300]!r}")
    conforms("/api/v1/evaluate", "post", status, headers, body)
    odd = json.dumps({"id": "x", "date": "2025-06-15", "household": {}, "persons": [{"id": "a\nb"}, {"id": "a\nb"}]})
    status, headers, body = server.request("POST", "/api/v1/evaluate?program=c2s", odd + "\n", {"Content-Type": "application/x-ndjson"})
    check(status == 422 and [e["line"] for e in json.loads(body)["errors"]] == [1], f"a reason with a newline: {status} {body[:300]!r}")
    conforms("/api/v1/evaluate", "post", status, headers, body)
    for case in (("/api/v1/evaluate?program=nope", "application/x-ndjson", 404),
                                         ("/api/v1/evaluate?program=../c2s", "application/x-ndjson", 404),
                                         ("/api/v1/evaluate", "application/x-ndjson", 400),
                                         ("/api/v1/evaluate?program=c2s&date=2025-02-30", "application/x-ndjson", 400),
                                         ("/api/v1/evaluate?program=c2s&explain=yes", "application/x-ndjson", 400),
                                         ("/api/v1/evaluate?program=c2s", "text/plain", 415),
                                         # No situation is not "no decision to give".
                                         ("/api/v1/evaluate?program=c2s", "application/x-ndjson", 400, ""),
                                         ("/api/v1/evaluate?program=c2s", "application/x-ndjson", 400, "\n\n")):
        path, content_type, expected = case[:3]
        status, headers, body = server.request("POST", path, situations if len(case) < 4 else case[3],
                                               {"Content-Type": content_type})
        check(status == expected and json.loads(body)["status"] == expected, f"{path} ({content_type}): {status} {body[:200]!r}")
        conforms("/api/v1/evaluate", "post", status, headers, body)
    status, headers, body = server.request("POST", "/api/v1/evaluate?program=c2s", b"x" * (17 << 20),
                                           {"Content-Type": "application/x-ndjson"})
    check(status == 413, f"a 17 MiB body: {status}")
    # What the answer would make of a request within that limit (a tester's
    # finding, 2026-12-07: 400 000 persons in one situation, explained, grew
    # the server to 3.3 GB): a household of 41 persons, 101 situations to
    # explain, are refused; 40 and 100 are answered.
    crowd = dict(first, persons=[first["persons"][0]] + [dict(first["persons"][0], id=f"p{k}", role="other")
                                                         for k in range(2, 42)])
    # A number no program reads, out of range, does not hide the persons
    # from the count (a reviewer's finding).
    for persons, explain, expected in ((41, "false", 413), (41, "true", 413), (40, "true", 200)):
        sent = dict(crowd, persons=[dict(p) for p in crowd["persons"][:persons]])
        sent["persons"][0]["quotient_familial_x"] = "__X__"
        body_sent = json.dumps(sent).replace('"__X__"', "1e400") + "\n"
        status, headers, body = server.request("POST", f"/api/v1/evaluate?program=c2s&explain={explain}", body_sent,
                                               {"Content-Type": "application/x-ndjson"})
        check(status == expected and (expected == 200 or b"more than 40 persons" in body), f"{persons} persons: {status} {body[:200]!r}")
        conforms("/api/v1/evaluate", "post", status, headers, body)
    many = "".join(json.dumps(dict(first, id=f"s{k}")) + "\n" for k in range(101))
    for count, expected in ((101, 413), (100, 200)):
        status, headers, body = server.request("POST", "/api/v1/evaluate?program=c2s&explain=true",
                                               "".join(many.splitlines(True)[:count]), {"Content-Type": "application/x-ndjson"})
        check(status == expected and (expected == 200 or b"more than 100 situations" in body), f"{count} explained: {status} {body[:200]!r}")
    # A body whose length is not given in advance (chunked: the limit would
    # not hold), whose length is not one, or compressed (inflated whole before
    # the limit: a tester's 300 KB became 300 MB) is refused before it is read.
    for framing, expected in (("Transfer-Encoding: chunked\r\n\r\n10\r\n" + "x" * 16 + "\r\n", 411),
                              ("Content-Encoding: gzip\r\nContent-Length: 2\r\n\r\nxx", 415),
                              ("Content-Encoding: deflate\r\nContent-Length: 2\r\n\r\nxx", 415),
                              ("Content-Length: -1\r\n\r\nxx", 400),
                              ("Content-Length: 99999999999999999999\r\n\r\nxx", 400)):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
            raw.sendall(("POST /api/v1/evaluate?program=c2s HTTP/1.1\r\nHost: x\r\n"
                         "Content-Type: application/x-ndjson\r\n" + framing).encode())
            answer = b""
            started = time.time()
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = raw.recv(65536)
                if not chunk:
                    break
                answer += chunk
        head = answer.split(b"\r\n", 1)[0].decode()
        check(head.startswith(f"HTTP/1.1 {expected}") and b"application/problem+json" in answer and time.time() - started < 3,
              f"{framing[:40]!r}: {answer[:300]!r} after {time.time() - started:.1f} s")
    status, headers, body = server.request("GET", "/api/v1/nowhere")
    check(status == 404 and headers["content-type"] == "application/problem+json", f"an unknown API path: {status}")

    # The document itself, and the programs.
    status, headers, body = server.request("GET", "/api/v1/openapi.json")
    check(status == 200 and json.loads(body) == spec, "the served OpenAPI document is not the repository's")
    status, headers, body = server.request("GET", "/api/v1/programs")
    conforms("/api/v1/programs", "get", status, headers, body)
    ids = [p["id"] for p in json.loads(body)["programs"]]
    programs_dir = os.path.join(SOURCE, "programs")
    on_disk = sorted(p for p in os.listdir(programs_dir) if os.path.exists(os.path.join(programs_dir, p, "program.yaml")))
    check(ids == on_disk, f"the service offers {ids}, the programs folder holds {on_disk}")

    # A letter's QR code leads to the verification page.
    letters = sorted(os.listdir(os.path.join(work, "letters-serve")))
    check(letters, "the campaign wrote no letter")
    letter_code = letters[0].removesuffix(".pdf")
    page = urllib.parse.urlsplit(f"{VERIFY_URL}?code={letter_code}")
    status, headers, body = server.request("GET", f"/verifier?{page.query}")
    html = body.decode()
    check(status == 200 and "Ce message est authentique" in html and "courrier" in html, f"verify page: {status} {html[-1500:]}")
    check(headers.get("cache-control") == "no-store" and headers.get("referrer-policy") == "same-origin",
          f"the verification page may be cached or leak its address: {headers}")
    csp = headers.get("content-security-policy", "")
    check("script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp, f"CSP: {csp}")
    check(not re.search(r"<script(?![^>]*\bsrc=)", html) and " style=" not in html, "inline script or style in a page")
    # Nothing personal: no name, address or amount of the household.
    subject = query(store, f"SELECT subject FROM outbox WHERE verification_code = '{letter_code}'")[0][0]
    check(subject not in html and "€" not in html.split("<main", 1)[1], "the verification page shows personal data")

    # The API's verification, on a delivered email's code and an unknown one.
    email_code = query(store, "SELECT verification_code FROM outbox WHERE channel = 'email' AND state = 'delivered' LIMIT 1")[0][0]
    status, headers, body = server.request("POST", "/api/v1/verifications", json.dumps({"code": email_code.lower()}),
                                           {"Content-Type": "application/json"})
    answer = json.loads(body)
    check(status == 200 and answer["authentic"] and answer["medium"] == "courriel" and answer["sent_on"], f"verify: {answer}")
    conforms("/api/v1/verifications", "post", status, headers, body)
    status, headers, body = server.request("POST", "/api/v1/verifications", json.dumps({"code": "AAAA-BBBB-CCCC"}),
                                           {"Content-Type": "application/json"})
    check(status == 200 and json.loads(body)["authentic"] is False, f"an unknown code: {body!r}")
    conforms("/api/v1/verifications", "post", status, headers, body)
    # A code a character short is not called a forgery: the person reads it again.
    status, headers, body = server.request("POST", "/api/v1/verifications", json.dumps({"code": email_code[:-1]}),
                                           {"Content-Type": "application/json"})
    answer = json.loads(body)
    check(status == 200 and answer["well_formed"] is False and answer["authentic"] is False and
          "12 caractères" in answer["message"] and "aucun message" not in answer["message"], f"a code a character short: {answer}")
    conforms("/api/v1/verifications", "post", status, headers, body)
    status, _, body = server.request("GET", "/verifier?code=" + urllib.parse.quote(email_code[:-1]))
    check(status == 200 and "Ce code n'a pas la forme attendue" in body.decode().replace("&#39;", "'") and
          "aucun message" not in body.decode(),
          f"the page on a code a character short: {status}")
    for bad_body in ('{"code": 12}', '{"code": "A", "code": "B"}', '{"code": "A", "who": "me"}', "[]", "{", '{"code": "' + "A" * 200 + '"}'):
        status, headers, body = server.request("POST", "/api/v1/verifications", bad_body, {"Content-Type": "application/json"})
        check(status == 400, f"verification body {bad_body[:30]!r}: {status}")
        conforms("/api/v1/verifications", "post", status, headers, body)
    # A JSON body under another media type is refused: a page of another
    # site can post text/plain without the browser asking first.
    for path in ("/api/v1/verifications", "/api/v1/objections"):
        for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
            status, headers, body = server.request("POST", path, json.dumps({"code": email_code}),
                                                   {"Content-Type": content_type} if content_type else {})
            check(status == 415, f"{path} as {content_type}: {status} {body[:200]!r}")
            conforms(path, "post", status, headers, body)
    status, _, body = server.request("POST", "/api/v1/verifications", json.dumps({"code": email_code}),
                                     {"Content-Type": "Application/JSON; charset=utf-8"})
    check(status == 200 and json.loads(body)["authentic"], f"a media type in capitals with a charset: {status}")
    audit = run("audit", "--store", store)
    check("proactif serve (API, vérification d'un code)" in audit.stdout, "the API's verification is not audited")

    # Objection through the API, by the email's code.
    email_subject = query(store, f"SELECT subject FROM outbox WHERE verification_code = '{email_code}'")[0][0]
    status, headers, body = server.request("POST", "/api/v1/objections", json.dumps({"code": email_code, "scope": "all"}),
                                           {"Content-Type": "application/json"})
    check(status == 201 and json.loads(body)["recorded"], f"objection: {status} {body!r}")
    conforms("/api/v1/objections", "post", status, headers, body)
    check(query(store, f"SELECT COUNT(*) FROM objections WHERE subject = '{email_subject}' AND program = '*'") == [("1",)],
          "the API's objection is not in the store")
    status, headers, body = server.request("POST", "/api/v1/objections", json.dumps({"code": "AAAA-BBBB-CCCC"}),
                                           {"Content-Type": "application/json"})
    check(status == 404, f"an objection with an unknown code: {status}")
    conforms("/api/v1/objections", "post", status, headers, body)
    # In the audit trail, as a code checked is: codes tried one after another show.
    check(query(store, "SELECT COUNT(*) FROM audit_log WHERE operation = 'objection refused' AND "
                       "detail = 'AAAA-BBBB-CCCC: unknown'") == [("1",)],
          str(query(store, "SELECT operation, detail FROM audit_log ORDER BY at DESC LIMIT 3")))

    # Objection through the page: its token must come with the form's cookie.
    code2 = query(store, f"SELECT verification_code FROM outbox WHERE subject <> '{email_subject}' AND channel = 'letter' "
                         "AND state = 'delivered' LIMIT 1")[0][0]
    subject2 = query(store, f"SELECT subject FROM outbox WHERE verification_code = '{code2}'")[0][0]
    status, headers, body = server.request("GET", f"/m-opposer?code={code2}")
    token = re.search(r'name="jeton" value="([0-9a-f]{32})"', body.decode())
    cookie = headers.get("set-cookie", "").split(";")[0]
    check(status == 200 and token and cookie.endswith(token.group(1)) and "SameSite=Strict" in headers.get("set-cookie", ""),
          f"the objection form has no token: {headers}")
    form = urllib.parse.urlencode({"jeton": token.group(1) if token else "", "code": code2, "portee": "droit"})
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, body = server.request("POST", "/m-opposer", form, form_type)
    check(status == 400 and "expiré" in body.decode(), f"an objection form without its cookie was taken: {status}")
    status, _, body = server.request("POST", "/m-opposer", form, {**form_type, "Cookie": cookie, "Origin": "https://evil.example"})
    check(status == 400, f"an objection posted from another site was taken: {status}")
    # A form too long, or a page not there: a page in French, not JSON.
    for method, path, body_sent, expected, words in (("POST", "/m-opposer", form + "&x=" + "a" * 20000, 413, "Envoi trop long"),
                                                      ("GET", "/nulle-part", None, 404, "Page introuvable")):
        status, headers, body = server.request(method, path, body_sent, form_type if body_sent else {})
        check(status == expected and headers.get("content-type", "").startswith("text/html") and words in body.decode() and
              "Content-Security-Policy" in {k.title(): v for k, v in headers.items()},
              f"{method} {path}: {status} {headers.get('content-type')} {body[:200]!r}")
    check(query(store, f"SELECT COUNT(*) FROM objections WHERE subject = '{subject2}'") == [("0",)],
          "a refused form recorded an objection")
    # A typing error is asked again, and a code not found is unknown among
    # what the store keeps (3 years), as the verification page says them:
    # never "not a message from the administration" for a genuine old one.
    same_site = {**form_type, "Cookie": cookie, "Origin": f"http://127.0.0.1:{server.port}"}
    for typed, words in (("abc", "n'a pas la forme d'un code"), ("AAAA-BBBB-CCCC", "dont l'administration garde la trace")):
        status, _, body = server.request("POST", "/m-opposer", urllib.parse.urlencode(
            {"jeton": token.group(1) if token else "", "code": typed, "portee": "droit"}), same_site)
        text = body.decode().replace("&#39;", "'")
        check(status == 400 and words in text and "n'a pas été enregistrée" in text, f"objection with {typed!r}: {status}")
    status, _, body = server.request("POST", "/m-opposer", form, same_site)
    # It says whom it covers: the household's persons the message concerned
    # are recorded with it (a tester's finding, 2026-12-07); and which right,
    # by its name (another's: a message telling of several gives a code for
    # each, and the page never named the one objected to).
    program2 = query(store, f"SELECT program FROM outbox WHERE verification_code = '{code2}'")[0][0]
    with open(os.path.join(SOURCE, "programs", program2, "program.yaml"), encoding="utf-8") as f:
        named = re.search(r"^title: (.*)$", f.read(), re.M).group(1)
    page2 = body.decode().replace("&#39;", "'")
    check(status == 200 and "Votre opposition est enregistrée" in page2 and
          "pour les personnes de votre foyer que ce message concernait" in page2 and
          "Elle vaut pour ce droit : " + named in page2,
          f"objection page ({program2}): {status} {body[-800:]!r}")
    check(query(store, f"SELECT COUNT(*) FROM objections WHERE subject = '{subject2}'") == [("1",)],
          "the page's objection is not in the store")

    # Assets: the design system's files and nothing else.
    status, headers, body = server.request("GET", "/dsfr/dsfr.min.css")
    check(status == 200 and headers["content-type"].startswith("text/css") and len(body) > 100_000, f"dsfr.min.css: {status}")
    for path in ("/dsfr/../package.json", "/dsfr/%2e%2e/%2e%2e/openapi.json", "/dsfr/.bin/x.js", "/dsfr//etc/passwd.css",
                 "/dsfr/dsfr.css.map"):
        status, _, _ = server.request("GET", path)
        check(status == 404, f"{path}: {status}")
    for path in ("/", "/verifier", "/m-opposer", "/algorithmes", "/algorithmes/c2s", "/algorithmes/rsa"):
        status, headers, body = server.request("GET", path)
        check(status == 200 and "<h1>" in body.decode() and 'lang="fr"' in body.decode(), f"{path}: {status}")
    status, _, body = server.request("GET", "/algorithmes/nope")
    check(status == 404, f"an unknown algorithm: {status}")
    # The algorithm page is the program file's: its parameters and texts.
    _, _, body = server.request("GET", "/algorithmes/c2s")
    c2s = body.decode()
    check("R861-2" in c2s and "participation" in c2s.lower() and "CPAM" in c2s and "résidence stable" in c2s,
          "the C2S page lacks its texts, parameters or conditions not evaluated")
    # A revaluation not yet published is no value "no longer in force" (a
    # tester read that of 1 April 2027).
    check("plus en vigueur" not in c2s and "aucune valeur inscrite" in c2s,
          "the C2S page says a value to come is no longer in force")
    # A datum the RSA takes on the person's word where it is not obtained.
    _, _, body = server.request("GET", "/algorithmes/rsa")
    check("à défaut déclarée par la personne (comme au formulaire de demande de RSA" in body.decode(),
          "the RSA page does not say its student status may be stated")
    # A scale whose bands hold their ceiling: each band after the first
    # begins above the one before ("au-delà de"), the first at its floor.
    _, _, body = server.request("GET", "/algorithmes/m-reso-solidaire")
    fare = body.decode()
    check("tranche 1 : à partir de" in fare and "tranche 2 : au-delà de" in fare and "tranche 2 : à partir de" not in fare,
          "the M Réso page does not say where its bands begin")
    # Why a person is left out of the foyer, as the explanations tell it.
    check("Pourquoi une personne n'est pas comptée dans le foyer" in c2s and
          "25 ans ou plus : cette personne forme un foyer à part pour la C2S" in c2s,
          "the C2S page does not say why a person is left out of its foyer")

    # "Suis-je concerné ?": a form per program, the engine's answer, nothing stored.
    status, _, body = server.request("GET", "/suis-je-concerne")
    check(status == 200 and all(f'/suis-je-concerne/{p}"' in body.decode() for p in ids), "the simulator lists not every program")
    for program in ids:
        status, _, body = server.request("GET", f"/suis-je-concerne/{program}")
        check(status == 200 and '<form method="post" action="/suis-je-concerne/' in body.decode() and
              'name="foyer.commune"' in body.decode(), f"simulator form {program}: {status}")
    stored_before = query(store, "SELECT (SELECT COUNT(*) FROM decisions) || '/' || (SELECT COUNT(*) FROM audit_log)")
    today = france_today()
    answers = {"personnes": "2", "action": "calculer", "foyer_complet": "oui", "foyer.commune": "38185", "foyer.housing": "tenant",
               "foyer.housing_benefit_monthly": "210", "foyer.rsa": "non", "foyer.regime_local_alsace_moselle": "non",
               "personne1.birth_date": "1990-04-02", "personne1.resources_12m": "9 600,50", "personne1.c2s": "none",
               "personne1.minimum_benefits": "aucune", "personne1.worked_3m": "oui", "personne1.aah_full_rate": "non",
               "personne2.role": "child", "personne2.birth_date": "2016-01-01", "personne2.dependant": "oui",
               "personne2.resources_12m": "0", "personne2.c2s": "none"}
    situation = {"id": "simulation", "date": today,
                 "household": {"commune": "38185", "housing": "tenant", "housing_benefit_monthly": 210, "rsa": False,
                               "regime_local_alsace_moselle": False},
                 "persons": [{"id": "p1", "role": "applicant", "birth_date": "1990-04-02", "resources_12m": 9600.5,
                              "c2s": "none", "minimum_benefits": [], "worked_3m": True, "aah_full_rate": False},
                             {"id": "p2", "role": "child", "birth_date": "2016-01-01", "dependant": True,
                              "resources_12m": 0, "c2s": "none"}]}
    cli = run("explain", "--program", "c2s", "--for-person", "--situations", "-", stdin=json.dumps(situation) + "\n")
    decision = json.loads(run("evaluate", "--program", "c2s", "--situations", "-", stdin=json.dumps(situation) + "\n").stdout)
    status, _, body = server.request("POST", "/suis-je-concerne/c2s", urllib.parse.urlencode(answers),
                                     {"Content-Type": "application/x-www-form-urlencoded"})
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode().replace("&#39;", "'")))
    expected = re.search(r"Participation mensuelle totale du foyer : [^\n]*", cli.stdout)
    check(status == 200 and decision["status"] == "eligible" and "Vous pourriez avoir droit" in page and expected and
          re.sub(r"\s+", " ", expected.group(0)).strip() in page, f"simulator C2S: {status}, the command says {decision}, page: {page[:600]}")
    check("source : vos réponses à ce formulaire" in page and "source : CAF" not in page,
          "the simulator's explanation does not say the data are the person's answers")
    # A right decided for the foyer is answered only for the household the
    # person says is all of it: nobody is told of a single person's RSA
    # while a working spouse is left out of the form.
    for program, form in (("c2s", {**answers, "personnes": "1"}),
                          ("rsa", {"personnes": "1", "action": "calculer", "foyer.commune": "38185",
                                   "foyer.housing": "tenant", "foyer.housing_benefit_monthly": "0",
                                   "personne1.birth_date": "1990-01-01", "personne1.resources_3m": "0",
                                   "personne1.student": "non"})):
        form.pop("foyer_complet", None)
        status, _, body = server.request("POST", f"/suis-je-concerne/{program}", urllib.parse.urlencode(form),
                                         {"Content-Type": "application/x-www-form-urlencoded"})
        check(status == 400 and 'id="foyer_complet-erreur"' in body.decode() and "Vous pourriez" not in body.decode() and
              "remplissez pas" not in body.decode(), f"{program} answered without the household stated: {status}")
    # The form's own rules on who may be one foyer, as at the counter: a
    # person of 20 living with an adult who may have them at charge is of
    # that adult's foyer; answers for a person the form does not list.
    young = {**answers, "personne1.birth_date": "2006-03-01", "personne2.role": "other",
             "personne2.birth_date": "1970-01-01"}
    young.pop("personne2.dependant")
    status, _, body = server.request("POST", "/suis-je-concerne/c2s", urllib.parse.urlencode(young),
                                     {"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 400 and 'id="personne2.role-erreur"' in body.decode() and "Vous pourriez" not in body.decode(),
          f"a person of 20 living with an adult answered for alone: {status}")
    status, _, body = server.request("POST", "/suis-je-concerne/c2s",
                                     urllib.parse.urlencode({**answers, "personne3.resources_12m": "30000"}),
                                     {"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 400 and "personne 3" in body.decode() and "Vous pourriez" not in body.decode(),
          f"answers for a person the form does not list were dropped: {status}")
    # A right of each person (the Brest fare): each person listed is answered
    # for, not "you" alone (a tester's son with a scholarship was left out).
    status, _, body = server.request("POST", "/suis-je-concerne/brest-bibus-boursiers", urllib.parse.urlencode(
        {"personnes": "2", "action": "calculer", "foyer.commune": "29019", "personne1.high_school_scholarship": "non",
         "personne1.scholarship_echelon": "none", "personne1.student": "non", "personne2.role": "child",
         "personne2.high_school_scholarship": "oui", "personne2.student": "non"}),
        {"Content-Type": "application/x-www-form-urlencoded"})
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode().replace("&#39;", "'")))
    check(status == 200 and "Vous D'après vos réponses, vous ne remplissez pas" in page and
          "Personne 2 vivant avec vous Cette personne pourrait avoir droit à cette aide" in page and
          "16,80 €" in page, f"a fare of each person: {status} {page[:1500]}")
    # A commune asked by its postcode too, which is what people know of it:
    # one that is also another commune's INSEE code is not guessed (a
    # tester's finding, 2026-12-07: 38400, Saint-Martin-d'Hères's postcode,
    # was read as Saint-Jean-de-Moirans and answered "vous ne remplissez
    # pas"); the person chooses, and the one chosen is answered for.
    fare = {"personnes": "1", "action": "calculer", "foyer_complet": "oui", "foyer.quotient_familial": "500"}
    def fare_page(commune):
        status, _, body = server.request("POST", "/suis-je-concerne/m-reso-solidaire",
                                         urllib.parse.urlencode({**fare, "foyer.commune": commune}),
                                         {"Content-Type": "application/x-www-form-urlencoded"})
        return status, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode().replace("&#39;", "'"))), body.decode()
    status, page, html = fare_page("38400")
    check(status == 400 and "remplissez pas" not in page and "Vous pourriez" not in page and
          "Saint-Martin-d'Hères (code postal 38400" in page and "Saint-Jean-de-Moirans (code INSEE 38400" in page and
          'value="insee:38421"' in html, f"38400: {status} {page[:1500]}")
    # However it is typed ("38 400 ", autofill's space): each commune named
    # by what the code is for it.
    status, page, html = fare_page("38 400 ")
    check(status == 400 and "Saint-Martin-d'Hères (code postal 38400," in page and
          "Saint-Jean-de-Moirans (code INSEE 38400," in page, f"'38 400 ': {page[:1500]}")
    # The choice kept when the form is sent again for another reason (a
    # person added), ticked, and not said to be wrong.
    status, _, body = server.request("POST", "/suis-je-concerne/m-reso-solidaire", urllib.parse.urlencode(
        {**fare, "action": "ajouter", "foyer.commune": "insee:38400"}), {"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 200 and 'value="insee:38400" checked' in body.decode() and "fr-fieldset--error" not in body.decode(),
          f"a commune chosen, the form sent again: {status}")
    status, page, _ = fare_page("insee:38421")
    check(status == 200 and "Vous pourriez avoir droit" in page and "Saint-Martin-d'Hères (38421)" in page, f"chosen: {page[:1500]}")
    status, page, _ = fare_page("38000")
    check(status == 200 and "Vous pourriez avoir droit" in page and "Grenoble (38185)" in page, f"38000: {page[:1500]}")
    status, page, html = fare_page("99999")
    check(status == 400 and 'id="foyer.commune-erreur"' in html and "remplissez pas" not in page, f"99999: {page[:1500]}")
    # Unknown answers: undetermined, with what is missing.
    status, _, body = server.request("POST", "/suis-je-concerne/c2s", "personnes=1&action=calculer&foyer_complet=oui",
                                     {"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 200 and "Il manque des informations" in body.decode(), f"an empty simulation: {status}")
    # What the person did not answer is not said to be their answer.
    check("sans réponse à ce formulaire" in body.decode().replace("&#39;", "'"), "an unanswered question said answered")
    # A number that is not one: the field is named, nothing is computed.
    status, _, body = server.request("POST", "/suis-je-concerne/c2s",
                                     urllib.parse.urlencode({**answers, "personne1.resources_12m": "12abc"}),
                                     {"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 400 and 'id="personne1.resources_12m-erreur"' in body.decode() and "Vous pourriez" not in body.decode(),
          f"a malformed number: {status}")
    # A negative amount, or one too large to be read, is said to be so, not
    # "not a number".
    for value, words in (("-50", "positif ou nul"), ("\u00a0\u221250", "positif ou nul"), ("-12.500", "positif ou nul"),
                         ("1000000000000000000", "trop grand"), ("0,00000000000000001", "Saisissez un nombre")):
        status, _, body = server.request("POST", "/suis-je-concerne/c2s",
                                         urllib.parse.urlencode({**answers, "personne1.resources_12m": value}),
                                         {"Content-Type": "application/x-www-form-urlencoded"})
        check(status == 400 and words in body.decode() and "Vous pourriez" not in body.decode(), f"{value}: {status}")
    # "12.500" (twelve thousand five hundred, or twelve and a half?), money
    # below the cent, an answer sent twice: nothing is computed on a guess.
    for value in ("12.500", "7 200,001", "12 34", "1 2 3"):
        status, _, body = server.request("POST", "/suis-je-concerne/c2s",
                                         urllib.parse.urlencode({**answers, "personne1.resources_12m": value}),
                                         {"Content-Type": "application/x-www-form-urlencoded"})
        check(status == 400 and 'id="personne1.resources_12m-erreur"' in body.decode() and "Vous pourriez" not in body.decode(),
              f"the simulator read {value!r}: {status}")
    # A yes/no answer the page does not offer is not taken for "Je ne sais pas".
    status, _, body = server.request("POST", "/suis-je-concerne/c2s",
                                     urllib.parse.urlencode({**answers, "personne1.worked_3m": "peut-etre"}),
                                     {"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 400 and 'id="personne1.worked_3m-erreur"' in body.decode() and "Vous pourriez" not in body.decode(),
          f"a yes/no answer the page does not offer: {status}")
    status, _, body = server.request("POST", "/suis-je-concerne/c2s",
                                     urllib.parse.urlencode(answers) + "&personne1.resources_12m=999999",
                                     {"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 400 and 'id="personne1.resources_12m-erreur"' in body.decode() and "Vous pourriez" not in body.decode(),
          f"an answer sent twice: {status}")
    # A date the reader refuses (the child born after today): said at that
    # person's field, not at every person's.
    status, _, body = server.request("POST", "/suis-je-concerne/c2s",
                                     urllib.parse.urlencode({**answers, "personne2.birth_date": "2099-01-01"}),
                                     {"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 400 and 'id="personne2.birth_date-erreur"' in body.decode() and
          'id="personne1.birth_date-erreur"' not in body.decode() and "Vous pourriez" not in body.decode(),
          f"a future birth date in the simulator: {status}")
    # A household of nine (found answered for eight, the ninth dropped): the
    # form's answer is the engine's on the same nine; beyond the form's
    # twelve, no answer rather than one for another household.
    large = {"personnes": "9", "action": "calculer", "foyer_complet": "oui", "foyer.commune": "38185", "foyer.housing": "tenant",
             "foyer.housing_benefit_monthly": "0", "foyer.rsa": "non", "foyer.regime_local_alsace_moselle": "non",
             "personne1.birth_date": "1980-01-01", "personne1.resources_12m": "40000", "personne1.c2s": "none",
             "personne1.minimum_benefits": "aucune", "personne1.worked_3m": "oui", "personne1.aah_full_rate": "non",
             "personne2.role": "spouse", "personne2.birth_date": "1981-01-01", "personne2.resources_12m": "0",
             "personne2.c2s": "none", "personne2.minimum_benefits": "aucune", "personne2.worked_3m": "non",
             "personne2.aah_full_rate": "non"}
    large_situation = {"id": "simulation", "date": today,
                       "household": {"commune": "38185", "housing": "tenant", "housing_benefit_monthly": 0, "rsa": False,
                                     "regime_local_alsace_moselle": False},
                       "persons": [{"id": "p1", "role": "applicant", "birth_date": "1980-01-01", "resources_12m": 40000,
                                    "c2s": "none", "minimum_benefits": [], "worked_3m": True, "aah_full_rate": False},
                                   {"id": "p2", "role": "spouse", "birth_date": "1981-01-01", "resources_12m": 0,
                                    "c2s": "none", "minimum_benefits": [], "worked_3m": False, "aah_full_rate": False}]}
    for k in range(3, 10):
        large.update({f"personne{k}.role": "child", f"personne{k}.birth_date": f"{2010 + k}-01-01",
                      f"personne{k}.dependant": "oui", f"personne{k}.resources_12m": "0", f"personne{k}.c2s": "none"})
        large_situation["persons"].append({"id": f"p{k}", "role": "child", "birth_date": f"{2010 + k}-01-01",
                                           "dependant": True, "resources_12m": 0, "c2s": "none"})
    decision = json.loads(run("evaluate", "--program", "c2s", "--situations", "-",
                              stdin=json.dumps(large_situation) + "\n").stdout)
    status, _, body = server.request("POST", "/suis-je-concerne/c2s", urllib.parse.urlencode(large),
                                     {"Content-Type": "application/x-www-form-urlencoded"})
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode().replace("&#39;", "'")))
    check(status == 200 and decision["status"] == "eligible" and decision["result"]["variant"] == "free" and
          "Vous pourriez avoir droit" in page and "Nombre de personnes du foyer : 9" in page and "participation" not in
          page.split("Comment la réponse est calculée")[0], f"a household of nine: {decision}, page: {page[:900]}")
    status, _, body = server.request("POST", "/suis-je-concerne/c2s", urllib.parse.urlencode({**large, "personnes": "13"}),
                                     {"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 400 and "12 personnes au plus" in body.decode() and "Vous pourriez" not in body.decode() and
          "remplissez pas" not in body.decode(), f"thirteen persons answered: {status}")
    status, _, body = server.request("POST", "/suis-je-concerne/rsa", "personnes=1&action=ajouter",
                                     {"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 200 and 'name="personne2.role"' in body.decode(), "a person cannot be added to the form")
    check(query(store, "SELECT (SELECT COUNT(*) FROM decisions) || '/' || (SELECT COUNT(*) FROM audit_log)") == stored_before,
          "a simulation stored something")

    # The agents' pages: each role on each route.
    for login, role, extra in (("admin-demo", "admin", []), ("agent-rsa", "agent", ["--program", "rsa"]),
                               ("auditeur", "auditor", [])):
        r = subprocess.run([BINARY, "agent", "add", login, "--role", role, "--organisation", "CAF de l'Isère", *extra,
                            "--store", store], input="un mot de passe de test\n", capture_output=True, text=True)
        check(r.returncode == 0, f"agent add {login}: {r.stderr}")
    r = subprocess.run([BINARY, "agent", "add", "court", "--role", "admin", "--organisation", "O", "--store", store],
                       input="court\n", capture_output=True, text=True)
    check(r.returncode == 2 and "12 characters" in r.stderr, "a short password was taken")
    hashes = query(store, "SELECT password_hash FROM agents")
    check(len(hashes) == 3 and all(h[0].startswith("$argon2id$v=19$m=65536,t=3,p=1$") for h in hashes),
          f"passwords are not kept as argon2id hashes: {hashes}")

    def sign_in(login, password):
        status, headers, body = server.request("GET", "/agent/connexion")
        token = re.search(r'name="jeton" value="([0-9a-f]{32})"', body.decode()).group(1)
        form = urllib.parse.urlencode({"jeton": token, "identifiant": login, "mot_de_passe": password})
        status, headers, body = server.request("POST", "/agent/connexion", form,
                                               {**form_type, "Cookie": f"proactif_connexion={token}"})
        session = re.match(r"proactif_session=([0-9a-f]{32});", headers.get("set-cookie", ""))
        return status, headers, body, (f"proactif_session={session.group(1)}" if session else None)

    run_id = "serve:2025-06"
    both = query(store, "SELECT subject FROM decisions WHERE program = 'rsa' AND subject IN "
                        "(SELECT subject FROM decisions WHERE program = 'c2s') LIMIT 1")
    check(both, "no household has both a C2S and an RSA decision in the test's campaign")
    subject_both = both[0][0] if both else "none"
    routes = ["/agent", f"/agent/campagne?run={urllib.parse.quote(run_id)}",
              f"/agent/foyer?sujet={urllib.parse.quote(subject_both)}"]
    for route in routes:
        status, headers, _ = server.request("GET", route)
        check(status == 303 and headers.get("location") == "/agent/connexion", f"{route} without signing in: {status}")
    status, _, body, session = sign_in("admin-demo", "pas le bon mot de passe")
    check(status == 401 and session is None and "Identifiant ou mot de passe incorrect" in body.decode(), f"wrong password: {status}")
    status, _, body, session = sign_in("personne", "un mot de passe de test")
    check(status == 401 and session is None and "Identifiant ou mot de passe incorrect" in body.decode(), f"unknown login: {status}")
    # A refused sign-in is written to the audit trail with the account's
    # name; a login no account has is not written (an agent may have typed
    # their password there), nor a line of its own forged in it.
    forged = "2026-12-02T03:05:00Z  agent admin-demo  signed in"
    status, _, _, session = sign_in("bob\n" + forged, "un mot de passe de test")
    check(status == 401 and session is None, f"a login with a line break: {status}")
    status, _, _, session = sign_in("MonMotDePasse-Secret!", "x")
    audit_lines = run("audit", "--store", store).stdout.splitlines()
    refused = [line.split("  sign-in refused  ", 1)[1] for line in audit_lines if "  sign-in refused  " in line]
    check(not any(forged in line or "MonMotDePasse" in line for line in audit_lines) and
          refused == ["login admin-demo"] + ["a login no account has (not recorded)"] * 3,
          "refused sign-ins in the audit trail: " + "\n".join(audit_lines[-5:]))
    status, _, _ = server.request("POST", "/agent/connexion",
                                  urllib.parse.urlencode({"identifiant": "admin-demo", "mot_de_passe": "un mot de passe de test"}),
                                  form_type)
    check(status == 400, f"a sign-in without the form's token: {status}")
    sessions = {}
    for login in ("admin-demo", "agent-rsa", "auditeur"):
        status, headers, _, sessions[login] = sign_in(login, "un mot de passe de test")
        check(status == 303 and headers.get("location") == "/agent" and sessions[login] and
              "HttpOnly" in headers["set-cookie"] and "SameSite=Strict" in headers["set-cookie"],
              f"{login} cannot sign in: {status} {headers}")
    pages = {}
    for login, cookie_header in sessions.items():
        for route in routes:
            status, headers, body = server.request("GET", route, headers={"Cookie": cookie_header or ""})
            check(status == 200 and headers.get("cache-control") == "no-store", f"{login} {route}: {status}")
            pages[login, route] = re.sub(r"<[^>]+>", " ", body.decode())
    for login in ("admin-demo", "auditeur"):
        campaign_page, household_page = pages[login, routes[1]], pages[login, routes[2]]
        check(all(p in campaign_page for p in (" c2s ", " rsa ", " m-reso-solidaire ")) and "annulés après une opposition" in campaign_page,
              f"{login} does not see the whole campaign")
        check("Complémentaire santé solidaire" in household_page and "revenu de solidarité active" in household_page.lower(),
              f"{login} does not see the household's decisions")
    # In French, as an agent reads it: the run's sending where the agent may
    # see all of it, the decisions' status and results, no JSON.
    dashboards = {login: pages[login, routes[0]] for login in ("admin-demo", "agent-rsa")}
    check(re.search(r"envoyée|envoi en cours|rien d'envoyé", dashboards["admin-demo"]) and
          "planifiée" in dashboards["agent-rsa"] and "envoyée" not in dashboards["agent-rsa"],
          f"the runs' states: {dashboards}")
    household_page = pages["admin-demo", routes[2]]
    check(re.search(r"campagne [^ ]+ : (éligible|non éligible|indéterminé)", household_page) and "statut" not in household_page and
          "Résultat : éligible ; {" not in household_page and '"monthly_' not in household_page, household_page[:3000])
    campaign_page, household_page = pages["agent-rsa", routes[1]], pages["agent-rsa", routes[2]]
    check(" rsa " in campaign_page and " c2s " not in campaign_page and " m-reso-solidaire " not in campaign_page and
          "annulés après une opposition" not in campaign_page, "an RSA agent sees another program's figures")
    check("Complémentaire santé solidaire" not in household_page and "solidarité active" in household_page,
          "an RSA agent sees another program's decision")
    # The linkage review queue: admins decide, auditors read, agents of
    # programs do not see it; a form needs the session's token.
    pending = query(store, "SELECT id FROM linkage_reviews WHERE decision IS NULL ORDER BY weight DESC, id")
    check(len(pending) >= 3, f"the test's campaign left {len(pending)} pairs to review (3 needed)")
    review_pages = {}
    for login in ("admin-demo", "agent-rsa", "auditeur"):
        status, _, body = server.request("GET", "/agent/rapprochements", headers={"Cookie": sessions[login] or ""})
        review_pages[login] = (status, body.decode())
    check(review_pages["agent-rsa"][0] == 403 and "CAF" not in review_pages["agent-rsa"][1].split("réservée")[1],
          f"an agent of a program sees the review queue: {review_pages['agent-rsa'][0]}")
    check(review_pages["auditeur"][0] == 200 and "paires à revoir" in review_pages["auditeur"][1] and
          "Même personne" not in review_pages["auditeur"][1], "the auditor's review queue")
    admin_queue = review_pages["admin-demo"][1]
    check(review_pages["admin-demo"][0] == 200 and f"{len(pending)} paires à revoir" in admin_queue and
          "date de naissance : identique" in admin_queue and admin_queue.count('value="same"') == len(pending),
          "the admin's review queue")
    csrf = re.search(r'name="jeton" value="([0-9a-f]{32})"', admin_queue).group(1)
    auditor_csrf = re.search(r'name="jeton" value="([0-9a-f]{32})"', review_pages["auditeur"][1]).group(1)
    first_pair = pending[0][0] if pending else "0"
    for login, form, expected in (
            ("admin-demo", {"jeton": "0" * 32, "paire": first_pair, "decision": "same"}, 400),
            ("admin-demo", {"jeton": csrf, "paire": first_pair, "decision": "peut-être"}, 400),
            ("admin-demo", {"jeton": csrf, "paire": "999999", "decision": "same"}, 404),
            # Past the largest number the store holds: refused, not a 500.
            ("admin-demo", {"jeton": csrf, "paire": "9223372036854775808", "decision": "same"}, 400),
            ("admin-demo", {"jeton": csrf, "paire": "99999999999999999999", "decision": "same"}, 400),
            ("auditeur", {"jeton": csrf, "paire": first_pair, "decision": "same"}, 400),
            ("auditeur", {"jeton": auditor_csrf, "paire": first_pair, "decision": "same"}, 403)):
        status, _, _ = server.request("POST", "/agent/rapprochements", urllib.parse.urlencode(form),
                                      {**form_type, "Cookie": sessions[login] or ""})
        check(status == expected, f"review form {login} {form['decision']}: {status}, expected {expected}")
    # Each refusal for want of rights leaves a trace (a DPO tester's finding).
    refused = [(a, d) for a, d in query(store, "SELECT actor, detail FROM audit_log WHERE operation = "
                                               "'refused for want of rights' ORDER BY at, rowid")]
    check(refused == [("agent agent-rsa", "the linkage review queue (admins and auditors)"),
                      ("agent auditeur", "a linkage pair decided (admins only)")], str(refused))
    status, headers, _ = server.request("POST", "/agent/rapprochements",
                                        urllib.parse.urlencode({"jeton": csrf, "paire": first_pair, "decision": "same"}),
                                        {**form_type, "Cookie": sessions["admin-demo"]})
    check(status == 303 and headers.get("location") == f"/agent/rapprochements?fait={first_pair}", f"a pair decided: {status}")
    status, _, _ = server.request("POST", "/agent/rapprochements",
                                  urllib.parse.urlencode({"jeton": csrf, "paire": first_pair, "decision": "different"}),
                                  {**form_type, "Cookie": sessions["admin-demo"]})
    check(status == 404, f"a pair decided twice: {status}")
    # The counter's form takes sixteen persons: a larger number is refused,
    # not decided for sixteen.
    status, _, body = server.request("POST", "/agent/demande?programme=c2s",
                                     urllib.parse.urlencode({"jeton": csrf, "personnes": "17", "action": "decider"}),
                                     {**form_type, "Cookie": sessions["admin-demo"],
                                      "Origin": f"http://127.0.0.1:{server.port}"})
    check(status == 400 and "16 personnes au plus" in body.decode(), f"a counter form of 17 persons: {status}")
    # Answers about a person the form does not list (a form of one person
    # carrying a spouse's answers) are not left out in silence.
    status, _, body = server.request("POST", "/agent/demande?programme=c2s",
                                     urllib.parse.urlencode({"jeton": csrf, "personnes": "1", "action": "decider",
                                                             "personne2.role": "spouse", "personne2.resources_12m": "9000",
                                                             "foyer_complet": "oui"}),
                                     {**form_type, "Cookie": sessions["admin-demo"],
                                      "Origin": f"http://127.0.0.1:{server.port}"})
    check(status == 400 and "pour la personne 2, que le formulaire ne liste pas" in body.decode(),
          f"a counter form carrying answers for a person it does not list: {status}")
    check(query(store, f"SELECT decision, decided_by FROM linkage_reviews WHERE id = {first_pair}") ==
          [("same", "agent admin-demo")], "the page's decision is not recorded")
    # What an agent types to find a household is recorded only where a
    # decision kept names it: a NIR or a name typed stays out of the trail.
    typed = "2 85 05 38 185 123 45 DUPONT Marie"
    status, _, _ = server.request("GET", f"/agent/foyer?sujet={urllib.parse.quote(typed)}",
                                  headers={"Cookie": sessions["agent-rsa"]})
    check(status == 200, f"a search no decision answers: {status}")
    audit = run("audit", "--store", store).stdout
    check(typed not in audit and "DUPONT" not in audit and
          "a subject no decision kept names (what was typed not recorded): none shown" in audit,
          "what an agent typed is in the audit trail")
    check("linkage review queue viewed" in audit and f"pair {first_pair} (" in audit and "the same person" in audit,
          "the review queue's views and decisions are not audited")
    linkage_lines = [line for line in audit.splitlines() if "linkage" in line]
    check(linkage_lines and not any(r in line for line in linkage_lines for row in query(
        store, "SELECT record_a, record_b FROM linkage_reviews") for r in row), "the audit trail holds a record id")

    check("agent agent-rsa" in audit and "decisions viewed" in audit and subject_both + ": rsa" in audit,
          "reading a household's decisions is not audited")
    # Signing out needs the session's token; the session then ends.
    status, _, body = server.request("GET", "/agent", headers={"Cookie": sessions["auditeur"]})
    csrf = re.search(r'action="/agent/deconnexion"[^>]*><input type="hidden" name="jeton" value="([0-9a-f]{32})"', body.decode())
    status, _, _ = server.request("POST", "/agent/deconnexion", "jeton=" + "0" * 32,
                                  {**form_type, "Cookie": sessions["auditeur"]})
    check(status == 400, f"a sign-out without the session's token: {status}")
    status, headers, _ = server.request("POST", "/agent/deconnexion", "jeton=" + (csrf.group(1) if csrf else ""),
                                        {**form_type, "Cookie": sessions["auditeur"]})
    check(status == 303, f"sign-out: {status}")
    status, _, _ = server.request("GET", "/agent", headers={"Cookie": sessions["auditeur"]})
    check(status == 303, f"a session signed out still works: {status}")
    check(query(store, "SELECT COUNT(*) FROM agent_sessions WHERE login = 'auditeur'") == [("0",)], "the session is kept")
    check(not any(s and s.split("=")[1] in str(query(store, "SELECT token_hash FROM agent_sessions")) for s in sessions.values()),
          "a session token is stored as is")

    # The API of programs' owners, with an agent's token.
    tokens = {}
    for login in ("admin-demo", "agent-rsa", "auditeur"):
        r = run("agent", "token", login, "--label", "test", "--days", "2", "--store", store)
        check(r.returncode == 0 and re.fullmatch(r"[0-9a-f]{64}\n", r.stdout), f"agent token {login}: {r.stderr}")
        tokens[login] = r.stdout.strip()
    check(not any(t in str(query(store, "SELECT token_hash FROM api_tokens")) for t in tokens.values()),
          "an API token is stored as is")
    for headers in ({}, {"Authorization": "Bearer " + "0" * 64}, {"Authorization": "Basic YWRtaW46YWRtaW4="},
                    {"Cookie": sessions["admin-demo"] or ""}):
        status, answer_headers, body = server.request("GET", "/api/v1/campaigns", headers=headers)
        check(status == 401 and answer_headers.get("www-authenticate") == "Bearer", f"campaigns with {headers}: {status}")
        conforms("/api/v1/campaigns", "get", status, answer_headers, body)
    bearer = {login: {"Authorization": "Bearer " + token} for login, token in tokens.items()}
    status, headers, body = server.request("GET", "/api/v1/campaigns", headers=bearer["admin-demo"])
    conforms("/api/v1/campaigns", "get", status, headers, body)
    check(headers.get("cache-control") == "no-store", f"an agent's API answer may be cached: {headers}")
    # Each security header once, on an error answer too.
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/pas-une-page")
    raw = connection.getresponse()
    raw.read()
    connection.close()
    names = [k.lower() for k, _ in raw.getheaders()]
    check(raw.status == 404 and names.count("content-security-policy") == 1 and names.count("x-frame-options") == 1,
          f"security headers on a 404: {raw.getheaders()}")
    # The scheme's name is case-insensitive (RFC 9110).
    status, _, _ = server.request("GET", "/api/v1/campaigns",
                                  headers={"Authorization": "bearer " + bearer["admin-demo"]["Authorization"][7:]})
    check(status == 200, f"the scheme written in lower case: {status}")
    listed = json.loads(body)["campaigns"]
    check(status == 200 and [c["run"] for c in listed] == [run_id] and
          {p["program"] for p in listed[0]["programs"]} == {"c2s", "rsa", "m-reso-solidaire"}, f"campaigns (admin): {body[:300]!r}")
    status, headers, body = server.request("GET", f"/api/v1/campaign?run={urllib.parse.quote(run_id)}", headers=bearer["admin-demo"])
    conforms("/api/v1/campaign", "get", status, headers, body)
    check(status == 200 and "outbox" in json.loads(body), f"campaign (admin): {body[:300]!r}")
    status, headers, body = server.request("GET", f"/api/v1/campaign?run={urllib.parse.quote(run_id)}", headers=bearer["agent-rsa"])
    conforms("/api/v1/campaign", "get", status, headers, body)
    scoped = json.loads(body)
    check(status == 200 and [p["program"] for p in scoped["programs"]] == ["rsa"] and "outbox" not in scoped,
          f"campaign (RSA agent): {body[:300]!r}")
    status, headers, body = server.request("GET", "/api/v1/campaign?run=nope", headers=bearer["agent-rsa"])
    check(status == 404, f"an unknown campaign: {status}")
    conforms("/api/v1/campaign", "get", status, headers, body)
    for login, expected in (("admin-demo", {"c2s", "rsa"}), ("agent-rsa", {"rsa"})):
        status, headers, body = server.request("GET", f"/api/v1/decisions?subject={urllib.parse.quote(subject_both)}",
                                               headers=bearer[login])
        conforms("/api/v1/decisions", "get", status, headers, body)
        kept = json.loads(body)["decisions"] if status == 200 else []
        check(status == 200 and expected <= {d["program"] for d in kept} and
              all(d["program"] in expected | {"m-reso-solidaire"} for d in kept) and
              (login == "admin-demo" or {d["program"] for d in kept} == {"rsa"}) and
              all(d["explanation"] and d["decision"]["program"] == d["program"] for d in kept),
              f"decisions ({login}): {body[:300]!r}")
    status, headers, body = server.request("GET", "/api/v1/decisions", headers=bearer["admin-demo"])
    check(status == 400, f"decisions without a subject: {status}")
    conforms("/api/v1/decisions", "get", status, headers, body)
    check("agent agent-rsa (API)" in run("audit", "--store", store).stdout, "the API's read of decisions is not audited")

    # The review queue through the API.
    for login, expected in (("admin-demo", 200), ("auditeur", 200), ("agent-rsa", 403)):
        status, headers, body = server.request("GET", "/api/v1/reviews", headers=bearer[login])
        conforms("/api/v1/reviews", "get", status, headers, body)
        check(status == expected, f"review queue ({login}): {status}")
    queue = json.loads(body if status == 200 else server.request("GET", "/api/v1/reviews", headers=bearer["admin-demo"])[2])
    check(queue["pending"] == len(pending) - 1 and int(first_pair) not in [p["pair"] for p in queue["pairs"]],
          f"the queue after one decision: {queue['pending']} pending")
    api_pair = queue["pairs"][0]["pair"] if queue["pairs"] else 0
    json_type = {"Content-Type": "application/json"}
    for login, body, expected in (
            ("auditeur", {"pair": api_pair, "decision": "different"}, 403),
            ("agent-rsa", {"pair": api_pair, "decision": "different"}, 403),
            ("admin-demo", {"pair": api_pair, "decision": "maybe"}, 400),
            ("admin-demo", {"pair": str(api_pair), "decision": "different"}, 400),
            ("admin-demo", {"pair": api_pair, "decision": "different", "by": "x"}, 400),
            ("admin-demo", {"pair": 999999, "decision": "different"}, 404)):
        status, headers, answer = server.request("POST", "/api/v1/reviews", json.dumps(body), {**json_type, **bearer[login]})
        conforms("/api/v1/reviews", "post", status, headers, answer)
        check(status == expected, f"deciding {body} as {login}: {status}, expected {expected}")
    status, headers, answer = server.request("POST", "/api/v1/reviews",
                                             '{"pair": %d, "decision": "different", "decision": "same"}' % api_pair,
                                             {**json_type, **bearer["admin-demo"]})
    check(status == 400, f"a decision given twice in one body: {status}")
    status, headers, answer = server.request("POST", "/api/v1/reviews", json.dumps({"pair": api_pair, "decision": "different"}),
                                             {**json_type, **bearer["admin-demo"]})
    conforms("/api/v1/reviews", "post", status, headers, answer)
    check(status == 200 and json.loads(answer)["decision"] == "different", f"deciding through the API: {status} {answer!r}")
    check(query(store, f"SELECT decision, decided_by FROM linkage_reviews WHERE id = {api_pair}") ==
          [("different", "agent admin-demo (API)")], "the API's decision is not recorded")

    # An instant decision at the counter, on a server without API Particulier:
    # the datum the program would fetch is a document to bring, the decision
    # waits for it; stored under its reference, audited.
    elodie = {"birth_name": "BERNARD", "first_names": ["ELODIE"], "birth_date": "1990-03-10", "sex": "F"}
    request = {"program": "m-reso-solidaire", "identity": elodie, "answers": {"commune": "38185"}, "consent": True}
    for login, body, expected in (("agent-rsa", request, 403), ("admin-demo", {**request, "consent": False}, 400),
                                  ("admin-demo", {**request, "program": "nope"}, 404),
                                  ("admin-demo", {**request, "identity": {**elodie, "sex": "X"}}, 400),
                                  ("admin-demo", {**request, "answers": {"commune": "1234"}}, 422),
                                  ("admin-demo", {**request, "answers": {"quotient_familial": 500}}, 422),
                                  ("admin-demo", {k: v for k, v in request.items() if k != "identity"}, 400),
                                  # A decision about nobody, or somebody without a birth date or name.
                                  ("admin-demo", {**request, "identity": {}}, 400),
                                  ("admin-demo", {**request, "identity": {k: v for k, v in elodie.items() if k != "birth_date"}}, 400),
                                  ("admin-demo", {**request, "identity": {**elodie, "birth_name": ""}}, 400),
                                  ("admin-demo", {**request, "identity": elodie, "identity ": elodie}, 400),
                                  # A member or an answer given twice: which was meant is not known.
                                  ("admin-demo", json.dumps({**request, "consent": False})[:-1] + ', "consent": true}', 400),
                                  ("admin-demo", json.dumps({k: v for k, v in request.items() if k != "answers"})[:-1] +
                                   ', "answers": {"commune": "38185", "commune": "75056"}}', 400),
                                  ("admin-demo", {k: v for k, v in request.items() if k != "answers"}, 201),
                                  ("admin-demo", request, 201)):
        status, headers, answer = server.request("POST", "/api/v1/instant-decisions",
                                                 body if isinstance(body, str) else json.dumps(body),
                                                 {**json_type, **bearer[login]})
        conforms("/api/v1/instant-decisions", "post", status, headers, answer)
        check(status == expected, f"instant decision {login} {body}: {status} {answer[:200]!r}, expected {expected}")
    instant = json.loads(answer) if status == 201 else {}
    check(instant.get("status") == "undetermined" and instant.get("fetched") == [] and
          instant.get("decision", {}).get("missing") == ["household.quotient_familial"] and
          [d["document"] for d in instant.get("documents", [])] == ["l'attestation de quotient familial de la CAF ou de la MSA"],
          f"an instant decision without API Particulier: {instant}")
    check((instant.get("reference"), "undetermined") in
          query(store, "SELECT subject, status FROM decisions WHERE run_id LIKE 'instant:m-reso-solidaire:%'"),
          "the instant decision is not stored under its reference")
    check(f"{instant.get('reference')} (m-reso-solidaire): undetermined" in run("audit", "--store", store).stdout,
          "the instant decision is not audited")
    # The person is given the reference: checked like a message's code, it
    # is authentic (a decision taken at the counter), and it reaches the
    # decision for an objection.
    status, headers, body = server.request("POST", "/api/v1/verifications", json.dumps({"code": instant.get("reference", "")}),
                                           json_type)
    answer = json.loads(body)
    check(status == 200 and answer["authentic"] and answer["medium"] == "guichet" and answer["program"] == "m-reso-solidaire"
          and "prise au guichet" in answer["message"], f"an instant decision's reference checked: {answer}")
    conforms("/api/v1/verifications", "post", status, headers, body)
    status, _, body = server.request("GET", "/verifier?code=" + urllib.parse.quote(instant.get("reference", "")))
    check(status == 200 and "Cette référence est authentique" in body.decode() and "prise au guichet" in body.decode()
          and "Ce message est authentique" not in body.decode(), f"the page on an instant decision's reference: {status}")
    status, headers, body = server.request("POST", "/api/v1/objections",
                                           json.dumps({"code": instant.get("reference", ""), "scope": "all"}), json_type)
    check(status == 201 and json.loads(body)["recorded"] and json.loads(body)["scope"] == "counter_decision" and
          json.loads(body)["decisions_deleted"] == 1, f"an objection by an instant decision's reference: {status} {body!r}")
    conforms("/api/v1/objections", "post", status, headers, body)
    check(query(store, f"SELECT COUNT(*) FROM decisions WHERE subject = '{instant.get('reference')}'") == [("0",)],
          "the instant decision objected to is still stored")
    # Checked again, the reference is still the person's: its decision was
    # deleted at their request, which is what they are told, not "no
    # message has this code, report it"; and objecting again says so.
    status, headers, body = server.request("POST", "/api/v1/verifications", json.dumps({"code": instant.get("reference", "")}),
                                           json_type)
    answer = json.loads(body)
    check(status == 200 and answer["authentic"] and answer["medium"] == "guichet" and answer["deleted_on"] and
          "effacée le" in answer["message"] and "opposition" in answer["message"] and "signalez" not in answer["message"],
          f"a deleted instant decision's reference checked: {answer}")
    conforms("/api/v1/verifications", "post", status, headers, body)
    status, _, body = server.request("GET", "/verifier?code=" + urllib.parse.quote(instant.get("reference", "")))
    check(status == 200 and "Cette référence est authentique" in body.decode() and "effacée le" in body.decode() and
          "Vous opposer à ce traitement" not in body.decode(), f"the page on a deleted instant decision's reference: {status}")
    status, headers, body = server.request("POST", "/api/v1/objections", json.dumps({"code": instant.get("reference", "")}),
                                           json_type)
    check(status == 201 and json.loads(body)["scope"] == "counter_decision" and json.loads(body)["decisions_deleted"] == 0,
          f"a second objection by an instant decision's reference: {status} {body!r}")
    # The C2S is decided for the foyer (CSS R861-2): at the counter, only for
    # a person who says they live alone; otherwise nothing is decided on part
    # of a household.
    c2s = {"program": "c2s", "identity": elodie, "consent": True,
           "answers": {"commune": "38185", "housing": "tenant", "housing_benefit_monthly": 0, "resources_12m": 5000}}
    for body, expected in ((c2s, 422), ({**c2s, "lives_alone": False}, 422), ({**c2s, "lives_alone": True}, 201)):
        status, headers, answer = server.request("POST", "/api/v1/instant-decisions", json.dumps(body),
                                                 {**json_type, **bearer["admin-demo"]})
        conforms("/api/v1/instant-decisions", "post", status, headers, answer)
        check(status == expected and (expected == 201 or b"who lives with them" in answer),
              f"a C2S instant decision, lives_alone {body.get('lives_alone')}: {status} {answer[:300]!r}")
    # A household at the counter: the persons who live with the person, each
    # with their answers, and the statement that they are all. A couple aged
    # 35 and 37 on 1 January with a child of 10, 19 000 EUR over 12 months:
    # above the free C2S's ceiling for three (18 758 EUR since 1 April 2026,
    # D861-1), under the participation's (25 324 EUR): 14 + 14 + 8 = 36 EUR a
    # month (arrêté du 21 juin 2019, art. 1). A son of 27 living with them is
    # a foyer of his own (R861-2): neither counted nor his resources read.
    spouse = {"role": "spouse", "birth_date": "1988-05-01", "resources_12m": 10000}
    child = {"role": "child", "birth_date": "2015-04-01", "resources_12m": 0}
    son = {"role": "child", "birth_date": "1999-01-01", "resources_12m": 30000}
    couple = {**c2s, "answers": {**c2s["answers"], "resources_12m": 9000}, "others": [spouse, child, son],
              "household_complete": True}
    for body, expected, words in (
            ({k: v for k, v in couple.items() if k != "household_complete"}, 422, b"who lives with them"),
            ({**couple, "lives_alone": True}, 400, b"household_complete"),
            ({**couple, "others": [{**spouse, "role": "applicant"}]}, 422, b"person 2: 'role'"),
            ({**couple, "others": [child, {k: v for k, v in spouse.items() if k != "role"}]}, 422, b"person 3: 'role'"),
            ({**couple, "others": [{**spouse, "commune": "38185"}]}, 422, b"not an input of c2s about a person"),
            ({**couple, "others": [{**spouse, "resources_12m": "beaucoup"}]}, 422, b"resources_12m"),
            ({**couple, "others": [spouse] * 16}, 422, b"at most 15"),
            ({**couple, "others": [spouse, child, {**spouse, "birth_date": "1989-01-01"}]}, 422, b"a second spouse"),
            # A person of 20 living with an adult who may be her parent:
            # perhaps in that adult's foyer (R861-2), not decided as her own.
            ({**couple, "identity": {**elodie, "birth_date": "2006-03-10"},
              "others": [{"role": "other", "birth_date": "1975-01-01", "resources_12m": 30000}]}, 422, b"under 25"),
            # Without a birth date, nobody is identified: nothing is decided.
            ({**couple, "identity": {k: v for k, v in elodie.items() if k != "birth_date"},
              "others": [{"role": "other", "birth_date": "1975-01-01", "resources_12m": 30000}]}, 400, b"birth_date"),
            ({**couple, "others": [spouse, {**child, "birth_date": "1980-01-01"}]}, 422, b"born before them"),
            ({**couple, "answers": {**couple["answers"], "role": "spouse"}}, 422, b"'role' of the person asking"),
            ({**request, "others": [spouse], "household_complete": True}, 422, b"nobody else's situation"),
            (couple, 201, b"")):
        status, headers, answer = server.request("POST", "/api/v1/instant-decisions", json.dumps(body),
                                                 {**json_type, **bearer["admin-demo"]})
        conforms("/api/v1/instant-decisions", "post", status, headers, answer)
        check(status == expected and words in answer, f"a household's instant decision: {status} {answer[:300]!r}, "
                                                      f"expected {expected} and {words!r}")
    household = json.loads(answer) if status == 201 else {}
    result = household.get("decision", {}).get("result", {})
    check(household.get("status") == "eligible" and result.get("variant") == "participation" and
          result.get("monthly_participation_eur") == 36, f"a couple with a child at the counter: {household}")
    foyer = (household.get("explanation") or {}).get("foyer") or {}
    check(foyer.get("counted") == ["p1", "p2", "p3"] and foyer.get("not_counted") == ["p4"],
          f"the foyer counted at the counter: {foyer}")
    check(f"{household.get('reference')} (c2s): eligible, 0 data asked of API Particulier, the person stated the 3 other "
          "persons who live with them" in run("audit", "--store", store).stdout, "the household's statement is not audited")
    # The RSA's student status is fetched about the person asking only: for
    # the spouse it is a document to bring.
    rsa = {"program": "rsa", "identity": elodie, "consent": True, "household_complete": True,
           "answers": {"commune": "38185"}, "others": [{"role": "spouse", "birth_date": "1988-05-01"}]}
    status, headers, answer = server.request("POST", "/api/v1/instant-decisions", json.dumps(rsa),
                                             {**json_type, **bearer["admin-demo"]})
    documents = [d["input"] for d in json.loads(answer).get("documents", [])] if status == 201 else []
    check(status == 201 and any(d.endswith("(personne 2)") for d in documents),
          f"the RSA with a spouse: {status} {documents} {answer[:300]!r}")
    def explained_sources(decided):
        """Each datum of an instant decision's explanation: its source."""
        return {d.get("name"): d.get("source", "") for d in (decided.get("explanation") or {}).get("data", [])
                if isinstance(d, dict)}

    # Not being a student is stated, as the RSA's claim form takes it (the
    # program's `stated:`): the person's word for themselves (nothing is
    # fetched here) and for the spouse, named as such; no document.
    stated = {**rsa, "answers": {"commune": "38185", "housing": "tenant", "housing_benefit_monthly": 0,
                                 "resources_3m": 0, "student": False},
              "others": [{"role": "spouse", "birth_date": "1988-05-01", "resources_3m": 0, "student": False}]}
    status, headers, answer = server.request("POST", "/api/v1/instant-decisions", json.dumps(stated),
                                             {**json_type, **bearer["admin-demo"]})
    conforms("/api/v1/instant-decisions", "post", status, headers, answer)
    got = json.loads(answer) if status == 201 else {}
    sources = explained_sources(got)
    check(got.get("status") == "eligible" and got.get("documents") == [] and
          sources.get("persons.p1.student", "").startswith("déclaré par la personne lors de sa demande (comme au "
                                                            "formulaire de demande de RSA") and
          # the spouse, not a student, may claim: the person's own studies change nothing
          "non demandée à API Particulier : la décision n'en dépend pas" in sources.get("persons.p1.student", "") and
          sources.get("persons.p2.student", "").startswith("déclaré par la personne lors de sa demande pour cette personne"),
          f"the RSA with the student status stated: {status} {got.get('documents')} {sources} {answer[:300]!r}")
    check(f"{got.get('reference')} (rsa): eligible, 0 data asked of API Particulier, 2 taken on the person's statement, "
          "the person stated the 1 other persons who live with them" in run("audit", "--store", store).stdout,
          "the statements are not counted in the audit trail")
    # Living alone, the person's own studies decide: her statement is read,
    # this service asking nothing of API Particulier.
    alone = {"program": "rsa", "identity": elodie, "consent": True, "lives_alone": True,
             "answers": {"commune": "38185", "housing": "tenant", "housing_benefit_monthly": 0, "resources_3m": 0,
                         "student": False}}
    status, headers, answer = server.request("POST", "/api/v1/instant-decisions", json.dumps(alone),
                                             {**json_type, **bearer["admin-demo"]})
    got = json.loads(answer) if status == 201 else {}
    sources = explained_sources(got)
    check(got.get("status") == "eligible" and got.get("documents") == [] and
          sources.get("persons.p1.student", "").startswith("déclaré par la personne lors de sa demande (comme au "
                                                            "formulaire de demande de RSA") and
          "non demandée (ce service n'est pas relié à API Particulier)" in sources.get("persons.p1.student", ""),
          f"the RSA of a person living alone, her student status stated: {status} {sources.get('persons.p1.student')} "
          f"{answer[:300]!r}")
    # A fare for students opens on proof: its student status is not stated.
    status, headers, answer = server.request(
        "POST", "/api/v1/instant-decisions",
        json.dumps({"program": "brest-bibus-boursiers", "identity": elodie, "consent": True,
                    "answers": {"commune": "29019", "student": True}}), {**json_type, **bearer["admin-demo"]})
    check(status == 422 and b"'student' is fetched from API Particulier, not answered" in answer,
          f"a student status stated for a fare: {status} {answer[:300]!r}")
    # A baby's student status is read by nothing: no document asked for it.
    baby = {**rsa, "others": [{"role": "child", "birth_date": "2025-09-01"}]}
    status, headers, answer = server.request("POST", "/api/v1/instant-decisions", json.dumps(baby),
                                             {**json_type, **bearer["admin-demo"]})
    documents = [d["input"] for d in json.loads(answer).get("documents", [])] if status == 201 else []
    check(status == 201 and not any("(personne" in d for d in documents),
          f"the RSA of a parent and a baby asks a document about the baby: {status} {documents} {answer[:300]!r}")
    # A fare is decided on the person's own data: nobody's statement of a
    # household is recorded for it.
    status, headers, answer = server.request("POST", "/api/v1/instant-decisions",
                                             json.dumps({**request, "household_complete": True}),
                                             {**json_type, **bearer["admin-demo"]})
    fare = json.loads(answer).get("reference", "?") if status == 201 else "?"
    check(status == 201 and f"{fare} (m-reso-solidaire): undetermined, 0 data asked of API Particulier\n" in
          run("audit", "--store", store).stdout + "\n", f"a fare's instant decision audited with a household statement: {answer[:200]!r}")

    # Accounts changed from the command line take effect at once.
    r = run("agent", "revoke", "auditeur", "--store", store)
    check(r.returncode == 0 and "1 API tokens revoked" in r.stdout, f"agent revoke: {r.stdout} {r.stderr}")
    status, _, _ = server.request("GET", "/api/v1/reviews", headers=bearer["auditeur"])
    check(status == 401, f"a revoked token still works: {status}")
    r = subprocess.run([BINARY, "agent", "password", "agent-rsa", "--store", store], input="un nouveau mot de passe\n",
                       capture_output=True, text=True)
    check(r.returncode == 0, f"agent password: {r.stderr}")
    status, _, _ = server.request("GET", "/agent", headers={"Cookie": sessions["agent-rsa"] or ""})
    check(status == 303, f"a session opened with the old password still works: {status}")
    check(sign_in("agent-rsa", "un mot de passe de test")[0] == 401 and sign_in("agent-rsa", "un nouveau mot de passe")[0] == 303,
          "the new password is not the one that signs in")
    r = run("agent", "remove", "agent-rsa", "--store", store)
    check(r.returncode == 0, f"agent remove: {r.stderr}")
    status, _, _ = server.request("GET", "/api/v1/campaigns", headers=bearer["agent-rsa"])
    check(status == 401, f"the token of a removed account still works: {status}")
    listed = run("agent", "list", "--store", store).stdout
    check(listed.startswith("admin-demo\tadmin\t") and "agent-rsa" not in listed and "auditeur\tauditor" in listed,
          f"agent list: {listed!r}")

    # A code put in a path no route has (a tester's finding of 2026-12-06:
    # the path was logged as it came) is not logged either.
    status, _, _ = server.request("GET", "/verifier/" + letter_code)
    check(status == 404, f"a code in a path: {status}")
    # Nor one typed in place of the page's name, or run into it (a tester's
    # finding of 2026-12-07).
    for path in ("/" + letter_code, "/verifier" + letter_code, "/verifier%20" + letter_code, "/m-opposer;" + letter_code):
        status, _, _ = server.request("GET", path)
        check(status == 404, f"{path}: {status}")
    code, log = server.stop()
    check(code == 0 and "SIGTERM received" in log and "stopped" in log, f"SIGTERM: exit {code}, {log[-300:]}")
    check("GET /verifier/… 404" in log and log.count("GET /… 404") >= 4,
          "a path no route has is logged by its first segment, where it is one of the service's: " +
          "\n".join(line for line in log.splitlines() if " 404 " in line))
    for secret in (letter_code, email_code.lower(), code2, subject, email_subject, "code=", "?"):
        check(secret not in log.split("\n", 1)[1], f"the access log holds {secret!r}")

    # The citizen endpoints' limit, per address; and the agents' sign-in
    # limit, set for a deployment (behind a proxy, all agents share one).
    # The limits count per minute of the clock: each sequence starts with
    # half a minute at least before the next one, so that it is counted in
    # one (a slow machine crossed it, and the third attempt was counted anew).
    def in_one_minute():
        left = 60 - time.time() % 60
        if left < 30:
            time.sleep(left + 0.5)

    server = ProactifServer(BINARY, store, work, "--citizen-per-minute", "3", "--sign-in-per-minute", "2")
    in_one_minute()
    attempts = [sign_in("admin-demo", "pas le bon mot de passe")[0] for _ in range(3)]
    check(attempts == [401, 401, 429], f"sign-in limit of 2 a minute: {attempts}")
    in_one_minute()
    statuses = []
    for _ in range(4):
        status, headers, body = server.request("POST", "/api/v1/verifications", json.dumps({"code": "AAAA-BBBB-CCCC"}),
                                               {"Content-Type": "application/json"})
        statuses.append(status)
    check(statuses == [200, 200, 200, 429] and 1 <= int(headers.get("retry-after", "0")) <= 60,
          f"rate limit: {statuses} {headers.get('retry-after')}")
    conforms("/api/v1/verifications", "post", status, headers, body)
    status, _, _ = server.request("GET", f"/verifier?code={letter_code}")
    check(status == 429, f"the verification page is not limited with the API: {status}")
    # The first request an address has held back in a minute is recorded,
    # without the address; the others of that minute are not (a flood would
    # fill the trail).
    held = query(store, "SELECT actor, operation, detail FROM audit_log WHERE operation LIKE '%held back' ORDER BY at, rowid")
    check([(a, o) for a, o, d in held] == [("proactif serve (connexion)", "sign-ins held back"),
                                          ("proactif serve (citoyens)", "message code checks held back")] and
          not any("127.0.0.1" in d for a, o, d in held), str(held))
    status, _, _ = server.request("GET", "/algorithmes/c2s")
    check(status == 200, "the public pages are limited")
    server.stop()

    # The pages in a real browser.
    server = ProactifServer(BINARY, store, work)
    node = shutil.which("node")
    script = os.path.join(SOURCE, "tests", "browser", "pages.mjs")
    if not check(node and os.path.exists("/usr/bin/chromium"), "node or chromium is missing (scripts/setup.sh installs them)"):
        raise SystemExit
    code3 = query(store, f"SELECT verification_code FROM outbox WHERE subject NOT IN ('{email_subject}', '{subject2}', '{subject_both}') "
                         "AND channel = 'letter' LIMIT 1")[0][0]
    browser = subprocess.run([node, script, f"http://127.0.0.1:{server.port}", letter_code, code3, "admin-demo",
                              "un mot de passe de test", run_id, subject_both],
                             capture_output=True, text=True, timeout=600,
                             env={**os.environ, "NODE_PATH": os.path.join(SOURCE, "web", "node_modules")})
    print(browser.stdout[-3000:], browser.stderr[-3000:])
    check(browser.returncode == 0, "the pages failed in Chromium (above)")
    decided = query(store, "SELECT decision, source_a, record_a, source_b, record_b FROM linkage_reviews "
                           "WHERE decision IS NOT NULL ORDER BY id")
    check(sorted(d[0] for d in decided) == ["different", "different", "same"],
          f"the pairs decided on the page, the API and in the browser: {[d[0] for d in decided]}")

    # The next ingestion applies the decisions: the pairs leave the queue and
    # are not sent to review again.
    second = open(campaign(), encoding="utf-8").read().replace("id: serve", "id: serve-bis")
    open(os.path.join(work, "serve-bis.yaml"), "w", encoding="utf-8").write(second)
    r = run("campaign", "run", os.path.join(work, "serve-bis.yaml"), "--plan-only", "--store", store)
    check(r.returncode == 0 and "reviewers' decisions applied: 1 the same person, 2 two persons; not applied: 0 " in r.stdout, f"the next ingestion: {r.stdout[-1500:]} {r.stderr[-500:]}")
    still = query(store, "SELECT source_a, record_a, source_b, record_b FROM linkage_reviews WHERE decision IS NULL")
    check(not any(tuple(d[1:]) in still for d in decided), "a decided pair is under review again")
    check(len(still) < len(pending), f"the queue did not shrink: {len(pending)} pairs, then {len(still)}")
    check(all(s == "serve-bis:2025-06" for (s,) in query(store, "SELECT seen_in FROM linkage_reviews WHERE decision IS NULL")),
          "the pending pairs are not the last ingestion's")
finally:
    if server and server.process.poll() is None:
        server.stop()
    sink.process.terminate()
finish()
