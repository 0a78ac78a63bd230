// The transport-fare programs encode benefits that the national youth
// simulator (betagouv/aides-jeunes) also describes. These tests read that
// real data (../shared/data) and check that the parameters agree with it,
// so that a change on either side is noticed.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/date.hpp"
#include "params/parameters.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace proactif {

namespace {

fs::path shared_data() { return fs::path(PROACTIF_SOURCE_DIR).parent_path() / "shared" / "data"; }

// A clone without ../shared skips these tests, by name (a skip in a helper
// would not stop the test).
#define SKIP_WITHOUT_SHARED_DATA()                                                           \
  if (!fs::exists(shared_data())) GTEST_SKIP() << "shared data not found at " << shared_data()

double current(const ParameterSet& set, const std::string& path) {
  const Parameter* p = set.find(path);
  if (!p) throw std::runtime_error("no parameter " + path);
  return value_at(p->values, *parse_iso_date("2025-06-15"))->number;
}

std::string program_text(const std::string& id) {
  std::ifstream in(std::string(PROACTIF_SOURCE_DIR) + "/programs/" + id + "/program.yaml");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

// The youth simulator still lists the TAG network's fare of before 2024
// (20 € up to a quotient familial of 755 €); the SMMAG's bands of February
// 2024 replaced it (see the parameter files). What the simulator says of
// the territory still holds: the fare is for the residents of
// Grenoble-Alpes Métropole (and, since 2024, of the Grésivaudan), and the
// simulator's ceiling falls inside the bands.
TEST(SharedData, GrenobleFareTerritoryAgreesWithTheYouthSimulator) {
  SKIP_WITHOUT_SHARED_DATA();
  auto benefit = YAML::LoadFile(
      (shared_data() / "aides-jeunes/data/benefits/javascript/etat-abonnement-transports-sur-le-reseau-tag.yml").string());
  auto institution = YAML::LoadFile((shared_data() / "aides-jeunes/data/institutions/grenoble-alpes-metropole.yml").string());
  auto set = ParameterSet::load(std::string(PROACTIF_SOURCE_DIR) + "/programs/parameters");
  ASSERT_TRUE(set);
  bool found = false;
  for (const auto& c : benefit["conditions_generales"]) {
    if (c["type"].as<std::string>() != "quotient_familial") continue;
    found = true;
    EXPECT_EQ(c["period"].as<std::string>(), "month");
    EXPECT_LE(c["value"].as<double>(), current(*set, "transport.smmag.m_reso_solidaire.plafond_quotient_familial"));
  }
  EXPECT_TRUE(found);
  const std::string siren = institution["code_siren"].as<std::string>();
  const Parameter* territory = set->find("transport.smmag.m_reso_solidaire.epci_du_tarif_solidaire");
  ASSERT_NE(territory, nullptr);
  const auto& epcis = value_at(territory->values, *parse_iso_date("2025-06-15"))->codes;
  EXPECT_NE(std::find(epcis.begin(), epcis.end(), siren), epcis.end());
  EXPECT_NE(program_text("m-reso-solidaire").find("epci(commune) in epci_du_tarif_solidaire"), std::string::npos);
}

TEST(SharedData, BrestBibusFareAgreesWithTheYouthSimulator) {
  SKIP_WITHOUT_SHARED_DATA();
  fs::path file;
  for (const auto& e : fs::directory_iterator(shared_data() / "aides-jeunes/data/benefits/javascript"))
    if (e.path().filename().string().rfind("brest_metropole-abonnement-transports", 0) == 0) file = e.path();
  ASSERT_FALSE(file.empty());
  auto benefit = YAML::LoadFile(file.string());
  auto institution = YAML::LoadFile((shared_data() / "aides-jeunes/data/institutions/intercommunalite_brest_metropole.yml").string());
  auto set = ParameterSet::load(std::string(PROACTIF_SOURCE_DIR) + "/programs/parameters");
  ASSERT_TRUE(set);
  EXPECT_DOUBLE_EQ(benefit["montant"].as<double>(), current(*set, "transport.brest_metropole.bibus_boursiers.tarif_mensuel"));
  // Profiles: pupils and higher-education students, each with a scholarship.
  std::vector<std::string> profiles;
  for (const auto& p : benefit["profils"]) {
    profiles.push_back(p["type"].as<std::string>());
    EXPECT_EQ(p["conditions"][0]["type"].as<std::string>(), "boursier");
  }
  EXPECT_EQ(profiles, (std::vector<std::string>{"lyceen", "enseignement_superieur"}));
  std::string siren = institution["code_siren"].as<std::string>();
  EXPECT_NE(program_text("brest-bibus-boursiers").find("epci(commune) == \"" + siren + "\""), std::string::npos);
}

TEST(SharedData, TerritoryPlacesCommunesInTheirEpci) {
  const Territory& t = testing::territory();
  ASSERT_NE(t.find("38185"), nullptr);
  EXPECT_EQ(t.find("38185")->epci, "200040715");  // Grenoble
  EXPECT_EQ(t.find("29019")->epci, "242900314");  // Brest
  EXPECT_EQ(t.find("97611")->departement, "976");  // Mamoudzou, Mayotte
  EXPECT_EQ(t.find("2A004")->departement, "2A");   // Ajaccio
  EXPECT_EQ(t.find("75056")->epci, t.find("75101")->epci);  // a Paris arrondissement is in Paris's EPCI
  EXPECT_EQ(t.find("38999"), nullptr);
  // Found through an array by code: every commune of the official list.
  for (const auto& c : t.communes()) ASSERT_EQ(t.find(c.code), &c) << c.code;
  for (const char* wrong : {"", "3818", "381850", "2C004", "3A185", "38 85", "ABCDE"}) EXPECT_EQ(t.find(wrong), nullptr) << wrong;
}

}  // namespace proactif
