#include "eval/citizen_persons.hpp"

#include <algorithm>
#include <iterator>

#include "core/date.hpp"
#include "eval/citizen_values.hpp"

namespace proactif::citizen {

Persons::Persons(const Explanation& e, const std::string& reader) {
  for (const auto& d : e.data) {
    if (!d.name.starts_with("persons.")) continue;
    const size_t dot = d.name.rfind('.');
    Person& p = add(d.name.substr(8, dot - 8));
    const std::string input = d.name.substr(dot + 1);
    const Json v = parse(d.value_json);
    if (v.kind != Json::Kind::kText) continue;
    if (input == "role") p.role = v.text;
    if (input == "birth_date") p.birth = v.text;
  }
  for (const auto& f : e.foyer)
    for (const auto* ids : {&f.counted, &f.not_counted, &f.unknown})
      for (const auto& id : *ids) add(id);
  for (const auto& o : e.operations) {
    const Json v = parse(o.value_json);
    if (v.kind == Json::Kind::kObject)
      for (const auto& [id, value] : v.items) add(id);
  }
  reader_ = reader;
  if (reader_.empty()) {
    for (const auto& p : persons_)
      if (p.role == "applicant") reader_ = p.id;
    if (reader_.empty() && !persons_.empty()) reader_ = persons_.front().id;
  }
  if (!reader_.empty()) {
    // The reader first: "vous, votre conjoint(e) et un enfant".
    add(reader_);
    auto reader = std::find_if(persons_.begin(), persons_.end(), [&](const Person& p) { return p.id == reader_; });
    std::rotate(persons_.begin(), reader, reader + 1);
  }
  name_all();
}

std::string Persons::name(const std::string& id) const {
  for (const auto& p : persons_)
    if (p.id == id) return p.name;
  return "une personne du foyer";
}

Person& Persons::add(const std::string& id) {
  for (auto& p : persons_)
    if (p.id == id) return p;
  persons_.push_back({id, "", "", ""});
  return persons_.back();
}

void Persons::name_all() {
  std::string reader_role;
  for (const auto& p : persons_)
    if (p.id == reader_) reader_role = p.role;
  for (int precision : {0, 1}) {
    for (auto& p : persons_) p.name = name_of(p, reader_role, precision == 1);
    bool clash = false;
    for (size_t i = 0; i < persons_.size(); ++i)
      for (size_t j = 0; j < i; ++j) clash |= persons_[i].name == persons_[j].name;
    if (!clash) return;
  }
  static const char* kOrdinals[] = {"deuxième", "troisième", "quatrième", "cinquième", "sixième"};
  std::vector<std::string> names;
  for (const auto& p : persons_) names.push_back(p.name);
  for (size_t i = 0; i < persons_.size(); ++i) {
    size_t earlier = 0;
    for (size_t j = 0; j < i; ++j) earlier += names[j] == names[i];
    if (earlier == 0) continue;
    const std::string ordinal =
        earlier <= std::size(kOrdinals) ? kOrdinals[earlier - 1] : std::to_string(earlier + 1) + "e";
    std::string& name = persons_[i].name;
    if (name.starts_with("un ")) name = "un " + ordinal + " " + name.substr(3);
    else if (name.starts_with("une ")) name = "une " + ordinal + " " + name.substr(4);
    else name += " (" + ordinal + ")";
  }
}

std::string Persons::name_of(const Person& p, const std::string& reader_role, bool full_date) const {
  if (p.id == reader_) return "vous";
  std::string born;
  if (auto day = parse_iso_date(p.birth)) {
    born = full_date ? "le " + french_long_date(p.birth) : "en " + std::to_string(civil_from_days(*day).year);
  }
  if (p.role == "applicant") return reader_role == "spouse" ? "votre conjoint(e)" : "l'allocataire du foyer";
  if (p.role == "spouse")
    return reader_role == "applicant" ? "votre conjoint(e)" : "le conjoint ou la conjointe de l'allocataire";
  if (p.role == "child") return "un enfant" + (born.empty() ? "" : " (né(e) " + born + ")");
  const std::string who = p.role == "other" ? "une autre personne du foyer" : "une personne du foyer";
  return who + (born.empty() ? "" : " (née " + born + ")");  // agrees with « personne »
}

}  // namespace proactif::citizen
