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
PAYMENT_THRESHOLD = 6  # no RSA is paid under 6 € a month
DATE = "2025-06-15"


def increase(dependants, couple):
    """What the dependants counted add to the montant forfaitaire."""
    if not couple and any(under3 for _, under3 in dependants):
        return SINGLE_PARENT - BASE + len(dependants) * PER_CHILD_SINGLE
    total = 0.0
    for rank in range(1, len(dependants) + 1):
        total += FROM_THIRD_CHILD if rank > 2 else SECOND_PERSON if not couple and rank == 1 else THIRD_PERSON
    return total


def gain(dependants, couple):
    return increase(dependants, couple) - sum(monthly for monthly, _ in dependants)


def may_claim(members, dependants, couple):
    """L262-4 1° and 3°: a member of 25 or more, or with a child at charge;
    not a student, unless the single-parent increase applies."""
    increase_applies = not couple and any(under3 for _, under3 in dependants)
    return any((adult or dependants) and (not student or increase_applies) for adult, student in members)


def best_amount(members, children, couple):
    """The most favourable amount over the counts that let a member claim,
    None when none does or when it is under the payment threshold (all
    children here are role child, so any count holds a child)."""
    best = None
    for mask in range(1 << len(children)):
        counted = [(m, u) for k, (_, m, u) in enumerate(children) if mask >> k & 1]
        if may_claim(members, counted, couple):
            amount = BASE + (SECOND_PERSON if couple else 0) + gain(counted, couple)
            best = amount if best is None else max(best, amount)
    return best if best is not None and best >= PAYMENT_THRESHOLD else None


rng = random.Random(20251202)
# Resources over 3 months that sit on the increases (3 x 276,74, 3 x 323,26,
# 3 x 460,43) besides random ones.
edges = [0, 830.22, 969.78, 1381.29, 1290, 1500, 900, 600]
# The values an unknown monthly resource is tried at: nothing, just under
# each increase, and more than any.
tried = [0, 100, 193.95, 258.6, 276.73, 323.25, 460.42, 10000]
situations, expected = [], {}
for i in range(3000):
    couple = rng.random() < 0.3
    members = []
    persons = []
    for role in ["applicant", "spouse"] if couple else ["applicant"]:
        born = rng.choice(["1980-01-01", "1990-01-01", "2002-01-01", "2004-09-01"])
        student = rng.random() < 0.15
        members.append((born <= "2000-06-15", student))
        persons.append({"id": role[0], "role": role, "birth_date": born, "resources_3m": 0, "student": student})
    children = []
    unknown = None
    for j in range(rng.randint(1, 5)):
        birth = rng.choice(["2025-01-10", "2024-03-01", "2022-06-16", "2022-06-15", "2018-05-10",
                            "2012-07-10", "2008-02-10", "2001-09-10"])
        resources = rng.choice([0, 0, rng.randint(1, 2400), rng.choice(edges)])
        child = {"id": f"c{j}", "role": "child", "birth_date": birth, "resources_3m": resources, "student": False}
        # Under 25 on the date (at charge) and under 3 (opens the increase).
        if birth > "2000-06-15":
            if unknown is None and i % 4 == 3:
                del child["resources_3m"]
                unknown = len(children)
            children.append((f"c{j}", resources / 3, birth > "2022-06-15"))
        persons.append(child)
    completions = []
    for r in ([None] if unknown is None else tried):
        filled = list(children)
        if r is not None:
            pid, _, u = filled[unknown]
            filled[unknown] = (pid, r, u)
        completions.append(best_amount(members, filled, couple))
    expected[f"s{i}"] = (completions, couple, children, members, unknown)
    situations.append({"id": f"s{i}", "date": DATE,
                       "household": {"commune": "38185", "housing": "tenant", "housing_benefit_monthly": 0},
                       "persons": persons})

path = temp_file("".join(json.dumps(s) + "\n" for s in situations))
out = run("evaluate", "--program", "rsa", "--situations", path)
check(out.returncode == 0, f"exit status {out.returncode}: {out.stderr}")
got = decisions(out.stdout)
check(len(got) == len(situations), f"{len(got)} decisions for {len(situations)} situations")
wrong, undetermined_yet_entitled = [], 0
for d in got:
    completions = expected[d["situation"]][0]
    entitled = [a for a in completions if a is not None]
    if d["status"] == "eligible":
        ok = len(entitled) == len(completions) and abs(d["result"]["monthly_amount_eur"] - min(entitled)) < 0.011
    elif d["status"] == "ineligible":
        ok = not entitled
    else:
        ok = len(completions) > 1 and len(entitled) != len(completions) and len(entitled) > 0
        undetermined_yet_entitled += len(entitled) == len(completions)
    if not ok:
        wrong.append((d, completions))
check(not wrong, f"{len(wrong)} decisions differ from every count's best, first: {wrong[:2]}")
print(f"{len(got)} decisions against every subset of the dependants;",
      f"undetermined where every value of the unknown gives some amount: {undetermined_yet_entitled}")

# Who the explanation counts: a best subset.
subset = situations[:400]
out = run("evaluate", "--program", "rsa", "--explain",
          "--situations", temp_file("".join(json.dumps(s) + "\n" for s in subset)))
check(out.returncode == 0, f"--explain: exit status {out.returncode}: {out.stderr}")
for d in decisions(out.stdout):
    completions, couple, children, members, unknown = expected[d["situation"]]
    if unknown is not None or completions[0] is None:
        continue
    foyer = d["explanation"]["foyer"]
    counted = [(m, u) for pid, m, u in children if pid in foyer["counted"]]
    amount = BASE + (SECOND_PERSON if couple else 0) + gain(counted, couple)
    check(may_claim(members, counted, couple) and abs(amount - completions[0]) < 0.011,
          f"{d['situation']}: counted {foyer['counted']}: {amount:.2f}, best {completions[0]:.2f}")
    for pid, _, _ in children:
        if pid in foyer["not_counted"]:
            check(pid in foyer["why_not_counted"], f"{d['situation']}: no reason for {pid}: {foyer}")
finish()
