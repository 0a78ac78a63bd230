"""What a person receives, read as the person, a mail client, a screen
reader and a DPO would, from the demonstration's own campaign file
(examples/campaign-grenoble.yaml) on a smaller population:
- every email parses under Python's strict policy (a defect raises), with a
  display name in From and folded encoded words;
- one message per household and channel, each right with its own code;
- letters are tagged PDFs with a Title and embedded fonts only, whose QR
  code leads to the verification page with the letter's code, dated the day
  `verify` gives;
- no internal identifier, English value, formula or JSON in any text a
  person reads;
- a household the CAF has no address for gets a letter at the address the
  tax office holds; one no channel reaches is listed for the social services;
- a person objects with the code of the message they received."""
import collections
import csv
import email
import email.policy
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from citizen_text import forbidden_tokens  # noqa: E402
from harness import MESSAGE_FIELDS, SOURCE, check, finish, run, work_dir  # noqa: E402
from servers import SmtpSink, query  # noqa: E402

work = work_dir("proactif-messages-")
store = "sqlite:" + os.path.join(work, "store.db")
sink = SmtpSink(os.path.join(work, "mail"))
STRICT = email.policy.default.clone(raise_on_defect=True)
VERIFY_URL = "https://droits.grenoble.example/verifier"


def tool(*args):
    """A reader's tool on a file (scripts/setup.sh installs them all: one
    missing is a failure, not a check skipped)."""
    if not shutil.which(args[0]):
        check(False, f"{args[0]} is not installed (scripts/setup.sh installs it)")
        return None
    return subprocess.run(list(args), capture_output=True, text=True)


def campaign(name, period, channels):
    text = open(os.path.join(SOURCE, "examples", "campaign-grenoble.yaml"), encoding="utf-8").read()
    text = (text.replace("id: grenoble-droits-demo", f"id: {name}")
            .replace('period: "2025-06"', f'period: "{period}"')
            .replace("households: 20000", "households: 3000")
            .replace("smtp://127.0.0.1:2525", sink.url)
            .replace("channels: [email, letter]", f"channels: [{channels}]")
            .replace("../out/work", f"work-{name}").replace("../out/letters", f"letters-{name}")
            .replace("paths_outside: [../out]\n", ""))
    path = os.path.join(work, name + ".yaml")
    open(path, "w", encoding="utf-8").write(text)
    shutil.copy(os.path.join(SOURCE, "examples", "logo-demonstration.png"), work)
    return path


