"""The national youth simulator's catalogue (betagouv/aides-jeunes, in
../shared/data/aides-jeunes) loaded as programs:
- `proactif catalogue` loads 430 of the 431 benefits, and names for the one
  that does not the condition it uses (codes_postaux); every one of the 58
  transport fares loads;
- differential test: for every loaded benefit, situations generated around
  each of its conditions' boundaries (an age on its limit and either side,
  the fiscal quotient familial at its ceiling and a euro either side, a
  commune in and out of its territory, each profile with and without each of
  its own conditions, no profile at all) are decided by Proactif and by a
  direct reading of the benefit's conditions written here, as the
  simulator's code reads them (lib/benefits/compute-javascript.ts): all
  conditions_generales hold and, when profiles are listed, one of them holds
  with its conditions; the two agree on every decision and amount;
- `--show` prints a benefit's program; an unknown benefit is refused.
Skipped (exit 77) without ../shared/data/aides-jeunes."""
import datetime
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import BINARY, SOURCE, check, finish, work_dir  # noqa: E402

CATALOGUE = os.path.join(os.path.dirname(SOURCE), "shared", "data", "aides-jeunes")
if not os.path.isdir(os.path.join(CATALOGUE, "data", "benefits", "javascript")):
    print(f"aides_jeunes.py: skipped, {CATALOGUE} not found")
    sys.exit(77)

import yaml  # noqa: E402  (python3-yaml, installed by scripts/setup.sh)


class Loader(yaml.SafeLoader):
    """PyYAML reads `operator: =` as YAML 1.1's value tag; the simulator (js-yaml) reads the text "="."""


Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))

# The 58 transport fares: 42 public-transport fares, titles and cards, and 16
# carpool incentives, chosen by hand among the 114 benefits whose name, label
# or description speak of transport (no key of the files marks them).
TRANSPORT = """artois-mobilite-acces-gratuit-illimite-aux-ter brest_metropole-abonnement-transports-pour-les-étudiant·es-boursier·es
ccas-de-redon-service-transport-plus-handicap centre-val-de-loire-cheque-emploi etat-abonnement-transports-sur-le-reseau-tag
grand-est-passetudes hauts-de-france-ma-carte-ter hauts-de-france-mon-abo-etudiant-ter
intercommunalite_bordeaux-tarification-solidaire-des-transports
intercommunalite_golfe_du_morbihan_vannes_agglomeration-tarification-solidaire-bus pass-pass-annuel-pour-les-moins-de-26-ans
pass-pass-mensuel-pour-les-moins-de-26-ans region-auvergne-rhone-alpes-abonnement-illico
region-auvergne-rhone-alpes-abonnement-ter-illico region-auvergne-rhone-alpes-billet-illico-autocars
region-auvergne-rhone-alpes-carte-ter-illico-liberte-jeunes region-auvergne-rhone-alpes-ter-illico-solidaire
region-bourgogne-franche-comte-abonnement-scolaire-bfc region-bourgogne-franche-comte-tarif-jeune-26-ans
region-bretagne-abonnement-breizhgo region-centre-val-de-loire-aide-mobillico region-centre-val-de-loire-carte-rémi-liberté-jeune
region-grand-est-abonnement-primo region-hauts-de-france-carte-ter-26-ans region-ile-de-france-aide-image-r-lyceens-labaz
region-ile-de-france-carte-imagine-r-etudiants region-ile-de-france-carte-imagine-r-scolaire
region-ile-de-france-carte-scolaire-bus-lignes-regulieres region-ile-de-france-forfait-gratuite-jeunes-en-insertion
region-ile-de-france-forfait-navigo-jeunes-weekend region-ile-de-france-reduction-50-volontaires-du-service-civique
region-normandie-abonnement-tempo-26-ans region-nouvelle-aquitaine-billet-jeunes-28ans region-nouvelle-aquitaine-pass-abonne-28-ans
region-occitanie-frequencio-jeunes region-occitanie-libertio-jeunes region-pays-de-la-loire-abonnement-tutti-26-illimite
region-pays-de-la-loire-carte-mezzo region-pays-de-la-loire-carte-mezzo-26-ans region-provence-alpes-cote-azur-carte-zou
region-provence-alpes-cote-azur-pass-zou-etudes union_europeenne_discovereu
artois-mobilite-aide-covoiturage atmb-aide-covoiturage avant-pays-savoyard-aide-covoiturage
cohesion_territoires-aide-covoiturage-du-quotidien ile-de-france-aide-covoiturage metropole-lyon-aide-covoiturage
metropole-savoie-aide-covoiturage petr_bruche_mossig_aide_covoiturage pm-mobilites-le-mans-sarthe-aide-covoiturage
pm_genevois_francais_aide_covoiturage region-bretagne-ehop-emploi region-occitanie-aide-covoiturage
region-pays-de-la-loire-aide-covoiturage region_bretagne-éhop-covoiturage-solidaire-pour-lemploi sm_de_touraine_aide_covoiturage
smbpa-pays-basque-adour-aide-covoiturage""".split()

