"""`proactif campaign truth`: a synthetic population of 20 000 households
built, its extracts ingested with their defects, the demo campaign planned
(nothing delivered), and each planned notice and amount compared with the
decision the same programs take on the true households. Zero notice of a
right to a household the truth says is not entitled, zero wrong amount, zero
foyer counted otherwise than the truth; and enough notices for this to mean
something."""
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import SOURCE, check, finish, run, work_dir  # noqa: E402

work = work_dir("proactif-truth-")
with open(os.path.join(SOURCE, "examples", "campaign-grenoble.yaml"), encoding="utf-8") as f:
    config = f.read().replace("../out/", work + "/")
campaign = os.path.join(work, "campaign.yaml")
with open(campaign, "w", encoding="utf-8") as f:
    f.write(config)
shutil.copy(os.path.join(SOURCE, "examples", "logo-demonstration.png"), work)

r = run("campaign", "truth", campaign)
print(r.stdout[-3000:])
check(r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:])
check("20000 households" in r.stdout, "not the 20 000 households of the example")
# Its lists for the social services are its own, not written over a real
# run's of the same campaign (planned on a store where persons objected).
lists = os.listdir(os.path.join(work, "work", "services-sociaux"))
check(lists == ["grenoble-droits-demo-verite-2025-06"], f"the truth's lists: {lists}")
programs = dict(re.findall(r"^  ([a-z0-9-]+):\n    (\d+) notices of a right: ", r.stdout, re.M))
check(set(programs) == {"c2s", "rsa", "m-reso-solidaire"}, f"programs compared: {sorted(programs)}")
for program, notices in programs.items():
    check(int(notices) > 300, f"{program}: only {notices} notices, too few for the measure to mean anything")
rights = re.findall(r"(\d+) notices of a right: (\d+) truly entitled, (\d+) not entitled, (\d+) undetermined on the "
                    r"true data; (\d+) with a wrong amount", r.stdout)
check(len(rights) == 3, r.stdout[-2000:])
for total, entitled, not_entitled, undetermined, wrong in rights:
    check(not_entitled == "0" and undetermined == "0" and wrong == "0" and entitled == total,
          f"notices of a right: {total} planned, {entitled} truly entitled, {not_entitled} not entitled, "
          f"{undetermined} undetermined, {wrong} with a wrong amount")
possible = re.findall(r"(\d+) notices of a possible right: (\d+) truly entitled, (\d+) not entitled", r.stdout)
check(all(n == "0" for _, _, n in possible), f"possible-right notices to households not entitled: {possible}")
foyers = re.findall(r"foyers counted otherwise than the truth: (\d+); actions not matched to the truth: (\d+)", r.stdout)
check(len(foyers) == 3 and all(a == "0" and b == "0" for a, b in foyers), f"foyers or actions off the truth: {foyers}")
check("wrong notices of a right, amounts, grants, foyers and actions not matched: 0; notices of a possible right "
      "to foyers not entitled: 0" in r.stdout, r.stdout[-500:])
# Households with a member rejected or left unplaced are counted, not decided.
incomplete = re.findall(r"skipped +(\d+)  household data incomplete", r.stdout)
check(incomplete and all(int(n) > 0 for n in incomplete), "no household set aside as incomplete")

# A whole département (Isère, 3 000 households), the M Réso fare's
# possible rights told too: a commune an extract gives from a former
# address (3 % of the CAF's and of the CPAM's rows) may now be outside the
# fare's territory, where the truth says the household lives. Where two
# administrations give two communes, the household is acted on only where
# the decision is the same in both (5 wrong notices of the fare before).
isere = os.path.join(work, "isere.yaml")
with open(isere, "w", encoding="utf-8") as f:
    f.write(re.sub(r'territory: "200040715", households: 20000', 'territory: "38", households: 3000',
                   config.replace("    undetermined: nothing\n    claim:\n      where: \"une agence de mobilité",
                                  "    undetermined: notify_possible\n    claim:\n      where: \"une agence de mobilité")))
shutil.rmtree(os.path.join(work, "work"), ignore_errors=True)
r = run("campaign", "truth", isere)
check(r.returncode == 0 and "3000 households" in r.stdout, r.stdout[-2000:] + r.stderr[-2000:])
check("wrong notices of a right, amounts, grants, foyers and actions not matched: 0; notices of a possible right "
      "to foyers not entitled: 0" in r.stdout, "Isère: " + r.stdout[-1500:])
elsewhere = re.search(r"skipped +(\d+)  another administration gives another commune, where the decision would not be "
                      r"the same", r.stdout)
