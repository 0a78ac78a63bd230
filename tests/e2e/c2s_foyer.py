"""The C2S on random households whose data are all known, against the
decision computed here from the texts and the published figures in force on
15 June 2025, without the program's files: the foyer (CSS R861-2: the
applicant, the spouse, the children under 25 living under their roof,
whatever the CAF's "à charge" of family benefits says, 2°, and the other
persons under 25 at their charge), its resources of 12
months with the forfait logement (R861-5: an owner without housing benefit
or a person housed free, 12 %, 14 %, 14 % of the RSA's montant forfaitaire
for 1, 2, 3 persons or more; R861-7: the housing benefit, at most 12 %,
16 %, 16,5 % of it; over the year, to the cent), the ceilings (D861-1, from
1 April 2025), the RSA's route (L861-2), and the participation of each
person counted by their age on 1 January (arrêtés of 21 June 2019 and 29
December 2023; the Alsace-Moselle local regime's own). The explanation's
foyer is the one computed here. Resources are drawn on and beside each
ceiling, so that a comparison the wrong way round, or a forfait off by a
cent, shows."""
import json
import random
from decimal import ROUND_HALF_UP, Decimal

from harness import check, decisions, finish, run, temp_file

DATE = "2025-06-15"
FREE = [10339, 15508, 18609, 21711]
FREE_PER_MORE = 4135
WITH_PARTICIPATION = [13957, 20936, 25123, 29311]
WITH_PARTICIPATION_PER_MORE = 5583
# CASF L262-2 and R262-1 (décret n° 2025-293): 646,52 €, +50 % for the
# second person, +30 % for the third, each increase to the cent.
RSA_AMOUNT = {1: Decimal("646.52"), 2: Decimal("969.78"), 3: Decimal("1163.74")}
OWNER_OR_FREE = {1: Decimal("0.12"), 2: Decimal("0.14"), 3: Decimal("0.14")}
HOUSING_BENEFIT = {1: Decimal("0.12"), 2: Decimal("0.16"), 3: Decimal("0.165")}
# Monthly participation by age on 1 January: under 30, 30 to 49, 50 to 59,
# 60 to 69, 70 or more.
PARTICIPATION = [(30, "8"), (50, "14"), (60, "21"), (70, "25"), (999, "30")]
PARTICIPATION_LOCAL_REGIME = [(30, "2.80"), (50, "4.90"), (60, "7.30"), (70, "8.70"), (999, "10.50")]
LOCAL_REGIME_DEPARTMENTS = ("57", "67", "68")


def age(birth, on):
    years = int(on[:4]) - int(birth[:4])
    return years - ((int(on[5:7]), int(on[8:10])) < (int(birth[5:7]), int(birth[8:10])))


def in_foyer(person):
    if person["role"] in ("applicant", "spouse"):
        return True
    at_charge = person["role"] == "child" or person.get("dependant")
    return age(person["birth_date"], DATE) < 25 and at_charge


def ceilings(size):
    if size <= 4:
        return FREE[size - 1], WITH_PARTICIPATION[size - 1]
    return FREE[3] + (size - 4) * FREE_PER_MORE, WITH_PARTICIPATION[3] + (size - 4) * WITH_PARTICIPATION_PER_MORE


