// Emails as a mail client reads them: each message built by mime_message is
// parsed by Python's email package with a policy that raises on any defect,
// and what the client would show is compared with what was rendered.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <strings.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

#include "actions/channels.hpp"

namespace proactif {
namespace {

namespace fs = std::filesystem;

// Prints one line per check, "name ok" or "name FAIL what was found"; the
// test asserts that each expected check printed "ok".
constexpr const char* kReader = R"PY(
import email.policy, re, sys, datetime
from email.parser import BytesParser

folder = sys.argv[1]
def expected(name):
    with open(f"{folder}/{name}", encoding="utf-8", newline="") as f:
        return f.read()
def check(name, ok, found=""):
    print(f"{name} ok" if ok else f"{name} FAIL {found!r}")

with open(f"{folder}/message.eml", "rb") as f:
    raw = f.read()
policy = email.policy.default.clone(raise_on_defect=True)
try:
    msg = BytesParser(policy=policy).parsebytes(raw)
except Exception as e:
    check("parse", False, e)
    sys.exit()
check("parse", True)

check("ascii", all(b < 128 for b in raw))
check("crlf", raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
      and b"\r" not in raw.replace(b"\r\n", b""))
lines = raw.split(b"\r\n")
check("line_length", all(len(l) <= 78 for l in lines), [l for l in lines if len(l) > 78])
words = re.findall(rb"=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=", raw)
check("encoded_words", words and all(len(w) <= 75 for w in words), [w for w in words if len(w) > 75])

defects = []
for part in msg.walk():
    defects += part.defects
    for name, value in part.items():
        defects += getattr(value, "defects", ())
check("defects", not defects, defects)

sender = msg["From"].addresses
check("from", len(sender) == 1 and sender[0].display_name == expected("from_name")
      and sender[0].addr_spec == expected("from"), msg["From"])
to = msg["To"].addresses
check("to", len(to) == 1 and to[0].display_name == "" and to[0].addr_spec == expected("to"), msg["To"])
check("bcc", msg["Bcc"] is None and msg["Cc"] is None, (msg["Bcc"], msg["Cc"]))
check("subject", msg["Subject"] == expected("subject"), msg["Subject"])
check("message_id", msg["Message-ID"] == expected("message_id"), msg["Message-ID"])
check("verification", msg["X-Proactif-Verification"] == expected("reference"), msg["X-Proactif-Verification"])
check("mime_version", msg["MIME-Version"] == "1.0", msg["MIME-Version"])
age = datetime.datetime.now(datetime.timezone.utc) - msg["Date"].datetime
check("date", abs(age.total_seconds()) < 600, msg["Date"])

parts = [p.get_content_type() for p in msg.iter_parts()]
check("structure", msg.get_content_type() == "multipart/alternative" and parts == ["text/plain", "text/html"],
      parts)
check("charsets", all(p.get_content_charset() == "utf-8" for p in msg.iter_parts()),
      [p.get_content_charset() for p in msg.iter_parts()])
for kind in ["plain", "html"]:
    got = msg.get_body((kind,)).get_content().replace("\r\n", "\n")
    check(kind, got == expected(kind), got)
)PY";

const std::vector<std::string> kChecks = {
    "parse",   "ascii",      "crlf",         "line_length",  "encoded_words", "defects",   "from",     "to",    "bcc",
    "subject", "message_id", "verification", "mime_version", "date",          "structure", "charsets", "plain", "html"};

const std::string kFrom = "droits@grenoble.example";
const std::string kTo = "jeanne.martin@example.fr";

RenderedMessage sample() {
  RenderedMessage m;
  m.subject =
      "Vos droits : complémentaire santé solidaire, revenu de solidarité active et tarif solidaire des transports";
  m.text =
      "Madame, Monsieur,\n\n"
      "D'après les informations que détiennent la CAF et la CPAM, vous pourriez avoir droit à la complémentaire "
      "santé solidaire (C2S), sans participation financière, ainsi qu'au revenu de solidarité active (RSA).\n\n"
      "Ce que nous avons vérifié\n"
      "=========================\n\n"
      "- Ressources des 3 derniers mois (source : DRM)\n"
      "- Composition du foyer (source : CAF)\n\n"
      // Spaces at a line's end, a line that starts with "From ", a line that is a dot.
      "Code de vérification : ABCD-EFGH-JKLM. Nous ne vous demanderons jamais votre mot de passe.  \n"
      "From : la métropole\n.\n\n"
      "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.\n\n"
      "Élisabeth Garçon\nVice-présidente déléguée aux solidarités\n";
  m.html =
      "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Vos droits</title></head><body>"
      "<p>D'après les informations que détiennent la CAF et la CPAM, vous pourriez avoir droit à la "
      "<strong>complémentaire santé solidaire</strong> (C2S) et au <em>revenu de solidarité active</em>.</p>"
      "<ul><li>Ressources des 3 derniers mois (source : DRM)</li><li>Composition du foyer (source : CAF)</li></ul>"
      "<p>Code de vérification : <a href=\"https://droits.grenoble.example/verifier?code=ABCD-EFGH-JKLM\">"
      "ABCD-EFGH-JKLM</a> — 100 % = tout</p></body></html>\n";
  m.date = "2026-11-29";
  m.reference = "ABCD-EFGH-JKLM";
  m.codes = {m.reference};
  m.from.name = "Grenoble-Alpes Métropole";
  return m;
}

struct Folder {
  fs::path path;
  Folder() {
    std::string name = (fs::temp_directory_path() / "proactif-email-XXXXXX").string();
    path = mkdtemp(name.data());
  }
  ~Folder() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& content) const {
    std::ofstream(path / name, std::ios::binary) << content;
  }
};

