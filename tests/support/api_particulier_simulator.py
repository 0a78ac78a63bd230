"""A local API Particulier, for the tests and the demonstration.

It answers every official sandbox case of ../shared/data/api-particulier
(payloads/<endpoint>/<case>.yaml: request parameters -> HTTP status -> JSON
body) with its recorded status and body, on the route the specification
(openapi.yaml) gives that endpoint, to a request that gives each of the
case's parameters (names compared without case or accents; the case that
names the most parameters wins), and otherwise as the real service does:
401 without a valid token, 403 for a route outside the token's scopes, 422
without `recipient` (a SIRET) or a mandatory parameter, 404 for a person it
does not know, 429 over 20 requests a second per token (with Retry-After).
On demand (POST /__simulateur/pannes) it answers the next requests with an
error of the specification (429 with Retry-After, 409, 502/503/504 with
meta.retry_in) or after a delay (a timeout). GET /__simulateur/requetes gives
the requests it received (route, parameters, whether a token and a
Cache-Control header came), for the tests to check them against the
specification. POST /__simulateur/adresse {"code_postal_ville": "38000
GRENOBLE"} gives every answer that has an address that one instead ({}:
the recorded ones): the sandbox's persons live all over France, where a
test's extract may place them elsewhere.

    python3 api_particulier_simulator.py DATA_DIR [--port N] [--token TOKEN[=ROUTE,...]]

prints "listening on PORT" once ready. FranceConnect routes are not served:
their person comes from a FranceConnect token, not from parameters."""
import argparse
import json
import os
import re
import sys
import threading
import time
import unicodedata
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import yaml

RATE_PER_SECOND = 20


def route_of(endpoint):
    """api_particulier_v3_cnav_quotient_familial_with_civility -> /v3/dss/quotient_familial/identite."""
    m = re.fullmatch(r"api_particulier_(v\d)_([a-z]+)_(.+)_with_(civility|ine|france_connect)", endpoint)
    if not m:
        return None
    version, provider, resource, by = m.groups()
    provider = {"cnav": "dss"}.get(provider, provider)
    return f"/{version}/{provider}/{resource}/" + {"civility": "identite", "ine": "ine", "france_connect": "france_connect"}[by]


def normal(value):
    """Names compared as the service does: case, accents and spaces aside."""
    text = unicodedata.normalize("NFKD", str(value))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).upper().split())


def key_of(params):
    """A request's or a case's parameters, recipient aside, as a comparable key."""
    items = []
    for name, value in params.items():
        name = name[:-2] if name.endswith("[]") else name
        if name == "recipient":
            continue
        values = value if isinstance(value, list) else [value]
        items.append((name, tuple(normal(v) for v in values)))
    return tuple(sorted(items))


def keeps_recorded_month(case):
    """Whether a case's quotient familial is of the month it was recorded
    for, whatever the month asked: one asked for a month, or described as
    an older quotient ("Quotient familial ancien de ...")."""
    params = case.get("params") or {}
    return "annee" in params or "mois" in params or "Quotient familial ancien" in (case.get("description") or "")


def load(data_dir):
    spec = yaml.safe_load(open(os.path.join(data_dir, "openapi.yaml"), encoding="utf-8"))
    routes = {}
    payloads = os.path.join(data_dir, "payloads")
    for endpoint in sorted(os.listdir(payloads)):
        route = route_of(endpoint)
        if route is None or route.endswith("/france_connect"):
            continue
        if route not in spec["paths"]:
            raise SystemExit(f"{endpoint}: no route {route} in the specification")
        cases = routes.setdefault(route, {"cases": {}, "not_found": None})
        for name in sorted(os.listdir(os.path.join(payloads, endpoint))):
            if not name.endswith((".yaml", ".yml")):
                continue
            for case in yaml.safe_load_all(open(os.path.join(payloads, endpoint, name), encoding="utf-8")):
                if not case or "status" not in case:
                    continue
                entry = {"file": f"{endpoint}/{name}", "status": int(case["status"]), "body": case.get("payload") or "{}",
                         "keeps_month": keeps_recorded_month(case)}
                cases["cases"].setdefault(key_of(case.get("params") or {}), entry)
                if entry["status"] == 404 and cases["not_found"] is None:
                    cases["not_found"] = entry["body"]
    return spec, routes


def example_error(spec, route, status):
    """The first example body the specification gives for this status."""
    response = spec["paths"][route]["get"]["responses"].get(str(status), {})
    for example in response.get("content", {}).get("application/json", {}).get("examples", {}).values():
        return json.dumps(example["value"], ensure_ascii=False)
    return json.dumps({"errors": [{"code": f"00{status}", "title": "Erreur", "detail": "Erreur", "source": None, "meta": {}}]})


