"""A malformed line is reported with its number; the others are evaluated."""
import json
import os
from harness import SOURCE, check, decisions, finish, run, situation, temp_file

lines = [json.dumps(situation("ok1")),
         '{"id": "bad", "date": "2025-06-15", "household": {"housing": "castle"}, "persons": [{"id": "p1"}]}',
         "",
         "this is not json",
         json.dumps(situation("ok2")),
         '{"id": "cut", "date": "2025-06-15", "household": {',
         json.dumps(situation("ok3", date="1999-01-01"))]
out = run("evaluate", "--program", "c2s", "--situations", temp_file("\n".join(lines) + "\n"))
check(out.returncode == 1, f"exit status {out.returncode}")
check([d["situation"] for d in decisions(out.stdout)] == ["ok1", "ok2"], out.stdout)
err = out.stderr
check('line 2: household.housing: "castle" is not one of tenant, owner, free, homeless' in err, err)
check("line 4: not valid JSON" in err, err)
check("line 6: not valid JSON" in err, err)
# No C2S in 1999 (it began on 1 November 2019, where the list of overseas
# collectivities of its ceilings begins): the line is refused for it, naming
# that list, not guessed.
check("line 7: " in err and "has no value in force on 1999-01-01" in err, err)
check("4 of 6 situations rejected" in err, err)

# A date before the first ceilings Proactif holds (those of 1 April 2023):
# a decision all the same (CONTRACT.md: one per
# situation and program), undetermined, naming the ceilings.
out = run("evaluate", "--program", "c2s", "--situations", temp_file(json.dumps(situation("early", date="2023-03-31")) + "\n"))
early = decisions(out.stdout)
check(out.returncode == 0 and len(early) == 1 and early[0]["status"] == "undetermined" and
      any(m.startswith("parameters.gratuite_1: ") and m.endswith("has no value on 2023-03-31") for m in early[0]["missing"]),
      out.stdout + out.stderr)

# The same past the last RSA amount written (that of 1 April 2026); a
# program whose code list has no value on the date (the M Réso fare's
# territories, from February 2024) writes no decision for that line, which
# is reported with the parameter: the other programs still decide.
out = run("evaluate", "--program", "rsa", "--program", "m-reso-solidaire", "--threads", "1", "--situations",
          temp_file(json.dumps(situation("ok", date="2025-06-15")) + "\n" + json.dumps(situation("late", date="2027-06-15")) + "\n"
                    + json.dumps(situation("early", date="2024-01-31")) + "\n" + "not json\n"))
check(out.returncode == 1, f"exit status {out.returncode}")
found = {(d["situation"], d["program"]): d for d in decisions(out.stdout)}
late = found.get(("late", "rsa"), {})
check(late.get("status") == "undetermined" and any("montant_de_base" in m and m.endswith("has no value on 2027-06-15")
                                                   for m in late.get("missing", [])), str(late))
check(("late", "m-reso-solidaire") in found and ("early", "rsa") in found and ("early", "m-reso-solidaire") not in found,
      str(sorted(found)))
check("line 3: m-reso-solidaire not evaluated: " in out.stderr and "has no value in force on 2024-01-31" in out.stderr,
      out.stderr)
check("line 1:" not in out.stderr and "line 2:" not in out.stderr, out.stderr)
check("2 of 4 situations rejected or not evaluated by every program" in out.stderr, out.stderr)
check(0 <= out.stderr.find("line 3:") < out.stderr.find("line 4: not valid JSON"), f"lines out of order:\n{out.stderr}")

# A program named twice decides once; two files of one program refuse the
# command. A date null is absent: --date gives it.
undated = situation("undated")
undated["date"] = None
both = temp_file(json.dumps(undated) + "\n")
out = run("evaluate", "--program", "c2s", "--program", "c2s", "--date", "2025-06-15", "--situations", both)
check(out.returncode == 0 and [d["situation"] for d in decisions(out.stdout)] == ["undated"], out.stdout + out.stderr)
out = run("evaluate", "--program", "c2s", "--program", os.path.join(SOURCE, "programs", "c2s"), "--situations", both)
check(out.returncode == 2 and "program 'c2s' is named twice" in out.stderr and not out.stdout, out.stdout + out.stderr)

out = run("evaluate", "--program", "c2s", "--situations", "/nonexistent/file.jsonl")
check(out.returncode == 2 and "/nonexistent/file.jsonl: cannot open" in out.stderr, out.stderr)
out = run("evaluate", "--program", "c2s", "--situations", temp_file(""), "--date", "2025-02-30")
check(out.returncode == 2 and "--date" in out.stderr, out.stderr)
out = run("evaluate", "--program", "c2s", "--situations", temp_file(""), "--threads", "two")
check(out.returncode == 2 and "--threads" in out.stderr, out.stderr)

# Damaged lines of every kind (cut, doubled, stray bytes, invalid UTF-8) are
# refused or evaluated, never a crash: under the sanitizers, a memory error
# or undefined behaviour ends the process with its own exit code.
import os
import random
rng = random.Random(5)
valid = [json.dumps(situation(f"s{i}", housing_benefit_monthly=i % 3 * 100)) for i in range(50)]
damaged = []
for i in range(400):
    line = rng.choice(valid)
    cut = rng.randrange(len(line))
    kind = i % 5
    if kind == 0:
        line = line[:cut]
    elif kind == 1:
        line = line[:cut] + line[cut:cut + rng.randrange(1, 20)] + line[cut:]
    elif kind == 2:
        line = line[:cut] + "".join(rng.choice('{}[]":,\\0e-9.nultrf ') for _ in range(5)) + line[cut + 5:]
    elif kind == 3:
        line = line[:cut] + "\udcff\x00\x7f" + line[cut:]
    else:
        line = line.replace("7200", rng.choice(["-1e308", "1e999", "\"7200\"", "[]", "{}", "null"]))
    damaged.append(line.replace("\n", " "))
path = temp_file("\n".join(damaged) + "\n", suffix=".jsonl")
env = dict(os.environ, ASAN_OPTIONS="exitcode=86", UBSAN_OPTIONS="exitcode=87:print_stacktrace=1")
import subprocess
from harness import BINARY
out = subprocess.run([BINARY, "evaluate", "--program", "c2s", "--program", "rsa", "--situations", path],
                     capture_output=True, env=env)
err = out.stderr.decode("utf-8", "replace")
check(out.returncode in (0, 1), f"exit status {out.returncode}: {err[-2000:]}")
check("Sanitizer" not in err and "runtime error" not in err, err[-2000:])
evaluated = sum(1 for line in out.stdout.decode().splitlines() if '"program": "c2s"' in line)
rejected = sum(1 for line in err.splitlines() if line.startswith("line "))
print(f"damaged lines: {evaluated} evaluated, {rejected} rejected")
check(evaluated > 0 and rejected > 0 and evaluated + rejected == len([l for l in damaged if l.strip()]),
      f"{evaluated} evaluated + {rejected} rejected for {len(damaged)} lines")
finish()
