// The parts of delivery that need no server: verification codes, message
// rendering, files written whole.
#include <grp.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/data_paths.hpp"
#include "actions/channels.hpp"
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

// A right's variables as the planner stores them (campaign/planner.cpp notice_json).
std::string message(const std::string& name, bool with_result, const std::string& action = "notify",
                    const std::string& code = "K7M2-Q9XD-4HRA", const std::string& title = "Complémentaire santé solidaire (C2S)") {
  return "{\"action\": \"" + action + "\", \"program\": \"c2s\", \"title\": \"" + title + "\", " +
         "\"authority\": \"CPAM\", \"sender\": \"CAF & CPAM\", \"campaign\": \"t\", \"date\": \"2026-11-29\", " +
         "\"data_date\": \"2025-06-15\", \"verify_url\": \"https://droits.example.fr/verifier\", " +
         "\"code\": \"" + code + "\", \"name\": \"" + name + "\", \"address\": \"\", \"town\": \"\", " +
         "\"how_to_object\": \"écrivez-nous\", \"transmitted_to\": \"la CPAM de l'Isère\", \"routes\": [\"CSS L861-2\"], " +
         "\"to_transmitted\": \"à la CPAM de l'Isère\", \"near_transmitted\": \"auprès de la CPAM de l'Isère\", " +
         "\"letterhead\": {\"name\": \"CAF & CPAM\", \"address\": [\"1 rue A\"], \"contact\": [\"3230\"], \"logo\": \"\", "
         "\"town\": \"Grenoble\", \"signatory\": \"Claire Exemple\", \"signatory_title\": \"Directrice\"}, " +
         "\"privacy\": {\"controllers\": [{\"name\": \"la CAF\", \"contact\": \"caf.fr\"}], \"joint\": false, \"dpo\": \"dpo@caf.fr\", "
         "\"purposes\": [\"Informer\"], \"legal_basis\": [\"RGPD 6-1-e\"], \"recipients\": [\"Les agents\"], "
         "\"data_kept\": \"1 an\", \"trace_kept\": \"3 ans\", \"objection_kept\": \"2 ans\", "
         "\"notice_url\": \"https://droits.example.fr/vos-donnees\"}, " +
         "\"claim\": {\"where\": \"la CPAM\", \"to_where\": \"à la CPAM\", \"address\": \"\", \"website\": \"https://www.ameli.fr\", \"phone\": \"\", "
         "\"deadline\": \"\", \"documents\": [\"une pièce d'identité\"]}, " +
         "\"presumed\": false, \"to_confirm\": [], \"missing\": [], \"results\": [" +
         (with_result ? "{\"label\": \"Participation\", \"value\": \"0,00 € par mois\"}" : "") +
         "], \"data\": [{\"label\": \"Commune\", \"source\": \"CAF\"}]}";
}

TEST(Messages, TextIsVerbatimHtmlIsEscaped) {
  auto m = render_message(templates_dir(), {message("Zoé <b>D'Arc</b>", true)});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->subject, "Information sur vos droits");  // no benefit named where others may read it
  EXPECT_NE(m->text.find("Bonjour Zoé <b>D'Arc</b>,"), std::string::npos);
  EXPECT_EQ(m->text.find("&lt;"), std::string::npos);
  EXPECT_NE(m->text.find("- Participation : 0,00 € par mois"), std::string::npos);
  EXPECT_NE(m->text.find("K7M2-Q9XD-4HRA"), std::string::npos);
  EXPECT_NE(m->text.find("- Commune (source : CAF)"), std::string::npos);
  EXPECT_NE(m->text.find("adressez-vous à la CPAM :\n- sur internet : https://www.ameli.fr"), std::string::npos) << m->text;
  EXPECT_EQ(m->text.find("par téléphone"), std::string::npos);  // none given: no empty line
  EXPECT_NE(m->html.find("CAF &amp; CPAM"), std::string::npos);
  EXPECT_EQ(m->html.find("CAF & CPAM"), std::string::npos);
  EXPECT_NE(m->html.find("Zoé &lt;b&gt;D&apos;Arc&lt;/b&gt;"), std::string::npos) << m->html;
  EXPECT_EQ(m->html.find("<b>D'Arc"), std::string::npos);
  EXPECT_NE(m->html.find("<html lang=\"fr\">"), std::string::npos);
  EXPECT_NE(m->html.find("<li>Participation"), std::string::npos);
  EXPECT_EQ(m->date, "2026-11-29");
  EXPECT_EQ(m->reference, "K7M2-Q9XD-4HRA");
  EXPECT_EQ(m->verify_url, "https://droits.example.fr/verifier?code=K7M2-Q9XD-4HRA");
  EXPECT_EQ(m->from.signatory, "Claire Exemple");
  // The closing formula, then the signatory and title, end the text.
  EXPECT_NE(m->text.find("salutations distinguées.\n\nClaire Exemple\nDirectrice\n"), std::string::npos) << m->text;
}