// What the strict reader says of the message, check by check.
std::map<std::string, std::string> read_back(const std::string& from, const std::string& to, const RenderedMessage& m,
                                             const std::string& from_name) {
  Folder folder;
  folder.write("message.eml", mime_message(from, to, m));
  folder.write("reader.py", kReader);
  folder.write("from", from);
  folder.write("from_name", from_name);
  folder.write("to", to);
  folder.write("subject", m.subject);
  folder.write("reference", m.reference);
  folder.write("message_id", "<" + m.reference + from.substr(from.find('@')) + ">");
  folder.write("plain", m.text);
  folder.write("html", m.html);
  std::string command = "python3 " + (folder.path / "reader.py").string() + " " + folder.path.string();
  std::map<std::string, std::string> results;
  FILE* out = popen(command.c_str(), "r");
  if (!out) return results;
  char line[65536];
  while (fgets(line, sizeof line, out)) {
    std::string text(line);
    size_t space = text.find(' ');
    results[text.substr(0, space)] = space == std::string::npos ? "" : text.substr(space + 1);
  }
  pclose(out);
  return results;
}

void expect_all_ok(const std::map<std::string, std::string>& results, const std::vector<std::string>& checks) {
  for (const std::string& check : checks) {
    auto found = results.find(check);
    ASSERT_NE(found, results.end()) << check << " was not checked";
    EXPECT_EQ(found->second, "ok\n") << check;
  }
}

// A header's value as written on its first line, its name in any case.
std::string header(const std::string& message, const std::string& name) {
  for (size_t at = 0, end; (end = message.find("\r\n", at)) != std::string::npos && end != at; at = end + 2) {
    std::string line = message.substr(at, end - at);
    if (line.size() > name.size() && line[name.size()] == ':' &&
        strncasecmp(line.data(), name.data(), name.size()) == 0)
      return line.substr(name.size() + 2);
  }
  return "";
}

TEST(EmailMessage, AStrictParserReadsBackWhatWasRendered) {
  expect_all_ok(read_back(kFrom, kTo, sample(), "Grenoble-Alpes Métropole"), kChecks);
}

TEST(EmailMessage, SentAgainItKeepsItsMessageId) {
  RenderedMessage m = sample();
  std::string first = mime_message(kFrom, kTo, m), second = mime_message(kFrom, kTo, m);
  EXPECT_EQ(header(first, "Message-ID"), "<ABCD-EFGH-JKLM@grenoble.example>");
  EXPECT_EQ(header(second, "Message-ID"), header(first, "Message-ID"));
  m.reference = "WXYZ-2345-6789";
  EXPECT_EQ(header(mime_message(kFrom, kTo, m), "Message-ID"), "<WXYZ-2345-6789@grenoble.example>");
}

