// What is checked where values cross into a protocol, a file path, a
// spreadsheet, a parser or the disk: each test holds the attack or the
// fault that was found, and its neighbours.
#include <gtest/gtest.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/confined_path.hpp"
#include "core/contact_syntax.hpp"
#include "core/digit_groups.hpp"
#include "core/hidden_characters.hpp"
#include "core/output_file.hpp"
#include "core/spreadsheet_cell.hpp"
#include "core/yaml_file.hpp"
#include "rules/parser.hpp"
#include "sources/extract_reader.hpp"
#include "test_support.hpp"

namespace proactif {

namespace fs = std::filesystem;

TEST(ContactSyntax, AnEmailAddressCannotCarryACommand) {
  EXPECT_TRUE(is_mailbox("alcidie.breun@courriel.example"));
  EXPECT_TRUE(is_mailbox("a+b_c-d@sub.example.fr"));
  EXPECT_TRUE(is_mailbox("x@[127.0.0.1]"));
  for (const char* bad : {"a@b.example\r\nRCPT TO:<x@evil.example>", "a@b.example\nData", "a b@c.example",
                          "<a@b.example>", "a@b.example>", "\"a\"@b.example", "a@", "@b.example", "a..b@c.example",
                          ".a@c.example", "a@-c.example", "a@c..example", "a@c.example.", "é@c.example",
                          "a@c.example,b@d.example", "a@b@c.example", "a(comment)@c.example", "a@[300.0.0.1]", ""})
    EXPECT_FALSE(is_mailbox(bad)) << bad;
  EXPECT_FALSE(is_mailbox(std::string(65, 'a') + "@c.example"));
  EXPECT_FALSE(is_mailbox(std::string(1, '\0') + "a@c.example"));
}

TEST(ContactSyntax, MobileNumbersInE164) {
  EXPECT_EQ(e164_mobile("06 12 34 56 78"), "+33612345678");
  EXPECT_EQ(e164_mobile("07.12.34.56.78"), "+33712345678");
  EXPECT_EQ(e164_mobile("+33 6 12 34 56 78"), "+33612345678");
  EXPECT_EQ(e164_mobile("0692 12 34 56"), "+262692123456");  // La Réunion
  EXPECT_EQ(e164_mobile("0696123456"), "+596696123456");     // Martinique
  EXPECT_EQ(e164_mobile("+262 639 12 34 56"), "+262639123456");  // Mayotte
  EXPECT_EQ(e164_mobile("+590 690 12 34 56"), "+590690123456");  // Guadeloupe
  // Landlines, premium and other countries' numbers, whose plans are not known.
  for (const char* bad : {"01 23 45 67 89", "0612", "+33112345678", "06 12 34 56 78\r\n", "06-12-34-56-78x",
                          "+0612345678", "++33612345678", "0612345678;rm", "", "+262 262 12 34 56", "+1 900 555 0199",
                          "+44 20 7946 0958", "+882 1234 5678", "+590 590 12 34 56", "+262 692 12 34 5", "+3361234567"})
    EXPECT_FALSE(e164_mobile(bad)) << bad;
}

TEST(ContactSyntax, APostalLineHasNoControlCharacter) {
  EXPECT_TRUE(is_postal_line("12 rue de l'Église"));
  EXPECT_FALSE(is_postal_line("12 rue\nMonsieur X"));
  EXPECT_FALSE(is_postal_line("12 rue\r"));
  EXPECT_FALSE(is_postal_line(std::string("a\0b", 3)));
  // Unicode's own breaks and the controls that reorder text print another
  // line than the one read (a fake line in the window's address block).
  for (const char* bad : {"15 route de Lyon\u2028Appelez le 08 99", "1 rue A\u2029B", "1 rue\u0085B", "1 rue \u202Eabc",
                          "1 rue \u2066abc\u2069", "a\u0080b", "1 rue\u200BB", "1 rue \u200Fabc", "1 \u061Crue",
                          "\uFEFF1 rue", "1 rue\u2060B"})
    EXPECT_FALSE(is_postal_line(bad)) << bad;
  for (const char* good : {"1 rue de l'\u00C9glise \u2013 b\u00E2t. A", "Lieu-dit \u00AB Les Cr\u00EAts \u00BB", "Fran\u00E7ois\u2019s"})
    EXPECT_TRUE(is_postal_line(good)) << good;
}

// A value quoted in a message cannot write a line of the log of its own,
// move the terminal's cursor or colour, nor flood it.
TEST(HiddenCharacters, AQuotedValueWritesNoLineOfItsOwn) {
  EXPECT_EQ(quoted_value("38185\r\nline 99: x"), "\"38185\\u000D\\u000Aline 99: x\"");
  EXPECT_EQ(quoted_value("a\u202Eb\u200Bc\x1b[31m"), "\"a\\u202Eb\\u200Bc\\u001B[31m\"");
  EXPECT_EQ(quoted_value("a\u0085b"), "\"a\\u0085b\"");
  EXPECT_EQ(quoted_value(std::string(100, 'x')), "\"" + std::string(80, 'x') + "\u2026\"");
  EXPECT_EQ(quoted_value(std::string(79, 'x') + "\u00E9\u00E9"), "\"" + std::string(79, 'x') + "\u00E9\u2026\"");
  EXPECT_EQ(escape_hidden("Fran\u00E7ois \u2013 \u00AB Cr\u00EAts \u00BB"), "Fran\u00E7ois \u2013 \u00AB Cr\u00EAts \u00BB");
}

// Every format character and default-ignorable code point hides, not a
// list of the usual ones: a soft hyphen, a variation selector, a filler, a
// tag character (four bytes) make a name read as another. Letters of any
// script, and emoji, do not.
TEST(HiddenCharacters, FormatAndIgnorableCharactersAreHidden) {
  EXPECT_EQ(escape_hidden("Blan\u00ADchez"), "Blan\\u00ADchez");
  EXPECT_EQ(escape_hidden("A\U000E0041\U000E0042"), "A\\U000E0041\\U000E0042");
  for (const char* hidden : {"\u034F", "\u180E", "\u2066", "\u206F", "\u3164", "\uFE0F", "\uFFA0", "\uFFF9",
                             "\U0001D173", "\U000E0100"})
    EXPECT_EQ(hidden_character_at(std::string("x") + hidden, 1), std::string(hidden).size()) << escape_hidden(hidden);
  for (const char* shown : {"\u00E9", "\u03A9", "\u0623", "\u00A0", "\u2013", "\U0001F600", "\u4E2D"})
    EXPECT_EQ(hidden_character_at(shown, 0), 0u) << shown;
  EXPECT_EQ(hidden_character_at("\xAD", 0), 0u);  // a lone continuation byte is not a character
}

// UTF-8 read as Latin-1 or windows-1252 would print "AllÃ©e" on a letter;
// French text with an accented capital before a no-break space, a
// Portuguese or Scandinavian name, is not that.
TEST(ExtractValues, UTF8ReadInAnotherEncodingIsSetAside) {
  for (const char* misread : {"All\u00C3\u00A9e des Tilleuls", "L\u00E2\u20AC\u2122Isle", "\u00C2\u00AB Les Pins \u00C2\u00BB",
                              "Fran\u00C3\u00A7ois", "\u00C5\u201Cuvre", "Jo\u00C3\u00ABl"})
    EXPECT_NE(value_problem(misread).find("UTF-8 text read in another encoding"), std::string::npos) << misread;
  for (const char* french : {"REN\u00C9\u00A0MARTIN", "JO\u00C3O", "\u00C5SA", "CH\u00C2TEAU", "Ch\u00E2teau \u00AB Vert \u00BB",
                             "L\u2019\u00C9cole", "\u00C9\u00C9\u00C9", "N\u00B0 5"})
    EXPECT_EQ(value_problem(french), "") << french;
}

// One rule for extracts and forms: spaces group the digits by three
// before the decimal mark, after a first group of one to three.
TEST(DigitGroups, SpacesGroupDigitsByThreeBeforeTheDecimalMark) {
  const std::string nbsp = "\u00A0", narrow = "\u202F";
  for (const auto& [typed, read] : std::vector<std::pair<std::string, std::string>>{
           {"1 222,50", "1222,50"}, {"12" + nbsp + "345", "12345"}, {"1" + narrow + "234" + narrow + "567.8", "1234567.8"},
           {"-1 234", "-1234"}, {"123", "123"}, {"0,5", "0,5"}, {"999 999", "999999"}})
    EXPECT_EQ(without_digit_group_spaces(typed), read) << typed;
  for (const std::string typed : {"12 34", "1234 567", "1 23", "1 2345", "1 234,5 6", "1  234", " 123", "123 ", "1 23,45",
                                  "1 234 56", "12 34.5", "1 2 3"})
    EXPECT_EQ(without_digit_group_spaces(typed), std::nullopt) << typed;
}

TEST(SpreadsheetCell, FormulasAreWrittenAsText) {
  auto cell = [](const std::string& v) {
    std::string out;
    append_spreadsheet_cell(out, v);
    return out;
  };
  EXPECT_EQ(cell("=HYPERLINK(\"http://x\";\"clic\")"), "\"'=HYPERLINK(\"\"http://x\"\";\"\"clic\"\")\"");
  EXPECT_EQ(cell("+cmd|' /C calc'!A0"), "\"'+cmd|' /C calc'!A0\"");
  EXPECT_EQ(cell("-2+3+cmd"), "\"'-2+3+cmd\"");
  EXPECT_EQ(cell("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(cell("\t=1"), "\"'\t=1\"");
  EXPECT_EQ(cell("-3"), "-3");
  EXPECT_EQ(cell("+33612345678"), "+33612345678");
  EXPECT_EQ(cell("12,50"), "\"12,50\"");
  // Quoted whole, so that a spreadsheet splitting on commas or tabs cannot
  // make a cell of the part after them.
  EXPECT_EQ(cell("x,=HYPERLINK(\"http://x\")"), "\"x,=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(cell("x\t=1+1"), "\"x\t=1+1\"");
  EXPECT_EQ(cell("a;b"), "\"a;b\"");
  EXPECT_EQ(cell("MARTIN"), "MARTIN");
}

TEST(ConfinedPath, PathsStayInTheirFolderUnlessListed) {
  std::string base = testing::temp_dir() + "/campaign";
  fs::create_directories(base + "/out");
  fs::create_directories(testing::temp_dir() + "/shared");
  PathRules rules{base, {}};
  EXPECT_TRUE(confined_path(rules, "out/letters", "letters"));
  EXPECT_TRUE(confined_path(rules, base + "/out", "letters"));
  for (const char* bad : {"../shared", "/etc", "/etc/passwd", "out/../../shared", "out/../..", ".."})
    EXPECT_FALSE(confined_path(rules, bad, "letters")) << bad;
  // A link inside the folder that points out of it leads out of it.
  fs::create_directory_symlink("/etc", base + "/etc-link");
  EXPECT_FALSE(confined_path(rules, "etc-link/cron.d", "letters"));
  rules.outside = {"../shared"};
  EXPECT_TRUE(confined_path(rules, "../shared/letters", "letters"));
  EXPECT_FALSE(confined_path(rules, "../shared/../other", "letters"));
  auto e = confined_path(PathRules{base, {}}, "/tmp", "campaign.yaml:3:1: work_dir");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("paths_outside"), std::string::npos);
}

TEST(OutputFile, PrivateWholeOrNotAtAll) {
  std::string dir = testing::temp_dir() + "/private/sub";
  std::string path = dir + "/rejects.csv";
  const mode_t umask_before = ::umask(022);
  EXPECT_TRUE(write_file_durably(path, "first\n").ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  {
    OutputFile dropped(path);
    dropped << "second, never committed\n";
  }
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "first\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  // A full device: the write itself fails, and nothing claims success.
  if (fs::exists("/dev/full")) {
    OutputFile full("/dev/full", true);
    full << std::string(1 << 16, 'x');
    EXPECT_TRUE(full.failed());
    EXPECT_NE(full.commit().error().message.find("/dev/full: not written (No space left on device)"), std::string::npos);
  }
  // A link planted where the temporary file goes is not followed.
  std::string target = dir + "/target";
  testing::write_file(target, "kept\n");
  fs::create_symlink(target, dir + "/.planted.csv.tmp" + temporary_writer());
  EXPECT_TRUE(write_file_durably(dir + "/planted.csv", "new\n").ok());
  std::ifstream kept(target);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(kept)), std::istreambuf_iterator<char>()), "kept\n");
  ::umask(umask_before);
}