// A notice's postal recipient, for an email refused for good sent by letter:
// only where the notice holds an address and a town.
TEST(Messages, ALetterGoesOnlyWhereTheNoticeHoldsAnAddress) {
  EXPECT_EQ(letter_recipient(R"({"name": "Jeanne Martin", "address": "3 rue des Alpes", "town": "38000 GRENOBLE", "x": 1})"),
            "Jeanne Martin\n3 rue des Alpes\n38000 GRENOBLE");
  EXPECT_EQ(letter_recipient(R"({"town": "38000 GRENOBLE", "address": "3 rue des Alpes", "name": "J"})"),
            "J\n3 rue des Alpes\n38000 GRENOBLE");
  EXPECT_EQ(letter_recipient(R"({"name": "Jeanne Martin", "address": "", "town": "38000 GRENOBLE"})"), "");
  EXPECT_EQ(letter_recipient(R"({"name": "Jeanne Martin", "address": "3 rue des Alpes"})"), "");
  EXPECT_EQ(letter_recipient("not json"), "");
}

TEST(Messages, NoResultNoEmptyList) {
  auto m = render_message(templates_dir(), {message("Zoé", false)});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->html.find("<ul></ul>"), std::string::npos);
  EXPECT_EQ(m->html.find("Participation"), std::string::npos);
  EXPECT_EQ(m->text.find("et de son montant"), std::string::npos);
}

// A result given as the least favourable while data are missing is said to
// be so, with what could make it more favourable; otherwise nothing is said.
TEST(Messages, ALeastFavourableResultSaysSoWithWhatIsMissing) {
  std::string json = message("Zoé", true);
  const std::string none = "\"missing\": []";
  json.replace(json.find(none), none.size(), "\"missing\": [\"Bénéfice du RSA par le foyer\"], \"least_favourable\": true");
  auto m = render_message(templates_dir(), {json});
  ASSERT_TRUE(m.ok()) << m.error().message;
  const std::string said = "Ce calcul retient le cas le moins favorable pour vous";
  EXPECT_NE(m->text.find(said + ", faute de connaître les informations suivantes ; le résultat pourrait être plus "
                                "avantageux :\n- Bénéfice du RSA par le foyer\n"),
            std::string::npos)
      << m->text;
  EXPECT_NE(m->html.find(said), std::string::npos);
  EXPECT_NE(m->html.find("<li>Bénéfice du RSA par le foyer</li>"), std::string::npos);
  auto plain = render_message(templates_dir(), {message("Zoé", true)});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->text.find(said), std::string::npos);
  EXPECT_EQ(plain->html.find(said), std::string::npos);
}

TEST(Messages, OneMessageTellsEachRightWithItsCode) {
  auto m = render_message(templates_dir(), {message("Zoé", true), message("Zoé", false, "notify_possible", "AAAA-BBBB-CCCC",
                                                                             "Revenu de solidarité active (RSA)")});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->subject, "Information sur vos droits");
  EXPECT_EQ(m->codes, (std::vector<std::string>{"K7M2-Q9XD-4HRA", "AAAA-BBBB-CCCC"}));
  EXPECT_EQ(m->reference, "K7M2-Q9XD-4HRA");
  EXPECT_NE(m->text.find("Revenu de solidarité active (RSA)\n=================================\n"), std::string::npos) << m->text;
  EXPECT_NE(m->text.find("Code de vérification de ce droit : AAAA-BBBB-CCCC"), std::string::npos);
  EXPECT_NE(m->text.find("Il est possible que vous y ayez droit"), std::string::npos);
  // The GDPR information once, not once per right.
  const auto first = m->text.find("Vos données et vos droits");
  EXPECT_NE(first, std::string::npos);
  EXPECT_EQ(m->text.find("Vos données et vos droits", first + 1), std::string::npos);
}