def forfait_logement(household, size):
    k = min(size, 3)
    if household["housing_benefit_monthly"] > 0:
        monthly = min(Decimal(str(household["housing_benefit_monthly"])), RSA_AMOUNT[k] * HOUSING_BENEFIT[k])
    elif household["housing"] in ("owner", "free"):
        monthly = RSA_AMOUNT[k] * OWNER_OR_FREE[k]
    else:
        return Decimal(0)
    return (monthly * 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def decide(s):
    """(variant, monthly participation) or None when not entitled."""
    household = s["household"]
    foyer = [p for p in s["persons"] if in_foyer(p)]
    if household["rsa"]:
        return "free", Decimal(0)
    resources = sum(Decimal(str(p["resources_12m"])) for p in foyer) + forfait_logement(household, len(foyer))
    free, with_participation = ceilings(len(foyer))
    if resources <= free:
        return "free", Decimal(0)
    if resources > with_participation:
        return None
    local = household["commune"][:2] in LOCAL_REGIME_DEPARTMENTS and household.get("regime_local_alsace_moselle")
    scale = PARTICIPATION_LOCAL_REGIME if local else PARTICIPATION
    january_first = DATE[:4] + "-01-01"
    return "participation", sum(Decimal(next(amount for below, amount in scale if age(p["birth_date"], january_first) < below))
                                for p in foyer)


def birth_for_age(rng, years):
    """A birth date giving `years` on the date, now and then on the very day."""
    if rng.random() < 0.1:
        return f"{2025 - years}-06-15"
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    return f"{2025 - years - ((month, day) > (6, 15))}-{month:02d}-{day:02d}"


rng = random.Random(20251203)
situations, expected = [], {}
communes = [("38185", None), ("38185", None), ("67482", True), ("67482", False), ("57463", True)]
for i in range(4000):
    commune, local = rng.choice(communes)
    housing = rng.choice(["tenant", "tenant", "owner", "free", "homeless"])
    benefit = round(rng.uniform(1, 450), 2) if housing in ("tenant", "owner") and rng.random() < 0.5 else 0
    household = {"commune": commune, "housing": housing, "housing_benefit_monthly": benefit, "rsa": rng.random() < 0.08}
    if local is not None:
        household["regime_local_alsace_moselle"] = local
    persons = [{"id": "a", "role": "applicant", "birth_date": birth_for_age(rng, rng.randint(19, 85))}]
    if rng.random() < 0.45:
        persons.append({"id": "s", "role": "spouse", "birth_date": birth_for_age(rng, rng.randint(19, 85))})
    for k in range(rng.choice([0, 0, 1, 1, 2, 3, 4, 5])):
        child = {"id": f"c{k}", "role": "child", "birth_date": birth_for_age(rng, rng.choice([0, 3, 12, 17, 20, 24, 25, 27]))}
        charge = rng.random()
        if charge < 0.15:
            child["dependant"] = False
        elif charge < 0.3:
            child["dependant"] = True
        persons.append(child)
    if rng.random() < 0.2:
        persons.append({"id": "o", "role": "other", "birth_date": birth_for_age(rng, rng.randint(16, 40)),
                        "dependant": rng.random() < 0.5})
    for p in persons:
        p["resources_12m"] = 0
        p["minimum_benefits"] = []
    # The foyer's resources on a ceiling, a cent either side of it, or anywhere.
    foyer = [p for p in persons if in_foyer(p)]
    free, with_participation = ceilings(len(foyer))
    forfait = forfait_logement(household, len(foyer))
    target = rng.choice([free, with_participation, rng.uniform(0, with_participation * 1.2)])
    total = max(Decimal(0), Decimal(str(round(target, 2))) - forfait + Decimal(rng.choice(["0", "0", "0.01", "-0.01"])))
    share = Decimal(str(round(rng.random(), 2)))
    foyer[0]["resources_12m"] = float((total * share).quantize(Decimal("0.01")))
    foyer[-1]["resources_12m"] = float(total - Decimal(str(foyer[0]["resources_12m"]))) if len(foyer) > 1 else float(total)
    for p in persons:
        if not in_foyer(p):
            p["resources_12m"] = round(rng.uniform(0, 30000), 2)  # not theirs to count
    s = {"id": f"h{i}", "date": DATE, "household": household, "persons": persons}
    situations.append(s)
    expected[s["id"]] = (decide(s), {p["id"] for p in foyer})

out = run("evaluate", "--program", "c2s", "--situations",
          temp_file("".join(json.dumps(s) + "\n" for s in situations)), "--explain")
check(out.returncode == 0, f"exit status {out.returncode}: {out.stderr[:2000]}")
by_id = {s["id"]: s for s in situations}
seen = 0
for d in decisions(out.stdout):
    seen += 1
    want, foyer = expected[d["situation"]]
    where = f"{d['situation']}: {json.dumps(by_id[d['situation']])}"
    counted = set(d["explanation"]["foyer"]["counted"])
    check(counted == foyer, f"{where}: foyer {counted}, computed {foyer}")
    if want is None:
        check(d["status"] == "ineligible", f"{where}: {d['status']} {d.get('result')}, computed not entitled")
        continue
    variant, participation = want
    got = d.get("result") or {}
    check(d["status"] == "eligible" and got.get("variant") == variant
          and abs(Decimal(str(got.get("monthly_participation_eur"))) - participation) < Decimal("0.005"),
          f"{where}: {d['status']} {got}, computed {variant} {participation}")
check(seen == len(situations), f"{seen} decisions for {len(situations)} situations")
print(f"{seen} households compared")
finish()