DATE = datetime.date(2026, 11, 30)
env = {**os.environ, "PROACTIF_AIDES_JEUNES": CATALOGUE}


def proactif(*args, stdin=None):
    return subprocess.run([BINARY, *args], input=stdin, capture_output=True, text=True, env=env)


# 1. The load report.
r = proactif("catalogue", "--json")
check(r.returncode == 0, f"catalogue --json: {r.stderr[-500:]}")
report = {e["id"]: e for e in map(json.loads, r.stdout.splitlines())}
loaded = sorted(i for i, e in report.items() if e["loads"])
refused = {i: e["cannot"] for i, e in report.items() if not e["loads"]}
check(len(report) == 431 and len(loaded) == 430, f"{len(report)} benefits, {len(loaded)} loaded; refused: {refused}")
check(refused == {"ville-strasbourg-accompagnement": "condition type 'codes_postaux'"}, f"refused: {refused}")
check(len(TRANSPORT) == 58 and all(report.get(i, {}).get("loads") for i in TRANSPORT),
      f"transport fares not loaded: {[i for i in TRANSPORT if not report.get(i, {}).get('loads')]}")
text = proactif("catalogue").stdout
check("431 benefits; 430 load" in text and "ville-strasbourg-accompagnement: condition type 'codes_postaux'" in text
      and "commune code 62707 designates no commune" in text, f"the text report: {text[:600]}")
shown = proactif("catalogue", "--show", "region-occitanie-libertio-jeunes")
check(shown.returncode == 0 and "id: \"aides-jeunes:region-occitanie-libertio-jeunes\"" in shown.stdout
      and "region(commune)" in shown.stdout, f"--show: {shown.stdout[:300]} {shown.stderr}")
unknown = proactif("catalogue", "--show", "../../etc/passwd")
check(unknown.returncode == 1 and "not a benefit's name" in unknown.stderr, f"--show of a path: {unknown.stderr}")

# 2. The official geography, as the simulator's households have it.
geo = os.path.join(SOURCE, "data", "node_modules", "@etalab", "decoupage-administratif", "data")
everything_geo = json.load(open(os.path.join(geo, "communes.json"), encoding="utf-8"))
communes = {c["code"]: c for c in everything_geo if c.get("type") == "commune-actuelle"}
# A part of a commune (Paris's arrondissements, a commune déléguée) -> the
# commune: the simulator's household names its whole commune.
whole = {c["code"]: c.get("commune") or c.get("chefLieu") for c in everything_geo
         if c.get("type") != "commune-actuelle" and (c.get("commune") or c.get("chefLieu")) in communes}
parts = {}
for part, owner in whole.items():
    parts.setdefault(owner, []).append(part)
for e in json.load(open(os.path.join(geo, "epci.json"), encoding="utf-8")):
    for m in e["membres"]:
        if m["code"] in communes:
            communes[m["code"]]["epci"] = e["code"]
codes = sorted(communes)


def benefit(i):
    return yaml.load(open(os.path.join(CATALOGUE, "data", "benefits", "javascript", i + ".yml"), encoding="utf-8"), Loader)


def institution(name):
    return yaml.load(open(os.path.join(CATALOGUE, "data", "institutions", name + ".yml"), encoding="utf-8"), Loader)


