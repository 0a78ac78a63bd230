// Letters read back by the tools a reader, a printer or a phone relies on:
// pdfinfo (tagged, titled), pdffonts (every font embedded), pdftotext (the
// words as written), zbarimg on the rendered page (the QR code). A check
// whose tool is missing is skipped, naming it.
#include <cairo.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "actions/channels.hpp"

namespace proactif {
namespace {

namespace fs = std::filesystem;

const char* const kRecipient = "Mme Marie Dupont\n12 rue des Alpes\n38000 GRENOBLE";
const char* const kUrl = "https://droits.example.fr/verifier?code=ABCD-EFGH-JKLM";

fs::path fresh_folder(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("proactif-letter-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// A logo as a body would ship one: a small PNG.
std::string make_logo(const fs::path& dir) {
  std::string path = (dir / "logo.png").string();
  cairo_surface_t* image = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 160, 80);
  cairo_t* cr = cairo_create(image);
  cairo_set_source_rgb(cr, 0.0, 0.3, 0.6);
  cairo_rectangle(cr, 0, 0, 160, 80);
  cairo_fill(cr);
  cairo_destroy(cr);
  cairo_surface_write_to_png(image, path.c_str());
  cairo_surface_destroy(image);
  return path;
}

RenderedMessage sample(const std::string& logo) {
  RenderedMessage m;
  m.subject = "Vous pourriez avoir droit à la complémentaire santé solidaire";
  m.date = "2025-06-15";
  m.reference = "ABCD-EFGH-JKLM";
  m.verify_url = kUrl;
  m.from = {"Grenoble-Alpes Métropole",
            {"3 rue Malakoff", "38031 Grenoble Cedex 1"},
            {"04 76 59 59 59", "www.grenoblealpesmetropole.fr"},
            logo,
            "Grenoble",
            "Christophe Ferrari",
            "Président"};
  std::string text = "Madame, Monsieur,\n\n";
  text +=
      "Si vous résidez à Grenoble, vous pourriez avoir droit à la complémentaire santé solidaire. "
      "Elle prend en charge la part de vos dépenses de santé que l'assurance maladie ne rembourse pas.\n\n";
  text += "Ce que nous savons de votre situation\n=====================================\n";
  text += "- Revenus du foyer : 9 800 €\n- Nombre de personnes au foyer : 2\n- Commune : Grenoble\n\n";
  for (int i = 0; i < 9; ++i)
    text += "Paragraphe " + std::to_string(i + 1) +
            " : cette démarche est gratuite et ne vous engage à rien. Vous pouvez accéder à vos données, les faire "
            "rectifier et vous opposer à ce traitement ; vos droits ne dépendent pas de votre réponse.\n\n";
  text += "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.\n\n";
  text += "Christophe Ferrari\nPrésident";
  m.text = text;
  return m;
}

bool has_tool(const std::string& tool) { return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0; }

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  pclose(pipe);
  return out;
}

std::string field(const std::string& pdfinfo, const std::string& name) {
  std::istringstream in(pdfinfo);
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(name + ":")) return line.substr(line.find_first_not_of(' ', name.size() + 1));
  return "";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class Letter : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_folder(::testing::UnitTest::GetInstance()->current_test_info()->name());
    message_ = sample(make_logo(dir_));
    SendResult r = write_letter(dir_.string(), kRecipient, "ABCD-EFGH-JKLM", message_);
    ASSERT_TRUE(r.delivered) << r.error;
    pdf_ = (dir_ / "ABCD-EFGH-JKLM.pdf").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  RenderedMessage message_;
  std::string pdf_;
};

TEST_F(Letter, IsTaggedTitledAndOnTwoPages) {
  if (!has_tool("pdfinfo")) GTEST_SKIP() << "pdfinfo is not installed";
  std::string info = run("pdfinfo '" + pdf_ + "' 2>&1");  // a damaged file is reported on stderr
  EXPECT_EQ(info.find("Error"), std::string::npos) << info;
  EXPECT_EQ(field(info, "Tagged"), "yes") << info;
  EXPECT_EQ(field(info, "Title"), message_.subject);
  EXPECT_EQ(field(info, "Author"), "Grenoble-Alpes Métropole");
  EXPECT_EQ(field(info, "Page size"), "595.276 x 841.89 pts (A4)");
  EXPECT_EQ(field(info, "Pages"), "2");
  // The structure a screen reader follows: the object, a heading, a list.
  std::istringstream structure(run("pdfinfo -struct '" + pdf_ + "'"));
  std::set<std::string> elements;
  for (std::string kind; structure >> kind;) elements.insert(kind);
  for (const char* element : {"Document", "H1", "H2", "P", "L", "LI", "Lbl", "LBody", "Figure"})
    EXPECT_TRUE(elements.contains(element)) << element;
}

// cairo cannot write /Lang: qpdf adds it after cairo (pdf_accessibility),
// which must leave a file that a strict reader accepts.
TEST_F(Letter, IsInFrenchAndWellFormed) {
  EXPECT_NE(read_file(pdf_).find("/Lang (fr-FR)"), std::string::npos);
  if (!has_tool("qpdf")) GTEST_SKIP() << "qpdf is not installed";
  std::string check = run("qpdf --check '" + pdf_ + "' 2>&1");
  EXPECT_NE(check.find("No syntax or stream encoding errors found"), std::string::npos) << check;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// What a screen reader needs beyond tags: each figure's alternative text,
// the title shown, and the page numbers and the footer's rule as artifacts,
// which it skips; pdftotext, which reads the page, still finds them. The
// file's objects are read in qpdf's plain (QDF) form, strings in
// PDFDocEncoding (é is byte E9).
TEST_F(Letter, FiguresHaveTheirTextAndPaginationIsAnArtifact) {
  if (!has_tool("qpdf") || !has_tool("pdfinfo") || !has_tool("pdftotext"))
    GTEST_SKIP() << "qpdf, pdfinfo or pdftotext is not installed";
  const std::string qdf = (dir_ / "plain.pdf").string();
  run("qpdf --qdf --object-streams=disable '" + pdf_ + "' '" + qdf + "'");
  const std::string objects = read_file(qdf);
  ASSERT_FALSE(objects.empty());
  EXPECT_EQ(count(objects, "/S /Figure"), 2u);  // the logo and the QR code
  EXPECT_EQ(count(objects, "/Alt ("), 2u);
  EXPECT_NE(objects.find("/Alt (Logo : Grenoble-Alpes M\xe9tropole)"), std::string::npos);
  EXPECT_NE(objects.find(std::string("/Alt (Code QR menant \xe0 la page qui v\xe9rifie ce courrier : ") + kUrl + ")"),
            std::string::npos);
  EXPECT_NE(objects.find("/DisplayDocTitle true"), std::string::npos);
  EXPECT_EQ(count(objects, "/Artifact BMC"), 3u);  // a page number on each of the 2 pages, the rule
  EXPECT_EQ(count(objects, "/Private"), 0u);       // the marker the letter draws artifacts in, all gone
  const std::string structure = run("pdfinfo -struct-text '" + pdf_ + "'");
  const std::string page = run("pdftotext -layout '" + pdf_ + "' -");
  for (const char* number : {"1/2", "2/2"}) {
    EXPECT_EQ(structure.find(number), std::string::npos) << number << " read aloud";
    EXPECT_NE(page.find(number), std::string::npos) << number << " not printed";
  }
  EXPECT_NE(structure.find("Code de v"), std::string::npos);  // the footer is still read (poppler cuts at the ligature fi)
}

TEST_F(Letter, EmbedsEveryFont) {
  if (!has_tool("pdffonts")) GTEST_SKIP() << "pdffonts is not installed";
  std::istringstream table(run("pdffonts '" + pdf_ + "'"));
  std::string header, rule, line;
  std::getline(table, header);
  std::getline(table, rule);
  size_t emb = header.find("emb");
  ASSERT_NE(emb, std::string::npos) << header;
  int fonts = 0;
  while (std::getline(table, line)) {
    ++fonts;
    EXPECT_EQ(line.substr(emb, 3), "yes") << line;
  }
  EXPECT_GE(fonts, 1);
}

TEST_F(Letter, QrCodeOnTheLastPageGivesTheVerificationAddress) {
  if (!has_tool("pdftoppm")) GTEST_SKIP() << "pdftoppm is not installed";
  if (!has_tool("zbarimg")) GTEST_SKIP() << "zbarimg is not installed";
  std::string page = (dir_ / "page").string();
  run("pdftoppm -r 150 -png -f 2 -l 2 -singlefile '" + pdf_ + "' '" + page + "'");
  std::string decoded = run("zbarimg --raw -q '" + page + ".png' 2>/dev/null");
  while (!decoded.empty() && decoded.back() == '\n') decoded.pop_back();
  EXPECT_EQ(decoded, kUrl);
}

TEST_F(Letter, TextReadsAsWritten) {
  if (!has_tool("pdftotext")) GTEST_SKIP() << "pdftotext is not installed";
  std::string text = run("pdftotext -layout '" + pdf_ + "' -");
  for (const char* expected :
       {"À Grenoble, le 15 juin 2025", "Objet : Vous pourriez avoir droit", "Référence : ABCD-EFGH-JKLM",
        "Code de vérification : ABCD-EFGH-JKLM", "Si vous résidez à Grenoble", "complémentaire", "38000 GRENOBLE",
        "Christophe Ferrari", "Président", "mot de passe ni coordonnées bancaires",
        "Ce que nous savons de votre situation", "Revenus du foyer : 9 800 €", "1/2", "2/2"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
}

// How far right the line holding `words` starts, in pdftotext's columns.
size_t column_of(const std::string& text, const std::string& words) {
  size_t at = text.find(words);
  if (at == std::string::npos) return std::string::npos;
  size_t line = text.rfind('\n', at);
  return at - (line == std::string::npos ? 0 : line + 1);
}

TEST_F(Letter, SignatureInTheRightHalfWhenItIsTheSignatorys) {
  if (!has_tool("pdftotext")) GTEST_SKIP() << "pdftotext is not installed";
  std::string text = run("pdftotext -layout '" + pdf_ + "' -");
  EXPECT_EQ(column_of(text, "Je vous prie"), 0u) << text;
  EXPECT_GT(column_of(text, "Christophe Ferrari"), 40u) << text;
  // Without a signatory, the last paragraph is text like any other.
  message_.from.signatory.clear();
  ASSERT_TRUE(write_letter(dir_.string(), kRecipient, "UNSIGNED", message_).delivered);
  text = run("pdftotext -layout '" + (dir_ / "UNSIGNED.pdf").string() + "' -");
  EXPECT_EQ(column_of(text, "Christophe Ferrari"), 0u) << text;
}

TEST_F(Letter, IsTheSameFileWhenWrittenAgain) {
  std::string first = read_file(pdf_);
  SendResult r = write_letter(dir_.string(), kRecipient, "ABCD-EFGH-JKLM", message_);
  ASSERT_TRUE(r.delivered) << r.error;
  EXPECT_EQ(read_file(pdf_), first);
}

// Delivery writes letters from several threads at once.
TEST_F(Letter, WrittenFromSeveralThreadsAtOnce) {
  std::string expected = read_file(pdf_);
  std::vector<std::thread> threads;
  std::vector<SendResult> results(4);
  for (size_t i = 0; i < results.size(); ++i)
    threads.emplace_back([&, i] {
      results[i] = write_letter((dir_ / std::to_string(i)).string(), kRecipient, "ABCD-EFGH-JKLM", message_);
    });
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].delivered) << results[i].error;
    EXPECT_EQ(read_file(dir_ / std::to_string(i) / "ABCD-EFGH-JKLM.pdf"), expected);
  }
}

TEST_F(Letter, AnUnreadableLogoIsLeftOut) {
  message_.from.logo = (dir_ / "missing.png").string();
  SendResult r = write_letter(dir_.string(), kRecipient, "LOGO-LESS-0000", message_);
  EXPECT_TRUE(r.delivered) << r.error;
  EXPECT_TRUE(fs::exists(dir_ / "LOGO-LESS-0000.pdf"));
}

TEST_F(Letter, WithoutAVerificationAddressHasNoQrCode) {
  message_.verify_url.clear();
  SendResult r = write_letter(dir_.string(), kRecipient, "NO-QR", message_);
  ASSERT_TRUE(r.delivered) << r.error;
  if (!has_tool("pdftoppm")) GTEST_SKIP() << "pdftoppm is not installed";
  if (!has_tool("zbarimg")) GTEST_SKIP() << "zbarimg is not installed";
  std::string page = (dir_ / "no-qr").string();
  run("pdftoppm -r 150 -png -f 2 -l 2 -singlefile '" + (dir_ / "NO-QR.pdf").string() + "' '" + page + "'");
  ASSERT_TRUE(fs::exists(page + ".png"));
  EXPECT_EQ(run("zbarimg --raw -q '" + page + ".png' 2>/dev/null"), "");
}

TEST_F(Letter, AFolderThatCannotBeWrittenIsReported) {
  // Under a regular file: no folder can be made there, even by root.
  std::ofstream(dir_ / "a-file") << "x";
  SendResult r = write_letter((dir_ / "a-file" / "letters").string(), kRecipient, "ABCD-EFGH-JKLM", message_);
  EXPECT_FALSE(r.delivered);
  EXPECT_FALSE(r.error.empty());
  EXPECT_EQ(r.error.find("Dupont"), std::string::npos) << r.error;
}

// A character no font has (here one of the private use area) would print as
// an empty box in a name or an address: the letter is not written, for good
// (a tester's finding of 2026-12-06, with U+FDFD in a name).
TEST_F(Letter, ACharacterNoFontHasIsNotPrinted) {
  SendResult r = write_letter(dir_.string(), "Marie Dupont\xEE\x80\x80\n3 rue des Alpes\n38000 GRENOBLE", "NO-GLYPH",
                              message_);
  EXPECT_FALSE(r.delivered);
  EXPECT_TRUE(r.permanent);
  EXPECT_NE(r.error.find("no installed font"), std::string::npos) << r.error;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "NO-GLYPH.pdf"));
}

}  // namespace
}  // namespace proactif
