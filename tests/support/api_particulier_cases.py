"""The official sandbox cases of API Particulier (../shared/data/api-particulier)
as the tests read them: each case, the identity whose request gives its
parameters, and a direct reading of its recorded answer."""
import datetime
import json
import os

import yaml  # python3-yaml, installed by scripts/setup.sh

import api_particulier_simulator as simulator_module

keeps_recorded_month = simulator_module.keeps_recorded_month


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


def months(day):
    return day.year * 12 + day.month - 1


def names_the_person(data, born):
    """Whether the persons the answer names (with a birth date) include one born on `born`."""
    listed = [p for key in ("allocataires", "enfants") for p in (data.get(key) or [])]
    if isinstance(data.get("identite"), dict):
        listed.append(data["identite"])
    days = [p["date_naissance"] for p in listed if isinstance(p.get("date_naissance"), str)]
    return not days or born in days


def number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def expected(datum, status, payload, date, birth_date=None, today=None, month_kept=False):
    """A direct reading of the recorded answer, for the person born on
    `birth_date` on `date`, asked `today` (by default the day itself), the
    simulator answering a quotient familial of the month asked unless the
    case keeps its own (`month_kept`, simulator.keeps_recorded_month): (outcome, value)."""
    day = datetime.date.fromisoformat(date)
    now = datetime.date.fromisoformat(today) if today else day
    away = abs((day - now).days)
    asked_month = min((day.year, day.month), (now.year, now.month))
    # What the service cannot answer for the date is not asked.
    if datum.startswith("beneficiaire_") and away > 31:
        return "unreliable", None
    if datum == "quotient_familial" and ((day - now).days > 31 or months(now) - months(day) >= 24):
        return "unreliable", None
    if status == 404:
        return "not_found", None
    if status in (401, 403):
        return "configuration", None
    if status == 422:
        return "refused_input", None
    if status != 200:
        return "retry_later", None
    data = json.loads(payload)["data"]
    if birth_date and not names_the_person(data, birth_date):
        return "unreliable", None
    if datum == "quotient_familial":
        qf = data.get("quotient_familial") or {}
        if not number(qf.get("valeur")):
            return "not_found", None
        if month_kept and (qf.get("annee"), qf.get("mois")) != asked_month:
            return "unreliable", None
        if abs(qf["valeur"] * 100 - round(qf["valeur"] * 100)) > 1e-6:
            return "unreliable", None
        return "found", qf["valeur"]
    if datum.startswith("beneficiaire_"):
        opened = data.get("date_debut_droit")
        if data["est_beneficiaire"] and opened and (not is_date(opened) or opened > date):
            return "unreliable", None
        return "found", data["est_beneficiaire"]
    if datum == "statut_etudiant":
        enrolled = [a for a in data["admissions"] if a.get("est_inscrit")]
        readable = [a for a in enrolled if is_date(a.get("date_debut")) and is_date(a.get("date_fin"))]
        covering = [a for a in readable if a["date_debut"] <= date <= a["date_fin"]]
        # Continuing education, apprenticeship, professionalisation contract:
        # not a student for certain.
        in_training = [a for a in covering if isinstance(a.get("regime_formation"), dict) and
                       a["regime_formation"].get("code") in ("RF4", "RF5", "RF6", "RF7")]
        if len(covering) > len(in_training):
            return "found", True
        if len(readable) < len(enrolled) or in_training:
            return "unreliable", None
        return ("unreliable", None) if away > 31 else ("found", False)
    if datum == "echelon_bourse":
        status_ = data.get("statut_boursier") or {"est_boursier": data.get("est_boursier"), "est_radie": False}
        struck_off = status_.get("est_radie") and not (is_date(status_.get("date_radiation")) and
                                                       status_["date_radiation"] > date)
        if status_["est_boursier"] and not struck_off:
            period = data.get("periode_versement_bourse")
            if isinstance(period, dict) and isinstance(period.get("date_rentree"), str):
                if not is_date(period["date_rentree"]) or not number(period.get("duree")):
                    return "unreliable", None
                start = datetime.date.fromisoformat(period["date_rentree"])
                if day < start or months(day) >= months(start) + int(period["duree"]):
                    return "unreliable", None
            elif away > 31:
                return "unreliable", None
            return "found", data["echelon_bourse"]["echelon"]
        if date[5:7] in ("09", "10", "11") or away > 31:
            return "unreliable", None
        return "found", "none"
    raise AssertionError(datum)
