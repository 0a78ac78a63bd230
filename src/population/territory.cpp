#include "population/territory.hpp"

#include <simdjson.h>

namespace proactif {

namespace {

std::string field(simdjson::ondemand::object& obj, const char* key) {
  std::string_view text;
  if (obj[key].get_string().get(text) != simdjson::SUCCESS) return "";
  return std::string(text);
}

}  // namespace

Result<Territory> Territory::load(const std::string& dir) {
  using namespace simdjson;
  Territory t;
  ondemand::parser parser;
  std::unordered_map<std::string, std::string> parent;  // part of a commune -> commune

  padded_string communes_json;
  std::string communes_path = dir + "/communes.json";
  if (padded_string::load(communes_path).get(communes_json) != SUCCESS)
    return Error{communes_path + ": cannot read the official commune list (run scripts/setup.sh)"};
  try {
    ondemand::document doc = parser.iterate(communes_json);
    for (ondemand::object c : doc.get_array()) {
      CommuneInfo info;
      info.code = field(c, "code");
      info.name = field(c, "nom");
      info.departement = field(c, "departement");
      info.region = field(c, "region");
      std::string type = field(c, "type");
      ondemand::array postcodes;
      if (c["codesPostaux"].get_array().get(postcodes) == SUCCESS)
        for (auto code : postcodes) {
          std::string_view first;
          if (code.get_string().get(first) == SUCCESS) info.postcode = first;
          break;
        }
      int64_t population = 0;
      if (c["population"].get_int64().get(population) == SUCCESS) info.population = population;
      std::string owner = type == "arrondissement-municipal" ? field(c, "commune")
                          : type == "commune-actuelle"      ? ""
                                                            : field(c, "chefLieu");
      if (!owner.empty() && owner != info.code) parent[info.code] = owner;
      // A commune déléguée may share its code with the actual commune: the
      // actual commune wins.
      auto it = t.index_.find(info.code);
      if (it != t.index_.end()) {
        if (type != "commune-actuelle") continue;
        t.communes_[it->second] = std::move(info);
        parent.erase(t.communes_[it->second].code);
        continue;
      }
      t.index_.emplace(info.code, t.communes_.size());
      t.communes_.push_back(std::move(info));
    }
  } catch (const simdjson_error& e) {
    return Error{communes_path + ": " + e.what()};
  }

  padded_string epci_json;
  std::string epci_path = dir + "/epci.json";
  if (padded_string::load(epci_path).get(epci_json) != SUCCESS)
    return Error{epci_path + ": cannot read the official EPCI list (run scripts/setup.sh)"};
  try {
    ondemand::document doc = parser.iterate(epci_json);
    for (ondemand::object e : doc.get_array()) {
      std::string siren = field(e, "code");
      for (ondemand::object m : e["membres"].get_array()) {
        auto it = t.index_.find(field(m, "code"));
        if (it != t.index_.end()) t.communes_[it->second].epci = siren;
      }
    }
  } catch (const simdjson_error& e) {
    return Error{epci_path + ": " + e.what()};
  }

  for (const auto& [part, owner] : parent) {
    auto p = t.index_.find(part);
    auto o = t.index_.find(owner);
    if (p != t.index_.end() && o != t.index_.end() && t.communes_[p->second].epci.empty())
      t.communes_[p->second].epci = t.communes_[o->second].epci;
  }
  return t;
}

const CommuneInfo* Territory::find(std::string_view code) const {
  auto it = index_.find(code);
  return it == index_.end() ? nullptr : &communes_[it->second];
}

}  // namespace proactif