OPS = {">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, "<": lambda a, b: a < b,
       "=": lambda a, b: a == b}
HOUSING = {"homeless": "sans_domicile", "owner": "proprietaire", "free": "loge_gratuitement", "tenant": "locataire_vide"}


def years(born, on):
    """dayjs(on).diff(born, "year"): full years."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def holds(c, s, inst):
    """One condition of the simulator, read directly on situation `s` (the demandeur is persons[0])."""
    h, p = s["household"], s["persons"][0]
    code = s["household"]["commune"]
    t, commune = c["type"], communes.get(whole.get(code, code), {})
    if t == "age":
        return OPS[c["operator"]](years(datetime.date.fromisoformat(p["birth_date"]), DATE), c["value"])
    geo_key = {"regions": "region", "departements": "departement", "communes": "code", "epcis": "epci"}
    if t in geo_key:
        return not c.get("values") or commune.get(geo_key[t]) in c["values"]
    if t == "excluded_epcis":
        return commune.get("epci") is None or commune["epci"] not in c["values"]
    if t == "attached_to_institution":
        kind = inst.get("type")
        if kind == "region":
            return commune.get("region") == inst.get("code_insee")
        if kind == "departement":
            return commune.get("departement") == inst.get("code_insee")
        if kind == "epci":
            return commune.get("epci") == inst.get("code_siren")
        if kind == "commune":
            return commune.get("code") == inst.get("code_insee")
        return False
    if t == "quotient_familial":
        qf = h["revenu_fiscal_de_reference"] / h["nombre_de_parts"] / (12 if c["period"] == "month" else 1)
        return OPS[c["operator"]](qf, c["value"])
    if t == "regime_securite_sociale" or t == "statut_occupation_logement":
        value = p["regime_securite_sociale"] if t == "regime_securite_sociale" else HOUSING[h["housing"]]
        return ((not c.get("includes") or value in c["includes"]) and
                (not c.get("excludes") or value not in c["excludes"]))
    flags = {"formation_sanitaire_social": p["formation_sanitaire_sociale"], "boursier": p["boursier"],
             "difficultes_acces_ou_frais_logement": h["difficultes_logement"],
             "beneficiaire_rsa": h["rsa"] and p["role"] in ("applicant", "spouse"),
             "agence_travail_temporaire": p["agence_travail_temporaire"]}
    if t in flags:
        return flags[t]
    if t in ("annee_etude", "mention_baccalaureat"):
        return p[t] in c["values"]
    if t == "taux_incapacite":
        return OPS[c["operator"]](p["taux_incapacite"], c["value"])
    if t == "enfants_eligibles":
        n = sum(1 for q in s["persons"] if q["role"] == "child"
                and c.get("age_min", 0) <= years(datetime.date.fromisoformat(q["birth_date"]), DATE) <= c.get("age_max", 200))
        return OPS[c["operator"]](n, c["value"])
    raise AssertionError(t)


def profile_holds(profil, s, inst):
    p, h = s["persons"][0], s["household"]
    t = profil["type"]
    base = {"enseignement_superieur": p["student"], "lyceen": p["scolarite"] == "lycee",
            "collegien": p["scolarite"] == "college", "etudiant": p["activite"] == "etudiant",
            "chomeur": p["activite"] == "chomeur", "salarie": p["activite"] == "salarie",
            "inactif": p["activite"] == "inactif", "independant": p["activite"] == "independant",
            "apprenti": p["contrat_alternant"] == "apprenti",
            "professionnalisation": p["contrat_alternant"] == "professionnalisation", "stagiaire": p["stagiaire"],
            "service_civique": p["service_civique"], "situation_handicap": p["handicap"],
            # The RSA of the young person's own family (the simulator's
            # famille): the household's, for its allocataire or spouse.
            "beneficiaire_rsa": h["rsa"] and p["role"] in ("applicant", "spouse"),
            "parent": p["role"] in ("applicant", "spouse") and any(q["role"] == "child" for q in s["persons"])}[t]
    return base and all(holds(c, s, inst) for c in profil.get("conditions") or [])


def eligible(b, s, inst):
    general = all(holds(c, s, inst) for c in b.get("conditions_generales") or [])
    profils = b.get("profils") or []
    return general and (not profils or any(profile_holds(p, s, inst) for p in profils))


def birth(age, shift=0):
    """A birth date giving `age` full years on DATE (shift -1: one day before the birthday)."""
    d = datetime.date(DATE.year - age, DATE.month, DATE.day) + datetime.timedelta(days=-shift)
    return d.isoformat()


def neutral():
    return {"id": "", "date": DATE.isoformat(),
            "household": {"commune": "75056", "revenu_fiscal_de_reference": 12000, "nombre_de_parts": 1,
                          "difficultes_logement": False, "housing": "tenant", "rsa": False},
            "persons": [{"id": "p1", "role": "applicant", "birth_date": birth(20), "student": False, "scolarite": "autre",
                         "activite": "inactif", "contrat_alternant": "aucun", "stagiaire": False, "service_civique": False,
                         "handicap": False, "boursier": False, "annee_etude": "autre", "mention_baccalaureat": "sans_mention",
                         "taux_incapacite": 0, "formation_sanitaire_sociale": False,
                         "regime_securite_sociale": "regime_general", "agence_travail_temporaire": False}]}


PROFILE_SETTERS = {
    "enseignement_superieur": {"student": True}, "lyceen": {"scolarite": "lycee"},
    "collegien": {"scolarite": "college"}, "etudiant": {"activite": "etudiant"}, "chomeur": {"activite": "chomeur"},
    "salarie": {"activite": "salarie"}, "inactif": {"activite": "inactif"}, "independant": {"activite": "independant"},
    "apprenti": {"contrat_alternant": "apprenti"}, "professionnalisation": {"contrat_alternant": "professionnalisation"},
    "stagiaire": {"stagiaire": True}, "service_civique": {"service_civique": True}, "situation_handicap": {"handicap": True},
}


def copy(s):
    return json.loads(json.dumps(s))


def satisfy(profil, s):
    """`s` changed so that the profile and its own conditions hold (but its ages)."""
    p = s["persons"][0]
    if profil["type"] in PROFILE_SETTERS:
        p.update(PROFILE_SETTERS[profil["type"]])
    elif profil["type"] == "beneficiaire_rsa":
        s["household"]["rsa"] = True
    elif profil["type"] == "parent":
        s["persons"].append({"id": "e0", "role": "child", "birth_date": birth(12)})
    for c in profil.get("conditions") or []:
        make_hold(c, s)


def make_hold(c, s):
    """`s` changed so that condition `c` (not an age, not a place) holds."""
    p, h, t = s["persons"][0], s["household"], c["type"]
    if t in ("boursier", "formation_sanitaire_social", "agence_travail_temporaire"):
        p[{"formation_sanitaire_social": "formation_sanitaire_sociale"}.get(t, t)] = True
    elif t in ("annee_etude", "mention_baccalaureat"):
        p[t] = c["values"][0]
    elif t == "taux_incapacite":
        p["taux_incapacite"] = 1 if c["operator"] in (">", ">=", "=") and c["value"] <= 1 else 0
        if c["operator"] == "=":
            p["taux_incapacite"] = c["value"]
    elif t == "enfants_eligibles":
        n = c["value"] + (1 if c["operator"] == ">" else 0) - (1 if c["operator"] == "<" else 0)
        s["persons"] += [{"id": f"b{k}", "role": "child", "birth_date": birth(c.get("age_min", 11))} for k in range(max(0, n))]
    elif t == "beneficiaire_rsa":
        h["rsa"] = True
    elif t == "difficultes_acces_ou_frais_logement":
        h["difficultes_logement"] = True
    elif t == "statut_occupation_logement":
        wanted = [k for k, v in HOUSING.items() if (not c.get("includes") or v in c["includes"]) and v not in (c.get("excludes") or [])]
        h["housing"] = wanted[0] if wanted else h["housing"]
    elif t == "regime_securite_sociale":
        wanted = [v for v in ("regime_general", "regime_agricole", "autre")
                  if (not c.get("includes") or v in c["includes"]) and v not in (c.get("excludes") or [])]
        p["regime_securite_sociale"] = wanted[0] if wanted else p["regime_securite_sociale"]
    elif t == "quotient_familial":
        per = 12 if c["period"] == "month" else 1
        h["revenu_fiscal_de_reference"] = max(0, c["value"] * per - per) if c["operator"] in ("<=", "<") else c["value"] * per + per


def with_age(s, conditions, inst):
    """`s` with the middle age of those every age condition of `conditions` allows, when one does."""
    allowed = []
    for age in range(0, 100):
        t = copy(s)
        t["persons"][0]["birth_date"] = birth(age)
        if all(holds(c, t, inst) for c in conditions if c["type"] == "age"):
            allowed.append(t)
    return allowed[len(allowed) // 2] if allowed else s


def variants(b, inst):
    """Situations around each condition's boundary, from a base meant to satisfy
    the general conditions and the first profile, each varied alone."""
    conditions = list(b.get("conditions_generales") or [])
    profils = b.get("profils") or []
    geo_types = {"regions", "departements", "communes", "epcis", "excluded_epcis", "attached_to_institution"}
    geo = [c for c in conditions if c["type"] in geo_types]
    plain = neutral()

    def with_commune(s, code):
        s = copy(s)
        s["household"]["commune"] = code
        return s
    inside = next((code for code in codes if all(holds(c, with_commune(plain, code), inst) for c in geo)), "75056")
    outside = next((code for code in codes if not all(holds(c, with_commune(plain, code), inst) for c in geo)), None)
    plain["household"]["commune"] = inside
    for c in conditions:
        if c["type"] not in geo_types and c["type"] != "age":
            make_hold(c, plain)
    base = copy(plain)
    if profils:
        satisfy(profils[0], base)
    base = with_age(base, conditions + (profils[0].get("conditions") or [] if profils else []), inst)
    everything = conditions + [c for p in profils for c in p.get("conditions") or []]
    out = []

    def add(s):
        s = copy(s)
        s["id"] = f"{len(out)}"
        out.append(s)
    add(base)
    if outside:
        add(with_commune(base, outside))
    for part in parts.get(inside, [])[:2]:
        add(with_commune(base, part))
    for age in sorted({c["value"] for c in everything if c["type"] == "age"}):
        for a in (age - 1, age, age + 1):
            for shift in (0, -1):
                if a >= 0:
                    s = copy(base)
                    s["persons"][0]["birth_date"] = birth(a, shift)
                    add(s)
    for c in everything:
        if c["type"] == "quotient_familial":
            per = 12 if c["period"] == "month" else 1
            for rfr in (c["value"] * per - per, c["value"] * per, c["value"] * per + per):
                for parts_ in (1, 2):
                    s = copy(base)
                    s["household"]["revenu_fiscal_de_reference"] = max(0, rfr * parts_)
                    s["household"]["nombre_de_parts"] = parts_
                    add(s)
        if c["type"] == "taux_incapacite":
            for v in (c["value"] - 0.01, c["value"], c["value"] + 0.01):
                s = copy(base)
                s["persons"][0]["taux_incapacite"] = round(max(0, min(1, v)), 4)
                add(s)
        if c["type"] in ("annee_etude", "mention_baccalaureat"):
            for v in c["values"] + ["autre" if c["type"] == "annee_etude" else "sans_mention"]:
                s = copy(base)
                s["persons"][0][c["type"]] = v
                add(s)
        if c["type"] == "enfants_eligibles":
            for n in range(0, c["value"] + 2):
                for age in (c.get("age_min", 5) - 1, c.get("age_min", 5), c.get("age_max", 17), c.get("age_max", 17) + 1):
                    s = copy(base)
                    s["persons"] = [q for q in s["persons"] if q["role"] != "child"]
                    s["persons"] += [{"id": f"e{k}", "role": "child", "birth_date": birth(max(0, age))} for k in range(n)]
                    add(s)
        if c["type"] in ("regime_securite_sociale", "statut_occupation_logement"):
            for v in (["regime_general", "regime_agricole", "autre"] if c["type"] == "regime_securite_sociale"
                      else list(HOUSING)):
                s = copy(base)
                if c["type"] == "regime_securite_sociale":
                    s["persons"][0]["regime_securite_sociale"] = v
                else:
                    s["household"]["housing"] = v
                add(s)
    for flag_in, where in (("rsa", "household"), ("difficultes_logement", "household"), ("boursier", "person"),
                           ("formation_sanitaire_sociale", "person"), ("agence_travail_temporaire", "person")):
        s = copy(base)
        (s["household"] if where == "household" else s["persons"][0])[flag_in] = not (
            s["household"] if where == "household" else s["persons"][0])[flag_in]
        add(s)
    # The applicant's child: the household's RSA is not theirs.
    s = copy(base)
    s["persons"][0]["role"] = "child"
    s["persons"].append({"id": "parent", "role": "applicant", "birth_date": birth(45)})  # a household has one
    add(s)
    # Each profile alone, then without each of its own conditions; and none.
    add(with_age(plain, conditions, inst))
    for profil in profils:
        s = copy(plain)
        satisfy(profil, s)
        s = with_age(s, conditions + (profil.get("conditions") or []), inst)
        add(s)
        for c in profil.get("conditions") or []:
            t = copy(s)
            q = t["persons"][0]
            if c["type"] == "boursier":
                q["boursier"] = False
            elif c["type"] == "formation_sanitaire_social":
                q["formation_sanitaire_sociale"] = False
            elif c["type"] in ("annee_etude", "mention_baccalaureat"):
                q[c["type"]] = "autre" if c["type"] == "annee_etude" else "sans_mention"
            elif c["type"] == "taux_incapacite":
                q["taux_incapacite"] = 0 if q["taux_incapacite"] else 1
            elif c["type"] == "enfants_eligibles":
                t["persons"] = [q]
            elif c["type"] == "age":
                q["birth_date"] = birth(max(0, c["value"] + (1 if c["operator"] in ("<", "<=", "=") else -1)))
            else:
                continue
            add(t)
    return out


# 3. Every loaded benefit: Proactif against the direct reading, by chunks
# of programs evaluated together (each program decides all the chunk's
# situations; only its own are compared).
work = work_dir("proactif-aides-jeunes-")
compared = disagreements = 0
transport_compared = set()
both = {}  # benefit -> the outcomes its situations have by the reading
covered = {}  # (benefit, general condition) -> fails, holds, granted: what its situations show of it
chunk = 30
for start in range(0, len(loaded), chunk):
    ids = loaded[start:start + chunk]
    cases = {}
    lines = []
    for i in ids:
        b = benefit(i)
        inst = institution(b["institution"])
        for s in variants(b, inst):
            s["id"] = f"{i}#{s['id']}"
            want = eligible(b, s, inst)
            both.setdefault(i, set()).add(want)
            for k, c in enumerate(b.get("conditions_generales") or []):
                sides = covered.setdefault((i, k), set())
                sides.add("fails" if not holds(c, s, inst) else "granted" if want else "holds")
            amount = b.get("montant") if b.get("type") == "float" else None
            cases[(i, s["id"])] = (want, amount)
            lines.append(json.dumps(s, ensure_ascii=False))
    path = os.path.join(work, f"chunk{start}.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    args = ["evaluate", "--situations", path]
    for i in ids:
        args += ["--program", "aides-jeunes:" + i]
    r = proactif(*args)
    check(r.returncode == 0, f"evaluate chunk {start}: {r.stderr[-500:]}")
    for line in r.stdout.splitlines():
        d = json.loads(line)
        i = d["program"][len("aides-jeunes:"):]
        if d.get("person") != "p1" or (i, d["situation"]) not in cases:
            continue
        want, amount = cases[(i, d["situation"])]
        got = d["status"]
        ok = got == ("eligible" if want else "ineligible")
        if ok and want and amount is not None:
            ok = abs(d["result"]["montant"] - float(amount)) < 0.005
        compared += 1
        if i in TRANSPORT:
            transport_compared.add(i)
        if not ok:
            disagreements += 1
            if disagreements <= 20:
                check(False, f"{i} {d['situation']}: Proactif {got} {d.get('result')} {d.get('missing')}, "
                             f"the reading {want} {amount}")
check(disagreements == 0, f"{disagreements} of {compared} decisions disagree")
check(compared >= 15 * len(loaded), f"only {compared} decisions compared for {len(loaded)} benefits")
check(len(transport_compared) == 58, f"{len(transport_compared)} transport fares compared")
# Both sides of each benefit's boundaries: situations it is granted for and
# situations it is not, for every benefit some person can get.
one_sided = sorted(i for i, seen in both.items() if seen != {True, False})
print("aides_jeunes.py: benefits whose situations all have one outcome:", one_sided)
check(len(one_sided) <= 3, f"{len(one_sided)} benefits tested on one side only: {one_sided}")
# Each general condition both failing and holding in a situation granted:
# a mistake in its rule changes some decision the test compares.
half = sorted(k for k, sides in covered.items() if not {"fails", "granted"} <= sides)
print(f"aides_jeunes.py: {len(covered) - len(half)} of {len(covered)} general conditions seen failing and granted")
check(len(half) <= len(covered) // 50, f"{len(half)} general conditions not seen on both sides: {half[:30]}")
# 4. A campaign telling a territory's residents of every transport fare
# they may get: Brest Métropole's synthetic population, the 58 fares.
from harness import MESSAGE_FIELDS  # noqa: E402
brest = {c for c, v in communes.items() if v.get("epci") == "242900314"}
campaign = os.path.join(work, "tarifs.yaml")
with open(campaign, "w", encoding="utf-8") as f:
    f.write(f"""id: tarifs-brest
