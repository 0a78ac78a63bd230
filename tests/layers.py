"""The code's layers as documented: each folder of src/ includes only the
folders before it in docs/architecture.md's table (core, params, ..., cli),
and its CMake library links exactly the stages its files include. Fails
naming the file and the include that runs against the order."""
import os
import re
import sys

source = os.path.abspath(sys.argv[1])
doc = open(os.path.join(source, "docs", "architecture.md"), encoding="utf-8").read()
order = re.findall(r"^\| `(\w+)/` \|", doc.split("## Source folders", 1)[1].split("\n## ", 1)[0], re.M)
order = [folder for folder in order if os.path.isdir(os.path.join(source, "src", folder))]
failures = []
folders = sorted(f for f in os.listdir(os.path.join(source, "src")) if os.path.isdir(os.path.join(source, "src", f)))
if sorted(order) != folders:
    failures.append(f"docs/architecture.md lists {order}, src/ holds {folders}")
rank = {folder: i for i, folder in enumerate(order)}
included = {folder: set() for folder in order}
for folder in order:
    for name in sorted(os.listdir(os.path.join(source, "src", folder))):
        for number, line in enumerate(open(os.path.join(source, "src", folder, name), encoding="utf-8"), 1):
            m = re.match(r'#include "(\w+)/', line)
            if not m or m.group(1) == folder:
                continue
            if m.group(1) not in rank:
                failures.append(f"src/{folder}/{name}:{number}: includes {m.group(1)}/, not a documented stage")
            elif rank[m.group(1)] > rank[folder]:
                failures.append(f"src/{folder}/{name}:{number}: {folder}/ includes {line.strip()[9:]}, a later stage")
            else:
                included[folder].add(m.group(1))
cmake = open(os.path.join(source, "src", "CMakeLists.txt"), encoding="utf-8").read()
for folder in order:
    links = re.search(rf"target_link_libraries\(proactif_{folder} PUBLIC ([^)]*)\)", cmake)
    linked = set(re.findall(r"proactif_(\w+)", links.group(1))) if links else set()
    if linked != included[folder]:
        failures.append(f"src/CMakeLists.txt: proactif_{folder} links {sorted(linked)}, its files include "
                        f"{sorted(included[folder])}")
for failure in failures:
    print("FAIL:", failure)
print("layers:", "failed" if failures else f"passed ({' < '.join(order)})")
sys.exit(1 if failures else 0)
