// What ingestion says when it cannot read a population: every error, each
// with its own kind, so that a caller (a campaign) reports the right one;
// and what an extract says of a household datum for a member it lists who
// forms a foyer of their own.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>

#include "core/data_paths.hpp"
#include "eval/citizen_values.hpp"
#include "eval/engine.hpp"
#include "eval/own_foyers.hpp"
#include "eval/snapshot_batch.hpp"
#include "ingest/ingestion.hpp"
#include "sources/source_mapping.hpp"
#include "test_support.hpp"

namespace proactif {

// The extracts of `mappings` ingested into a snapshot, their rejects and
// review list in `dir`.
Ingestion ingest_with_snapshot(const std::string& dir, const std::vector<std::string>& mappings, std::ostream& out,
                               std::ostream& err) {
  IngestOptions options;
  options.territory_dir = territory_dir();
  options.rejects_dir = dir;
  options.review_path = dir + "/review.csv";
  options.build_snapshot = true;
  return ingest_extracts(mappings, options, out, err);
}

// Why each household is incomplete, by its identifier ("CAF:A1").
std::map<std::string, std::vector<std::string>> incomplete_reasons(const Snapshot& snap) {
  std::map<std::string, std::vector<std::string>> reasons;
  for (size_t i = 0; i < snap.incomplete_households.size(); ++i)
    reasons[std::string(snap.strings.at(snap.household_ids[snap.incomplete_households[i]]))].push_back(
        std::string(snap.strings.at(snap.incomplete_reasons[i])));
  return reasons;
}

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

// A son of 35 listed in his mother's CAF dossier forms a C2S foyer of his
// own (CSS R861-2). The CAF pays the RSA to the allocataire's dossier: listed
// in it, he receives none of his own, as the mapping says (own_foyer_means),
// from his own row. Where the dossier's RSA is not given, or the mapping
// says nothing, his stays unknown.
TEST(Ingestion, AMemberListedInADossierHasTheHouseholdsDatumTheMappingSaysForThem) {
  const std::string dir = testing::temp_dir();
  testing::write_file(dir + "/caf.csv",
                      "NUMALLOC;NUMPERS;NOM;PRENOMS;DTNAIS;QUALITE;DEPCOM;RSA;MTAL\n"
                      "A1;P1;MARTIN;Anne;1960-03-01;DEM;38185;N;120\n"
                      "A1;P2;MARTIN;Paul;1990-04-01;AUT;38185;N;120\n"
                      "A2;P3;DURAND;Marie;1958-05-01;DEM;38185;;\n"
                      "A2;P4;DURAND;Luc;1988-06-01;AUT;38185;;\n");
  const std::string mapping =
      "source: CAF\nextract: allocataires\nfile: caf.csv\nextracted_on: \"2025-05-31\"\nformat: csv\nencoding: utf-8\n"
      "separator: \";\"\ndate_format: yyyy-mm-dd\nidentifiers: {household: NUMALLOC, person: NUMPERS}\ncolumns:\n"
      "  NOM: {variable: birth_name, type: text, required: true}\n"
      "  PRENOMS: {variable: first_names, type: text}\n"
      "  DTNAIS: {variable: birth_date, type: date, required: true}\n"
      "  QUALITE: {variable: role, type: code, values: [DEM, AUT], recode: {DEM: applicant, AUT: other}}\n"
      "  DEPCOM: {entity: household, variable: commune, type: commune}\n"
      "  RSA: {entity: household, variable: rsa, type: boolean, \"true\": [O], \"false\": [N]OWN_RSA}\n"
      "  MTAL: {entity: household, variable: housing_benefit_monthly, type: number, unit: EUR/month, min: 0}\n";
  auto ingest = [&](const std::string& own_rsa) {
    std::string text = mapping;
    text.replace(text.find("OWN_RSA"), 7, own_rsa);
    testing::write_file(dir + "/caf.yaml", text);
    std::ostringstream out, err;
    Ingestion ingestion = ingest_with_snapshot(dir, {dir + "/caf.yaml"}, out, err);
    EXPECT_EQ(ingestion.status, 0) << err.str();
    return ingestion.snapshot ? std::move(*ingestion.snapshot) : Snapshot{};
  };
  Snapshot snapshot = ingest(", own_foyer_means: \"false\"");
  // Kept as the snapshot is saved and loaded.
  ASSERT_TRUE(snapshot.save(dir + "/population.bin").ok());
  auto loaded = Snapshot::load(dir + "/population.bin");
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_NE(loaded->own_foyer_column("rsa"), nullptr);
  EXPECT_EQ(loaded->own_foyer_column("housing_benefit_monthly"), nullptr);

  auto engine = load_engine({"c2s"});
  ASSERT_TRUE(engine) << engine.error().message;
  const Engine& e = **engine;
  auto bound = bind(*e.plans[0], *parse_iso_date("2025-06-15"), e.codes);
  ASSERT_TRUE(bound) << bound.error().message;
  auto own_foyers = [&](const Snapshot& s) {
    SnapshotReading reading;
    Batch batch = batch_of_snapshot(s, e, *parse_iso_date("2025-06-15"), reading);
    PopulationOutcome p = evaluate_population(*bound, e.schema, batch, e.codes, EvalOptions{});
    std::map<std::string, std::pair<double, ValueOrigin>> rsa;  // person -> their own foyer's RSA
    for (size_t slot = 0; slot < e.schema.slots.size(); ++slot)
      if (e.schema.slots[slot].name == "rsa")
        for (size_t h = 0; h < p.own.batch.households(); ++h)
          rsa[p.own.batch.household_ids[h]] = {p.own.batch.inputs[slot].value[h], p.own.batch.origins[slot][h]};
    return rsa;
  };
  auto said = own_foyers(*loaded);
  ASSERT_EQ(said.size(), 2u);
  const auto& paul = said["CAF:P2"];
  EXPECT_EQ(paul.first, 0);
  EXPECT_EQ(paul.second.line, 3u);  // his own row, which holds the dossier's RSA
  EXPECT_TRUE(paul.second.own_foyer);  // explained as the value for his own foyer, not the row's
  // The explanation says so, to an agent and to the person.
  const std::string agent = std::string("CAF, extrait « allocataires » du 2025-05-31 (caf.csv), ligne 3") + kOwnFoyerValue;
  EXPECT_EQ(citizen::readable_source(agent), "CAF, fichier des allocataires du 31/05/2025 (votre inscription dans le dossier d'une "
                                    "autre personne : valeur retenue pour votre propre foyer)");
  EXPECT_TRUE(std::isnan(said["CAF:P4"].first));  // the dossier's RSA not given
  // Without own_foyer_means, unknown for both.
  auto unsaid = own_foyers(ingest(""));
  ASSERT_EQ(unsaid.size(), 2u);
  EXPECT_TRUE(std::isnan(unsaid["CAF:P2"].first));
  EXPECT_TRUE(std::isnan(unsaid["CAF:P4"].first));
}

// A CAF extract of households and their commune, for the tests below.
constexpr const char* kCafWithCommune =
    "source: CAF\nextract: allocataires\nfile: caf.csv\nextracted_on: \"2025-05-31\"\nformat: csv\n"
    "encoding: utf-8\nseparator: \";\"\ndate_format: yyyy-mm-dd\n"
    "identifiers: {household: NUMALLOC, person: NUMPERS}\ncolumns:\n"
    "  NIR: {variable: nir, type: nir}\n"
    "  NOM: {variable: birth_name, type: text, required: true}\n"
    "  DTNAIS: {variable: birth_date, type: date, required: true}\n"
    "  QUALITE: {variable: role, type: code, values: [DEM, AUT], recode: {DEM: applicant, AUT: other}}\n"
    "  DEPCOM: {entity: household, variable: commune, type: commune}\n";

// A CPAM extract's mapping: its NIR, name and birth date, and `column`.
std::string cpam_mapping(const std::string& column) {
  return "source: CPAM\nextract: assurés\nfile: cpam.csv\nextracted_on: \"2025-05-31\"\nformat: csv\n"
         "encoding: utf-8\nseparator: \";\"\ndate_format: yyyy-mm-dd\n"
         "identifiers: {household: ID, person: ID}\ncolumns:\n"
         "  NIR: {variable: nir, type: nir, required: true}\n"
         "  NOM: {variable: birth_name, type: text, required: true}\n"
         "  DATE_NAISSANCE: {variable: birth_date, type: date, required: true}\n" +
         column;
}

// The CPAM gives a commune of its own for each person it knows. Where it
// gives the household's members another commune than the CAF and none of
// them the CAF's, the household may live in either (the CAF's may be a
// former address): both are kept. A member whose CPAM row gives the CAF's
// commune confirms it. Which extracts list each household, and which map
// each column, are kept too (what a campaign may find for it).
TEST(Ingestion, AnotherExtractsCommuneIsKeptWhereNoMemberConfirmsTheFirst) {
  const std::string dir = testing::temp_dir();
  testing::write_file(dir + "/caf.csv",
                      "NUMALLOC;NUMPERS;NIR;NOM;DTNAIS;QUALITE;DEPCOM\n"
                      "A1;P1;160033818500184;MARTIN;1960-03-01;DEM;38185\n"
                      "A1;P2;290043818500234;MARTIN;1990-04-01;AUT;38185\n"
                      "A2;P3;158053818500318;DURAND;1958-05-01;DEM;38185\n");
  testing::write_file(dir + "/caf.yaml", kCafWithCommune);
  // The son's CPAM row gives another commune, his mother's the CAF's; the
  // man alone is at another commune for the CPAM.
  testing::write_file(dir + "/cpam.csv",
                      "ID;NIR;NOM;DATE_NAISSANCE;CODE_COMMUNE\n"
                      "C1;160033818500184;MARTIN;1960-03-01;38185\n"
                      "C2;290043818500234;MARTIN;1990-04-01;38544\n"
                      "C3;158053818500318;DURAND;1958-05-01;38544\n");
  testing::write_file(dir + "/cpam.yaml",
                      cpam_mapping("  CODE_COMMUNE: {entity: household, variable: commune, type: commune}\n"));
  std::ostringstream out, err;
  Ingestion ingestion = ingest_with_snapshot(dir, {dir + "/caf.yaml", dir + "/cpam.yaml"}, out, err);
  ASSERT_EQ(ingestion.status, 0) << err.str();
  ASSERT_TRUE(ingestion.snapshot);
  const Snapshot& snap = *ingestion.snapshot;
  ASSERT_EQ(snap.households(), 2u) << out.str();
  size_t martin = 0, durand = 1;
  if (snap.strings.at(snap.household_ids[0]) != "CAF:A1") std::swap(martin, durand);
  ASSERT_EQ(snap.strings.at(snap.household_ids[martin]), "CAF:A1");
  EXPECT_FALSE(snap.communes_elsewhere.count(static_cast<uint32_t>(martin)));
  auto elsewhere = snap.communes_elsewhere.find(static_cast<uint32_t>(durand));
  ASSERT_NE(elsewhere, snap.communes_elsewhere.end());
  ASSERT_EQ(elsewhere->second.size(), 1u);
  EXPECT_EQ(elsewhere->second[0].first, "38544");
  EXPECT_EQ(elsewhere->second[0].second, "cpam.csv line 4");
  // The CAF (extract 0) and the CPAM (1) list both; the role is the CAF's.
  ASSERT_EQ(snap.household_sources.size(), 2u);
  EXPECT_EQ(snap.household_sources[durand], Snapshot::source_bit(0) | Snapshot::source_bit(1));
  ASSERT_NE(snap.column("role", true), nullptr);
  EXPECT_EQ(snap.column("role", true)->given_by, Snapshot::source_bit(0));
  EXPECT_EQ(snap.column("commune", false)->given_by, Snapshot::source_bit(0) | Snapshot::source_bit(1));
}

// Members' rows of one extract that give two communes: the commune is
// unknown, and each commune given is kept as one the household may live
// in, so that a campaign tells no possible right where it would be
// eligible in none (one to Brest's fare was told to a household whose rows
// gave two communes of the Isère).
TEST(Ingestion, TwoCommunesOfOneExtractAreEachKept) {
  const std::string dir = testing::temp_dir();
  testing::write_file(dir + "/caf.csv",
                      "NUMALLOC;NUMPERS;NIR;NOM;DTNAIS;QUALITE;DEPCOM\n"
                      "A1;P1;160033818500184;MARTIN;1960-03-01;DEM;38185\n"
                      "A1;P2;290043818500234;MARTIN;1990-04-01;AUT;38151\n");
  testing::write_file(dir + "/caf.yaml", kCafWithCommune);
  std::ostringstream out, err;
  Ingestion ingestion = ingest_with_snapshot(dir, {dir + "/caf.yaml"}, out, err);
  ASSERT_EQ(ingestion.status, 0) << err.str();
  ASSERT_TRUE(ingestion.snapshot);
  const Snapshot& snap = *ingestion.snapshot;
  ASSERT_EQ(snap.households(), 1u) << out.str();
  EXPECT_EQ(snap.column("commune", false)->string[0], UINT32_MAX);
  auto given = snap.communes_elsewhere.find(0);
  ASSERT_NE(given, snap.communes_elsewhere.end());
  EXPECT_EQ(given->second, (std::vector<std::pair<std::string, std::string>>{{"38185", "caf.csv line 2"},
                                                                             {"38151", "caf.csv line 3"}}));
}

// A dependant the CPAM covers through an insured member (insured_nir, the
// "ouvrant droit") whom no household extract lists, a newborn the CAF does
// not know yet: the member's household may be without them, and nothing is
// decided on it (its RSA was told at 152.27 € where the truth, counting the
// child, gives 539.28 €). A child the CAF lists in another household (the
// other parent's) is theirs: neither household is in doubt.
TEST(Ingestion, ADependantNoHouseholdListsLeavesTheInsuredsHouseholdIncomplete) {
  const std::string dir = testing::temp_dir();
  testing::write_file(dir + "/caf.csv",
                      "NUMALLOC;NUMPERS;NIR;NOM;DTNAIS;QUALITE;DEPCOM\n"
                      "A1;P1;292013818500876;MARTIN;1992-01-01;DEM;38185\n"
                      "A2;P2;173053818500656;DURAND;1973-05-01;DEM;38185\n"
                      "A2;P3;215063818500750;DURAND;2015-06-01;AUT;38185\n");
  testing::write_file(dir + "/caf.yaml", kCafWithCommune);
  // The newborn twice (a duplicate of the CPAM's), covered through her
  // mother; the Durand boy covered through the same mother, his own.
  testing::write_file(dir + "/cpam.csv",
                      "ID;NIR;NOM;DATE_NAISSANCE;NIR_OD\n"
                      "C1;292013818500876;MARTIN;1992-01-01;\n"
                      "C2;225033818500596;MARTIN;2025-03-01;292013818500876\n"
                      "C3;225033818500596;MARTIN;2025-03-01;292013818500876\n"
                      "C4;173053818500656;DURAND;1973-05-01;\n"
                      "C5;215063818500750;DURAND;2015-06-01;292013818500876\n");
  testing::write_file(dir + "/cpam.yaml",
                      cpam_mapping("  NIR_OD: {variable: insured_nir, type: nir}\n"));
  std::ostringstream out, err;
  Ingestion ingestion = ingest_with_snapshot(dir, {dir + "/caf.yaml", dir + "/cpam.yaml"}, out, err);
  ASSERT_EQ(ingestion.status, 0) << err.str();
  ASSERT_TRUE(ingestion.snapshot);
  const Snapshot& snap = *ingestion.snapshot;
  std::map<std::string, std::vector<std::string>> reasons = incomplete_reasons(snap);
  ASSERT_EQ(reasons["CAF:A1"].size(), 1u) << out.str();
  EXPECT_EQ(reasons["CAF:A1"][0], "persons.CAF:P1: the CPAM covers a dependant through this person (CPAM:C2, "
                                  "insured_nir) whom no household extract lists: the household may be without them");
  EXPECT_FALSE(reasons.count("CAF:A2"));
  EXPECT_NE(out.str().find("1 persons cover through their insurance a dependant whom no household extract lists"),
            std::string::npos)
      << out.str();
  // The insured's NIR is read for linkage only: no column of the population.
  EXPECT_EQ(snap.column("insured_nir", true), nullptr);
}

// A dependant's row set aside (its own NIR's key wrong), a newborn whom
// nobody resembles: the insured it names, given without its key as CPAM
// files often do, is in doubt all the same. An insured NIR whose key is
// wrong names the insured of its 13 characters, and sets no row aside (a
// twin's row was, and the household decided without her). One that names
// nobody any household lists is counted.
TEST(Ingestion, ADependantsRowSetAsideLeavesTheInsuredsHouseholdIncomplete) {
  const std::string dir = testing::temp_dir();
  testing::write_file(dir + "/caf.csv",
                      "NUMALLOC;NUMPERS;NIR;NOM;DTNAIS;QUALITE;DEPCOM\n"
                      "A1;P1;292013818500876;MARTIN;1992-01-01;DEM;38185\n");
  testing::write_file(dir + "/caf.yaml", kCafWithCommune);
  testing::write_file(dir + "/cpam.csv",
                      "ID;NIR;NOM;DATE_NAISSANCE;NIR_OD\n"
                      "C1;292013818500876;MARTIN;1992-01-01;\n"
                      "C2;225033818500597;MARTIN;2025-03-01;2920138185008\n"
                      "C3;225033818500794;MARTIN;2025-03-01;292013818500877\n"
                      "C4;224023818501126;ROUX;2024-02-01;165073818500989\n");
  testing::write_file(dir + "/cpam.yaml",
                      cpam_mapping("  NIR_OD: {variable: insured_nir, type: nir}\n"));
  std::ostringstream out, err;
  Ingestion ingestion = ingest_with_snapshot(dir, {dir + "/caf.yaml", dir + "/cpam.yaml"}, out, err);
  ASSERT_EQ(ingestion.status, 1) << err.str();  // a row set aside
  ASSERT_TRUE(ingestion.snapshot);
  const Snapshot& snap = *ingestion.snapshot;
  EXPECT_NE(out.str().find("4 rows read, 3 accepted, 1 rejected"), std::string::npos) << out.str();
  EXPECT_EQ(incomplete_reasons(snap)["CAF:A1"], (std::vector<std::string>{
                         "persons.CAF:P1: the CPAM covers a dependant through this person (CPAM:C3, insured_nir) whom no "
                         "household extract lists: the household may be without them",
                         "persons.CAF:P1: the row of a dependant covered through this person (insured_nir) was rejected "
                         "at cpam.csv line 3: the NIR key does not match (expected 96): the household may be without them"}))
      << out.str();
  EXPECT_NE(out.str().find("1 records of dependants whom no household extract lists name an insured whom none lists"),
            std::string::npos)
      << out.str();
}

// A row of a file that lists persons alone, set aside because it cannot be
// read as written: a separator missing (every field after it moved), a
// quote never closed in its last field, a JSON line broken. Whose row it is
// is still found from its fields, wherever the separator was: that
// person's household is incomplete, not decided as if the row, and the
// income it holds, did not exist (absent_means would read it as 0).
TEST(Ingestion, ARowThatCannotBeReadAsWrittenStillNamesWhoseItMayBe) {
  const std::string dir = testing::temp_dir();
  testing::write_file(dir + "/caf.csv",
                      "NUMALLOC;NUMPERS;NIR;NOM;DTNAIS;QUALITE;DEPCOM\n"
                      "A1;P1;292013818500876;MARTIN;1992-01-01;DEM;38185\n"
                      "A2;P2;173053818500656;DURAND;1973-05-01;DEM;38185\n"
                      "A3;P3;160033818500184;ROUX;1960-03-01;DEM;38185\n"
                      "A4;P4;158053818500318;BLANC;1958-05-01;DEM;38185\n"
                      "A5;P5;;ROUX;2015-07-01;DEM;38185\n"
                      "A6;P6;180063818500224;PETIT;1980-06-05;DEM;38185\n");
  testing::write_file(dir + "/caf.yaml", kCafWithCommune);
  const std::string tax_mapping =
      "source: DGFiP\nextract: revenus\nfile: dgfip.csv\nextracted_on: \"2025-05-31\"\nformat: csv\n"
      "encoding: utf-8\nseparator: \";\"\ndate_format: yyyy-mm-dd\n"
      "identifiers: {household: SPI, person: SPI}\ncolumns:\n"
      "  NOM: {variable: birth_name, type: text, required: true}\n"
      "  DATE_NAISSANCE: {variable: birth_date, type: date, required: true}\n"
      "  REVENUS_12M: {variable: resources_12m, type: number, unit: EUR/year, absent_means: \"0\"}\n"
      "  ADRESSE: {variable: address, type: text}\n";
  // Martin's name left out (her date read as a name, her income as a
  // date); Durand's address opens a quote it never closes; Roux's address
  // holds a separator. Read as if the separator stood before his name, the
  // row gives the name ROUX without its birth date: the young Roux, who has
  // no row, is not taken for it. Petit's name, birth date and income ran
  // together (two separators missing): no reading of its fields resembles
  // anyone, its text names her.
  testing::write_file(dir + "/dgfip.csv",
                      "SPI;NOM;DATE_NAISSANCE;REVENUS_12M;ADRESSE\n"
                      "S1;1992-01-01;29303;1 rue Haute\n"
                      "S2;DURAND;1973-05-01;31000;\"2 rue Basse\n"
                      "S3;ROUX;1960-03-01;12000;3 rue;Neuve\n"
                      "S6;PETIT1980-06-0540000;6 rue Haute\n");
  testing::write_file(dir + "/dgfip.yaml", tax_mapping);
  // Blanc's line lost its closing brace, her name written with an escape,
  // an object before it.
  testing::write_file(dir + "/crous.jsonl",
                      "{\"ine\": \"I4\", \"adresse\": {\"nom\": \"X\"}, \"nom\": \"BL\\u0041NC\", "
                      "\"date_naissance\": \"1958-05-01\", \"echelon\": \"4\"\n");
  testing::write_file(dir + "/crous.yaml",
                      "source: CROUS\nextract: boursiers\nfile: crous.jsonl\nextracted_on: \"2025-05-31\"\nformat: jsonl\n"
                      "encoding: utf-8\ndate_format: yyyy-mm-dd\nidentifiers: {household: ine, person: ine}\ncolumns:\n"
                      "  nom: {variable: birth_name, type: text, required: true}\n"
                      "  date_naissance: {variable: birth_date, type: date, required: true}\n"
                      "  echelon: {variable: scholarship_echelon, type: code, values: [\"4\"], absent_means: none}\n");
  std::ostringstream out, err;
  Ingestion ingestion =
      ingest_with_snapshot(dir, {dir + "/caf.yaml", dir + "/dgfip.yaml", dir + "/crous.yaml"}, out, err);
  ASSERT_EQ(ingestion.status, 1) << err.str();  // rows set aside
  ASSERT_TRUE(ingestion.snapshot);
  std::map<std::string, std::vector<std::string>> reasons = incomplete_reasons(*ingestion.snapshot);
  EXPECT_EQ(reasons["CAF:A1"], (std::vector<std::string>{
                                   "persons.CAF:P1: a row that may be theirs was rejected at dgfip.csv line 2: 4 fields "
                                   "where the header has 5 (a separator too many or too few)"}))
      << out.str();
  ASSERT_EQ(reasons["CAF:A2"].size(), 1u) << out.str();
  EXPECT_EQ(reasons["CAF:A2"][0].rfind("persons.CAF:P2: a row that may be theirs was rejected at dgfip.csv line 3: a quote "
                                       "opened in this row is never closed", 0),
            0u)
      << reasons["CAF:A2"][0];
  ASSERT_EQ(reasons["CAF:A3"].size(), 1u) << out.str();
  EXPECT_EQ(reasons["CAF:A3"][0].rfind("persons.CAF:P3: a row that may be theirs was rejected at dgfip.csv line 4", 0), 0u)
      << reasons["CAF:A3"][0];
  EXPECT_FALSE(reasons.count("CAF:A5")) << out.str();
  EXPECT_EQ(reasons["CAF:A6"], (std::vector<std::string>{
                                   "persons.CAF:P6: a row that may be theirs was rejected at dgfip.csv line 5: 3 fields "
                                   "where the header has 5 (a separator too many or too few)"}))
      << out.str();
  ASSERT_EQ(reasons["CAF:A4"].size(), 1u) << out.str();
  EXPECT_EQ(reasons["CAF:A4"][0].rfind("persons.CAF:P4: a row that may be theirs was rejected at crous.jsonl line 1: not a "
                                       "valid JSON object of scalars", 0),
            0u)
      << reasons["CAF:A4"][0];
  EXPECT_EQ(out.str().find("carry no identity"), std::string::npos) << out.str();
}

// A tax row set aside for faults in both its name and its birth date (an
// invisible character, a day 00) resembles nobody field by field; its text
// still names the person (a tester's finding: her income was read as the
// 0 that absent_means gives, and a free C2S letter planned). A last row that
// no line end follows may be cut short within its income (7223 read as 7):
// set aside, and its person's household incomplete too.
TEST(Ingestion, ARowWithFaultsInItsNameAndDateOrCutShortStillNamesWhoseItMayBe) {
  const std::string dir = testing::temp_dir();
  testing::write_file(dir + "/caf.csv",
                      "NUMALLOC;NUMPERS;NIR;NOM;PRENOM;DTNAIS;QUALITE;DEPCOM\n"
                      "A1;P1;292013818500876;MARTIN;ALICE;1992-01-01;DEM;38185\n"
                      "A6;P6;180063818500224;PETIT;PAUL;1980-06-05;DEM;38185\n"
                      "A7;P7;;DURAND;LEA;1990-03-03;DEM;38185\n"
                      "A8;P8;;BLANC;ROSE;1975-01-01;DEM;38185\n");
  testing::write_file(dir + "/caf.yaml",
                      std::string(kCafWithCommune) + "  PRENOM: {variable: first_names, type: text}\n");
  testing::write_file(dir + "/dgfip.csv",
                      "SPI;NOM;PRENOM;DATE_NAISSANCE;REVENUS_12M\n"
                      "S1;MAR\u00ADTIN;ALICE;1992-01-00;29303\n"
                      "S7;DURAND;LEA;1985-02-02;-5\n"
                      "S8;BLANC;ROSE;1975-01-01;1234.500\n"
                      "S6;PETIT;PAUL;1980-06-05;7");
  testing::write_file(dir + "/dgfip.yaml",
                      "source: DGFiP\nextract: revenus\nfile: dgfip.csv\nextracted_on: \"2025-05-31\"\nformat: csv\n"
                      "encoding: utf-8\nseparator: \";\"\ndate_format: yyyy-mm-dd\n"
                      "identifiers: {household: SPI, person: SPI}\ncolumns:\n"
                      "  NOM: {variable: birth_name, type: text, required: true}\n"
                      "  PRENOM: {variable: first_names, type: text}\n"
                      "  DATE_NAISSANCE: {variable: birth_date, type: date, required: true}\n"
                      "  REVENUS_12M: {variable: resources_12m, type: number, unit: EUR/year, absent_means: \"0\"}\n");
  std::ostringstream out, err;
  Ingestion ingestion = ingest_with_snapshot(dir, {dir + "/caf.yaml", dir + "/dgfip.yaml"}, out, err);
  ASSERT_EQ(ingestion.status, 1) << err.str();  // rows set aside
  ASSERT_TRUE(ingestion.snapshot);
  // Blanc's 1234.500 cannot be written with a thousands separator.
  EXPECT_NE(out.str().find("4 rows read, 1 accepted, 3 rejected"), std::string::npos) << out.str();
  std::map<std::string, std::vector<std::string>> reasons = incomplete_reasons(*ingestion.snapshot);
  ASSERT_EQ(reasons["CAF:A1"].size(), 1u) << out.str();
  EXPECT_EQ(reasons["CAF:A1"][0].rfind("persons.CAF:P1: a row that may be theirs was rejected at dgfip.csv line 2", 0), 0u)
      << reasons["CAF:A1"][0];
  EXPECT_EQ(reasons["CAF:A6"], (std::vector<std::string>{
                                   "persons.CAF:P6: a row that may be theirs was rejected at dgfip.csv line 5: the file "
                                   "ends within this row, without a line end: it may be cut short (a whole file ends its "
                                   "last row with a line end)"}))
      << out.str();
  // Another Léa Durand's row, set aside for its income, her name and birth
  // date read: it is not this one's (a reviewer's finding: her text named
  // her namesake).
  EXPECT_FALSE(reasons.count("CAF:A7")) << reasons["CAF:A7"][0];
  EXPECT_FALSE(reasons.count("CAF:A8")) << reasons["CAF:A8"][0];
}

// A member's row of the household extract whose household identifier is
// empty: whose household it is, is not known. The households of its
// commune whose members bear its family name are incomplete, rather than
// decided without them (a tester's finding: a child's row so set aside, and
// the household's RSA computed without the child).
TEST(Ingestion, AMembersRowWithoutItsHouseholdLeavesThoseOfItsNameIncomplete) {
  const std::string dir = testing::temp_dir();
  testing::write_file(dir + "/caf.csv",
                      "NUMALLOC;NUMPERS;NIR;NOM;DTNAIS;QUALITE;DEPCOM\n"
                      "A1;P1;292013818500876;MARTIN;1992-01-01;DEM;38185\n"
                      "A2;P2;173053818500656;MARTIN;1973-05-01;DEM;38421\n"
                      "A3;P3;160033818500184;DURAND;1960-03-01;DEM;38185\n"
                      "A4;P4;158053818500318;BLANC;1958-05-01;DEM;38185\n"
                      "A5;P5;180063818500224;PETIT;1980-06-05;DEM;38185\n"
                      "A6;P6;;RENIER;1980-06-05;DEM;38185\n"
                      ";P12;;BRE\u00ADNIER;2015-03-00;AUT;38185\n"
                      ";P9;;MARTIN;2015-03-02;AUT;38185\n"
                      ";P10;;BL\u00ADANC;2015-03-00;AUT;38185\n"
                      ";P11;;PETIT;2016-03-02;AUT;38185");
  testing::write_file(dir + "/caf.yaml", kCafWithCommune);
  std::ostringstream out, err;
  Ingestion ingestion = ingest_with_snapshot(dir, {dir + "/caf.yaml"}, out, err);
  ASSERT_EQ(ingestion.status, 1) << err.str();
  ASSERT_TRUE(ingestion.snapshot);
  std::map<std::string, std::vector<std::string>> reasons = incomplete_reasons(*ingestion.snapshot);
  EXPECT_EQ(reasons["CAF:A1"], (std::vector<std::string>{
                                   "persons.CAF:P1: a row that may be of their household was rejected at caf.csv line "
                                   "9: the household identifier is missing (a member of the same family name)"}))
      << out.str();
  EXPECT_FALSE(reasons.count("CAF:A2")) << out.str();  // another commune
  EXPECT_FALSE(reasons.count("CAF:A3")) << out.str();  // another name
  // Brenier's name unreadable as written holds no Renier (a reviewer's
  // finding: a name within another was taken for it).
  EXPECT_FALSE(reasons.count("CAF:A6")) << out.str();
  // Its name unreadable as written (a soft hyphen), found in its text; a
  // last row no line end follows, set aside for that alone (a reviewer's
  // findings: both households were decided without the child).
  ASSERT_EQ(reasons["CAF:A4"].size(), 1u) << out.str();
  EXPECT_EQ(reasons["CAF:A4"][0].rfind("persons.CAF:P4: a row that may be of their household was rejected at caf.csv line "
                                       "10: the household identifier is missing", 0),
            0u)
      << reasons["CAF:A4"][0];
  ASSERT_EQ(reasons["CAF:A5"].size(), 1u) << out.str();
  EXPECT_EQ(reasons["CAF:A5"][0].rfind("persons.CAF:P5: a row that may be of their household was rejected at caf.csv line "
                                       "11: the file ends within this row", 0),
            0u)
      << reasons["CAF:A5"][0];
  EXPECT_NE(out.str().find("4 rows of a household extract set aside give no household identifier: 3 persons of the "
                            "same family name (and commune) have their households marked incomplete, and nobody "
                            "decides on them; 1 of these rows resemble no household"),
            std::string::npos)
      << out.str();
}

// own_foyer_means describes a household datum, as the column's type.
TEST(Ingestion, OwnFoyerMeansIsForAHouseholdColumnOfItsType) {
  const std::string dir = testing::temp_dir();
  const std::string head =
      "source: CAF\nextract: allocataires\nfile: caf.csv\nextracted_on: \"2025-05-31\"\nformat: csv\n"
      "identifiers: {household: NUMALLOC, person: NUMPERS}\ncolumns:\n";
  const std::pair<const char*, const char*> cases[] = {
      {"  RSA: {variable: rsa, type: boolean, \"true\": [O], \"false\": [N], own_foyer_means: \"false\"}\n",
       "own_foyer_means is for a household column"},
      {"  RSA: {entity: household, variable: rsa, type: boolean, \"true\": [O], \"false\": [N], own_foyer_means: \"0\"}\n",
       "own_foyer_means must be true or false, or a number"},
      {"  MTAL: {entity: household, variable: housing_benefit_monthly, type: number, unit: EUR/month, own_foyer_means: \"-1\"}\n",
       "own_foyer_means: "},
      {"  MTAL: {entity: household, variable: housing_benefit_monthly, type: number, unit: EUR/month, own_foyer_means: \"1-5\"}\n",
       "own_foyer_means must be true or false, or a number"},
      {"  MTAL: {entity: household, variable: housing_benefit_monthly, type: number, unit: EUR/month, own_foyer_means: \"-\"}\n",
       "own_foyer_means must be true or false, or a number"},
  };
  for (const auto& [column, message] : cases) {
    testing::write_file(dir + "/caf.yaml", head + column);
    auto m = load_source_mapping(dir + "/caf.yaml");
    ASSERT_FALSE(m) << column;
    EXPECT_NE(m.error().message.find(message), std::string::npos) << m.error().message;
  }
}

}  // namespace proactif
