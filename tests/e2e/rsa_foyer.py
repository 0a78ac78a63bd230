"""The RSA's foyer (CASF R262-3, last paragraph) against every way of
counting the dependants: on random households of a lone parent or a couple
with up to five children, some under 3 with resources of their own, members
under 25 or students, the amount Proactif gives is the best over every
subset of the dependants that lets a member claim (L262-4: 25 or more, or a
child at charge; a student only with the single-parent increase), the
subset's increase computed from the texts (2025 figures, décret 2025-293:
646,52 €; R262-1: +50 % for the second person of the foyer, +30 % for the
third, +40 % from the third dependant; L262-9 and R262-1 2°: a lone parent
counting a child under 3 gets 128,412 % plus 42,804 % per child), and the
persons an explanation counts are such a best subset. Where a child's
resources are unknown, the decision is eligible only if it is for every
value they may take, with the least of those amounts, and ineligible only if
it is for every one."""
import json
import random
from harness import check, decisions, finish, run, temp_file

BASE = 646.52
SECOND_PERSON = 323.26   # 50 %
THIRD_PERSON = 193.96    # 30 %
FROM_THIRD_CHILD = 258.61  # 40 %
SINGLE_PARENT = 830.21   # 128,412 %
PER_CHILD_SINGLE = 276.74  # 42,804 %
# R262-9 and R262-10: 12 % of 646,52, 16 % of 969,78, 16,5 % of 1 163,74.
FORFAIT = {1: 77.58, 2: 155.16, 3: 192.02}
PAYMENT_THRESHOLD = 6  # no RSA is paid under 6 € a month
DATE = "2025-06-15"


class Dependant:
    """A person the RSA may count: their resources a month, whether they are
    under 3 (opens the single-parent increase) and a child for L262-4 1°
    (role child, or under 20)."""

    def __init__(self, pid, resources_3m, under3, child):
        self.pid, self.resources_3m, self.monthly = pid, resources_3m, resources_3m / 3
        self.under3, self.child = under3, child


def increase(counted, couple):
    """What the dependants counted add to the montant forfaitaire."""
    if not couple and any(d.under3 for d in counted):
        return SINGLE_PARENT - BASE + len(counted) * PER_CHILD_SINGLE
    total = 0.0
    for rank in range(1, len(counted) + 1):
        total += FROM_THIRD_CHILD if rank > 2 else SECOND_PERSON if not couple and rank == 1 else THIRD_PERSON
    return total


def gain(counted, couple):
    return increase(counted, couple) - sum(d.monthly for d in counted)


def may_claim(members, counted, couple):
    """L262-4 1° and 3°: a member of 25 or more, or with a child at charge;
    not a student, unless the single-parent increase applies."""
    increase_applies = not couple and any(d.under3 for d in counted)
    has_child = any(d.child for d in counted)
    return any((adult or has_child) and (not student or increase_applies) for adult, student in members)


def forfait(housing, benefit, size):
    full = FORFAIT[min(size, 3)]
    if benefit > 0:
        return min(benefit, full)
    return full if housing in ("owner", "free") else 0


def decide(household, members, member_resources_3m, dependants, couple):
    """The amount due, None when none: the count of dependants with the
    largest gain among those that let a member claim, the smallest on a tie
    (R262-3 compares the increases alone, not the forfait logement)."""
    best = None
    for mask in range(1 << len(dependants)):
        counted = [d for k, d in enumerate(dependants) if mask >> k & 1]
        if may_claim(members, counted, couple):
            key = (round(gain(counted, couple), 6), -len(counted))
            if best is None or key > best[0]:
                best = (key, counted)
    if best is None:
        return None
    counted = best[1]
    size = len(members) + len(counted)
    resources = round((member_resources_3m + sum(d.resources_3m for d in counted)) / 3 + 1e-9, 2)
    amount = (BASE + (SECOND_PERSON if couple else 0) + increase(counted, couple)
              - forfait(household["housing"], household["housing_benefit_monthly"], size) - resources)
    return round(amount, 2) if amount >= PAYMENT_THRESHOLD else None