title: Les tarifs des transports auxquels vous pourriez avoir droit
sender: Brest Métropole (test)
period: "2026-11"
date: "{DATE.isoformat()}"
how_to_object: écrivez à dpo@brest.example
{MESSAGE_FIELDS}population:
  synthetic: {{territory: "242900314", households: 600, seed: 5}}
programs:
""" + "".join(f'  "aides-jeunes:{i}": {{}}\n' for i in TRANSPORT) + """channels: [letter]
letters: {folder: lettres}
""")
r = proactif("campaign", "run", campaign, "--plan-only", "--store", "sqlite:" + os.path.join(work, "tarifs.db"))
check(r.returncode == 0, f"campaign over the 58 fares: {r.stderr[-600:]}")
import re  # noqa: E402
lines = {m.group(1): (int(m.group(2)), int(m.group(3))) for m in
         re.finditer(r"^  aides-jeunes:(\S+): (\d+) eligible, (\d+) undetermined", r.stdout, re.M)}
check(sorted(lines) == sorted(TRANSPORT), f"{len(lines)} fares in the campaign's report")
# A fare none of Brest Métropole's communes can satisfy, by the reading, is
# never found eligible there.
elsewhere = []
for i in TRANSPORT:
    b, inst = benefit(i), institution(benefit(i)["institution"])
    geo = [c for c in b.get("conditions_generales") or [] if c["type"] in
           ("regions", "departements", "communes", "epcis", "excluded_epcis", "attached_to_institution")]
    if geo and not any(all(holds(c, {"household": {"commune": code}, "persons": [{}]}, inst) for c in geo) for code in brest):
        elsewhere.append(i)
check(len(elsewhere) >= 40 and all(lines[i][0] == 0 for i in elsewhere),
      f"fares of other territories found eligible in Brest: {[(i, lines[i]) for i in elsewhere if lines[i][0]]}")
local = [i for i in TRANSPORT if i not in elsewhere]
check(all(sum(lines[i]) > 0 for i in local), f"local fares with nobody possibly entitled: {[i for i in local if not sum(lines[i])]}")
check("brest_metropole-abonnement-transports-pour-les-étudiant·es-boursier·es" in local and
      "region-bretagne-abonnement-breizhgo" in local, f"the fares of Brest: {local}")
print(f"aides_jeunes.py: a campaign over Brest Métropole: {len(local)} fares may apply there "
      f"({sum(lines[i][0] for i in local)} eligible, {sum(lines[i][1] for i in local)} undetermined), "
      f"{len(elsewhere)} never found eligible there")
print(f"aides_jeunes.py: {len(loaded)} of {len(report)} benefits load (58 of 58 transport fares); {compared} decisions compared with a "
      f"direct reading of the conditions, {disagreements} disagree")
finish()
