"""The official sandbox cases of API Particulier (../shared/data/api-particulier)
as the tests read them: each case, the identity whose request gives its
parameters, and a direct reading of its recorded answer."""
import datetime
import json
import os

import yaml  # python3-yaml, installed by scripts/setup.sh

import api_particulier_simulator as simulator_module


def cases(data):
    """(route, name, case) of every official case but FranceConnect's."""
    payloads = os.path.join(data, "payloads")
    for endpoint in sorted(os.listdir(payloads)):
        route = simulator_module.route_of(endpoint)
        if route.endswith("/france_connect"):
            continue
        for name in sorted(os.listdir(os.path.join(payloads, endpoint))):
            if name.endswith((".yaml", ".yml")):
                for case in yaml.safe_load_all(open(os.path.join(payloads, endpoint, name), encoding="utf-8")):
                    if case and "status" in case:
                        yield route, f"{endpoint}/{name}", case


# What the client can ask: the datum of each route, and the identity a case's parameters make.
DATUM = {"/v3/dss/quotient_familial/identite": "quotient_familial",
         "/v3/dss/revenu_solidarite_active/identite": "beneficiaire_rsa",
         "/v3/dss/complementaire_sante_solidaire/identite": "beneficiaire_c2s",
         "/v3/dss/allocation_adulte_handicape/identite": "beneficiaire_aah",
         "/v3/mesri/statut_etudiant/identite": "statut_etudiant", "/v3/mesri/statut_etudiant/ine": "statut_etudiant",
         "/v4/cnous/etudiant_boursier/identite": "echelon_bourse", "/v4/cnous/etudiant_boursier/ine": "echelon_bourse"}
IDENTITY = {"nomNaissance": "birth_name", "nomUsage": "usage_name", "prenoms": "first_names", "sexeEtatCivil": "sex",
            "codeCogInseePaysNaissance": "birth_country", "codeCogInseeCommuneNaissance": "birth_commune", "ine": "ine"}


def identity_of(route, params):
    """The identity JSON whose request gives each of the case's parameters; None when no identity does."""
    date_keys = {"anneeDateNaissance", "moisDateNaissance", "jourDateNaissance"}
    if any(k not in IDENTITY and k not in date_keys for k in params):
        return None
    if "nomUsage" in params and not route.startswith("/v3/dss/"):
        return None
    who = {IDENTITY[k]: v for k, v in params.items() if k in IDENTITY}
    if "ine" not in params:
        if not date_keys <= set(params):
            return None
        who["birth_date"] = "%04d-%02d-%02d" % (int(params["anneeDateNaissance"]), int(params["moisDateNaissance"]),
                                                int(params["jourDateNaissance"]))
    if isinstance(who.get("first_names"), str):
        who["first_names"] = [who["first_names"]]
    return who


def is_date(text):
    try:
        datetime.date.fromisoformat(text)
        return True
    except (TypeError, ValueError):
        return False


def expected(datum, status, payload, date):
    """A direct reading of the recorded answer: (outcome, value)."""
    if status == 404:
        return "not_found", None
    if status in (401, 403):
        return "configuration", None
    if status == 422:
        return "refused_input", None
    if status != 200:
        return "retry_later", None
    data = json.loads(payload)["data"]
    if datum == "quotient_familial":
        qf = data.get("quotient_familial") or {}
        return ("found", qf["valeur"]) if qf.get("valeur") is not None else ("not_found", None)
    if datum.startswith("beneficiaire_"):
        return "found", data["est_beneficiaire"]
    if datum == "statut_etudiant":
        enrolled = [a for a in data["admissions"] if a.get("est_inscrit")]
        readable = [a for a in enrolled if is_date(a.get("date_debut")) and is_date(a.get("date_fin"))]
        if any(a["date_debut"] <= date <= a["date_fin"] for a in readable):
            return "found", True
        return ("unreliable", None) if len(readable) < len(enrolled) else ("found", False)
    if datum == "echelon_bourse":
        status_ = data.get("statut_boursier") or {"est_boursier": data.get("est_boursier"), "est_radie": False}
        if status_["est_boursier"] and not status_.get("est_radie"):
            return "found", data["echelon_bourse"]["echelon"]
        return ("unreliable", None) if date[5:7] in ("09", "10", "11") else ("found", "none")
    raise AssertionError(datum)