def age_on_date(birth):
    return 2025 - int(birth[:4]) - ((int(birth[5:7]), int(birth[8:10])) > (6, 15))


def dependants_of(persons, couple):
    out = []
    for p in persons:
        if p["role"] not in ("child", "other"):
            continue
        age = age_on_date(p["birth_date"])
        at_charge = p.get("dependant", p["role"] == "child")
        if age < 25 and at_charge:
            out.append(Dependant(p["id"], p["resources_3m"], age < 3, p["role"] == "child" or age < 20))
    return out


rng = random.Random(20251202)
# Resources over 3 months that sit on the increases (3 x 276,74, 3 x 323,26,
# 3 x 460,43) besides random ones.
edges = [0, 830.22, 969.78, 1381.29, 1290, 1500, 900, 600]
births = ["2025-01-10", "2024-03-01", "2022-06-16", "2022-06-15", "2018-05-10", "2012-07-10", "2008-02-10",
          "2003-09-10", "2001-09-10", "1998-01-01"]
# The values an unknown field is tried at: resources at nothing, just under
# each increase and more than any; birth dates under 3, a child, 22, 30.
tried = {"resources_3m": [0, 300, 581.85, 775.8, 830.19, 969.75, 1381.26, 30000],
         "birth_date": ["2024-03-01", "2015-01-01", "2003-01-01", "1995-01-01"],
         "dependant": [True, False]}
housings = [("tenant", 0), ("tenant", 0), ("tenant", 50), ("tenant", 300), ("owner", 0), ("free", 0)]
situations, expected = [], {}
for i in range(3000):
    couple = rng.random() < 0.3
    members, persons, member_resources = [], [], 0
    for role in ["applicant", "spouse"] if couple else ["applicant"]:
        born = rng.choice(["1980-01-01", "1990-01-01", "2002-01-01", "2004-09-01"])
        student = rng.random() < 0.15
        resources = rng.choice([0, 0, 0, 900, 1800])
        members.append((born <= "2000-06-15", student))
        member_resources += resources
        persons.append({"id": role[0], "role": role, "birth_date": born, "resources_3m": resources,
                        "student": student})
    free = any(adult and not student for adult, student in members)
    for j in range(rng.randint(1, 5)):
        role = "other" if rng.random() < 0.2 else "child"
        birth = rng.choice(births)
        # A person of 20 to 24 who is not a child lets a young member claim
        # in a count the program does not try (docs/limits.md): only beside
        # a member who may claim whatever the count.
        if role == "other" and not free and "2000-06-15" < birth <= "2005-06-15":
            birth = "2012-07-10"
        person = {"id": f"d{j}", "role": role, "birth_date": birth,
                  "resources_3m": rng.choice([0, 0, rng.randint(1, 2400), rng.choice(edges)]), "student": False}
        if role == "other" or rng.random() < 0.1:
            person["dependant"] = rng.random() < 0.7
        persons.append(person)
    housing, benefit = rng.choice(housings)
    household = {"commune": "38185", "housing": housing, "housing_benefit_monthly": benefit}
    unknown = None
    if i % 3 == 2:
        target = rng.choice([p for p in persons if p["role"] in ("child", "other")])
        field = rng.choice(list(tried))
        # A child listed is presumed at charge (R262-3 1°): their flag
        # absent is not unknown.
        if field == "dependant" and target["role"] == "child":
            field = "resources_3m"
        if not (field == "birth_date" and target["role"] == "other" and not free):
            unknown = (target["id"], field)
            target.pop(field, None)
    completions = []
    for value in ([None] if unknown is None else tried[unknown[1]]):
        filled = [dict(p) for p in persons]
        if unknown is not None:
            next(p for p in filled if p["id"] == unknown[0])[unknown[1]] = value
        completions.append(decide(household, members, member_resources, dependants_of(filled, couple), couple))
    expected[f"s{i}"] = (completions, couple, persons, members, unknown)
    situations.append({"id": f"s{i}", "date": DATE, "household": household, "persons": persons})