namespace {

// A group this process may give its files, other than its own where it can
// (root gives any; a user, one of their supplementary groups).
gid_t a_group_to_share_with() {
  if (::geteuid() == 0)
    for (const char* name : {"daemon", "nogroup", "users"})
      if (const struct group* g = ::getgrnam(name)) return g->gr_gid;
  std::vector<gid_t> groups(static_cast<size_t>(std::max(::getgroups(0, nullptr), 0)));
  int count = ::getgroups(static_cast<int>(groups.size()), groups.data());
  for (int i = 0; i < count; ++i)
    if (groups[static_cast<size_t>(i)] != ::getegid()) return groups[static_cast<size_t>(i)];
  return ::getegid();
}

mode_t mode_of(const std::string& path, gid_t* group = nullptr) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  if (group) *group = st.st_gid;
  return st.st_mode & 07777;
}

}  // namespace

// Hand-off folders shared with a group (the printing service's, the paying
// body's): the folder setgid and readable by the group (its parents only
// passable), each file 0640 of the group, whatever the umask; a folder the
// group writes to (a drop folder's ack/) 2770; a folder of this user made
// private before is shared when a campaign asks; a group that does not
// exist is named in the refusal.
TEST(OutputFile, HandOffFoldersSharedWithAGroup) {
  const mode_t umask_before = ::umask(077);
  const gid_t gid = a_group_to_share_with();
  const struct group* g = ::getgrgid(gid);
  ASSERT_NE(g, nullptr);
  auto group = sharing_group(g->gr_name);
  ASSERT_TRUE(group) << group.error().message;
  EXPECT_EQ(static_cast<gid_t>(*group), gid);
  const Sharing printing{*group, false};

  const std::string root = testing::temp_dir() + "/handoff";
  const std::string letters = root + "/spool/letters";
  EXPECT_TRUE(write_file_durably(letters + "/A1.pdf", "%PDF", printing).ok());
  gid_t owner_group = 0;
  EXPECT_EQ(mode_of(letters + "/A1.pdf", &owner_group), 0640u);
  EXPECT_EQ(owner_group, gid);
  EXPECT_EQ(mode_of(letters, &owner_group), 02750u);
  EXPECT_EQ(owner_group, gid);
  EXPECT_EQ(mode_of(root + "/spool", &owner_group), 02710u);  // passable, not listed
  EXPECT_EQ(owner_group, gid);

  // A folder the group writes to too (a drop folder, its ack/).
  const std::string drop = root + "/cpam/ack";
  EXPECT_TRUE(create_handoff_folder(drop, {*group, true}).ok());
  EXPECT_EQ(mode_of(drop, &owner_group), 02770u);
  EXPECT_EQ(owner_group, gid);
  EXPECT_EQ(mode_of(root + "/cpam"), 02710u);

  // A folder this user made private before, then shared by a campaign.
  const std::string before = root + "/before";
  ASSERT_TRUE(write_file_durably(before + "/old.pdf", "%PDF").ok());
  EXPECT_EQ(mode_of(before) & 0777, 0700u);  // setgid inherited from the shared folder above, no access
  EXPECT_TRUE(write_file_durably(before + "/new.pdf", "%PDF", printing).ok());
  EXPECT_EQ(mode_of(before, &owner_group), 02750u);
  EXPECT_EQ(owner_group, gid);

  // A folder of this user open to others loses that: exactly 2750.
  const std::string open_before = root + "/open";
  fs::create_directory(open_before);
  ::chmod(open_before.c_str(), 0755);
  EXPECT_TRUE(create_handoff_folder(open_before, printing).ok());
  EXPECT_EQ(mode_of(open_before), 02750u);
  // A member of the group who put a link where ack/ goes (in a folder the
  // group writes to) does not get this user's folder shared: refused, the
  // target unchanged.
  const std::string mine = root + "/mine";
  ASSERT_TRUE(create_private_folder(mine).ok());
  fs::remove(drop);
  fs::create_directory_symlink(mine, drop);
  auto planted = create_handoff_folder(drop, {*group, true});
  EXPECT_NE(planted.error().message.find("not a folder (a link?), refused"), std::string::npos);
  EXPECT_EQ(planted.error().kind, ErrorKind::kRefused);
  EXPECT_EQ(mode_of(mine) & 0777, 0700u);

  // Not shared: private, as before.
  EXPECT_TRUE(create_handoff_folder(root + "/private", {}).ok());
  EXPECT_EQ(mode_of(root + "/private") & 0777, 0700u);

  auto unknown = sharing_group("no-such-group-proactif");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "group 'no-such-group-proactif' is not a group of this machine");
  ::umask(umask_before);
}

