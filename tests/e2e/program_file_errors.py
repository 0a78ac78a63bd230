"""A malformed program file is refused with file:line:column and a reason."""
import os
from harness import SOURCE, check, finish, run, temp_file

good = open(os.path.join(SOURCE, "programs/m-reso-solidaire/program.yaml")).read()
bad = good.replace("quotient_familial <= plafond_quotient_familial", "quotient_familial <= plafond_qf")
path = temp_file(bad, suffix=".yaml")
line = next(i for i, l in enumerate(bad.splitlines(), 1) if "plafond_qf" in l)
column = bad.splitlines()[line - 1].index("plafond_qf") + 1
out = run("check", path)
check(out.returncode == 1, f"exit status {out.returncode}")
check(f"{path}:{line}:{column}: unknown name 'plafond_qf'" in out.stderr, out.stderr)
out = run("evaluate", "--program", path, "--situations", temp_file(""))
check(out.returncode == 2 and f"{path}:{line}:{column}:" in out.stderr, out.stderr)

syntax = good.replace("quotient_familial <= plafond_quotient_familial", "quotient_familial <=")
out = run("check", temp_file(syntax, suffix=".yaml"))
check("expected a value, a name or '(', found end of formula" in out.stderr, out.stderr)

for program in ["c2s", "rsa", "m-reso-solidaire", "brest-bibus-boursiers", "l1113-1"]:
    out = run("check", program)
    check(out.returncode == 0, out.stderr)
finish()