path = temp_file("".join(json.dumps(s) + "\n" for s in situations))
out = run("evaluate", "--program", "rsa", "--situations", path)
check(out.returncode == 0, f"exit status {out.returncode}: {out.stderr}")
got = decisions(out.stdout)
check(len(got) == len(situations), f"{len(got)} decisions for {len(situations)} situations")
wrong, undetermined_yet_entitled, below_least = [], 0, 0
for d in got:
    completions, _, _, _, unknown = expected[d["situation"]]
    entitled = [a for a in completions if a is not None]
    if d["status"] == "eligible":
        amount = d["result"]["monthly_amount_eur"]
        # Never more than any value of the unknown gives; the bound may be
        # lower than the least of them, by the forfait's growth (docs/limits.md).
        ok = len(entitled) == len(completions) and min(entitled) - 114.45 <= amount <= min(entitled) + 0.011
        ok = ok and (unknown is not None or abs(amount - entitled[0]) < 0.011)
        below_least += ok and amount < min(entitled) - 0.011
    elif d["status"] == "ineligible":
        ok = not entitled
    else:
        ok = unknown is not None
        undetermined_yet_entitled += len(entitled) == len(completions)
    if not ok:
        wrong.append((d, completions))
check(not wrong, f"{len(wrong)} decisions differ from every count's best, first: {wrong[:2]}")
check(undetermined_yet_entitled <= 2, f"{undetermined_yet_entitled} undetermined where every value gives an amount "
      "(docs/limits.md says two)")
print(f"{len(got)} decisions against every subset of the dependants; where a value is unknown,",
      f"undetermined though every value gives an amount: {undetermined_yet_entitled},",
      f"eligible with less than the least of them: {below_least}")

# Who the explanation counts: a best count, every person left out with a reason.
subset = situations[:400]
out = run("evaluate", "--program", "rsa", "--explain",
          "--situations", temp_file("".join(json.dumps(s) + "\n" for s in subset)))
check(out.returncode == 0, f"--explain: exit status {out.returncode}: {out.stderr}")
for d in decisions(out.stdout):
    completions, couple, persons, members, unknown = expected[d["situation"]]
    if unknown is not None or completions[0] is None:
        continue
    foyer = d["explanation"]["foyer"]
    dependants = dependants_of(persons, couple)
    counted = [x for x in dependants if x.pid in foyer["counted"]]
    check(set(foyer["counted"]) <= {p["id"] for p in persons if p["role"] in ("applicant", "spouse")} |
          {x.pid for x in dependants}, f"{d['situation']}: counts who cannot be: {foyer['counted']}")
    best = max(gain([x for k, x in enumerate(dependants) if m >> k & 1], couple)
               for m in range(1 << len(dependants))
               if may_claim(members, [x for k, x in enumerate(dependants) if m >> k & 1], couple))
    check(may_claim(members, counted, couple) and abs(gain(counted, couple) - best) < 0.011,
          f"{d['situation']}: counted {foyer['counted']}: gain {gain(counted, couple):.2f}, best {best:.2f}")
    for p in persons:
        if p["id"] in foyer["not_counted"]:
            check(p["id"] in foyer["why_not_counted"], f"{d['situation']}: no reason for {p['id']}: {foyer}")

# The person's text where a child's resources are unknown: who is not known
# to count, and that what it says holds for the data known.
unsure = {"id": "unsure", "date": DATE,
          "household": {"commune": "38185", "housing": "tenant", "housing_benefit_monthly": 0},
          "persons": [{"id": "a", "role": "applicant", "birth_date": "1985-01-01", "resources_3m": 0, "student": False},
                      {"id": "k", "role": "child", "birth_date": "2015-01-01", "resources_3m": 0},
                      {"id": "u", "role": "child", "birth_date": "2012-01-01"}]}
out = run("explain", "--program", "rsa", "--for-person", "--situations", temp_file(json.dumps(unsure) + "\n"))
check(out.returncode == 0 and "969,78" in out.stdout and
      "Personnes dont on ne sait pas si elles font partie de ce foyer : un enfant (né(e) en 2012). Tant que leurs "
      "données manquent, ce qui est dit ici vaut pour les données connues." in out.stdout, out.stdout[:3000] + out.stderr)
finish()