// Processes of several machines may write letters to one shared folder: a
// temporary file is abandoned when its process is gone from this machine, or,
// when another machine's, once it has not changed for an hour.
TEST(OutputFile, AnAbandonedTemporaryFileIsToldFromOneBeingWritten) {
  const std::string me = temporary_writer();
  const std::string host = me.substr(0, me.rfind('-'));
  EXPECT_EQ(me, host + "-" + std::to_string(::getpid()));
  EXPECT_FALSE(abandoned_writer(me, 7200));
  EXPECT_TRUE(abandoned_writer(host + "-999999999", 0));
  EXPECT_FALSE(abandoned_writer("another-machine-" + std::to_string(::getpid()), 60));
  EXPECT_FALSE(abandoned_writer("another-machine-999999999", 60));
  EXPECT_TRUE(abandoned_writer("another-machine-12", 3601));
  EXPECT_TRUE(abandoned_writer("1234", 0));  // a name no writer gives
  EXPECT_TRUE(abandoned_writer(host + "-12x", 0));
}

TEST(YamlFile, RefusesAliasesDevicesAndHugeFiles) {
  std::string dir = testing::temp_dir();
  testing::write_file(dir + "/bomb.yaml",
                      "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n");
  try {
    load_yaml_file(dir + "/bomb.yaml");
    ADD_FAILURE() << "an alias was accepted";
  } catch (const YAML::Exception& e) {
    EXPECT_NE(e.msg.find("aliases"), std::string::npos) << e.msg;
    EXPECT_EQ(e.mark.line, 1);
  }
  EXPECT_THROW(load_yaml_file("/dev/zero"), YAML::Exception);
  EXPECT_THROW(load_yaml_file(dir), YAML::Exception);
  testing::write_file(dir + "/big.yaml", "a: " + std::string(5 << 20, 'x') + "\n");
  EXPECT_THROW(load_yaml_file(dir + "/big.yaml"), YAML::Exception);
  // A NUL byte sent yaml-cpp's event parser round in circles (found by the
  // campaign file fuzzer); two documents are not one configuration.
  testing::write_file(dir + "/nul.yaml", std::string("# x\x02\0 y\nchannels: [letter]\n", 27));
  EXPECT_THROW(load_yaml_file(dir + "/nul.yaml"), YAML::Exception);
  testing::write_file(dir + "/two.yaml", "a: 1\n---\nb: 2\n");
  EXPECT_THROW(load_yaml_file(dir + "/two.yaml"), YAML::Exception);
  // A key given twice in one mapping: yaml-cpp keeps both and its lookups
  // take the first, where a reviewer may read the second (a dated value, a
  // formula). The same key in two mappings is fine.
  testing::write_file(dir + "/twice.yaml",
                      "values:\n  2025-01-01: {value: 700}\n  '2025-01-01': {value: 800}\nother: {value: 1}\n");
  try {
    load_yaml_file(dir + "/twice.yaml");
    ADD_FAILURE() << "a key given twice was accepted";
  } catch (const YAML::Exception& e) {
    EXPECT_NE(e.msg.find("'2025-01-01' is given twice"), std::string::npos) << e.msg;
    EXPECT_EQ(e.mark.line, 2);
  }
  testing::write_file(dir + "/nested.yaml", "a: {value: 1, b: [{value: 2}, {value: 3}]}\nb: {value: 1}\nvalue: 4\n");
  EXPECT_NO_THROW(load_yaml_file(dir + "/nested.yaml"));
  testing::write_file(dir + "/fine.yaml", "a: [1, 2]\nb: text\n");
  EXPECT_EQ(load_yaml_file(dir + "/fine.yaml")["b"].as<std::string>(), "text");
}

