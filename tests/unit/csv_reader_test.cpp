#include <gtest/gtest.h>

#include <cstdio>

#include "sources/csv_reader.hpp"
#include "sources/identifier_set.hpp"
#include "sources/source_mapping.hpp"
#include "test_support.hpp"

namespace proactif {

namespace {

struct Read {
  std::vector<CsvRecord> records;
  std::string error;
  Result<void> outcome;
};

Read read(const std::string& bytes, const std::string& encoding = "utf-8", char separator = ';', size_t block = 1 << 20,
          size_t max_quoted = CsvOptions{}.max_quoted_bytes) {
  std::string path = testing::temp_dir() + "/f.csv";
  testing::write_file(path, bytes);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  auto decoder = TextDecoder::open(encoding);
  Read r;
  CsvOptions options;
  options.separator = separator;
  options.block_bytes = block;
  options.max_quoted_bytes = max_quoted;
  auto result = read_csv(f, "f.csv", *decoder, options, [&](const CsvRecord& rec) { r.records.push_back(rec); });
  std::fclose(f);
  if (!result) {
    r.error = result.error().message;
    r.outcome = result.error();
  }
  return r;
}

}  // namespace

TEST(CsvReader, QuotesSeparatorsAndLineEnds) {
  auto r = read("a;b;c\r\n\"x;y\";\"say \"\"hi\"\"\";\r\n\"two\nlines\";2;3\n\nlast;row;\"\"");
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.records.size(), 4u);
  EXPECT_EQ(r.records[1].fields, (std::vector<std::string>{"x;y", "say \"hi\"", ""}));
  EXPECT_EQ(r.records[2].fields[0], "two\nlines");
  EXPECT_EQ(r.records[2].line, 3u);
  EXPECT_EQ(r.records[3].line, 6u);  // after the quoted line break and the empty line
  EXPECT_EQ(r.records[3].fields, (std::vector<std::string>{"last", "row", ""}));
}

TEST(CsvReader, EncodingsAndBom) {
  std::string latin1 = "nom\nLef\xE8vre\n";
  auto r = read(latin1, "latin1");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.records[1].fields[0], "Lef\xC3\xA8vre");
  r = read("\xEF\xBB\xBFnom\nNo\xC3\xA9\n");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.records[0].fields[0], "nom");  // the BOM is not part of the first column's name
  r = read("nom\n\x80uro\n", "windows-1252");
  EXPECT_EQ(r.records[1].fields[0], "\xE2\x82\xAC" "uro");
  r = read("nom\nok\n\x81\n", "windows-1252");  // a byte Windows-1252 leaves undefined
  EXPECT_NE(r.error.find("f.csv:3: byte 0x81 is not valid WINDOWS-1252"), std::string::npos) << r.error;
  r = read("nom\nok\nLef\xE8vre\n", "utf-8");
  EXPECT_NE(r.error.find("f.csv:3: byte 0xE8 is not valid UTF-8"), std::string::npos) << r.error;
  // The place is also given apart, for a tool to point at it.
  ASSERT_FALSE(r.outcome.ok());
  EXPECT_EQ(r.outcome.error().kind, ErrorKind::kInput);
  EXPECT_EQ(r.outcome.error().where.file, "f.csv");
  EXPECT_EQ(r.outcome.error().where.line, 3);
}

TEST(SourceMapping, AnErrorGivesItsFileLineAndColumn) {
  const std::string dir = testing::temp_dir();
  testing::write_file(dir + "/m.yaml", "source: CAF\nextract: allocataires\nfile: caf.csv\nunknown_key: 1\n");
  auto mapping = load_source_mapping(dir + "/m.yaml");
  ASSERT_FALSE(mapping.ok());
  const Error& e = mapping.error();
  EXPECT_EQ(e.kind, ErrorKind::kConfiguration);
  EXPECT_EQ(e.where.file, dir + "/m.yaml");
  EXPECT_EQ(e.where.line, 4);
  EXPECT_EQ(e.where.column, 1);
  EXPECT_EQ(e.message.rfind(dir + "/m.yaml:4:1: unknown key 'unknown_key'", 0), 0u) << e.message;
}