try:
    r = run("campaign", "run", campaign("messages", "2025-06", "email, letter"), "--store", store)
    check(r.returncode == 0, r.stdout + r.stderr)
    reach = re.search(r"households to write to, as planned: (\d+) by email; (\d+) by letter;(.*)", r.stdout)
    check(reach, "the report does not count households by channel: " + r.stdout[-1500:])

    # Emails, as a strict client reads them.
    raw = [open(os.path.join(sink.folder, n), "rb").read() for n in sorted(os.listdir(sink.folder)) if n.endswith(".eml")]
    check(reach and len(raw) == int(reach.group(1)), f"{len(raw)} emails, report: {reach and reach.group(0)}")
    texts = []  # every text a person reads
    recipients = collections.Counter()
    for data in raw:
        try:
            m = email.message_from_bytes(data, policy=STRICT)
            for part in m.walk():
                check(not part.defects, f"{m['Message-ID']}: {part.defects}")
            frm = m["From"].addresses[0]
            check(frm.display_name == "Grenoble-Alpes Métropole" and frm.addr_spec == "droits@grenoble.example",
                  f"From: {m['From']}")
            recipients[m["To"]] += 1
            # The wire's CRLF line ends stay in the decoded parts.
            body = m.get_body(("plain",)).get_content().replace("\r\n", "\n")
            html = m.get_body(("html",)).get_content().replace("\r\n", "\n")
            texts += [m["Subject"], body, re.sub(r"<[^>]+>", " ", html)]
            check(m["Subject"] in html and body.startswith("Bonjour "), m["Subject"])
        except Exception as e:  # noqa: BLE001 - a defect raises: the email is malformed
            check(False, f"an email does not parse strictly: {e}")
        headers = data.split(b"\r\n\r\n", 1)[0]
        check(all(len(line) <= 78 for line in headers.split(b"\r\n")), "a header line over 78 characters")
        check(all(len(w) <= 75 for w in re.findall(rb"=\?[^?]+\?[bBqQ]\?[^?]*\?=", headers)), "an encoded word over 75")
    check(recipients and max(recipients.values()) == 1, f"a mailbox got several emails: {recipients.most_common(2)}")

    # One message per household and channel; a household told of several
    # rights at once has each with its own code.
    envelopes = collections.defaultdict(list)
    for envelope, code, subject, channel in query(store, "SELECT envelope, verification_code, subject, channel FROM outbox"):
        envelopes[envelope].append((code, subject, channel))
    per_subject = collections.Counter((rights[0][1], rights[0][2]) for rights in envelopes.values())
    check(max(per_subject.values()) == 1, "a household got two messages on one channel")
    several = [rights for rights in envelopes.values() if len(rights) > 1]
    check(len(several) > 10, f"{len(several)} households told of several rights at once")

    # Letters, as a PDF reader, a screen reader and a phone read them.
    letters = os.path.join(work, "letters-messages")
    names = sorted(os.listdir(letters))
    check(reach and len(names) == int(reach.group(2)), f"{len(names)} letters, report: {reach and reach.group(0)}")
    for name in names[:12]:
        path = os.path.join(letters, name)
        code = name.removesuffix(".pdf")
        info = tool("pdfinfo", path)
        if info:
            check(re.search(r"^Tagged:\s+yes$", info.stdout, re.M), f"{name} is not tagged")
            title = re.search(r"^Title:\s+(.*)$", info.stdout, re.M)
            check(title and title.group(1) in ("Information sur vos droits", "Une demande est transmise pour vous"),
                  f"{name}: no title: {info.stdout[:300]}")
        fonts = tool("pdffonts", path)
        if fonts:
            rows = fonts.stdout.splitlines()[2:]
            check(rows and all(row.split()[-5] == "yes" for row in rows), f"{name}: a font not embedded: {fonts.stdout}")
        text = tool("pdftotext", "-layout", path, "-")
        if text:
            texts.append(text.stdout)
            dated = re.search(r"À Grenoble, le (\d+)(?:er)? (\w+) (\d{4})", text.stdout)
            check(dated and "Objet :" in text.stdout and "Claire Exemple" in text.stdout, text.stdout[:800])
            verified = run("verify", code, "--store", store)
            months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                      "octobre", "novembre", "décembre"]
            if dated:
                day = f"{int(dated.group(1)):02d}/{months.index(dated.group(2)) + 1:02d}/{dated.group(3)}"
                check(f"préparé le {day}" in verified.stdout, f"letter dated {day}; verify says {verified.stdout}")
            texts.append(verified.stdout)
        pages = tool("pdfinfo", path)
        last = re.search(r"^Pages:\s+(\d+)", pages.stdout, re.M).group(1) if pages else "1"
        image = os.path.join(work, "page")
        if tool("pdftoppm", "-r", "150", "-png", "-f", last, "-l", last, "-singlefile", path, image) and shutil.which("zbarimg"):
            qr = tool("zbarimg", "--raw", "-q", image + ".png")
            # The page that checks one of the letter's codes (the file bears its envelope's least code).
            codes = next(c for c in ([r[0] for r in rights] for rights in envelopes.values()) if min(c) == code)
            check(qr.stdout.strip() in {f"{VERIFY_URL}?code={c}" for c in codes}, f"{name}: QR code says {qr.stdout!r}")

    # No internal identifier, English value, formula or JSON in what a person reads.
    for text in texts:
        bad = forbidden_tokens(re.sub(r"^=+$", "", text, flags=re.M))  # a heading's underline is not a formula
        check(not bad, f"{bad} in a text a person reads: {text[:300]}")

    # A household the CAF has no address for is written to at the tax office's.
    elsewhere = re.search(r"letters at an address another administration holds: (\d+) \(DGFiP\)", r.stdout)
    check(elsewhere and int(elsewhere.group(1)) > 0, r.stdout[-800:])
    # Only where the tax office's row is certainly the allocataire's; the
    # others are counted, not written to.
    unconfirmed = re.search(r"not used, its row not certainly the person's: (\d+) \(DGFiP\)", r.stdout)
    print(f"addresses at the tax office's: {elsewhere.group(1)} used, "
          f"{unconfirmed.group(1) if unconfirmed else 0} not used (row not certainly the person's)")
    # Its letter bears the address the tax office gives for the allocataire
    # (the truth says which DGFiP row is theirs), not another taxpayer's.
    extracts = os.path.join(work, "work-messages", "extracts")
    with open(os.path.join(extracts, "dgfip.csv"), encoding="utf-8") as f:
        tax_address = {row["SPI"]: (row["ADRESSE"], row["CP_COMMUNE"]) for row in csv.DictReader(f, delimiter=";")}
    with open(os.path.join(extracts, "truth_records.csv"), encoding="utf-8") as f:
        truth = list(csv.DictReader(f, delimiter=";"))
    person_of = {row["record"]: row["person"] for row in truth if row["source"] == "CAF"}
    spi_of = {row["person"]: row["record"] for row in truth if row["source"] == "DGFiP"}
    with open(os.path.join(extracts, "caf.csv"), encoding="cp1252") as f:
        allocataire = {"CAF:" + row["NUMALLOC"]: row["NUMPERS"] for row in csv.DictReader(f, delimiter=";")
                       if row["QUALITE"] == "DEM" and not row["ADRESSE"]}
    checked = 0
    for rights in envelopes.values():
        _, subject, channel = rights[0]
        if channel != "letter" or subject not in allocataire:
            continue
        files = [c for c, _, _ in rights if os.path.exists(os.path.join(letters, c + ".pdf"))]
        text = tool("pdftotext", "-layout", os.path.join(letters, files[0] + ".pdf"), "-") if files else None
        street, town = tax_address.get(spi_of.get(person_of.get(allocataire[subject], ""), ""), ("", ""))
        check(text and street and street in text.stdout and town in text.stdout,
              f"{subject}: the letter is not at the allocataire's tax address {street}, {town}")
        check(text and re.search(r"(Votre adresse postale|Vos nom et coordonnées) \(source : DGFiP",
                                 " ".join(text.stdout.split())),
              f"{subject}: the letter does not say where its address came from")
        # Once sent, the letter is emptied from the store; where its address
        # came from stays with its decision (RGPD art. 15-1-g: an auditor's
        # finding, the DGFiP's address named in the letter and nowhere else).
        told = query(store, f"SELECT told FROM outbox WHERE subject = '{subject}' AND channel = 'letter' "
                            "AND state = 'delivered' AND message = ''")
        check(told and all('"label": "Votre adresse postale", "source": "DGFiP' in t or
                           '"label": "Vos nom et coordonnées", "source": "DGFiP' in t for (t,) in told),
              f"{subject}: what its letter told of its address is not kept: {told}")
        shown = run("decision", subject, "--store", store).stdout
        check("Données et sources que le message indique :" in shown and "source : DGFiP" in shown, shown[-1500:])
        checked += 1
    check(checked > 0, "no letter went to a household the CAF has no address for")

    # Retention reaches the files a campaign wrote, not only the store: a
    # letter older than 12 months is deleted, this campaign's are kept.
    old_letter = os.path.join(letters, "AAAA-BBBB-CCCC.pdf")
    open(old_letter, "wb").write(b"%PDF-1.5 old")
    year_ago = time.time() - 400 * 86400
    os.utime(old_letter, (year_ago, year_ago))
    # So does a list left in the campaign's working folder (rows set aside,
    # review list, lists for the social services): this run's are kept.
    old_list = os.path.join(work, "work-messages", "rejects", "old.rejects.csv")
    os.makedirs(os.path.dirname(old_list), exist_ok=True)
    open(old_list, "w").write("NIR\n")
    os.utime(old_list, (year_ago, year_ago))
    # A file the operator keeps there (an extract copied with its date) is
    # not the campaign's to delete.
    kept = os.path.join(work, "work-messages", "extrait-caf-2024.csv")
    open(kept, "w").write("NIR\n")
    os.utime(kept, (year_ago, year_ago))
    r = run("campaign", "deliver", campaign("messages", "2025-06", "email, letter"), "--store", store)
    check(r.returncode == 0 and "2 files older than 12 months deleted" in r.stdout, r.stdout + r.stderr)
    check(not os.path.exists(old_letter) and len(os.listdir(letters)) == len(names), "retention of the letters")
    check(not os.path.exists(old_list) and os.path.exists(os.path.join(work, "work-messages", "review.csv")),
          "retention of the working folder's lists")
    check(os.path.exists(kept), "retention deleted a file the campaign did not write")

    # Objecting with the code of the message received.
    code = email.message_from_bytes(raw[0], policy=STRICT)["X-Proactif-Verification"]
    subject = query(store, f"SELECT subject FROM outbox WHERE verification_code = '{code}'")[0][0]
    r = run("object", "--code", code.lower(), "--all", "--origin", "courriel du 2025-06-20", "--store", store)
    check(r.returncode == 0 and "objection recorded (all programs)" in r.stdout, r.stdout + r.stderr)
    check(query(store, f"SELECT COUNT(*) FROM objections WHERE subject = '{subject}' AND program = '*'") == [("1",)],
          "the objection by code was not recorded for the household")
    r = run("object", "--code", "AAAA-BBBB-CCCC", "--origin", "appel", "--store", store)
    check(r.returncode == 1 and "no message was sent with the code" in r.stderr, r.stderr)

    # An objection to one right of a message not yet sent takes that right
    # out of it; the message keeps its reference (its envelope's least code).
    # (Its period and the next campaign's are more than a year apart, and
    # apart from June's: nobody told within the year is told again.)
    r = run("campaign", "run", campaign("opposition", "2024-05", "letter"), "--store", store, "--plan-only")
    check(r.returncode == 0, r.stdout + r.stderr)
    planned = collections.defaultdict(list)
    for envelope, code, program in query(store, "SELECT envelope, verification_code, program FROM outbox "
                                                "WHERE run_id LIKE 'opposition:%' ORDER BY program"):
        planned[envelope].append((code, program))
    pair = next(rights for rights in planned.values() if len(rights) == 2)
    reference = min(code for code, _ in pair)
    objected, kept = (pair[0], pair[1]) if pair[0][0] == reference else (pair[1], pair[0])
    r = run("object", "--code", objected[0], "--origin", "courrier", "--store", store)
    check(r.returncode == 0 and f"program {objected[1]}" in r.stdout, r.stdout + r.stderr)
    r = run("campaign", "deliver", campaign("opposition", "2024-05", "letter"), "--store", store)
    check(r.returncode == 0, r.stdout + r.stderr)
    letter = os.path.join(work, "letters-opposition", reference + ".pdf")
    text = tool("pdftotext", letter, "-")
    if text:
        flat = " ".join(text.stdout.split())
        check(kept[0] in flat and objected[0] not in flat.replace("Référence : " + reference, ""),
              f"the letter still tells of the right objected to: {flat[:600]}")
    check(len(os.listdir(os.path.join(work, "letters-opposition"))) == len(planned), "letters and envelopes differ")

    # Email only: who has no email address is listed for the social services.
    r = run("campaign", "run", campaign("courriels", "2023-04", "email"), "--store", store)
    check(r.returncode == 0, r.stdout + r.stderr)
    left = re.search(r"left for the social services of their commune: (\d+), listed by commune in (\S+)/: ", r.stdout)
    check(left and int(left.group(1)) > 50, r.stdout[-800:])
    if left:
        rows = []
        for name in sorted(os.listdir(left.group(2))):
            path = os.path.join(left.group(2), name)
            check(oct(os.stat(path).st_mode & 0o777) == "0o600", f"{name} is readable by others")
            with open(path, encoding="utf-8") as f:
                mine = list(csv.DictReader(f, delimiter=";"))
            # A commune's social services see their own households only.
            check(all(row["commune"] + ".csv" == name for row in mine), f"{name} lists another commune's household")
            rows += mine
        # A line per household and right.
        check(len({row["foyer"] for row in rows}) == int(left.group(1)), f"{len(rows)} rows, {left.group(1)} reported")
        check(all(re.fullmatch(r"\d[\dAB]\d{3}", row["commune"]) and row["droit"] and row["motif"] for row in rows),
              rows[:2])
        # Each household by its name, which the social services ask for,
        # unless the extract gives none that may be read (the allocataire's
        # row set aside: nothing of it is used), which the reason says.
        check(all(row["nom"].strip() or row["motif"].startswith("ni nom ni coordonnées lisibles") for row in rows),
              [row for row in rows if not row["nom"].strip()][:3])
        for row in rows:
            bad = forbidden_tokens(row["droit"] + "\n" + row["motif"])
            check(not bad, f"{bad} in the list for the social services")
        # The decision on a household listed is kept, as any other's: the
        # person may ask for it, and object. Their objection to one right
        # takes that right out of the list, not the others (a person of their
        # own foyer is listed under the household, and objects with it).
        by_household = {}
        for row in rows:
            by_household.setdefault(row["foyer"], []).append(row["droit"])
        listed, rights = max(by_household.items(), key=lambda item: len(item[1]))
        r = run("decision", listed, "--store", store)
        check(r.returncode == 0 and all(right in r.stdout for right in rights), r.stdout[-600:] + r.stderr)
        titles = {"c2s": "Complémentaire santé solidaire (C2S)", "rsa": "Revenu de solidarité active (RSA)"}
        program = next((p for p, t in titles.items() if t in rights), None)
        check(program is not None, f"{listed} is listed for {rights}")
        r = run("object", "--subject", listed, "--program", program or "c2s", "--origin", "courrier", "--store", store)
        check(r.returncode == 0 and re.search(r"[1-9]\d* rights taken out of the lists for the social services", r.stdout),
              r.stdout + r.stderr)
        after = []
        for name in sorted(os.listdir(left.group(2))):
            with open(os.path.join(left.group(2), name), encoding="utf-8") as f:
                after += list(csv.DictReader(f, delimiter=";"))
        check(sorted(row["droit"] for row in after if row["foyer"] == listed) ==
              sorted(right for right in rights if right != titles.get(program)) and
              len(after) == len(rows) - rights.count(titles.get(program)),
              f"{listed} listed for {rights}, {program} objected to: {[row for row in after if row['foyer'] == listed]}; "
              f"{len(rows)} lines before, {len(after)} after")
        # A refusal an event carries takes the right out too; a list that
        # cannot be written again (here not a regular file) is named, and the
        # event exits 1: an agent must take the line out by hand.
        refusing = next((row for row in after if row["foyer"] != listed and row["droit"] == titles["c2s"]), None)
        check(refusing is not None, "no other household listed for the C2S")
        if refusing:
            blocked = os.path.join(left.group(2), refusing["commune"] + ".csv")
            os.rename(blocked, blocked + ".kept")
            os.symlink(blocked + ".kept", blocked)
            events_rules = os.path.join(work, "refusals.yaml")
            with open(events_rules, "w", encoding="utf-8") as f:
                f.write("id: refusals\ntitle: C2S avec le RSA\nsender: CAF de l'Isère\n"
                        "how_to_object: écrivez à dpo@caf38.example\n" + MESSAGE_FIELDS +
                        "events:\n  rsa_granted:\n    programs:\n      c2s: {eligible: grant, undetermined: nothing, "
                        "already_receiving: {c2s: [free, participation]}}\n"
                        "transmission: {departements: [\"38\"], to: CPAM de l'Isère, to_with_article: la CPAM de l'Isère, "
                        f"drop_folder: {os.path.join(work, 'cpam')}}}\n"
                        "channels: [letter]\nletters: {folder: letters-refusals}\n")
            event = os.path.join(work, "refusal.jsonl")
            with open(event, "w", encoding="utf-8") as f:
                f.write(json.dumps({"event": "rsa_granted", "date": "2023-04-20", "refuses": ["c2s"],
                                    "situation": {"id": refusing["foyer"], "date": "2023-04-20",
                                                  "household": {"commune": refusing["commune"], "rsa": True},
                                                  "persons": [{"id": refusing["foyer"] + "-p1", "role": "applicant",
                                                               "birth_date": "1980-01-01", "c2s": "none"}]}},
                                   ensure_ascii=False) + "\n")
            r = run("event", "--past-date", event, "--rules", events_rules, "--store", store)
            check(r.returncode == 1 and "could not be written again" in r.stderr and blocked in r.stderr,
                  f"rc={r.returncode} " + r.stdout[-600:] + r.stderr)
            os.remove(blocked)
            os.rename(blocked + ".kept", blocked)

    # A right decided person by person is told to a household's persons in
    # one message: where their amounts differ (here a price doubled for the
    # allocataire, in a copy of the M Réso program), each amount is given
    # with whose it is; a spouse of 28 was told the others' reduced price.
    priced = os.path.join(work, "programs-by-role")
    shutil.copytree(os.path.join(SOURCE, "programs"), priced)
    program_file = os.path.join(priced, "m-reso-solidaire", "program.yaml")
    text = open(program_file, encoding="utf-8").read()
    formula = "formula: bracket(quotient_familial, tarif_par_quotient_familial)"
    check(formula in text, "the M Réso price's formula changed: this test must follow it")
    open(program_file, "w", encoding="utf-8").write(
        text.replace(formula, formula + ' * (if role == "applicant" then 2 else 1)'))
    prices_store = "sqlite:" + os.path.join(work, "prices.db")
    os.environ["PROACTIF_PROGRAMS"] = priced
    try:
        r = run("campaign", "run", campaign("prix", "2025-06", "letter"), "--store", prices_store, "--plan-only")
    finally:
        del os.environ["PROACTIF_PROGRAMS"]
    check(r.returncode == 0, r.stdout[-600:] + r.stderr[-600:])
    stored = {subject: [json.loads(line) for line in decision.splitlines()] for subject, decision in
              query(prices_store, "SELECT subject, decision FROM decisions WHERE program = 'm-reso-solidaire'")}
    told_apart = 0
    for subject, message in query(prices_store, "SELECT subject, message FROM outbox WHERE program = 'm-reso-solidaire'"):
        results = json.loads(message)["results"]
        told = {float(item["value"].replace("\u00a0", " ").split(" ")[0].replace(",", ".")) for item in results}
        theirs = {d["result"]["monthly_price_eur"] for d in stored.get(subject, []) if d["status"] == "eligible"}
        told_apart += any("result_for" in item for item in results)
        check(told == theirs and (len(told) == 1) == all("result_for" not in item for item in results),
              f"{subject}: told {results}, decided {theirs}")
    check(told_apart > 0, "no household told of two prices")
    # The same told after an event: each price named by the names the
    # situation gives, the contact's own "vous" (a reviewer's letters said
    # three prices, each "pour une personne de votre foyer").
    events_rules = os.path.join(work, "prix-evenements.yaml")
    with open(events_rules, "w", encoding="utf-8") as f:
        f.write("id: prix-evenements\ntitle: Tarif solidaire\nsender: SMMAG\nhow_to_object: écrivez à dpo@smmag.example\n" +
                MESSAGE_FIELDS + "events:\n  qf_known:\n    programs:\n      m-reso-solidaire: {eligible: notify, "
                "undetermined: nothing}\nchannels: [letter]\nletters: {folder: letters-prix-evenements}\n")
    persons = [{"id": f"CAF:P1{k}", "role": role, "birth_date": born, "dependant": role == "child", "first_names": first,
                "birth_name": "MARTIN"}
               for k, (role, born, first) in enumerate([("applicant", "1980-01-01", "Lucie Anne"), ("spouse", "1981-01-01", "Marc"),
                                                       ("child", "2015-01-01", "Paul")])]
    event = {"event": "qf_known", "date": "2025-06-15",
             "situation": {"id": "CAF:H1", "household": {"commune": "38185", "quotient_familial": 500}, "persons": persons},
             "contact": {"first_names": "Lucie", "name": "Martin", "address": "3 rue des Alpes", "town": "38000 GRENOBLE"}}
    events_file = os.path.join(work, "prix.jsonl")
    with open(events_file, "w", encoding="utf-8") as f:
        f.write(json.dumps(event, ensure_ascii=False) + "\n")
    os.environ["PROACTIF_PROGRAMS"] = priced
    try:
        r = run("event", events_file, "--rules", events_rules, "--store", prices_store, "--plan-only", "--past-date")
    finally:
        del os.environ["PROACTIF_PROGRAMS"]
    told = query(prices_store, "SELECT message FROM outbox WHERE run_id LIKE 'prix-evenements:%'")
    results = json.loads(told[0][0])["results"] if told else []
    check(r.returncode == 0 and [(item.get("result_for"), item["value"].replace("\u00a0", " ")) for item in results] ==
          [("vous", "5 € par mois"), ("Marc MARTIN et Paul MARTIN", "2,50 € par mois")],
          f"{r.stdout[-500:]} {r.stderr[-500:]} {results}")
finally:
    sink.stop()
finish()
