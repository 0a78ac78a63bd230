// A population snapshot saved and loaded gives back what was built: the
// households, persons, columns with their provenance, the extracts read, the
// persons under review and the households whose data are incomplete, with
// why; a damaged file is refused with its name, never half read.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "eval/snapshot_batch.hpp"
#include "population/snapshot.hpp"
#include "test_support.hpp"

namespace proactif {

namespace {

Snapshot small_population() {
  Snapshot s;
  s.sources = {{"CAF", "allocataires", "2025-06-15", "caf.csv", 4, 3, 1}, {"DRM", "ressources", "2025-06-14", "drm.csv", 2, 2, 0}};
  s.household_ids = {s.strings.intern("CAF:A1"), s.strings.intern("alone:DRM:D7")};
  s.person_offsets = {0, 2, 3};
  s.person_ids = {s.strings.intern("CAF:P1"), s.strings.intern("CAF:P2"), s.strings.intern("DRM:D7")};
  s.under_review = {0, 1, 0};
  s.incomplete_households = {0, 1, 1};
  s.incomplete_reasons = {s.strings.intern("persons.CAF:P9: rejected at caf.csv line 4: the NIR key does not match"),
                          s.strings.intern("persons.DRM:D7: no extract tells who lives with this person"),
                          s.strings.intern("persons.DRM:D7: resembles CAF:P2")};
  SnapshotColumn resources{"resources_3m", true, false, {1200.5, std::nan(""), 0}, {}, {1, 255, 1}, {2, 0, 3}};
  SnapshotColumn housing{"housing", false, true, {}, {s.strings.intern("tenant"), UINT32_MAX}, {0, 255}, {2, 0}};
  s.columns = {resources, housing};
  return s;
}

}  // namespace

TEST(Snapshot, SavedAndLoadedAsBuilt) {
  const Snapshot built = small_population();
  const std::string path = testing::temp_dir() + "/population.bin";
  ASSERT_TRUE(built.save(path).ok());
  auto loaded = Snapshot::load(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  const Snapshot& s = *loaded;
  ASSERT_EQ(s.sources.size(), 2u);
  EXPECT_EQ(s.sources[1].source, "DRM");
  EXPECT_EQ(s.sources[1].extracted_on, "2025-06-14");
  EXPECT_EQ(s.sources[0].rows_rejected, 1u);
  ASSERT_EQ(s.households(), 2u);
  EXPECT_EQ(s.strings.at(s.household_ids[1]), "alone:DRM:D7");
  EXPECT_EQ(s.person_offsets, built.person_offsets);
  EXPECT_EQ(s.strings.at(s.person_ids[2]), "DRM:D7");
  EXPECT_EQ(s.under_review, built.under_review);
  ASSERT_EQ(s.incomplete_households, built.incomplete_households);
  for (size_t i = 0; i < s.incomplete_reasons.size(); ++i)
    EXPECT_EQ(s.strings.at(s.incomplete_reasons[i]), built.strings.at(built.incomplete_reasons[i]));
  const SnapshotColumn* resources = s.column("resources_3m", true);
  ASSERT_NE(resources, nullptr);
  EXPECT_EQ(resources->number[0], 1200.5);
  EXPECT_TRUE(std::isnan(resources->number[1]));
  EXPECT_EQ(resources->source, built.columns[0].source);
  EXPECT_EQ(resources->line, built.columns[0].line);
  const SnapshotColumn* housing = s.column("housing", false);
  ASSERT_NE(housing, nullptr);
  EXPECT_EQ(s.strings.at(housing->string[0]), "tenant");
  EXPECT_EQ(housing->string[1], UINT32_MAX);
  EXPECT_EQ(s.column("housing", true), nullptr);
}

// A household datum for the members who form a foyer of their own is kept
// apart from the columns (a program's person input of that name does not
// read it); a file of the version before, which had none, is still read.
TEST(Snapshot, TheOwnFoyerColumnsAreKeptApartAndTheVersionBeforeIsRead) {
  Snapshot built = small_population();
  const std::string path = testing::temp_dir() + "/population.bin";
  ASSERT_TRUE(built.save(path).ok());
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(std::string("PROACTIF-SNAPSHOT-").size());
    f.put('5');
  }
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 8);  // the empty own-foyer section
  auto before = Snapshot::load(path);
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(before->columns.size(), 2u);
  EXPECT_TRUE(before->own_foyer_columns.empty());

  built.own_foyer_columns.push_back({"rsa", true, false, {0, std::nan(""), 0}, {}, {0, 255, 0}, {2, 0, 5}});
  ASSERT_TRUE(built.save(path).ok());
  auto loaded = Snapshot::load(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->column("rsa", true), nullptr);
  const SnapshotColumn* rsa = loaded->own_foyer_column("rsa");
  ASSERT_NE(rsa, nullptr);
  EXPECT_EQ(rsa->number[2], 0);
  EXPECT_TRUE(std::isnan(rsa->number[1]));
  EXPECT_EQ(rsa->line, built.own_foyer_columns[0].line);
  EXPECT_EQ(rsa->source, built.own_foyer_columns[0].source);