// The period a column's values describe, and while they are the latest: a
// month's until the next month's end, a year's incomes until the end of the
// year after next (the tax office's notices come in the summer after).
TEST(SourceMapping, APeriodDescribedAndWhileItsValuesAreTheLatest) {
  auto day = [](const char* iso) { return *parse_iso_date(iso); };
  auto may = described_period("2025-05");
  ASSERT_TRUE(may);
  EXPECT_EQ(may->first, day("2025-05-01"));
  EXPECT_EQ(may->latest_until, day("2025-06-30"));
  auto december = described_period("2025-12");
  ASSERT_TRUE(december);
  EXPECT_EQ(december->first, day("2025-12-01"));
  EXPECT_EQ(december->latest_until, day("2026-01-31"));
  auto year = described_period("2024");
  ASSERT_TRUE(year);
  EXPECT_EQ(year->first, day("2024-01-01"));
  EXPECT_EQ(year->latest_until, day("2026-12-31"));
  for (const char* not_a_period : {"", "mai 2025", "2025-13", "2025-00", "2025-5", "25", "2025-05-01", "1850"})
    EXPECT_FALSE(described_period(not_a_period)) << not_a_period;
}

TEST(CsvReader, ACharacterCutBetweenBlocksIsKept) {
  std::string text = "nom\n";
  for (int i = 0; i < 50; ++i) text += "H\xC3\xA9l\xC3\xA8ne\n";
  for (size_t block : {1, 2, 3, 7, 64}) {
    auto r = read(text, "utf-8", ';', block);
    ASSERT_EQ(r.error, "") << block;
    ASSERT_EQ(r.records.size(), 51u);
    EXPECT_EQ(r.records[50].fields[0], "H\xC3\xA9l\xC3\xA8ne");
    EXPECT_EQ(r.records[50].line, 51u);
  }
}