TEST(FormulaLimits, DeepOrLongFormulasAreRefusedNotOverflowed) {
  LexError error;
  EXPECT_EQ(parse_formula(std::string(100, '(') + "1" + std::string(100, ')'), error), nullptr);
  EXPECT_NE(error.message.find("nested"), std::string::npos) << error.message;
  EXPECT_EQ(parse_formula(std::string(10000, '(') + "1" + std::string(10000, ')'), error), nullptr);
  std::string chain = "1";
  for (int i = 0; i < 20000; ++i) chain += " + 1";
  EXPECT_EQ(parse_formula(chain, error), nullptr);
  EXPECT_NE(error.message.find("tokens"), std::string::npos) << error.message;
  std::string deep = "1";
  for (int i = 0; i < 1500; ++i) deep += " + 1";
  EXPECT_EQ(parse_formula(deep, error), nullptr);
  EXPECT_NE(error.message.find("deep"), std::string::npos) << error.message;
  std::string nots;
  for (int i = 0; i < 100; ++i) nots += "not ";
  EXPECT_EQ(parse_formula(nots + "true", error), nullptr);
  EXPECT_NE(error.message.find("nested"), std::string::npos) << error.message;
  EXPECT_EQ(parse_formula(std::string(100, '-') + "1", error), nullptr);
  EXPECT_NE(error.message.find("nested"), std::string::npos) << error.message;
  // What law needs still parses, and compiles: a table of 900 cases written
  // as a chain of "else if" is checked, compiled and freed without running
  // out of stack (this test runs under AddressSanitizer, whose frames are larger).
  EXPECT_NE(parse_formula("if a > 0 then min(b, c * 12) else max(0, d - e)", error), nullptr);
  std::string table;
  for (int k = 1; k <= 900; ++k) table += "if k == " + std::to_string(k) + " then " + std::to_string(k) + " else ";
  auto c = testing::compile_text("id: table\ntitle: Table\nauthority: Test\nalgorithm_role: Test\ninputs:\n"
                                 "  k: {entity: household, type: number, unit: \"1\"}\n"
                                 "eligibility:\n  formula: (" + table + "0) > 10\n");
  EXPECT_EQ(c->error, "");
}

}  // namespace proactif
