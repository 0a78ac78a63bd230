"""API Particulier, against the local simulator of its official sandbox
(tests/support/api_particulier_simulator.py, ../shared/data/api-particulier):
- the simulator answers each of the official cases with its recorded status
  and body, and its answers, the cases' and its own errors, match the
  specification's schemas (openapi.yaml);
- `proactif proofs` reads each case it can ask (its parameters are those of
  an identity) as a direct reading of the recorded answer says, on the date
  the test picks: a 404 is "not found" (undetermined), never a "no"; 401/403
  stop the command; 422 names the parameter; a negative scholarship answer
  in the autumn is unreliable;
- on demand: 429 with Retry-After honoured, 503 retried after meta.retry_in,
  a timeout after 5 s, the circuit breaker after 5 failures in a row, no 429
  from 30 requests at once (20 a second at most);
- every request the client made has the specification's parameters, a
  recipient and a token; every call is in the audit trail, without a name.
Skipped (exit 77) without ../shared/data/api-particulier."""
import datetime
import json
import os
import re
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import BINARY, SOURCE, finish, run, work_dir  # noqa: E402
from harness import check as record  # noqa: E402
from servers import ApiParticulierSimulator, ProactifServer, query  # noqa: E402

DATA = os.path.join(os.path.dirname(SOURCE), "shared", "data", "api-particulier")
if not os.path.isdir(os.path.join(DATA, "payloads")):
    print(f"api_particulier.py: skipped, {DATA} not found")
    sys.exit(77)

import yaml  # noqa: E402  (python3-yaml, installed by scripts/setup.sh)

try:
    import jsonschema
except ImportError:
    jsonschema = None
from api_particulier_cases import DATUM, cases, expected, identity_of, keeps_recorded_month  # noqa: E402



def check(condition, message):
    """The harness's check, which also gives the condition back."""
    record(condition, message)
    return condition


RECIPIENT = "13002526500013"
TOKEN = "jeton-de-test-tous-droits"
QF_ONLY = "jeton-de-test-quotient-familial"
# The service says some data as they are today; the client asks them for a date near it.
TODAY = datetime.date.today().isoformat()
spec = yaml.safe_load(open(os.path.join(DATA, "openapi.yaml"), encoding="utf-8"))
work = work_dir("proactif-api-particulier-")
store = "sqlite:" + os.path.join(work, "store.db")


def json_schema(schema):
    """OpenAPI 3.0's schema dialect as JSON Schema: `nullable`, and $ref into the document."""
    if isinstance(schema, list):
        return [json_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: json_schema(v) for k, v in schema.items() if k not in ("nullable", "example", "examples")}
    if "$ref" in out:
        out["$ref"] = "#/components/schemas/" + out["$ref"].rsplit("/", 1)[1]
    if schema.get("nullable"):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


components = {"schemas": {name: json_schema(s) for name, s in spec["components"]["schemas"].items()}}


def conforms(route, status, body, what):
    response = spec["paths"][route]["get"]["responses"].get(str(status))
    if not check(response is not None, f"{what}: {route} answered {status}, which the specification does not list"):
        return
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    if schema is None or jsonschema is None:
        check(jsonschema is not None, "python3-jsonschema is not installed (scripts/setup.sh installs it)")
        return
    try:
        jsonschema.validate(json.loads(body), {**json_schema(schema), "components": components},
                            cls=jsonschema.Draft7Validator)
    except jsonschema.ValidationError as e:
        check(False, f"{what}: {route} {status} does not match the specification: {e.message} at {list(e.path)}")


def raw(sim, route, params, token=TOKEN, recipient=RECIPIENT):
    query_items = [("recipient", recipient)] if recipient else []
    for name, value in params.items():
        if isinstance(value, list):
            query_items += [(name + "[]", str(v)) for v in value]
        else:
            query_items.append((name, str(value)))
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return sim.call("GET", route + "?" + urllib.parse.urlencode(query_items), headers=headers)


def run_with_token(args, token=TOKEN):
    import subprocess
    return subprocess.run([BINARY, *args], capture_output=True, text=True,
                          env={**os.environ, "PROACTIF_API_PARTICULIER_TOKEN": token})