  // One stored per household, or as text, is refused: it is read per person.
  for (const SnapshotColumn& bad : {SnapshotColumn{"rsa", false, false, {0, 0}, {}, {0, 0}, {2, 3}},
                                    SnapshotColumn{"rsa", true, true, {}, {1, 1, 1}, {0, 0, 0}, {2, 3, 4}}}) {
    built.own_foyer_columns = {bad};
    ASSERT_TRUE(built.save(path).ok());
    auto refused = Snapshot::load(path);
    ASSERT_FALSE(refused) << "an own-foyer column per " << (bad.per_person ? "person, as text" : "household") << " was read";
    EXPECT_NE(refused.error().message.find("damaged (column rsa)"), std::string::npos) << refused.error().message;
  }
}

TEST(Snapshot, ADamagedFileIsRefusedWithItsName) {
  const std::string path = testing::temp_dir() + "/population.bin";
  ASSERT_TRUE(small_population().save(path).ok());
  const auto size = std::filesystem::file_size(path);
  for (auto keep : {size - 1, size / 2, uintmax_t{12}}) {
    std::filesystem::resize_file(path, keep);
    auto loaded = Snapshot::load(path);
    ASSERT_FALSE(loaded) << "a snapshot cut to " << keep << " bytes was read";
    EXPECT_NE(loaded.error().message.find(path), std::string::npos) << loaded.error().message;
  }
  testing::write_file(path, "not a snapshot at all");
  EXPECT_FALSE(Snapshot::load(path));
}

// Read for programs, a snapshot's values outside their inputs' domains (a
// program bounding an input more narrowly than the extract's mapping did, or
// a changed file) are read as unknown and counted, the first named by its
// extract, line and field, as the situation and extract readers refuse them:
// a negative or astronomical income, a birth date after the evaluation date,
// a boolean neither true nor false.
TEST(Snapshot, ValuesOutsideTheirDomainAreReadAsUnknown) {
  auto c = testing::compile_text(R"(id: domains
title: Domains
authority: Test
algorithm_role: Test
inputs:
  resources_12m: {entity: person, type: number, unit: EUR/year}
  hours: {entity: person, type: number, unit: "1", maximum: 100}
  birth_date: {entity: person, type: date}
  dependant: {entity: person, type: boolean}
eligibility:
  formula: |
    sum(all_persons: resources_12m) < 1000 and count(all_persons where dependant) == 0
    and sum(all_persons: hours) < 35 and count(all_persons where age(birth_date, date) < 25 [year]) == 0
)");
  ASSERT_EQ(c->error, "");
  Snapshot s = small_population();
  const double nan = std::nan("");
  s.columns.push_back({"resources_12m", true, false, {1200.5, -50, 1e300}, {}, {0, 0, 1}, {2, 3, 7}});
  s.columns.push_back({"hours", true, false, {100, 100.5, nan}, {}, {0, 0, 1}, {2, 3, 7}});
  const Days on = *parse_iso_date("2025-06-15");
  s.columns.push_back({"birth_date", true, false, {double(on - 1), double(on + 1), nan}, {}, {0, 0, 1}, {2, 3, 7}});
  s.columns.push_back({"dependant", true, false, {1, 0.5, 0}, {}, {0, 0, 1}, {2, 3, 7}});
  Engine engine;
  engine.codes = c->codes;
  engine.schema = c->schema;
  SnapshotReading reading;
  Batch b = batch_of_snapshot(s, engine, on, reading);
  auto column = [&](const char* name) -> const std::vector<double>& {
    for (size_t i = 0; i < engine.schema.slots.size(); ++i)
      if (engine.schema.slots[i].name == name) return b.inputs[i].value;
    throw std::runtime_error(name);
  };
  EXPECT_EQ(column("resources_12m")[0], 1200.5);
  EXPECT_TRUE(std::isnan(column("resources_12m")[1]));
  EXPECT_TRUE(std::isnan(column("resources_12m")[2]));
  EXPECT_EQ(column("hours")[0], 100);
  EXPECT_TRUE(std::isnan(column("hours")[1]));
  EXPECT_EQ(column("birth_date")[0], double(on - 1));
  EXPECT_TRUE(std::isnan(column("birth_date")[1]));
  EXPECT_EQ(column("dependant")[0], 1);
  EXPECT_TRUE(std::isnan(column("dependant")[1]));
  EXPECT_EQ(column("dependant")[2], 0);
  EXPECT_EQ(reading.out_of_domain, 5u);
  EXPECT_EQ(reading.first_out_of_domain, "caf.csv line 3, resources_12m: below the minimum 0");
  EXPECT_NE(reading.summary().find("5 values were outside their domain, read as unknown"), std::string::npos)
      << reading.summary();
}

}  // namespace proactif