class Simulator:
    def __init__(self, data_dir, tokens):
        self.spec, self.routes = load(data_dir)
        self.tokens = tokens  # token -> set of routes, or None for all
        self.lock = threading.Lock()
        self.faults = []  # [{"status"|"delay", "count", ...}]
        self.requests = []
        self.recent = {}  # token -> times of its last requests
        self.address = None  # {"code_postal_ville": ...}: POST /__simulateur/adresse

    def mandatory(self, route):
        return [p["name"] for p in self.spec["paths"][route]["get"].get("parameters", [])
                if p.get("required") and p.get("in") == "query"]

    def answer(self, route, query, headers):
        """(status, extra headers, body) for a GET."""
        token = headers.get("Authorization", "")[len("Bearer "):] if headers.get("Authorization", "").startswith("Bearer ") else ""
        with self.lock:
            self.requests.append({"route": route, "params": query, "token": bool(token),
                                  "cache_control": headers.get("Cache-Control")})
        if route not in self.routes:
            return 404, {}, json.dumps({"errors": [{"code": "00404", "title": "Route inconnue", "detail": route,
                                                     "source": None, "meta": {}}]})
        if token not in self.tokens:
            return 401, {}, example_error(self.spec, route, 401)
        if self.tokens[token] is not None and route not in self.tokens[token]:
            return 403, {}, example_error(self.spec, route, 403)
        now = time.monotonic()
        with self.lock:
            recent = [t for t in self.recent.get(token, []) if now - t < 1.0]
            if len(recent) >= RATE_PER_SECOND:
                self.recent[token] = recent
                return 429, {"Retry-After": "1"}, example_error(self.spec, route, 429)
            recent.append(now)
            self.recent[token] = recent
            fault = self.faults[0] if self.faults else None
            if fault:
                fault["count"] -= 1
                if fault["count"] <= 0:
                    self.faults.pop(0)
        if fault and "delay" in fault:
            time.sleep(fault["delay"])
        elif fault:
            status = fault["status"]
            body = json.loads(example_error(self.spec, route, status))
            extra = {}
            if status == 429:
                extra["Retry-After"] = str(fault.get("retry_after", 1))
            if "retry_in" in fault:
                for error in body["errors"]:
                    error["meta"] = {**(error.get("meta") or {}), "retry_in": fault["retry_in"]}
            return status, extra, json.dumps(body, ensure_ascii=False)
        if not re.fullmatch(r"\d{14}", (query.get("recipient") or [""])[0]):
            return 422, {}, self.recipient_error(route)
        case = self.match(route, query)
        if case:
            return case["status"], {}, self.with_address(case, self.as_of_month_asked(case, query))
        missing = [name for name in self.mandatory(route) if name != "recipient" and name not in query]
        if missing:
            return 422, {}, json.dumps({"errors": [{"code": "00366", "title": "Entité non traitable",
                                                     "detail": f"Le paramètre {missing[0]} est obligatoire",
                                                     "source": {"parameter": missing[0]}, "meta": {}}]}, ensure_ascii=False)
        return 404, {}, self.routes[route]["not_found"] or example_error(self.spec, route, 404)

    def match(self, route, query):
        """The case whose every parameter the request gives alike; the one
        that names the most of them when several do (a case that gives no
        usage name still answers a request that gives one)."""
        asked = dict(key_of(query))
        best, named = None, -1
        for key, case in self.routes[route]["cases"].items():
            if len(key) > named and all(asked.get(name) == values for name, values in key):
                best, named = case, len(key)
        return best

    @staticmethod
    def as_of_month_asked(case, query):
        """A quotient familial of the month asked, as the service gives it
        (its parameters `annee` and `mois`, this month by default): the
        recorded answers are of the months they were recorded in. A case
        recorded for a month, or as an older quotient, keeps it."""
        if case["keeps_month"] or case["status"] != 200 or "mois" not in query or "annee" not in query:
            return case["body"]
        body = json.loads(case["body"])
        qf = (body.get("data") or {}).get("quotient_familial")
        if not isinstance(qf, dict) or "mois" not in qf:
            return case["body"]
        qf["annee"], qf["mois"] = int(query["annee"][0]), int(query["mois"][0])
        return json.dumps(body, ensure_ascii=False)

    def with_address(self, case, body):
        """The body with the address POST /__simulateur/adresse gives, if any."""
        with self.lock:
            address = self.address
        if not address:
            return body
        answer = json.loads(body)
        if isinstance((answer.get("data") or {}).get("adresse"), dict):
            answer["data"]["adresse"]["code_postal_ville"] = address["code_postal_ville"]
        return json.dumps(answer, ensure_ascii=False)

    def recipient_error(self, route):
        response = self.spec["paths"][route]["get"]["responses"].get("422", {})
        examples = response.get("content", {}).get("application/json", {}).get("examples", {})
        for name, example in examples.items():
            if "recipient" in name:
                return json.dumps(example["value"], ensure_ascii=False)
        return example_error(self.spec, route, 422)


def handler_for(sim):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send(self, status, body, extra=None):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/__simulateur/requetes":
                with sim.lock:
                    self.send(200, json.dumps(sim.requests, ensure_ascii=False))
                return
            query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            status, extra, body = sim.answer(url.path, query, self.headers)
            try:
                self.send(status, body, extra)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its timeout)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode() if length else ""
            if self.path == "/__simulateur/pannes":
                fault = json.loads(body)
                fault.setdefault("count", 1)
                with sim.lock:
                    sim.faults.append(fault)
                self.send(201, "{}")
            elif self.path == "/__simulateur/adresse":
                with sim.lock:
                    sim.address = json.loads(body)
                self.send(201, "{}")
            else:
                self.send(405, "{}")

        def do_DELETE(self):
            if self.path == "/__simulateur/requetes":
                with sim.lock:
                    sim.requests.clear()
                    sim.faults.clear()
                    sim.recent.clear()
                self.send(200, "{}")
            else:
                self.send(405, "{}")

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", help="../shared/data/api-particulier")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", action="append", default=[],
                        help="TOKEN (every route) or TOKEN=ROUTE,ROUTE (its scopes); repeatable")
    args = parser.parse_args()
    tokens = {}
    for given in args.token or ["simulateur"]:
        token, _, scopes = given.partition("=")
        tokens[token] = set(scopes.split(",")) if scopes else None
    sim = Simulator(args.data_dir, tokens)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(sim))
    server.daemon_threads = True
    cases = sum(len(r["cases"]) for r in sim.routes.values())
    print(f"listening on {server.server_address[1]} ({cases} cases on {len(sim.routes)} routes)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