check(elsewhere and int(elsewhere.group(1)) > 0, "Isère: no household whose two communes would decide otherwise")
fare = re.search(r"m-reso-solidaire:\n    (\d+) notices of a right", r.stdout)
check(fare and int(fare.group(1)) > 100, f"Isère: too few fare notices for the measure to mean anything: {fare}")
# The persons no CAF household lists have no quotient familial a campaign
# reads: their possible fare is not told, nor are they listed for the
# social services (1 008 households of 3 000 were, without a name).
unsourced = re.search(r"skipped +(\d+)  possible right for want of data no extract gives \(dependant, "
                      r"quotient_familial, role\)", r.stdout)
check(unsourced and int(unsourced.group(1)) > 500, f"Isère: persons no CAF household lists: {unsourced}")
listed = re.search(r"left for the social services of their commune: (\d+)", r.stdout)
check(listed and int(listed.group(1)) < 30, f"Isère: listed for the social services: {listed and listed.group(0)}")
print("ground_truth.py: Isère, " + (elsewhere.group(0).strip() if elsewhere else "?"))

# The Bas-Rhin: its CPAM extracts its insured's Alsace-Moselle local
# regime, whose C2S participation is the lower tariff (arrêté du 21 juin
# 2019, art. 2): the amounts told there are compared with the truth too.
bas_rhin = os.path.join(work, "bas-rhin.yaml")
with open(bas_rhin, "w", encoding="utf-8") as f:
    f.write(config.replace('territory: "200040715", households: 20000', 'territory: "67", households: 3000'))
shutil.rmtree(os.path.join(work, "work"), ignore_errors=True)
r = run("campaign", "truth", bas_rhin)
check(r.returncode == 0 and "wrong notices of a right, amounts, grants, foyers and actions not matched: 0;" in r.stdout,
      "Bas-Rhin: " + r.stdout[-1500:] + r.stderr[-1000:])
with open(os.path.join(work, "work", "extracts", "cpam.csv"), encoding="utf-8") as f:
    check(f.readline().rstrip().endswith(",REGIME_LOCAL"), "Bas-Rhin: the CPAM's extract gives no local regime")
c2s = re.search(r"c2s:\n    (\d+) notices of a right: \d+ truly entitled, 0 not entitled, 0 undetermined on the true "
                r"data; 0 with a wrong amount", r.stdout)
check(c2s and int(c2s.group(1)) > 100, f"Bas-Rhin: C2S notices: {c2s and c2s.group(0)}")

# The same asking API Particulier for the quotient familial (a service that
# knows nobody, here): it is asked by the allocataire's identity, so a
# person no CAF household lists still has none a campaign reads (1 016
# were listed for the social services when asking it was taken to give it
# to everyone).
import datetime  # noqa: E402
import http.server  # noqa: E402
import threading  # noqa: E402


class NobodyKnown(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"errors": [{"code": "37001", "title": "Dossier allocataire absent CNAF", "detail": "not found"}]}'
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


api = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NobodyKnown)
threading.Thread(target=api.serve_forever, daemon=True).start()
token = os.path.join(work, "token")
with open(token, "w", encoding="utf-8") as f:
    f.write("jeton-de-test")
os.chmod(token, 0o600)
today = datetime.date.today()
with open(isere, encoding="utf-8") as f:
    asking = f.read()
asking = asking.replace('period: "2025-06"', f'period: "{today:%Y-%m}"').replace('date: "2025-06-15"', f'date: "{today}"')
asking += (f'api_particulier: {{recipient: "13002526500013", url: "http://127.0.0.1:{api.server_address[1]}", '
           f'token_file: {token}, inputs: [quotient_familial]}}\n')
with open(isere, "w", encoding="utf-8") as f:
    f.write(asking)
shutil.rmtree(os.path.join(work, "work"), ignore_errors=True)
r = run("campaign", "truth", isere)
api.shutdown()
check(r.returncode == 0 and "not asked: no allocataire in the household" in r.stdout, r.stdout[-2000:] + r.stderr[-2000:])
listed = re.search(r"left for the social services of their commune: (\d+)", r.stdout)
check(listed and int(listed.group(1)) < 30, f"Isère, API Particulier asked: listed for the social services: "
                                           f"{listed and listed.group(0)}")
check("wrong notices of a right, amounts, grants, foyers and actions not matched: 0" in r.stdout, r.stdout[-1500:])

# The command says so when the population is not synthetic: no truth to compare with.
with open(campaign, "w", encoding="utf-8") as f:
    f.write(re.sub(r"population:\n  synthetic: .*\n", "population:\n  mappings: [caf.yaml]\n", config))
r = run("campaign", "truth", campaign)
check(r.returncode != 0 and "synthetic population only" in r.stderr, r.stdout + r.stderr)
finish()
