#include "population/territory.hpp"

#include <simdjson.h>

#include <algorithm>

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
    return Error{ErrorKind::kNotFound, communes_path + ": cannot read the official commune list (run scripts/setup.sh)"};
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
          std::string_view one;
          if (code.get_string().get(one) == SUCCESS) info.postcodes.emplace_back(one);
        }
      if (!info.postcodes.empty()) info.postcode = info.postcodes.front();
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
    return Error{ErrorKind::kInput, communes_path + ": " + e.what()};
  }

  padded_string epci_json;
  std::string epci_path = dir + "/epci.json";
  if (padded_string::load(epci_path).get(epci_json) != SUCCESS)
    return Error{ErrorKind::kNotFound, epci_path + ": cannot read the official EPCI list (run scripts/setup.sh)"};
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
    return Error{ErrorKind::kInput, epci_path + ": " + e.what()};
  }

  for (auto& c : t.communes_) c.commune = c.code;
  for (const auto& [part, owner] : parent) {
    auto p = t.index_.find(part);
    auto o = t.index_.find(owner);
    if (p == t.index_.end() || o == t.index_.end()) continue;
    t.communes_[p->second].commune = owner;
    if (t.communes_[p->second].epci.empty()) t.communes_[p->second].epci = t.communes_[o->second].epci;
  }
  for (size_t i = 0; i < t.communes_.size(); ++i)
    for (const auto& postcode : t.communes_[i].postcodes) t.by_postcode_.emplace(postcode, i);
  t.by_code_.assign(102 * 1000, -1);
  for (const auto& [code, at] : t.index_)
    if (int slot = code_slot(code); slot >= 0) t.by_code_[static_cast<size_t>(slot)] = static_cast<int32_t>(at);
  return t;
}

int Territory::code_slot(std::string_view code) {
  if (code.size() != 5) return -1;
  auto digit = [&](size_t i) { return code[i] >= '0' && code[i] <= '9'; };
  int departement;
  if (digit(0) && digit(1)) departement = (code[0] - '0') * 10 + (code[1] - '0');
  else if (code[0] == '2' && (code[1] == 'A' || code[1] == 'B')) departement = 100 + (code[1] - 'A');  // Corsica
  else return -1;
  if (!digit(2) || !digit(3) || !digit(4)) return -1;
  return departement * 1000 + (code[2] - '0') * 100 + (code[3] - '0') * 10 + (code[4] - '0');
}

namespace {

// Each commune once, by code.
std::vector<std::string> sorted_once(std::vector<std::string> communes) {
  std::sort(communes.begin(), communes.end());
  communes.erase(std::unique(communes.begin(), communes.end()), communes.end());
  return communes;
}

}  // namespace

std::vector<std::string> Territory::communes_of_postcode(std::string_view postcode) const {
  std::vector<std::string> out;
  auto [first, last] = by_postcode_.equal_range(postcode);
  for (auto it = first; it != last; ++it) out.push_back(communes_[it->second].commune);
  return sorted_once(std::move(out));
}

std::vector<std::string> Territory::communes_near_postcode(std::string_view postcode) const {
  std::vector<std::string> out = communes_of_postcode(postcode);
  if (!out.empty() || postcode.size() != 5) return out;
  const bool overseas = postcode.substr(0, 2) == "97" || postcode.substr(0, 2) == "98";
  for (size_t digits : {size_t{3}, overseas ? size_t{3} : size_t{2}}) {
    const std::string_view prefix = postcode.substr(0, digits);
    for (const CommuneInfo& c : communes_)
      for (const auto& code : c.postcodes)
        if (std::string_view(code).substr(0, digits) == prefix) {
          out.push_back(c.commune);
          break;
        }
    if (!out.empty()) break;
  }
  return sorted_once(std::move(out));
}

const CommuneInfo* Territory::find(std::string_view code) const {
  if (int slot = code_slot(code); slot >= 0) {
    int32_t at = by_code_[static_cast<size_t>(slot)];
    return at < 0 ? nullptr : &communes_[static_cast<size_t>(at)];
  }
  auto it = index_.find(code);  // a code of another shape, if the official data ever has one
  return it == index_.end() ? nullptr : &communes_[it->second];
}

}  // namespace proactif