def proofs(sim, identity, *data, token=TOKEN, date=TODAY, extra=()):
    path = os.path.join(work, "identity.json")
    json.dump(identity, open(path, "w", encoding="utf-8"))
    args = [BINARY, "proofs", "--identity", path, "--purpose", "tarif solidaire (test)", "--recipient", RECIPIENT,
            "--api", sim.url, "--date", date, "--store", store, *extra]
    for d in data:
        args += ["--data", d]
    import subprocess
    started = time.monotonic()
    r = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "PROACTIF_API_PARTICULIER_TOKEN": token})
    answers = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    return r, answers, time.monotonic() - started


sim = ApiParticulierSimulator(DATA, TOKEN, f"{QF_ONLY}=/v3/dss/quotient_familial/identite")
try:
    # 1. Every official case, asked with its own parameters.
    answered = 0
    for route, name, case in cases(DATA):
        time.sleep(1 / 18)  # within the service's 20 requests a second, as a client must be
        status, headers, body = raw(sim, route, case.get("params") or {})
        recorded = json.loads(case.get("payload") or "{}")
        if check(status == int(case["status"]) and json.loads(body) == recorded,
                 f"{name}: answered {status}, recorded {case['status']}"):
            answered += 1
        conforms(route, status, body, name)
    check(answered == 176, f"{answered} of the 176 official cases answered as recorded")
    # The service's own errors, as the specification gives them.
    qf = "/v3/dss/quotient_familial/identite"
    giraud = {"nomNaissance": "GIRAUD", "prenoms": ["ANNE"], "anneeDateNaissance": 1988, "moisDateNaissance": 12,
              "jourDateNaissance": 1, "sexeEtatCivil": "F", "codeCogInseePaysNaissance": "99100",
              "codeCogInseeCommuneNaissance": "13002"}
    for what, (route, params, token, recipient), status in (
            ("no token", (qf, giraud, "", RECIPIENT), 401),
            ("a token outside its scopes", ("/v3/dss/revenu_solidarite_active/identite", giraud, QF_ONLY, RECIPIENT), 403),
            ("no recipient", (qf, giraud, TOKEN, ""), 422),
            ("a person nobody knows", (qf, {**giraud, "nomNaissance": "INCONNUE"}, TOKEN, RECIPIENT), 404)):
        time.sleep(1 / 18)
        got, _, body = raw(sim, route, params, token, recipient)
        check(got == status, f"{what}: {got}, expected {status}")
        conforms(route, got, body, what)
    sim.reset()

    # 2. The client on each case an identity can ask.
    asked = agreed = 0
    seen_outcomes = set()
    for route, name, case in cases(DATA):
        datum = DATUM.get(route)
        params = case.get("params") or {}
        who = identity_of(route, params) if datum else None
        if who is None or (route.endswith("/ine") != ("ine" in params)):
            continue
        status = int(case["status"])
        date = TODAY
        payload = case.get("payload") or "{}"
        data = json.loads(payload).get("data") or {} if status == 200 else {}
        if datum == "statut_etudiant" and data.get("admissions"):
            # inside the first admission, so that some answer "enrolled"
            date = data["admissions"][0]["date_debut"][:8] + "15"
        if datum == "echelon_bourse" and (data.get("periode_versement_bourse") or {}).get("date_rentree"):
            # inside the months the scholarship is paid for, so that some answer a step
            date = data["periode_versement_bourse"]["date_rentree"][:8] + "15"
        outcome, value = expected(datum, status, payload, date, who.get("birth_date"), TODAY, keeps_recorded_month(case))
        r, answers, _ = proofs(sim, who, datum, date=date)
        asked += 1
        got = answers[0] if answers else {}
        ok = got.get("outcome") == outcome and got.get("value") == value
        if datum == "quotient_familial" and outcome == "found":
            ok = ok and got.get("provider") == json.loads(payload)["data"]["quotient_familial"]["fournisseur"]
        exit_expected = 2 if outcome == "configuration" else 1 if outcome in ("retry_later", "refused_input") else 0
        if check(ok and r.returncode == exit_expected,
                 f"{name} on {date}: {got.get('outcome')} {got.get('value')!r} (exit {r.returncode}), expected "
                 f"{outcome} {value!r} (exit {exit_expected}) {r.stderr[-300:]}"):
            agreed += 1
        seen_outcomes.add(outcome)
    check(asked >= 80 and agreed == asked, f"the client agreed with the recorded answers on {agreed} of {asked} cases")
    check({"found", "not_found", "configuration", "refused_input", "retry_later"} <= seen_outcomes,
          f"the cases asked cover {sorted(seen_outcomes)} only")
    print(f"api_particulier.py: {answered} official cases answered as recorded; the client read {agreed} of the "
          f"{asked} cases an identity can ask as the recorded answers say")

    # What the service says as of today is not asked for a date 40 days away:
    # no call is made (the autumn's and the answers' own rules are the unit tests').
    durand = {"birth_name": "Durand", "first_names": ["Sophie"], "birth_date": "2000-03-25", "sex": "F",
              "birth_commune": "69123"}
    far = (datetime.date.today() - datetime.timedelta(days=40)).isoformat()
    sim.reset()
    r, answers, _ = proofs(sim, durand, "beneficiaire_rsa", "beneficiaire_c2s", "echelon_bourse", date=far)
    check(r.returncode == 0 and [(a["outcome"], a["attempts"]) for a in answers] == [("unreliable", 0)] * 2 +
          [("unreliable", 1)] and "as of today" in answers[0]["detail"] and len(sim.requests()) == 1,
          f"rights asked for a date 40 days away: {answers}, {len(sim.requests())} calls")
    # A mandatory parameter the identity lacks: the service names it, nothing is read.
    no_sex = {"birth_name": "GIRAUD", "first_names": ["ANNE"], "birth_date": "1988-12-01", "birth_commune": "75056"}
    r, answers, _ = proofs(sim, no_sex, "quotient_familial")
    check(r.returncode == 1 and answers and answers[0]["outcome"] == "refused_input" and "sexeEtatCivil" in answers[0]["detail"],
          f"an identity without sex: {answers} {r.returncode}")
    # The commune of birth is required of a person born in France, and left
    # out for one born abroad (the specification): a person asked without it
    # would come back unknown to the administration. Not asked at all.
    sim.reset()
    r, answers, _ = proofs(sim, {k: v for k, v in durand.items() if k != "birth_commune"}, "quotient_familial")
    check(r.returncode == 1 and answers and answers[0]["outcome"] == "refused_input" and answers[0]["attempts"] == 0 and
          "commune of birth" in answers[0]["detail"] and not sim.requests(), f"born in France, no commune: {answers}")
    sim.reset()
    proofs(sim, {**durand, "birth_country": "99404"}, "quotient_familial")
    check(sim.requests() and not any("codeCogInseeCommuneNaissance" in json.dumps(q) for q in sim.requests()),
          f"the commune of a person born abroad was sent: {sim.requests()}")
    anne = {"birth_name": "GIRAUD", "first_names": ["ANNE"], "birth_date": "1988-12-01", "sex": "F",
            "birth_commune": "13002"}
    # A wrong token, and a token without the scope: the command stops at once.
    r, answers, _ = proofs(sim, anne, "quotient_familial", "beneficiaire_c2s", token="mauvais-jeton")
    check(r.returncode == 2 and len(answers) == 1 and answers[0]["outcome"] == "configuration" and
          "refused the token" in r.stderr, f"a wrong token: {r.returncode} {answers} {r.stderr}")
    r, answers, _ = proofs(sim, anne, "quotient_familial", "beneficiaire_c2s", "beneficiaire_rsa", token=QF_ONLY)
    check(r.returncode == 2 and [a["outcome"] for a in answers] == ["found", "configuration"],
          f"a token without the C2S scope: {r.returncode} {[a['outcome'] for a in answers]}")

    # 3. Errors on demand.
    sim.reset()
    sim.fault(status=429, retry_after=2)
    r, answers, took = proofs(sim, anne, "quotient_familial")
    check(r.returncode == 0 and answers[0]["outcome"] == "found" and answers[0]["attempts"] == 2 and took >= 2,
          f"429 with Retry-After 2: {answers} in {took:.1f} s")
    sim.fault(status=503, retry_in=1, count=2)
    r, answers, took = proofs(sim, anne, "quotient_familial")
    check(r.returncode == 0 and answers[0]["outcome"] == "found" and answers[0]["attempts"] == 3 and took >= 1,
          f"two 503 with retry_in 1: {answers} in {took:.1f} s")
    sim.fault(status=502, count=3)
    r, answers, _ = proofs(sim, anne, "quotient_familial")
    check(r.returncode == 1 and answers[0]["outcome"] == "retry_later" and answers[0]["http_status"] == 502,
          f"three 502: {answers}")
    sim.fault(status=409)
    r, answers, _ = proofs(sim, anne, "quotient_familial")
    check(r.returncode == 0 and answers[0]["outcome"] == "found" and answers[0]["attempts"] == 2, f"409: {answers}")
    sim.fault(delay=6)
    r, answers, took = proofs(sim, anne, "quotient_familial")
    check(r.returncode == 0 and answers[0]["outcome"] == "found" and answers[0]["attempts"] == 2 and 5 <= took < 12,
          f"a 6 s answer: {answers} in {took:.1f} s (the client gives up at 5 s, then asks again)")
    # The breaker: five failures in a row, and the service is left alone.
    sim.reset()
    sim.fault(status=504, count=20)
    r, answers, _ = proofs(sim, anne, "quotient_familial", "beneficiaire_c2s", "beneficiaire_rsa")
    calls = len(sim.requests())
    check(r.returncode == 1 and [a["outcome"] for a in answers] == ["retry_later"] * 3 and calls == 5 and
          answers[2]["attempts"] == 0 and "in a row" in answers[2]["detail"],
          f"the breaker: {calls} calls, {[(a['attempts'], a['detail']) for a in answers]}")
    # 30 requests at once: never over 20 a second, so never a 429.
    sim.reset()
    r, answers, took = proofs(sim, anne, *["quotient_familial"] * 30)
    statuses = [a["http_status"] for a in answers]
    check(r.returncode == 0 and statuses == [200] * 30 and all(a["attempts"] == 1 for a in answers) and took >= 1.4,
          f"30 requests: {sorted(set(statuses))}, attempts {sorted(set(a['attempts'] for a in answers))}, exit "
          f"{r.returncode}, {took:.2f} s {r.stderr[-200:]}")

    # 4. Instant decisions: M Réso's fare for each quotient familial case,
    # against the bands of the SMMAG's grid (0-565: 2.50; 566-715: 15.40;
    # 716-785: 20.50; 786-900: 46.50 €/month; above: none), by the command.
    def m_reso(qf):
        if qf is None:
            return "undetermined", {}
        for ceiling, price in ((565, 2.5), (715, 15.4), (785, 20.5), (900, 46.5)):
            if qf <= ceiling:
                return "eligible", {"monthly_price_eur": price}
        return "ineligible", {}

    decided = 0
    qf_cases = [(name, case) for route, name, case in cases(DATA) if route == "/v3/dss/quotient_familial/identite"
                and int(case["status"]) in (200, 404)]
    for name, case in qf_cases:
        who = identity_of("/v3/dss/quotient_familial/identite", case.get("params") or {})
        if who is None:
            continue
        if int(case["status"]) == 200 and "sexeEtatCivil" not in (case.get("params") or {}):
            continue
        value = expected("quotient_familial", int(case["status"]), case.get("payload") or "{}", TODAY, who["birth_date"],
                         TODAY, keeps_recorded_month(case))[1]
        path = os.path.join(work, "decide.json")
        json.dump(who, open(path, "w", encoding="utf-8"))
        r = run_with_token(["decide", "--consent", "--program", "m-reso-solidaire", "--identity", path, "--answer", "commune=38185",
                            "--recipient", RECIPIENT, "--api", sim.url, "--date", TODAY, "--store", store])
        got = json.loads(r.stdout) if r.returncode == 0 else {}
        status, result = m_reso(value)
        documents = [d["document"] for d in got.get("documents", [])]
        ok = (got.get("decision", {}).get("status") == status and got["decision"].get("result") == result and
              documents == ([] if value is not None else ["l'attestation de quotient familial de la CAF ou de la MSA"]))
        if check(ok, f"decide {name}: {got.get('decision')} {documents} {r.stderr[-300:]}, expected {status} {result}"):
            decided += 1
        if value is not None and ok:
            explained = run("decision", got["reference"], "--store", store).stdout
            check("CNAF" in explained or "MSA" in explained, f"{name}: the explanation names no provider")
            check("par API Particulier (/v3/dss/quotient_familial/identite), obtenu le" in explained and
                  "déclaré par la personne lors de sa demande" in explained,
                  f"{name}: the explanation does not say where each datum came from")
    check(decided >= 15, f"{decided} instant decisions agreed with the grid")
    print(f"api_particulier.py: {decided} instant decisions of M Réso agreed with the grid read by hand")
    # A token the service refuses: nothing is decided, but the person's
    # identity was sent, and the call is in the audit trail all the same.
    audited = len([1 for line in run("audit", "--store", store).stdout.splitlines() if "API Particulier asked" in line])
    r = run_with_token(["decide", "--consent", "--program", "m-reso-solidaire", "--identity", path, "--answer", "commune=38185",
                        "--recipient", RECIPIENT, "--api", sim.url, "--date", TODAY, "--store", store], token="mauvais-jeton")
    refused_rows = [line for line in run("audit", "--store", store).stdout.splitlines() if "API Particulier asked" in line]
    check(r.returncode == 2 and "refused the token" in r.stderr and len(refused_rows) == audited + 1 and
          sum("no decision taken" in line for line in refused_rows) == 1 and
          not any("mauvais-jeton" in line for line in refused_rows),
          f"a refused token: exit {r.returncode}, {r.stderr[-300:]}, {len(refused_rows)} calls audited after {audited}")

    # Brest's Bibus fare for scholarship holders, for each sandbox person of
    # the student, higher-education scholarship and school scholarship
    # routes: the three data as proofs reads them (each checked above against
    # the recorded answers), combined here by the fare's rule read by hand
    # (a resident, enrolled with a CROUS step, or with a school
    # scholarship), unknowns kept unknown, against `decide`'s decision.
    def k_and(*xs):
        return False if any(x is False for x in xs) else True if all(x is True for x in xs) else None

    def k_or(*xs):
        return True if any(x is True for x in xs) else False if all(x is False for x in xs) else None

    bibus_routes = ("/v3/mesri/statut_etudiant/identite", "/v4/cnous/etudiant_boursier/identite",
                    "/v4/men/scolarites/identite")
    bibus_agreed = bibus_cases = 0
    bibus_outcomes = set()
    seen = set()
    for route, name, case in cases(DATA):
        if route not in bibus_routes or int(case["status"]) not in (200, 404):
            continue
        who = identity_of(route, case.get("params") or {})
        if who is None or "birth_date" not in who or json.dumps(who, sort_keys=True) in seen:
            continue
        seen.add(json.dumps(who, sort_keys=True))
        _, answers, _ = proofs(sim, who, "statut_etudiant", "echelon_bourse", "boursier_scolaire", date="2025-06-15")
        if len(answers) != 3:
            check(False, f"{name}: proofs gave {answers}")
            continue
        value = {a["datum"]: a["value"] if a["outcome"] == "found" else None for a in answers}
        echelon = value["echelon_bourse"]
        eligible = k_and(True, k_or(k_and(value["statut_etudiant"], None if echelon is None else echelon != "none"),
                                    value["boursier_scolaire"]))
        want = {True: "eligible", False: "ineligible", None: "undetermined"}[eligible]
        path = os.path.join(work, "decide.json")
        json.dump(who, open(path, "w", encoding="utf-8"))
        r = run_with_token(["decide", "--consent", "--program", "brest-bibus-boursiers", "--identity", path, "--answer",
                            "commune=29019", "--recipient", RECIPIENT, "--api", sim.url, "--date", "2025-06-15",
                            "--store", store])
        got = json.loads(r.stdout) if r.returncode == 0 else {}
        decision = got.get("decision", {})
        ok = decision.get("status") == want and (want != "eligible" or decision.get("result") == {"monthly_price_eur": 16.8})
        check(ok, f"Bibus {name}: {decision} {r.stderr[-300:]}, expected {want} from {value}")
        bibus_cases += 1
        bibus_agreed += ok
        bibus_outcomes.add(want)
    check(bibus_cases >= 10 and bibus_agreed == bibus_cases, f"Bibus: {bibus_agreed} of {bibus_cases} agreed")
    # Before the fare's price was set (1 September 2024), the decision waits
    # for it whatever the person's scholarship: nothing is asked about them
    # (GDPR art. 5 1 c; a tester's QF was fetched for a ceiling no longer in
    # force).
    asked_before = len(sim.requests())
    r = run_with_token(["decide", "--consent", "--program", "brest-bibus-boursiers", "--identity", path, "--answer",
                        "commune=29019", "--recipient", RECIPIENT, "--api", sim.url, "--date", "2024-06-15",
                        "--store", store])
    got = json.loads(r.stdout) if r.returncode == 0 else {}
    check(got.get("decision", {}).get("status") == "undetermined" and len(sim.requests()) == asked_before and
          any(m.startswith("parameters.tarif_mensuel") for m in got.get("decision", {}).get("missing", [])),
          f"a decision without the fare's price asked API Particulier: {sim.requests()[asked_before:]} {r.stdout[-600:]} "
          f"{r.stderr[-300:]}")
    # The sandbox knows each person on one route only: a datum the other
    # providers do not know stays unknown, so every decision waits for a
    # document, none is a "no" (what the three-valued reading above says).
    print(f"api_particulier.py: {bibus_agreed} of {bibus_cases} instant decisions of Brest's Bibus fare agreed with "
          f"the fare's rule read by hand (outcomes: {sorted(bibus_outcomes)})")

    # The RSA: being a student bars the claim (CASF L262-4 3°), and the claim
    # form takes a person's word that they are not (the program's `stated:`).
    # A person the ministry does not list (an identity outside the sandbox:
    # its 404), with a spouse, tenants without housing benefit nor
    # resources, on 15 June 2025. Without their statements: undetermined,
    # for each the certificate or, failing it, their statement. With them:
    # 646.52 (décret 2025-293) + 50 % for the second person (R262-1) =
    # 969.78 EUR, each statement named as the person's, beside the route
    # that did not give it.
    rsa_person = os.path.join(work, "rsa.json")
    with open(rsa_person, "w") as f:
        json.dump({"birth_name": "NONLISTEE", "first_names": ["CLAIRE"], "birth_date": "1985-03-10", "sex": "F",
                   "birth_commune": "38185"}, f)
    rsa_args = ["decide", "--consent", "--program", "rsa", "--identity", rsa_person, "--answer", "commune=38185", "--answer",
                "housing=tenant", "--answer", "housing_benefit_monthly=0", "--answer", "resources_3m=0",
                "--household-complete", "--recipient", RECIPIENT, "--api", sim.url, "--date", "2025-06-15",
                "--store", store]
    r = run_with_token(rsa_args + ["--member", "role=spouse,birth_date=1984-01-01,resources_3m=0"])
    got = json.loads(r.stdout) if r.returncode == 0 else {}
    documents = got.get("documents", [])
    check(got.get("decision", {}).get("status") == "undetermined" and len(documents) == 2 and
          all(d["document"].startswith("sa déclaration (comme au formulaire de demande de RSA") and
              "; ou le certificat de scolarité" in d["document"] for d in documents) and
          documents[1]["input"].endswith("(personne 2)"),
          f"the RSA without the student status stated: {got.get('decision')} {documents} {r.stderr[-300:]}")
    explained = run("decision", got.get("reference", "?"), "--store", store).stdout
    check("persons.p2.student (Inscription dans l'enseignement supérieur) : inconnu — source : non déclaré par la "
          "personne pour cette personne" in explained,
          f"a spouse's student status not stated: {[l for l in explained.splitlines() if 'student' in l]}")
    # The spouse stated not a student: she may claim (L262-4), so the
    # person's own studies change nothing, and the ministry is not asked.
    calls = len(sim.requests())
    r = run_with_token(rsa_args + ["--answer", "student=false", "--member",
                                   "role=spouse,birth_date=1984-01-01,resources_3m=0,student=false"])
    got = json.loads(r.stdout) if r.returncode == 0 else {}
    check(got.get("decision", {}).get("status") == "eligible" and
          got["decision"].get("result") == {"monthly_amount_eur": 969.78} and got.get("documents") == [] and
          got.get("fetched") == [] and len(sim.requests()) == calls,
          f"the RSA with the students' statuses stated: {got.get('decision')} {got.get('documents')} "
          f"{got.get('fetched')} {r.stderr[-300:]}")
    explained = run("decision", got.get("reference", "?"), "--store", store).stdout
    check("persons.p1.student (Inscription dans l'enseignement supérieur) : non — source : déclaré par la personne lors "
          "de sa demande (comme au formulaire de demande de RSA, cerfa n° 15481) ; non demandée à API Particulier : la "
          "décision n'en dépend pas" in explained and
          "persons.p2.student (Inscription dans l'enseignement supérieur) : non — source : déclaré par la personne lors "
          "de sa demande pour cette personne" in explained,
          f"the statements' sources: {[l for l in explained.splitlines() if 'student' in l]}")
    # The spouse's status not stated: the person's own decides, asked of the
    # ministry, which does not list her; her statement stands.
    r = run_with_token(rsa_args + ["--answer", "student=false", "--member",
                                   "role=spouse,birth_date=1984-01-01,resources_3m=0"])
    got = json.loads(r.stdout) if r.returncode == 0 else {}
    check(got.get("decision", {}).get("status") == "eligible" and
          got["decision"].get("result") == {"monthly_amount_eur": 969.78} and got.get("documents") == [] and
          [f["outcome"] for f in got.get("fetched", [])] == ["not_found"],
          f"the RSA with the student status stated: {got.get('decision')} {got.get('documents')} {got.get('fetched')} "
          f"{r.stderr[-300:]}")
    explained = run("decision", got.get("reference", "?"), "--store", store).stdout
    check("persons.p1.student (Inscription dans l'enseignement supérieur) : non — source : déclaré par la personne lors "
          "de sa demande (comme au formulaire de demande de RSA" in explained and
          "/v3/mesri/statut_etudiant/identite" in explained,
          f"the statement's source: {[l for l in explained.splitlines() if 'student' in l]}")
    # A statement the ministry contradicts is taken for neither: a man it
    # lists as admitted, not enrolled (not a student today), who says he
    # studies waits for the certificate; saying he does not, he is decided
    # on the ministry's answer, which agrees.
    melinard = os.path.join(work, "melinard.json")
    with open(melinard, "w") as f:
        json.dump({"birth_name": "MELINARD", "first_names": ["PATRICK"], "birth_date": "1990-01-01", "sex": "M",
                   "birth_commune": "78000"}, f)
    alone_today = [a if a != rsa_person else melinard for a in rsa_args
                   if a not in ("--date", "2025-06-15", "--household-complete")] + ["--lives-alone"]
    r = run_with_token(alone_today + ["--answer", "student=true"])
    got = json.loads(r.stdout) if r.returncode == 0 else {}
    explained = run("decision", got.get("reference", "?"), "--store", store).stdout
    check([(f["outcome"], f["value"]) for f in got.get("fetched", [])] == [("found", False)] and
          got.get("decision", {}).get("status") == "undetermined" and
          [d["document"] for d in got.get("documents", [])] == ["le certificat de scolarité de l'année en cours"] and
          "déclaration de la personne et réponse obtenue par API Particulier (/v3/mesri/statut_etudiant/identite, "
          "fournisseur : ministère de l'Enseignement supérieur (MESR), le " in explained and
          "contraires : justificatif à apporter" in explained,
          f"a statement the ministry contradicts: {got.get('fetched')} {got.get('decision')} {got.get('documents')} "
          f"{[l for l in explained.splitlines() if 'student' in l]} {r.stderr[-300:]}")
    r = run_with_token(alone_today + ["--answer", "student=false"])
    got = json.loads(r.stdout) if r.returncode == 0 else {}
    check(got.get("decision", {}).get("status") == "eligible" and got.get("documents") == [],
          f"a statement the ministry confirms: {got.get('decision')} {got.get('documents')} {r.stderr[-300:]}")
    # Brest's fare asks what its rule waits for, in its order: the ministry
    # lists him as not enrolled, so his CROUS step changes nothing and is
    # not asked; the school scholarship still may.
    r = run_with_token(["decide", "--consent", "--program", "brest-bibus-boursiers", "--identity", melinard, "--answer",
                        "commune=29019", "--recipient", RECIPIENT, "--api", sim.url, "--store", store])
    got = json.loads(r.stdout) if r.returncode == 0 else {}
    check([(f["datum"], f["outcome"]) for f in got.get("fetched", [])][:1] == [("statut_etudiant", "found")] and
          [f["datum"] for f in got.get("fetched", [])] == ["statut_etudiant", "boursier_scolaire"],
          f"Brest's data asked in turn: {got.get('fetched')} {got.get('decision')} {r.stderr[-300:]}")
    # Brest's fare opens on proof of studies: its student status is never stated.
    r = run_with_token(["decide", "--consent", "--program", "brest-bibus-boursiers", "--identity", rsa_person, "--answer",
                        "commune=29019", "--answer", "student=true", "--recipient", RECIPIENT, "--api", sim.url,
                        "--store", store])
    check(r.returncode == 2 and "'student' is fetched from API Particulier, not answered" in r.stderr,
          f"a student status stated for a fare: exit {r.returncode}, {r.stderr[-300:]}")
    print("api_particulier.py: the RSA's student status stated where the ministry does not give it, and refused for a fare")

    # The same through the service: the API and the agents' page.
    import subprocess
    r = subprocess.run([BINARY, "agent", "add", "guichet", "--role", "agent", "--organisation", "SMMAG", "--program",
                        "m-reso-solidaire", "--store", store], input="un mot de passe de test\n", capture_output=True,
                       text=True)
    check(r.returncode == 0, f"agent add: {r.stderr}")
    agent_token = run("agent", "token", "guichet", "--label", "guichet", "--store", store).stdout.strip()
    server = ProactifServer(BINARY, store, work, "--api-particulier", sim.url, "--recipient", RECIPIENT,
                            env={**os.environ, "PROACTIF_API_PARTICULIER_TOKEN": TOKEN})
    try:
        elodie = {"birth_name": "BERNARD", "first_names": ["ELODIE"], "birth_date": "1990-03-18", "sex": "F",
                  "birth_commune": "08480"}
        status, _, body = server.request("POST", "/api/v1/instant-decisions",
                                         json.dumps({"program": "m-reso-solidaire", "identity": elodie,
                                                     "answers": {"commune": "38185"}, "consent": True}),
                                         {"Content-Type": "application/json", "Authorization": f"Bearer {agent_token}"})
        answer = json.loads(body) if status == 201 else {}
        check(status == 201 and answer["decision"]["result"] == {"monthly_price_eur": 15.4} and
              answer["fetched"][0]["outcome"] == "found" and answer["documents"] == [],
              f"the service's instant decision: {status} {body[:300]!r}")
        data = (answer.get("explanation") or {}).get("data", {}) if answer else {}
        items = data if isinstance(data, list) else data.get("items", data.get("data", []))
        qf_source = [d.get("source", "") for d in items if isinstance(d, dict) and d.get("name") == "household.quotient_familial"]
        check(qf_source and qf_source[0].startswith("CNAF, par API Particulier (/v3/dss/quotient_familial/identite), obtenu le"),
              f"the service's explanation of the quotient familial's source: {qf_source} {str(data)[:300]}")
    finally:
        code, log = server.stop()
    check("BERNARD" not in log and "ELODIE" not in log, "the access log holds a name")
    # The service with a token API Particulier refuses: nothing decided
    # (503), but the person's identity went, and the call is audited.
    asked = len([1 for line in run("audit", "--store", store).stdout.splitlines() if "API Particulier asked" in line])
    server = ProactifServer(BINARY, store, work, "--api-particulier", sim.url, "--recipient", RECIPIENT,
                            env={**os.environ, "PROACTIF_API_PARTICULIER_TOKEN": "mauvais-jeton"})
    try:
        status, _, body = server.request("POST", "/api/v1/instant-decisions",
                                         json.dumps({"program": "m-reso-solidaire", "identity": elodie,
                                                     "answers": {"commune": "38185"}, "consent": True}),
                                         {"Content-Type": "application/json", "Authorization": f"Bearer {agent_token}"})
    finally:
        server.stop()
    rows = [line for line in run("audit", "--store", store).stdout.splitlines() if "API Particulier asked" in line]
    check(status == 503 and b"refused the token" in body and len(rows) == asked + 1 and
          sum("no decision taken" in line and "(API)" in line for line in rows) == 1 and
          "mauvais-jeton" not in "".join(rows),
          f"the service with a refused token: {status} {body[:200]!r}, {len(rows)} calls audited after {asked}")

    # 5. What the client sent, against the specification.
    requests = sim.requests()
    for req in requests:
        operation = spec["paths"][req["route"]]["get"]
        declared = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
        required = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query" and p.get("required")}
        given = set(req["params"])
        check(given <= declared and required <= given and req["token"] and
              re.fullmatch(r"\d{14}", req["params"]["recipient"][0]),
              f"a request the specification does not allow: {req['route']} {sorted(given)}")
    check(len(requests) >= 30, f"{len(requests)} requests seen")
    audit = run("audit", "--store", store).stdout
    rows = [line for line in audit.splitlines() if "API Particulier asked" in line]
    check(len(rows) > 100 and all(("for tarif solidaire (test)" in line or
                                   re.search(r"for demande de .*, avec le consentement de la personne", line)) and
                                  "/v" in line and "HTTP" in line for line in rows),
          f"{len(rows)} calls audited")
    check(not any(name in audit for name in ("GIRAUD", "ANNE", "Durand", "BERNARD", "ELODIE", "1988-12-01", "1990-03-18")),
          "the audit trail holds a name")
    check(TOKEN not in audit and TOKEN not in str(query(store, "SELECT * FROM audit_log")), "the token was written")
finally:
    sim.stop()
finish()