// What one right says is not said of the next: a name the second does not
// give is not taken from the first (the C2S's acceptance with the RSA claim
// was printed in the M Réso fare's section that followed it, a tester's
// finding).
TEST(Messages, ARightSaysNothingOfAnother) {
  std::string c2s = message("Zoé", true);
  c2s.insert(c2s.size() - 1, ", \"accepted_on\": \"2026-11-01\", \"accepted_route\": \"Demande de C2S transmise\"");
  auto m = render_message(templates_dir(), {c2s, message("Zoé", true, "notify", "AAAA-BBBB-CCCC", "Tarif solidaire")});
  ASSERT_TRUE(m.ok()) << m.error().message;
  const std::string accepted = "vous avez accepté que votre demande soit transmise";
  const auto first = m->text.find(accepted);
  ASSERT_NE(first, std::string::npos) << m->text;
  EXPECT_LT(first, m->text.find("Tarif solidaire"));
  EXPECT_EQ(m->text.find(accepted, first + 1), std::string::npos) << m->text;
  EXPECT_EQ(m->html.find(accepted, m->html.find("Tarif solidaire")), std::string::npos) << m->html;
}

// A possible right says what the paying body will check besides what is
// missing, as a right does; the law presumes the resources of a presumed
// right, it does not grant it.
TEST(Messages, APossibleRightSaysWhatThePayingBodyWillCheck) {
  std::string json = message("Zoé", false, "notify_possible");
  const std::string none = "\"to_confirm\": []";
  json.replace(json.find(none), none.size(), "\"to_confirm\": [{\"condition\": \"la résidence stable en France\", \"reference\": \"CSS L160-1\"}]");
  auto m = render_message(templates_dir(), {json});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_NE(m->text.find("L'organisme qui décide vérifiera aussi :\n- la résidence stable en France\n"), std::string::npos) << m->text;
  EXPECT_NE(m->html.find("<li>la résidence stable en France</li>"), std::string::npos);
  std::string presumed = message("Zoé", true);
  const std::string no = "\"presumed\": false";
  presumed.replace(presumed.find(no), no.size(), "\"presumed\": true");
  auto p = render_message(templates_dir(), {presumed});
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_NE(p->text.find("La loi présume que vos ressources y donnent droit : elles ne seront pas examinées"), std::string::npos)
      << p->text;
  EXPECT_EQ(p->text.find("Vous y avez droit"), std::string::npos);
  // GDPR art. 14.2 c): erasure among the rights.
  EXPECT_NE(p->text.find("les faire rectifier ou effacer"), std::string::npos);
}

TEST(Messages, AGrantSaysTheAlgorithmsPartAndHowToRefuse) {
  auto m = render_message(templates_dir(), {message("Zoé", false, "grant_notice")});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->subject, "Une demande est transmise pour vous");
  EXPECT_NE(m->text.find("Nous transmettons à la CPAM de l'Isère une demande"), std::string::npos) << m->text;
  EXPECT_NE(m->text.find("directement auprès de la CPAM de l'Isère"), std::string::npos);
  EXPECT_NE(m->text.find("(CADA, www.cada.fr)"), std::string::npos);
  EXPECT_NE(m->text.find("article L311-3-1"), std::string::npos);
  EXPECT_NE(m->text.find("Vous pouvez refuser cette demande ou la retirer"), std::string::npos);
  EXPECT_EQ(m->text.find("Pour faire la demande"), std::string::npos);  // nothing to claim: it was claimed for them
  EXPECT_EQ(m->text.find("Elle porte la référence"), std::string::npos);  // no request code given: nothing said
  // The request's own code, under which the paying body knows it.
  std::string with_code = message("Zoé", false, "grant_notice");
  with_code.insert(1, "\"request_code\": \"RQST-0000-0001\", ");
  m = render_message(templates_dir(), {with_code});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_NE(m->text.find("Elle porte la référence RQST-0000-0001 : rappelez-la si vous vous adressez à la CPAM de l'Isère."),
            std::string::npos) << m->text;
  EXPECT_NE(m->html.find("Elle porte la référence <strong>RQST-0000-0001</strong>"), std::string::npos);
}

