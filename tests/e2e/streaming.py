"""Large inputs stream: output follows input order whatever the threads, and
memory does not grow with the file."""
import hashlib
import json
import os
import random
import resource
import subprocess
from harness import BINARY, check, finish, temp_file

rng = random.Random(3)
communes = ["38185", "38151", "29019", "97411", "67482", "75056", "69123"]


def household(i):
    persons = [{"id": f"p{j}", "role": "applicant" if j == 0 else rng.choice(["spouse", "child", "other"] if j == 1 else ["child", "other"]),
                "birth_date": f"{rng.randint(1940, 2020)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "resources_12m": rng.choice([None, rng.randint(0, 30000)]),
                "resources_3m": rng.randint(0, 6000), "student": rng.random() < 0.1}
               for j in range(rng.randint(1, 5))]
    return json.dumps({"id": f"h{i}", "date": "2025-06-15",
                       "household": {"commune": rng.choice(communes), "housing": rng.choice(["tenant", "owner", "free"]),
                                     "housing_benefit_monthly": rng.choice([0, 120, 300]),
                                     "quotient_familial": rng.randint(200, 1500), "rsa": rng.random() < 0.2},
                       "persons": persons})


small = [household(i) for i in range(2000)]
small_path = temp_file("\n".join(small) + "\n")


def copies(n):
    """`small` n times, each copy's ids its own (a repeated id is refused)."""
    return "\n".join(line.replace('"id": "h', f'"id": "c{k}-h', 1) for k in range(n) for line in small) + "\n"


# 20 000 situations fill the reader's blocks and the threads' batches (the
# release build's peak is 80 MiB at 10 000, 87 MiB from 20 000 to 240 000,
# 2026-12-03): from there on, memory must stay flat however long the file,
# but for the situations' ids, kept to refuse one given twice (about 60
# bytes each: 2.4 MB for the 40 000 more).
saturated_path = temp_file(copies(10))
big_path = temp_file(copies(30))  # 60 000 situations


def evaluate(path, threads):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run([BINARY, "evaluate", "--program", "c2s", "--program", "rsa", "--program",
                          "m-reso-solidaire", "--situations", path, "--threads", str(threads)],
                         capture_output=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return out, peak


one, _ = evaluate(small_path, 1)
two, _ = evaluate(small_path, 2)
check(one.returncode == 0, one.stderr.decode())
check(hashlib.sha256(one.stdout).digest() == hashlib.sha256(two.stdout).digest(),
      "output differs between 1 and 2 threads")
ids = [json.loads(line)["situation"] for line in one.stdout.decode().splitlines()]
check(ids[0] == "h0" and ids[-1] == "h1999", "output out of input order")

# The plateau is the higher of two runs: one run's peak varies by some
# MiB with how the threads' blocks happen to interleave.
saturated_peak_kib = max(evaluate(saturated_path, 2)[1] for _ in range(2))
big, peak_kib = evaluate(big_path, 2)
lines = big.stdout.count(b"\n")
check(big.returncode == 0, big.stderr.decode())
expected = one.stdout.count(b"\n") * 30
check(lines == expected, f"{lines} decisions for {expected} expected")
# The input is read in bounded blocks: three times more situations than fill
# them must not take more memory (a few MiB of allocator slack allowed; a
# program that kept its input or output would grow by tens of MiB).
size_mib = (sum(len(s) for s in small) * 30 + len(big.stdout)) / 2**20
print(f"peak memory {saturated_peak_kib / 1024:.0f} MiB for 20 000 situations, "
      f"{peak_kib / 1024:.0f} MiB for 60 000 ({size_mib:.0f} MiB of input and output)")
# Under ThreadSanitizer (scripts/test.sh), memory is the sanitizer's: only
# the order of the output is checked there.
if not os.environ.get("TSAN_OPTIONS"):
    check(peak_kib - saturated_peak_kib < 16 * 1024, "memory grows with the input")
finish()