TEST(EmailMessage, QuotesAndCommasInTheSendersNameKeepOneMailbox) {
  for (std::string name : {"Mairie d'Échirolles, \"service des solidarités\"", "CCAS, Ville de Grenoble",
                           "Le \"Département\" <Isère>", "Grenoble-Alpes Métropole; CCAS (Échirolles) \\ Pôle"}) {
    RenderedMessage m = sample();
    m.from.name = name;
    expect_all_ok(read_back(kFrom, kTo, m, name), kChecks);
  }
}

TEST(EmailMessage, ALineBreakInTheSendersNameAddsNoHeader) {
  RenderedMessage m = sample();
  m.from.name = "Grenoble-Alpes Métropole\r\nBcc: espion@example.org";
  std::string message = mime_message(kFrom, kTo, m);
  EXPECT_EQ(message.find("\r\nBcc:"), std::string::npos);
  // It comes back on one line, as a name and nothing else.
  expect_all_ok(read_back(kFrom, kTo, m, "Grenoble-Alpes Métropole Bcc: espion@example.org"), kChecks);
}

// Delivery sends on up to four threads, each building its own messages.
TEST(EmailMessage, BuiltOnFourThreadsAtOnce) {
  const RenderedMessage m = sample();
  const std::string one = mime_message(kFrom, kTo, m);
  std::vector<std::string> built(4 * 50);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (size_t i = t; i < built.size(); i += 4) built[i] = mime_message(kFrom, kTo, m);
    });
  for (std::thread& t : threads) t.join();
  // Each whole, and the same but for its boundary and, across a second, its date.
  for (const std::string& b : built) {
    EXPECT_EQ(b.size(), one.size());
    for (const char* name : {"From", "To", "Subject", "Message-ID", "X-Proactif-Verification"})
      EXPECT_EQ(header(b, name), header(one, name)) << name;
  }
}

// Nothing here listens on port 1: a refusal that is permanent, and says
// why, was made before any connection was tried.
TEST(EmailChannel, ALineBreakInAnAddressIsRefusedBeforeConnecting) {
  RenderedMessage m = sample();
  SendResult to = EmailChannel("smtp://127.0.0.1:1", "a@b.fr", false).send("x@y.fr\r\nRCPT TO:<z@z.fr>", "C", m);
  EXPECT_FALSE(to.delivered);
  EXPECT_TRUE(to.permanent);
  EXPECT_FALSE(to.unknown);
  EXPECT_EQ(to.error, "recipient refused: not a valid email address");
  SendResult from = EmailChannel("smtp://127.0.0.1:1", "a@b.fr\r\nDATA", false).send("x@y.fr", "C", m);
  EXPECT_TRUE(from.permanent);
  EXPECT_EQ(from.error, "sender refused: not a valid email address");
}

TEST(EmailChannel, AReferenceThatCannotMakeAMessageIdIsRefused) {
  RenderedMessage m = sample();
  m.reference = "ABCD>\r\nBcc: espion@example.org";
  SendResult r = EmailChannel("smtp://127.0.0.1:1", "a@b.fr", false).send("x@y.fr", "C", m);
  EXPECT_TRUE(r.permanent);
  EXPECT_EQ(r.error, "message refused: its reference cannot make a Message-ID");
  // Without a reference, the verification code given to send() is used.
  m.reference = "";
  r = EmailChannel("smtp://127.0.0.1:1", "a@b.fr", false).send("x@y.fr", "C\r\n", m);
  EXPECT_EQ(r.error, "message refused: its reference cannot make a Message-ID");
  r = EmailChannel("smtp://127.0.0.1:1", "a@b.fr", false).send("x@y.fr", "ABCD-EFGH-JKLM", m);
  EXPECT_FALSE(r.delivered);
  EXPECT_FALSE(r.permanent) << r.error;  // checked, then the connection failed: try again later
}

}  // namespace
}  // namespace proactif
