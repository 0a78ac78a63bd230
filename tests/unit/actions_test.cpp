// The parts of delivery that need no server: verification codes, message
// rendering, files written whole.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "actions/messages.hpp"
#include "actions/verification_code.hpp"
#include "core/date.hpp"
#include "core/output_file.hpp"

namespace proactif {
namespace {

TEST(VerificationCode, TwelveCharactersOfCrockfordBase32AndNoRepeats) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    std::string code = new_verification_code();
    ASSERT_EQ(code.size(), 14u);
    EXPECT_EQ(code[4], '-');
    EXPECT_EQ(code[9], '-');
    EXPECT_EQ(code.find_first_of("ILOU"), std::string::npos) << code;
    seen.insert(code);
  }
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(VerificationCode, WhatAPersonTypesIsReadBack) {
  EXPECT_EQ(normalise_verification_code("k7m2 q9xd 4hra"), "K7M2-Q9XD-4HRA");
  EXPECT_EQ(normalise_verification_code("K7M2-Q9XD-4HRA"), "K7M2-Q9XD-4HRA");
  EXPECT_EQ(normalise_verification_code("o0il-0000-0000"), "0011-0000-0000");
}

std::string message(const std::string& name, bool with_result) {
  return std::string("{\"action\": \"notify\", \"program\": \"c2s\", \"title\": \"Complémentaire santé solidaire (C2S)\", ") +
         "\"authority\": \"CPAM\", \"sender\": \"CAF & CPAM\", \"campaign\": \"t\", \"date\": \"2025-06-15\", " +
         "\"code\": \"K7M2-Q9XD-4HRA\", \"name\": \"" + name + "\", \"address\": \"\", \"town\": \"\", " +
         "\"how_to_object\": \"écrivez-nous\", \"results\": [" +
         (with_result ? "{\"label\": \"Participation\", \"value\": \"0,00 € par mois\"}" : "") +
         "], \"data\": [{\"label\": \"Commune\", \"source\": \"CAF\"}]}";
}

TEST(Messages, TextIsVerbatimHtmlIsEscaped) {
  auto m = render_message(templates_dir(), message("Zoé <b>D'Arc</b>", true));
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->subject, "Vous pourriez avoir droit à : Complémentaire santé solidaire (C2S)");
  EXPECT_NE(m->text.find("CAF & CPAM"), std::string::npos);
  EXPECT_NE(m->text.find("- Participation : 0,00 € par mois"), std::string::npos);
  EXPECT_NE(m->text.find("K7M2-Q9XD-4HRA"), std::string::npos);
  EXPECT_NE(m->text.find("- Commune (source : CAF)"), std::string::npos);
  EXPECT_NE(m->html.find("CAF &amp; CPAM"), std::string::npos);
  EXPECT_EQ(m->html.find("CAF & CPAM"), std::string::npos);
  EXPECT_NE(m->html.find("<html lang=\"fr\">"), std::string::npos);
  EXPECT_NE(m->html.find("<ul>\n<li>Participation"), std::string::npos);
}

TEST(Messages, NoResultNoEmptyList) {
  auto m = render_message(templates_dir(), message("Zoé", false));
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->html.find("<ul>\n\n</ul>"), std::string::npos);
  EXPECT_EQ(m->html.find("Participation"), std::string::npos);
}

TEST(Messages, SmsIsOneJsonString) {
  auto sms = render_sms(templates_dir(), message("Zoé", true));
  ASSERT_TRUE(sms.ok()) << sms.error().message;
  EXPECT_EQ(sms->front(), '"');
  EXPECT_EQ(sms->back(), '"');
  EXPECT_NE(sms->find("K7M2-Q9XD-4HRA"), std::string::npos);
  EXPECT_EQ(sms->find('\n'), std::string::npos);
}

TEST(Messages, AnUnknownActionNamesTheMissingTemplate) {
  std::string json = message("Zoé", false);
  json.replace(json.find("\"notify\""), 8, "\"remind\"");
  auto m = render_message(templates_dir(), json);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("remind.txt.mustache: cannot read"), std::string::npos) << m.error().message;
}

TEST(DurableFile, WrittenWholeOrNotAtAll) {
  auto dir = std::filesystem::temp_directory_path() / ("proactif-durable-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  EXPECT_EQ(write_file_durably((dir / "a.pdf").string(), "%PDF-1.3 ..."), "");
  std::ifstream in(dir / "a.pdf");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "%PDF-1.3 ...");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);  // no temporary left
  std::string err = write_file_durably("/proc/proactif-cannot-be-here/a.pdf", "x");
  EXPECT_NE(err.find("/proc/proactif-cannot-be-here: cannot create the folder"), std::string::npos) << err;
  std::filesystem::remove_all(dir);
}

TEST(FrenchDay, FromMilliseconds) {
  EXPECT_EQ(french_day(0), "01/01/1970");
  EXPECT_EQ(french_day(int64_t{1795730082027}), "26/11/2026");
}

}  // namespace
}  // namespace proactif
