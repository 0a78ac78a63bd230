"""The evaluation compiled once per x86-64 level (eval/isa.hpp) leaks no
code for a higher level into what any processor may run: in each level's
object files, every symbol the linker may share with other files (global or
weak: the inline functions and templates of the headers, the standard
library's among them) is baseline code, without AVX registers; only the
level's own namespace (proactif::isa_vN) holds AVX code. Arguments: the
object files of the levels."""
import re
import subprocess
import sys

AVX = re.compile(r"%[yz]mm\d+|vzeroupper|%k[1-7]\b")
failures = []
for obj in sys.argv[1:]:
    shared = set()
    for line in subprocess.run(["nm", "-g", "--defined-only", "-C", obj], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        kind, name = line.split(" ", 2)[1:]
        if kind in "TW" and "::isa_v" not in name:
            shared.add(name)
    disassembly = subprocess.run(["objdump", "-d", "-C", "--no-show-raw-insn", obj], capture_output=True, text=True,
                                 check=True).stdout
    current = None
    for line in disassembly.splitlines():
        header = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
        if header:
            current = header.group(1)
        elif current in shared and AVX.search(line):
            failures.append(f"{obj}: {current} (shared with other files) uses AVX: {line.strip()}")
            shared.discard(current)
for failure in failures:
    print("FAIL:", failure)
print("isa_objects:", "failed" if failures else f"passed ({len(sys.argv) - 1} object files)")
sys.exit(1 if failures else 0)