TEST(CsvReader, AQuoteNeverClosedCostsItsRowOnly) {
  auto r = read("a;b\nx;y\n1;\"never closed\n2;3\n4;5\n");
  ASSERT_EQ(r.error, "");
  // The row where the quote opened is set aside; the rows after it are read
  // again as rows of their own, not swallowed into the open field.
  ASSERT_EQ(r.records.size(), 5u);
  EXPECT_FALSE(r.records[1].truncated);
  EXPECT_TRUE(r.records[2].truncated);
  EXPECT_EQ(r.records[2].line, 3u);
  EXPECT_FALSE(r.records[3].truncated);
  EXPECT_EQ(r.records[3].fields, (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(r.records[3].line, 4u);
  EXPECT_EQ(r.records[4].fields, (std::vector<std::string>{"4", "5"}));
  EXPECT_EQ(r.records[4].line, 5u);
}

// The same, read in blocks of 4 bytes: the text kept to read again spans
// blocks, and the rows after the quote keep their line numbers.
TEST(CsvReader, AQuoteNeverClosedIsReadAgainAcrossBlocks) {
  auto r = read("a;b\n1;\"open\n2;3\n4;5\n", "utf-8", ';', 4);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.records.size(), 4u);
  EXPECT_TRUE(r.records[1].truncated);
  EXPECT_EQ(r.records[1].line, 2u);
  EXPECT_EQ(r.records[2].fields, (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(r.records[2].line, 3u);
  EXPECT_FALSE(r.records[3].truncated);
  EXPECT_EQ(r.records[3].fields, (std::vector<std::string>{"4", "5"}));
  EXPECT_EQ(r.records[3].line, 4u);
}

// A stray quote that a later quoted field would close: the row it opened on
// is set aside, and the rows after it keep their own fields and lines,
// rather than one record swallowing them.
TEST(CsvReader, AStrayQuoteDoesNotSwallowTheRowsUpToTheNextQuotedField) {
  auto r = read("a;b\n1;\"open\n2;3\n\"x\";5\n6;7\n");
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.records.size(), 5u);
  EXPECT_TRUE(r.records[1].truncated);
  EXPECT_EQ(r.records[1].line, 2u);
  EXPECT_EQ(r.records[2].fields, (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(r.records[3].fields, (std::vector<std::string>{"x", "5"}));
  EXPECT_EQ(r.records[3].line, 4u);
  EXPECT_EQ(r.records[4].fields, (std::vector<std::string>{"6", "7"}));
  // A quoted field spanning lines and closed properly is one field.
  auto ok = read("a;b\n\"two\nlines\";1\n2;3\n");
  ASSERT_EQ(ok.records.size(), 3u);
  EXPECT_EQ(ok.records[1].fields[0], "two\nlines");
}

// A stray quote in a large file that no later quote closes: past the limit
// the field is taken for a stray quote, its row set aside and the rows after
// it read again, without holding the rest of the file; a field spanning
// lines within the limit is still one field. In small and large blocks.
TEST(CsvReader, AQuotedFieldPastTheLimitIsAStrayQuote) {
  std::string text = "k;v\n";
  for (int i = 2; i <= 2001; ++i) {
    if (i == 2 || i == 1000) text += std::to_string(i) + ";\"open\n";
    else if (i == 1500) text += std::to_string(i) + ";\"two\nlines\"\n";
    else text += std::to_string(i) + ";row " + std::to_string(i) + "\n";
  }
  for (size_t block : {size_t{7}, size_t{64}, size_t{1} << 20}) {
    auto r = read(text, "utf-8", ';', block, 200);
    ASSERT_EQ(r.error, "") << block;
    ASSERT_EQ(r.records.size(), 2001u) << block;
    size_t line = 2;
    for (size_t k = 1; k < r.records.size(); ++k) {
      const CsvRecord& rec = r.records[k];
      EXPECT_EQ(rec.line, line) << block;
      EXPECT_EQ(rec.truncated, line == 2 || line == 1000) << line << " " << block;
      if (!rec.truncated) {
        ASSERT_EQ(rec.fields.size(), 2u) << line;
        EXPECT_EQ(rec.fields[0], std::to_string(k + 1)) << line;
        EXPECT_EQ(rec.fields[1], k + 1 == 1500 ? "two\nlines" : "row " + std::to_string(k + 1)) << line;
      }
      line += k + 1 == 1500 ? 2 : 1;
    }
  }
}

// A quoted field past the limit within its own line: the row is set aside,
// the rest of that line skipped (not read as a row, nor its closing quote as
// an opening one), the rows after it read with their own line numbers.
TEST(CsvReader, AQuotedFieldPastTheLimitOnOneLine) {
  const std::string long_field(500, 'x');
  const std::string text = "k;v\n1;\"" + long_field + "\";tail\n2;ok\n3;\"" + long_field + "\n4;ok\n";
  for (size_t block : {size_t{7}, size_t{64}, size_t{1} << 20}) {
    auto r = read(text, "utf-8", ';', block, 200);
    ASSERT_EQ(r.error, "") << block;
    ASSERT_EQ(r.records.size(), 5u) << block;
    EXPECT_TRUE(r.records[1].truncated);
    EXPECT_EQ(r.records[1].line, 2u);
    EXPECT_EQ(r.records[2].fields, (std::vector<std::string>{"2", "ok"})) << block;
    EXPECT_EQ(r.records[2].line, 3u);
    EXPECT_TRUE(r.records[3].truncated);
    EXPECT_EQ(r.records[3].line, 4u);
    EXPECT_EQ(r.records[4].fields, (std::vector<std::string>{"4", "ok"})) << block;
    EXPECT_EQ(r.records[4].line, 5u);
  }
}

// Lines ended by CR alone would be one long line: the file is refused with
// its reason, not read as zero rows.
TEST(CsvReader, RefusesLinesEndedByCarriageReturnAlone) {
  auto r = read("a;b\r1;2\r3;4\r");
  EXPECT_NE(r.error.find("carriage return alone"), std::string::npos) << r.error;
  EXPECT_TRUE(read("a;b\r\n1;2\r\n").error.empty());
}

// Three million identifiers make the table grow thirteen times; each is still
// found with the line it was first seen at, and only a repeat is refused.
TEST(IdentifierSet, FindsEveryRepeatAcrossGrowths) {
  IdentifierSet seen;
  auto id = [](size_t i) { return "C" + std::to_string(100000000 + i); };
  const size_t n = 3'000'000;
  for (size_t i = 0; i < n; ++i) {
    std::string s = id(i);
    ASSERT_EQ(seen.insert(s, seen.prefetch(s), i + 2), 0u) << s;
  }
  for (size_t i = 0; i < n; i += 9973) {
    std::string s = id(i);
    EXPECT_EQ(seen.insert(s, seen.prefetch(s), n + 10), i + 2) << s;
  }
  std::string fresh = id(n);
  EXPECT_EQ(seen.insert(fresh, seen.prefetch(fresh), 7), 0u);
}

// A last record that no line end follows may be cut within its last field;
// one whose last field a closing quote ended is whole.
TEST(CsvReader, SaysWhichLastRecordNoLineEndFollows) {
  for (const auto& [bytes, unterminated] :
       {std::pair{std::string("a;b\n1;72"), true}, std::pair{std::string("a;b\n1;\"72\""), false},
        std::pair{std::string("a;b\n1;72\n"), false}, std::pair{std::string("a;b\r\n1;72\r\n"), false}}) {
    Read r = read(bytes);
    ASSERT_EQ(r.error, "") << bytes;
    ASSERT_EQ(r.records.size(), 2u) << bytes;
    EXPECT_FALSE(r.records[0].unterminated) << bytes;
    EXPECT_EQ(r.records[1].unterminated, unterminated) << bytes;
    EXPECT_EQ(r.records[1].fields[1], "72") << bytes;
  }
}

}  // namespace proactif
