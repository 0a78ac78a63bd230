"""The RSA's foyer (CASF R262-3, last paragraph) against every way of
counting the dependants: on random households of a lone parent or a couple
with up to five children, some under 3 with resources of their own, the
amount Proactif gives is the best over every subset of the dependants, the
subset's increase computed from the texts (2025 figures, décret 2025-293:
646,52 €; R262-1: +50 % for the second person of the foyer, +30 % for the
third, +40 % from the third dependant; L262-9 and R262-1 2°: a lone parent
counting a child under 3 gets 128,412 % plus 42,804 % per child), and the
persons an explanation counts are such a best subset."""
import json
import random
from harness import check, decisions, finish, run, temp_file

BASE = 646.52
SECOND_PERSON = 323.26   # 50 %
THIRD_PERSON = 193.96    # 30 %
FROM_THIRD_CHILD = 258.61  # 40 %
SINGLE_PARENT = 830.21   # 128,412 %
PER_CHILD_SINGLE = 276.74  # 42,804 %
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


rng = random.Random(20251202)
# Resources over 3 months that sit on the increases (3 x 276,74, 3 x 323,26,
# 3 x 460,43) besides random ones.
edges = [0, 830.22, 969.78, 1381.29, 1290, 1500, 900, 600]
situations, expected = [], {}
for i in range(3000):
    couple = rng.random() < 0.3
    persons = [{"id": "a", "role": "applicant", "birth_date": "1990-01-01", "resources_3m": 0, "student": False}]
    if couple:
        persons.append({"id": "s", "role": "spouse", "birth_date": "1991-01-01", "resources_3m": 0,
                        "student": False})
    children = []
    for j in range(rng.randint(1, 5)):
        birth = rng.choice(["2025-01-10", "2024-03-01", "2022-06-16", "2022-06-15", "2018-05-10",
                            "2012-07-10", "2008-02-10", "2001-09-10"])
        resources = rng.choice([0, 0, rng.randint(1, 2400), rng.choice(edges)])
        persons.append({"id": f"c{j}", "role": "child", "birth_date": birth, "resources_3m": resources,
                        "student": False})
        # Under 25 on the date (at charge) and under 3 (opens the increase).
        if birth > "2000-06-15":
            children.append((f"c{j}", resources / 3, birth > "2022-06-15"))
    best = 0.0
    for mask in range(1 << len(children)):
        counted = [(m, u) for k, (_, m, u) in enumerate(children) if mask >> k & 1]
        best = max(best, gain(counted, couple))
    expected[f"s{i}"] = (BASE + (SECOND_PERSON if couple else 0) + best, best, couple, children)
    situations.append({"id": f"s{i}", "date": DATE,
                       "household": {"commune": "38185", "housing": "tenant", "housing_benefit_monthly": 0},
                       "persons": persons})

path = temp_file("".join(json.dumps(s) + "\n" for s in situations))
out = run("evaluate", "--program", "rsa", "--situations", path)
check(out.returncode == 0, f"exit status {out.returncode}: {out.stderr}")
got = decisions(out.stdout)
check(len(got) == len(situations), f"{len(got)} decisions for {len(situations)} situations")
wrong = [d for d in got if d["status"] != "eligible"
         or abs(d["result"]["monthly_amount_eur"] - expected[d["situation"]][0]) > 0.011]
check(not wrong, f"{len(wrong)} amounts differ from the best count, first: "
      f"{wrong[:1]} expected {expected[wrong[0]['situation']][0] if wrong else ''}")

# Who the explanation counts: a best subset.
subset = situations[:400]
out = run("evaluate", "--program", "rsa", "--explain",
          "--situations", temp_file("".join(json.dumps(s) + "\n" for s in subset)))
check(out.returncode == 0, f"--explain: exit status {out.returncode}: {out.stderr}")
for d in decisions(out.stdout):
    _, best, couple, children = expected[d["situation"]]
    foyer = d["explanation"]["foyer"]
    counted = [(m, u) for pid, m, u in children if pid in foyer["counted"]]
    check(abs(gain(counted, couple) - best) < 0.011,
          f"{d['situation']}: counted {foyer['counted']} gain {gain(counted, couple):.2f}, best {best:.2f}")
    for pid, _, _ in children:
        if pid in foyer["not_counted"]:
            check(pid in foyer["why_not_counted"], f"{d['situation']}: no reason for {pid}: {foyer}")
finish()