TEST(Messages, SmsIsOneJsonString) {
  auto sms = render_sms(templates_dir(), {message("Zoé", true)});
  ASSERT_TRUE(sms.ok()) << sms.error().message;
  EXPECT_EQ(sms->front(), '"');
  EXPECT_EQ(sms->back(), '"');
  EXPECT_NE(sms->find("K7M2-Q9XD-4HRA"), std::string::npos);
  EXPECT_EQ(sms->find('\n'), std::string::npos);
  EXPECT_EQ(sms->find("\\n"), std::string::npos);
  EXPECT_NE(sms->find("Vos données et vos droits : https://droits.example.fr/vos-donnees"), std::string::npos) << *sms;
  // What a locked phone shows first names no benefit (a right to the C2S
  // says the household's means), as an email's subject.
  EXPECT_EQ(sms->rfind("\"CAF & CPAM : message personnel sur vos droits. Vous pourriez avoir droit", 0), 0u) << *sms;
}

// The notice of a request by SMS, for whom it is the only one, carries what
// the letter says of it: the request's reference, where to refuse it, and
// the mention CRPA L311-3-1 requires of a decision an algorithm prepared.
TEST(Messages, AGrantsSmsCarriesTheAlgorithmsMentionAndTheRequestsReference) {
  std::string grant = message("Zoé", false, "grant_notice");
  grant.insert(grant.size() - 1, ", \"request_code\": \"R4TQ-8XPA-2MLC\"");
  auto sms = render_sms(templates_dir(), {grant});
  ASSERT_TRUE(sms.ok()) << sms.error().message;
  for (const char* said : {"CAF & CPAM : message personnel sur vos droits. Nous transmettons à la CPAM de l'Isère",
                           "(référence R4TQ-8XPA-2MLC)", "auprès de nous ou auprès de la CPAM de l'Isère (code K7M2-Q9XD-4HRA)",
                           "traitement algorithmique (art. L311-3-1 du code des relations entre le public et l'administration)"})
    EXPECT_NE(sms->find(said), std::string::npos) << said << "\n" << *sms;
}

TEST(Messages, NoRightNoMessage) { EXPECT_FALSE(render_message(templates_dir(), {}).ok()); }

TEST(DurableFile, WrittenWholeOrNotAtAll) {
  auto dir = std::filesystem::temp_directory_path() / ("proactif-durable-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(write_file_durably((dir / "a.pdf").string(), "%PDF-1.3 ...").ok());
  std::ifstream in(dir / "a.pdf");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "%PDF-1.3 ...");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);  // no temporary left
  std::string err = write_file_durably("/proc/proactif-cannot-be-here/a.pdf", "x").error().message;
  EXPECT_NE(err.find("/proc/proactif-cannot-be-here: cannot create the folder"), std::string::npos) << err;
  std::filesystem::remove_all(dir);
}

TEST(FrenchDay, FromMilliseconds) {
  EXPECT_EQ(french_day(0), "01/01/1970");
  EXPECT_EQ(french_day(int64_t{1795730082027}), "26/11/2026");
}

}  // namespace
// A drop folder shared with the paying body's group: the body reads and
// takes the batches (0640, the folder 2770) and leaves its acknowledgements
// in ack/ (2770); not shared, all is private.
TEST(TransmissionBatch, ADropFolderSharedWithTheBodysGroup) {
  char pattern[] = "/tmp/proactif-drop-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::string root = pattern;
  gid_t gid = ::getegid();
  if (::geteuid() == 0)
    if (const struct group* g = ::getgrnam("daemon")) gid = g->gr_gid;
  auto mode = [](const std::string& path, gid_t* group = nullptr) -> unsigned {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return 0;
    if (group) *group = st.st_gid;
    return st.st_mode & 07777;
  };
  const mode_t umask_before = ::umask(077);
  SendResult shared = write_batch(root + "/cpam", "B1", "{}\n", {static_cast<int>(gid), false});
  EXPECT_TRUE(shared.delivered) << shared.error;
  gid_t group = 0;
  EXPECT_EQ(mode(root + "/cpam/B1.jsonl", &group), 0640u);
  EXPECT_EQ(group, gid);
  EXPECT_EQ(mode(root + "/cpam", &group), 02770u);
  EXPECT_EQ(group, gid);
  EXPECT_EQ(mode(root + "/cpam/ack", &group), 02770u);
  EXPECT_EQ(group, gid);
  SendResult alone = write_batch(root + "/private", "B2", "{}\n");
  EXPECT_TRUE(alone.delivered) << alone.error;
  EXPECT_EQ(mode(root + "/private"), 0700u);
  EXPECT_EQ(mode(root + "/private/ack"), 0700u);
  EXPECT_EQ(mode(root + "/private/B2.jsonl"), 0600u);
  ::umask(umask_before);
  std::filesystem::remove_all(root);
}

}  // namespace proactif
