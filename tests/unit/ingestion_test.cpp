// What ingestion says when it cannot read a population: every error, each
// with its own kind, so that a caller (a campaign) reports the right one.
#include <gtest/gtest.h>

#include <sstream>

#include "ingest/ingestion.hpp"
#include "test_support.hpp"

namespace proactif {

TEST(Ingestion, EachErrorKeepsItsKindAndPlace) {
  const std::string dir = testing::temp_dir();
  // A mapping with a key it does not know (the operator's file: configuration).
  testing::write_file(dir + "/wrong.yaml", "source: CAF\nextract: allocataires\nfile: caf.csv\ncolonnes: {}\n");
  // A mapping whose extract is not there (not found).
  testing::write_file(dir + "/absent.yaml",
                      "source: CROUS\nextract: boursiers\nfile: crous.jsonl\nextracted_on: \"2025-06-15\"\nformat: jsonl\n"
                      "encoding: utf-8\n"
                      "identifiers: {household: ine, person: ine}\ncolumns:\n  ine: {variable: ine, type: text}\n");
  IngestOptions options;
  options.rejects_dir = dir;
  options.review_path = dir + "/review.csv";
  std::ostringstream out, err;
  Ingestion ingestion = ingest_extracts({dir + "/wrong.yaml", dir + "/absent.yaml"}, options, out, err);
  EXPECT_EQ(ingestion.status, 2);
  EXPECT_FALSE(ingestion.snapshot);
  ASSERT_EQ(ingestion.errors.size(), 2u) << err.str();
  EXPECT_EQ(ingestion.errors[0].kind, ErrorKind::kConfiguration);
  EXPECT_EQ(ingestion.errors[0].where.file, dir + "/wrong.yaml");
  EXPECT_EQ(ingestion.errors[0].where.line, 4);
  EXPECT_EQ(ingestion.errors[1].kind, ErrorKind::kNotFound);
  EXPECT_NE(ingestion.errors[1].message.find("crous.jsonl: cannot open the extract"), std::string::npos)
      << ingestion.errors[1].message;
  // Both are also said on the error stream, as the command line shows them.
  EXPECT_NE(err.str().find(ingestion.errors[0].message), std::string::npos);
  EXPECT_NE(err.str().find(ingestion.errors[1].message), std::string::npos);
}

}  // namespace proactif
