"""A malformed line is reported with its number; the others are evaluated."""
import json
from harness import check, decisions, finish, run, situation, temp_file

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
# No parameter value in force in 1999: the line is refused, not guessed.
check("line 7: " in err and "has no value in force on 1999-01-01" in err, err)
check("4 of 6 situations rejected" in err, err)

out = run("evaluate", "--program", "c2s", "--situations", "/nonexistent/file.jsonl")
check(out.returncode == 2 and "/nonexistent/file.jsonl: cannot open" in out.stderr, out.stderr)
out = run("evaluate", "--program", "c2s", "--situations", temp_file(""), "--date", "2025-02-30")
check(out.returncode == 2 and "--date" in out.stderr, out.stderr)
finish()
