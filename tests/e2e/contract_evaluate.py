"""`proactif evaluate` as CONTRACT.md specifies it."""
import json
from harness import check, decisions, finish, run, situation, temp_file

# CONTRACT.md's example, as written there.
contract = {"id": "S1", "date": "2025-06-15",
            "household": {"commune": "38185", "housing": "tenant", "housing_benefit_monthly": 210,
                          "quotient_familial": 540, "rsa": False},
            "persons": [{"id": "p1", "role": "applicant", "birth_date": "1990-04-02", "resources_12m": 7200,
                         "resources_3m": 1800, "c2s": "none", "student": False, "scholarship_echelon": None},
                        {"id": "p2", "role": "child", "birth_date": "2016-01-01"}]}
single = situation("S2")
path = temp_file(json.dumps(contract) + "\n" + json.dumps(single) + "\n")

out = run("evaluate", "--program", "c2s", "--situations", path)
check(out.returncode == 0, f"exit status {out.returncode}: {out.stderr}")
got = decisions(out.stdout)
check(len(got) == 2, f"two decisions expected, got {len(got)}")
for d in got:
    check(set(d) == {"situation", "program", "status", "result", "missing"}, f"decision keys: {sorted(d)}")
# The child's resources are absent, hence unknown: the decision says so.
# So are the minimum benefits of the applicant (CONTRACT.md v2), which could
# make her presumed entitled whatever her resources (CSS L861-2).
check(got[0]["status"] == "undetermined" and "persons.p2.resources_12m" in got[0]["missing"] and
      "persons.p1.minimum_benefits" in got[0]["missing"], str(got[0]))
check(got[1] == {"situation": "S2", "program": "c2s", "status": "eligible",
                 "result": {"variant": "free", "monthly_participation_eur": 0, "presumed": False}, "missing": []},
      str(got[1]))

# Several programs: one decision per situation and program, person-level
# programs one per person.
out = run("evaluate", "--program", "c2s", "--program", "rsa", "--program", "m-reso-solidaire",
          "--situations", path)
got = decisions(out.stdout)
check([(d["situation"], d["program"], d.get("person")) for d in got] ==
      [("S1", "c2s", None), ("S1", "rsa", None), ("S1", "m-reso-solidaire", "p1"),
       ("S1", "m-reso-solidaire", "p2"), ("S2", "c2s", None), ("S2", "rsa", None),
       ("S2", "m-reso-solidaire", "p1")], str(got))
check(got[2]["status"] == "eligible" and got[2]["result"] == {"monthly_price_eur": 2.5}, str(got[2]))
check(got[5]["result"] == {"monthly_amount_eur": 46.52}, str(got[5]))

# --date overrides the situations' dates: in 2024 the RSA base was 635.71.
out = run("evaluate", "--program", "rsa", "--situations", path, "--date", "2024-06-15")
check(decisions(out.stdout)[1]["result"] == {"monthly_amount_eur": 35.71}, out.stdout)

# Standard input, and a program given by its file.
out = run("evaluate", "--program", f"{__import__('harness').SOURCE}/programs/c2s/program.yaml",
          "--situations", "-", stdin=json.dumps(single) + "\n")
check(out.returncode == 0 and decisions(out.stdout)[0]["status"] == "eligible", out.stdout + out.stderr)

# Situations with different dates in one file use the parameters of each date.
dated = [situation("A", "2024-06-15"), situation("B", "2025-06-15"), situation("C", "2024-06-15")]
out = run("evaluate", "--program", "rsa", "--situations", temp_file("\n".join(json.dumps(s) for s in dated)))
check([d["result"]["monthly_amount_eur"] for d in decisions(out.stdout)] == [35.71, 46.52, 35.71], out.stdout)

# Two lines with one id: their decisions could not be told apart. The later
# is refused, named with the earlier, and the others are evaluated; so in a
# file of several blocks, read by several threads, where the two are far
# apart (about 17 MB: blocks are of 8 MB).
twice = [situation("A"), situation("B"), situation("A", "2024-06-15")]
out = run("evaluate", "--program", "rsa", "--situations", temp_file("\n".join(json.dumps(s) for s in twice)))
check(out.returncode == 1 and [d["situation"] for d in decisions(out.stdout)] == ["A", "B"] and
      'line 3: id: "A" already given at line 1' in out.stderr, out.stdout + out.stderr)
many = [json.dumps(situation(f"H{k}")) for k in range(60000)] + [json.dumps(situation("H7"))]
out = run("evaluate", "--program", "c2s", "--situations", temp_file("\n".join(many)))
check(out.returncode == 1 and len(decisions(out.stdout)) == 60000 and
      out.stderr.startswith('line 60001: id: "H7" already given at line 8 '), out.stderr[:300])

# An unknown program is refused clearly.
out = run("evaluate", "--program", "nope", "--situations", path)
check(out.returncode == 2 and "unknown program 'nope'" in out.stderr, out.stderr)
finish()
