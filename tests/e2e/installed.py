"""cmake --install gives a proactif that works outside the source tree: the
binary finds the programs, parameters, templates, names and territory data
installed beside it (<prefix>/share/proactif), wherever the prefix is moved,
and reads them, not the source tree's."""
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import BINARY, check, finish, situation, work_dir  # noqa: E402

work = work_dir("proactif-install-")
build = os.path.dirname(BINARY)
r = subprocess.run(["cmake", "--install", build, "--prefix", os.path.join(work, "first")], capture_output=True, text=True)
check(r.returncode == 0, f"cmake --install: {r.stderr}")
# Relocatable: the installed tree moved elsewhere still works.
prefix = os.path.join(work, "moved")
shutil.move(os.path.join(work, "first"), prefix)
share = os.path.join(prefix, "share", "proactif")
for part in ["programs/c2s/program.yaml", "programs/parameters", "templates/fr/message.txt.mustache", "names-fr.json",
             "territory/communes.json", "territory/epci.json", "web/openapi.json",
             "web/node_modules/@gouvfr/dsfr/dist/dsfr.min.css", "web/node_modules/@gouvfr/dsfr/dist/fonts"]:
    check(os.path.exists(os.path.join(share, part)), f"not installed: {part}")
# The installed copy is the one read: its title changed shows through.
program = os.path.join(share, "programs", "c2s", "program.yaml")
text = open(program, encoding="utf-8").read()
title = text.split("title:", 1)[1].split("\n", 1)[0].strip()
open(program, "w", encoding="utf-8").write(text.replace(title, "Copie installée", 1))

environment = {k: v for k, v in os.environ.items() if not k.startswith("PROACTIF_")}
elsewhere = os.path.join(work, "elsewhere")
os.makedirs(elsewhere)


def installed(*args):
    return subprocess.run([os.path.join(prefix, "bin", "proactif"), *args], capture_output=True, text=True,
                          cwd=elsewhere, env=environment)


r = installed("check", "c2s")
check(r.returncode == 0 and "Copie installée" in r.stdout, f"check c2s: {r.returncode} {r.stdout} {r.stderr}")
r = installed("test", os.path.join(share, "programs"))
check(r.returncode == 0 and " 0 failed" in r.stdout, f"test: {r.stdout[-300:]} {r.stderr}")
situations = os.path.join(elsewhere, "s.jsonl")
open(situations, "w", encoding="utf-8").write(json.dumps(situation("S1")) + "\n")
r = installed("evaluate", "--program", "c2s", "--program", "m-reso-solidaire", "--situations", situations)
lines = [json.loads(line) for line in r.stdout.splitlines()]
check(r.returncode == 0 and len(lines) >= 2, f"evaluate: {r.returncode} {r.stderr}")
r = installed("synth", "--territory", "38", "--households", "50", "--out", os.path.join(elsewhere, "synth"))
check(r.returncode == 0 and os.path.exists(os.path.join(elsewhere, "synth", "caf.csv")), f"synth: {r.stderr}")
# The service reads the installed programs, OpenAPI document and design system.
server = subprocess.Popen([os.path.join(prefix, "bin", "proactif"), "serve", "--listen", "127.0.0.1:0",
                           "--store", "sqlite:" + os.path.join(elsewhere, "store.db")],
                          cwd=elsewhere, env=environment, stderr=subprocess.PIPE, text=True)
try:
    port = re.search(r"listening on http://127\.0\.0\.1:(\d+)", server.stderr.readline())
    check(port, "serve did not start")
    for path, expected in (("/algorithmes/c2s", "Copie installée"), ("/api/v1/openapi.json", '"openapi"'),
                           ("/dsfr/dsfr.min.css", ".fr-header")):
        if not port:
            break
        with urllib.request.urlopen(f"http://127.0.0.1:{port.group(1)}{path}", timeout=30) as answer:
            check(expected in answer.read().decode(), f"serve {path}: not the installed copy")
finally:
    server.terminate()
    server.wait(timeout=30)
finish()
