#include "eval/citizen_text.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/date.hpp"
#include "eval/explanation_text.hpp"
#include "population/territory.hpp"

namespace proactif {

namespace {

// Between the digits of thousands and before € and %: French typesetting
// keeps "1 234,56 €" on one line.
constexpr const char* kSpace = "\u00a0";
// What stands for a code the program file gives no label for: the code itself
// would be English or opaque to the person, and the test of citizen texts
// looks for this phrase.
constexpr const char* kNoLabel = "(libellé manquant dans le fichier du programme)";

// ---- Values, as the explanation keeps them (JSON text).

struct Member;

struct Json {
  enum class Kind { kNull, kBool, kNumber, kText, kList, kObject };
  Kind kind = Kind::kNull;
  bool flag = false;
  double number = 0;
  std::string text;
  std::vector<Member> items;  // a list's items (no key), an object's members
};

// A std::pair would need Json complete where Json declares its members.
struct Member {
  std::string first;
  Json second;
};

Json to_json(simdjson::dom::element element) {
  Json j;
  simdjson::dom::array array;
  simdjson::dom::object object;
  std::string_view text;
  if (element.get(array) == simdjson::SUCCESS) {
    j.kind = Json::Kind::kList;
    for (simdjson::dom::element item : array) j.items.push_back({"", to_json(item)});
  } else if (element.get(object) == simdjson::SUCCESS) {
    j.kind = Json::Kind::kObject;
    for (simdjson::dom::key_value_pair field : object) j.items.push_back({std::string(field.key), to_json(field.value)});
  } else if (element.get(text) == simdjson::SUCCESS) {
    j.kind = Json::Kind::kText;
    j.text = std::string(text);
  } else if (element.get(j.flag) == simdjson::SUCCESS) {
    j.kind = Json::Kind::kBool;
  } else if (element.get(j.number) == simdjson::SUCCESS) {  // integers too
    j.kind = Json::Kind::kNumber;
  }
  return j;
}

// Unreadable JSON reads as unknown: the explanation was written by this
// program, and a person is better told a value is missing than shown a
// parse error.
Json parse(const std::string& text) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  if (parser.parse(text).get(element) != simdjson::SUCCESS) return {};
  return to_json(element);
}

// ---- Numbers, amounts, lists and dates as French texts write them.

std::string french_number(double v, int decimals, bool keep_zeros = false) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(v));
  std::string digits = buf, fraction;
  if (auto dot = digits.find('.'); dot != std::string::npos) {
    fraction = digits.substr(dot + 1);
    digits.resize(dot);
  }
  if (!keep_zeros)
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  std::string out = v < 0 && (digits != "0" || !fraction.empty()) ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += kSpace;
    out += digits[i];
  }
  return fraction.empty() ? out : out + "," + fraction;
}

// Whole euros without cents (10 339 €), else to the cent (2,50 €).
std::string euros(double v) {
  const bool cents = std::fabs(v - std::round(v)) >= 0.005;
  return french_number(v, cents ? 2 : 0, cents) + kSpace + "€";
}

// A number with its unit; `rate` for a parameter its file gives as a rate.
std::string quantity(double v, const Unit& unit, bool rate) {
  if (rate) return french_number(v * 100, 3) + kSpace + "%";
  if (unit.exponent(Unit::kEur) == 1) {
    std::string s = euros(v);
    if (unit.exponent(Unit::kMonth) == -1) s += " par mois";
    else if (unit.exponent(Unit::kYear) == -1) s += " par an";
    return s;
  }
  const std::string n = french_number(v, 3);
  const bool plural = std::fabs(v) >= 2;  // French: 0 an, 1 an, 2 ans
  if (unit == Unit::base(Unit::kYear)) return n + (plural ? " ans" : " an");
  if (unit == Unit::base(Unit::kMonth)) return n + " mois";
  if (unit == Unit::base(Unit::kDay)) return n + (plural ? " jours" : " jour");
  if (unit == Unit::base(Unit::kPerson)) return n + (plural ? " personnes" : " personne");
  return n;  // counts and ranks
}

Unit unit_named(const std::string& text) {
  auto unit = Unit::parse(text);
  return unit ? *unit : Unit();
}

// "a, b et c"
std::string french_list(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : i + 1 == items.size() ? " et " : ", ") + items[i];
  return out;
}

std::string capitalised(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string code_label(const std::vector<std::string>& values, const std::vector<std::string>& labels,
                       const std::string& code) {
  for (size_t i = 0; i < values.size() && i < labels.size(); ++i)
    if (values[i] == code && !labels[i].empty()) return labels[i];
  return kNoLabel;
}

// ---- Where a value came from.

// The explanation names a value's origin for an agent (trace.cpp): "CAF,
// extrait « allocataires » du 2025-06-15 (work/extracts/caf.csv), ligne 2",
// "… : absent de cet extrait", "CAF — situation déclarée (situations.jsonl)".
// A person reads the administration and its file, dated, without path or
// line: "CAF, fichier des allocataires du 15/06/2025". Empty when no file
// gave the value.
std::string readable_source(std::string s) {
  if (s == "aucune source ne le donne") return "";
  const std::string absent = " : absent de cet extrait";
  const bool missing_there = ends_with(s, absent);
  if (missing_there) s.resize(s.size() - absent.size());
  if (auto line = s.rfind(", ligne "); line != std::string::npos) s.resize(line);
  // Paths of files, and "(entrée standard)", are for agents.
  for (size_t open = s.find(" ("); open != std::string::npos;) {
    const size_t close = s.find(')', open);
    if (close == std::string::npos) break;
    const std::string inside = s.substr(open + 2, close - open - 2);
    if (inside.find_first_of("/.") != std::string::npos || inside == "entrée standard") s.erase(open, close - open + 1);
    else ++open;
    open = s.find(" (", open);
  }
  if (auto dash = s.find(" — "); dash != std::string::npos) s.replace(dash, std::string(" — ").size(), ", ");
  if (auto snapshot = s.find(", population snapshot"); snapshot != std::string::npos) s.erase(snapshot);
  const std::string extract = ", extrait « ";
  if (auto at = s.find(extract); at != std::string::npos) {
    const size_t name_start = at + extract.size(), name_end = s.find(" »", name_start);
    if (name_end != std::string::npos) {
      const std::string name = s.substr(name_start, name_end - name_start);
      std::string date = s.substr(name_end + std::string(" »").size());
      if (starts_with(date, " du ")) {
        auto day = parse_iso_date(date.substr(4, 10));
        date = day ? " du " + format_french_date(*day) : date;
      }
      // "fichier des allocataires", "fichier des revenus": the extracts are
      // named by what they list, in the plural; another name is quoted.
      const std::string first_word = name.substr(0, name.find(' '));
      const bool plural = ends_with(first_word, "s") || ends_with(first_word, "x");
      s = s.substr(0, at) + ", fichier " + (plural ? "des " + name : "« " + name + " »") + date;
    }
  }
  return missing_there ? s + " (aucune mention dans ce fichier)" : s;
}

// ---- The persons of the household, named by their place in it.

struct Person {
  std::string id, role, birth;  // the role's code and the ISO birth date, when the data give them
  std::string name;
};

class Persons {
 public:
  Persons(const Explanation& e, const std::string& reader) {
    for (const auto& d : e.data) {
      if (!starts_with(d.name, "persons.")) continue;
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

  const std::vector<Person>& all() const { return persons_; }
  const std::string& reader() const { return reader_; }
  std::string name(const std::string& id) const {
    for (const auto& p : persons_)
      if (p.id == id) return p.name;
    return "une personne du foyer";
  }

 private:
  Person& add(const std::string& id) {
    for (auto& p : persons_)
      if (p.id == id) return p;
    persons_.push_back({id, "", "", ""});
    return persons_.back();
  }

  // "vous", "votre conjoint(e)", "un enfant (né(e) en 2012)": by the place
  // of each in the household and from the reader's. Two persons the year
  // does not tell apart are told by their birth date, then by their order
  // ("un deuxième enfant (né(e) le 3 mars 2015)").
  void name_all() {
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
      if (starts_with(name, "un ")) name = "un " + ordinal + " " + name.substr(3);
      else if (starts_with(name, "une ")) name = "une " + ordinal + " " + name.substr(4);
      else name += " (" + ordinal + ")";
    }
  }

  std::string name_of(const Person& p, const std::string& reader_role, bool full_date) const {
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

  std::vector<Person> persons_;
  std::string reader_;
};

// ---- What the program file says of a name.

const InputDecl* input_decl(const Program* p, const std::string& name) {
  if (p)
    for (const auto& in : p->inputs)
      if (in.name == name) return &in;
  return nullptr;
}

const VariableDecl* variable_decl(const Program* p, const std::string& name) {
  if (!p) return nullptr;
  for (const auto& v : p->variables)
    if (v.name == name) return &v;
  for (const auto& r : p->results)
    if (r.value.name == name) return &r.value;
  return nullptr;
}

const ResultDecl* result_decl(const Program* p, const std::string& name) {
  if (p)
    for (const auto& r : p->results)
      if (r.value.name == name) return &r;
  return nullptr;
}

const ParamDecl* param_decl(const Program* p, const std::string& name) {
  if (p)
    for (const auto& d : p->params)
      if (d.name == name) return &d;
  return nullptr;
}

bool is_rate(const ParamDecl* d) { return d && d->parameter && d->parameter->unit == "/1"; }

bool has_aggregate(const Expr* x) {
  if (!x) return false;
  if (x->kind == ExprKind::kAggregate) return true;
  return std::any_of(x->args.begin(), x->args.end(), [](const ExprPtr& a) { return has_aggregate(a.get()); });
}

// Whether a decision about one person may rest on the others of the
// household (a foyer's resources): then their data and values are part of
// its explanation; otherwise they are theirs alone, and left out.
bool reads_other_persons(const Program* p) {
  if (!p || p->entity == Entity::kHousehold) return true;
  for (const auto& v : p->variables)
    if (has_aggregate(v.formula.ast.get())) return true;
  for (const auto& r : p->results)
    if (has_aggregate(r.value.formula.ast.get()) || (r.if_undetermined && has_aggregate(r.if_undetermined->ast.get())))
      return true;
  return false;
}

bool is_route(const Program* p, const std::string& name) {
  if (p)
    for (const auto& r : p->automatic_routes)
      if ("route_" + r.id == name) return true;
  return false;
}

// ---- The values of data, parameters and operations.

std::string datum_value(const Json& v, const InputDecl* in, const Territory* territory) {
  switch (v.kind) {
    case Json::Kind::kNull: return "donnée manquante";
    case Json::Kind::kBool: return v.flag ? "oui" : "non";
    case Json::Kind::kNumber: return in ? quantity(v.number, in->unit, false) : french_number(v.number, 3);
    case Json::Kind::kList: {
      std::vector<std::string> labels;
      for (const auto& [key, item] : v.items) labels.push_back(datum_value(item, in, territory));
      return labels.empty() ? "néant" : french_list(labels);
    }
    case Json::Kind::kText:
      if ((in && in->type == Type::kDate) || (!in && parse_iso_date(v.text))) return french_long_date(v.text);
      if (in && in->domain == CodeDomain::kCommune) {
        const CommuneInfo* c = territory ? territory->find(v.text) : nullptr;
        return c ? c->name + " (" + v.text + ")" : v.text;
      }
      return in ? code_label(in->values, in->value_labels, v.text) : kNoLabel;
    case Json::Kind::kObject: break;
  }
  return kNoLabel;
}

std::string parameter_value(const ExplainedParameter& p, const ParamDecl* d) {
  const Json v = parse(p.value_json);
  if (v.kind == Json::Kind::kNull) return "valeur non connue à cette date";
  if (v.kind == Json::Kind::kNumber) {
    if (d && d->type == Type::kBool) return v.number != 0 ? "oui" : "non";
    return quantity(v.number, d ? d->unit : unit_named(p.unit), is_rate(d));
  }
  if (v.kind != Json::Kind::kList) return kNoLabel;
  std::vector<std::string> items;
  for (const auto& [key, item] : v.items) {
    if (item.kind == Json::Kind::kText) {  // a list of codes: départements
      items.push_back(item.text);
      continue;
    }
    // A scale: each amount from its threshold.
    double threshold = 0, amount = 0;
    for (const auto& [field, value] : item.items) (field == "threshold" ? threshold : amount) = value.number;
    items.push_back(quantity(amount, d ? d->unit : unit_named(p.unit), false) + " à partir de " +
                    quantity(threshold, d ? d->threshold_unit : Unit(), false));
  }
  if (items.empty()) return "néant";
  if (v.items.front().second.kind == Json::Kind::kText) return french_list(items);
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " ; ") + item;
  return out;
}

// A condition's outcome reads as met or not; a result's as its value.
std::string operation_value(const Json& v, const ExplainedOperation& o, const VariableDecl* decl, bool result,
                            bool rate) {
  switch (v.kind) {
    case Json::Kind::kNull:
      return decl && decl->type == Type::kBool && !result ? "condition inconnue, des données manquent"
                                                          : "valeur inconnue, des données manquent";
    case Json::Kind::kBool:
      if (result) return v.flag ? "oui" : "non";
      return v.flag ? "condition remplie" : "condition non remplie";
    case Json::Kind::kNumber: return quantity(v.number, unit_named(o.unit), rate);
    case Json::Kind::kText:
      if (decl && decl->type == Type::kDate) return french_long_date(v.text);
      return decl ? code_label(decl->values, decl->value_labels, v.text) : kNoLabel;
    default: return kNoLabel;
  }
}

// The value of a person program's decision for its person, among the
// values per person the explanation keeps for the whole household.
Json for_reader(const Json& v, const std::string& reader) {
  if (v.kind != Json::Kind::kObject) return v;
  for (const auto& [id, value] : v.items)
    if (id == reader) return value;
  return v.items.empty() ? Json{} : v.items.front().second;
}

std::string with_reference(const std::string& text, const std::string& reference) {
  return reference.empty() ? text : text + " (" + one_line(reference) + ")";
}

// ---- The text.

class Writer {
 public:
  Writer(const Explanation& e, const std::string& status, const CitizenReader& r)
      : e_(e), status_(status), r_(r), p_(r.program), persons_(e, r.person), others_(reads_other_persons(p_)),
        results_(parse(r.result_json)) {}

  std::string text() {
    heading();
    contribution();
    data();
    parameters();
    operations();
    abbreviations();
    return s_.str();
  }

 private:
  bool household() const { return !p_ || p_->entity == Entity::kHousehold; }
  // The household's data (no person) always; a person's, when they count.
  bool shown(const std::string& person) const { return person.empty() || others_ || person == persons_.reader(); }
  std::string label_of(const ExplainedOperation& o) const {
    if (!o.label.empty()) return o.label;
    const VariableDecl* v = variable_decl(p_, o.name);
    return v && !v->label.empty() ? v->label : kNoLabel;
  }
  // Results are given for a right that exists, and also otherwise when the
  // program says so (an RSA of 0 €), as in the decision itself.
  bool result_given(const ResultDecl* r) const { return status_ == "eligible" || !r || r->always; }

  // A result's value for the reader: the explanation's, else the least
  // favourable one the decision gave while data are missing.
  std::string result_text(const ExplainedOperation& o, const ResultDecl& r) const {
    const Json v = for_reader(parse(o.value_json), persons_.reader());
    if (v.kind == Json::Kind::kNull)
      for (const auto& [name, given] : results_.items)
        if (name == o.name && given.kind != Json::Kind::kNull)
          return operation_value(given, o, &r.value, true, rate(o)) +
                 " (le moins favorable, tant que des données manquent)";
    return operation_value(v, o, &r.value, true, rate(o));
  }

  void heading() {
    s_ << e_.title << "\n";
    s_ << "Explication de l'examen de votre situation au " << french_long_date(e_.date)
       << " (code des relations entre le public et l'administration, article R311-3-1-2)\n\n";
    const std::string meets = household() ? "votre foyer remplit" : "vous remplissez";
    const std::string fails = household() ? "votre foyer ne remplit pas" : "vous ne remplissez pas";
    if (status_ == "eligible") s_ << "Résultat : d'après les données ci-dessous, " << meets;
    else if (status_ == "ineligible") s_ << "Résultat : d'après les données ci-dessous, " << fails;
    else s_ << "Résultat : les données disponibles ne suffisent pas pour dire si " << meets;
    s_ << " les conditions examinées.\n";
    for (const auto& o : e_.operations) {
      const ResultDecl* r = result_decl(p_, o.name);
      if (!r || !result_given(r)) continue;
      s_ << "   " << label_of(o) << " : " << result_text(o, *r) << "\n";
    }
    if (status_ != "undetermined") return;
    s_ << "   Ce qui manque pour le dire :\n";
    for (const auto& m : r_.missing) s_ << "   - " << missing_item(m) << "\n";
    if (r_.missing.empty()) s_ << "   - des données que les administrations n'ont pas transmises\n";
  }

  // One of the decision's missing inputs, by its label and whose it is.
  std::string missing_item(const std::string& m) const {
    if (starts_with(m, "parameters.")) {
      const std::string name = m.substr(11, m.find(':') - 11);
      std::string description;
      for (const auto& p : e_.parameters)
        if (p.name == name) description = one_line(p.description);
      const ParamDecl* d = param_decl(p_, name);
      if (description.empty() && d && d->parameter) description = one_line(d->parameter->description);
      return (description.empty() ? kNoLabel : description) + " : valeur non connue à cette date";
    }
    // The decision's other entries name an input (household.rsa,
    // persons.p1.resources_12m), a value its formula does not give, or give
    // an agent's reason after ": " (a person outside the foyer, a household
    // the extracts know in part).
    const std::string no_value = ": its formula gives no value for these data";
    const bool gap = ends_with(m, no_value);
    const size_t colon = m.find(": ");
    if (colon != std::string::npos && !gap) {
      const std::string whose = starts_with(m, "persons.") ? persons_.name(m.substr(8, colon - 8)) : "";
      if (m.find(": not in this foyer", colon) == colon)
        return whose == "vous" ? "vous ne faites pas partie de ce foyer : votre droit est examiné à part"
                               : whose + " ne fait pas partie de ce foyer : son droit est examiné à part";
      return whose.empty() ? "les données de votre foyer sont incomplètes"
                           : "les données de votre foyer sont incomplètes pour " + whose;
    }
    const std::string name = gap ? m.substr(0, m.size() - no_value.size()) : m;
    const size_t dot = name.rfind('.');
    const std::string what = name.substr(dot + 1);
    const std::string whose = starts_with(name, "persons.") ? persons_.name(name.substr(8, dot - 8)) : "";
    std::string label = kNoLabel;
    if (const InputDecl* in = input_decl(p_, what); in && !in->label.empty()) label = in->label;
    else if (const VariableDecl* v = variable_decl(p_, what); v && !v->label.empty()) label = v->label;
    else
      for (const auto& d : e_.data)
        if (ends_with(d.name, "." + what) && !d.label.empty()) label = d.label;
    if (gap) label += " : calcul impossible avec ces données";
    return whose.empty() ? label : label + " (" + whose + ")";
  }

  void contribution() {
    s_ << "\n1° Degré et mode de contribution de l'algorithme à la décision\n";
    s_ << "   " << one_line(e_.algorithm_role) << "\n";
    s_ << "   Cet examen automatisé sert à vous informer ou, quand la loi le prévoit, à transmettre votre demande ; "
          "il ne vous attribue pas le droit et ne vous le refuse pas.\n";
    s_ << "   Organisme qui décide et qui verse ce droit : " << one_line(e_.authority) << ".\n";
    for (const auto& o : e_.operations) {
      if (!is_route(p_, o.name) || status_ != "eligible") continue;
      const Json v = parse(o.value_json);
      if (v.kind == Json::Kind::kBool && v.flag)
        s_ << "   Votre demande peut être transmise à cet organisme sans démarche de votre part : "
           << with_reference(o.label, o.reference) << ".\n";
    }
    if (p_ && !p_->not_evaluated.empty()) {
      s_ << "   Conditions que l'algorithme n'examine pas, et que cet organisme vérifiera :\n";
      for (const auto& c : p_->not_evaluated) s_ << "   - " << with_reference(one_line(c.condition), c.reference) << "\n";
    }
    s_ << "   Textes appliqués :\n";
    for (const auto& t : e_.references) s_ << "   - " << one_line(t) << "\n";
  }

  static std::string person_of(const std::string& name) {
    if (!starts_with(name, "persons.")) return "";
    return name.substr(8, name.rfind('.') - 8);
  }

  void datum(const ExplainedDatum& d) {
    const InputDecl* in = input_decl(p_, d.name.substr(d.name.rfind('.') + 1));
    const Json v = parse(d.value_json);
    s_ << "   - " << (d.label.empty() ? kNoLabel : d.label) << " : " << datum_value(v, in, r_.territory);
    const std::string source = readable_source(d.source);
    if (!source.empty()) s_ << " — source : " << source;
    else if (v.kind == Json::Kind::kNull) s_ << " — aucun fichier transmis ne la contient";
    s_ << "\n";
  }

  void data() {
    s_ << "\n2° Données traitées et leurs sources\n";
    std::vector<std::string> names;
    for (const auto& p : persons_.all())
      if (shown(p.id)) names.push_back(p.name);
    if (names.size() > 1) s_ << "   Les personnes de votre foyer : " << french_list(names) << ".\n";
    for (const auto& f : e_.foyer) {
      auto named = [&](const std::vector<std::string>& ids) {  // in the order of the persons' list
        std::vector<std::string> out;
        for (const auto& p : persons_.all())
          if (std::find(ids.begin(), ids.end(), p.id) != ids.end()) out.push_back(p.name);
        return french_list(out);
      };
      if (!f.counted.empty())
        s_ << "   " << with_reference("Personnes comptées dans le foyer pour ce droit", f.reference) << " : "
           << named(f.counted) << ".\n";
      if (!f.not_counted.empty())
        s_ << "   Personnes non comptées dans ce foyer, dont le droit est examiné à part : " << named(f.not_counted)
           << ".\n";
      if (!f.unknown.empty())
        s_ << "   Personnes dont on ne sait pas si elles font partie de ce foyer : " << named(f.unknown) << ".\n";
    }
    s_ << "   Les données qui ont compté pour ce résultat :\n";
    bool any = false;
    auto group = [&](const std::string& heading, const std::string& person) {
      bool first = true;
      for (const auto& d : e_.data) {
        if (!d.used || person_of(d.name) != person) continue;
        if (first) s_ << "   " << capitalised(heading) << " :\n";
        first = false;
        any = true;
        datum(d);
      }
    };
    group("votre foyer", "");
    for (const auto& p : persons_.all())
      if (shown(p.id)) group(p.name, p.id);
    if (!any) s_ << "   aucune.\n";
    std::vector<std::string> unused;
    for (const auto& d : e_.data)
      if (!d.used && shown(person_of(d.name)) && std::find(unused.begin(), unused.end(), d.label) == unused.end())
        unused.push_back(d.label);
    if (!unused.empty()) {
      std::string list;
      for (const auto& u : unused) list += (list.empty() ? "" : " ; ") + u;
      s_ << "   Données également lues, sans effet sur ce résultat : " << list << ".\n";
    }
  }

  void parameters() {
    s_ << "\n3° Paramètres de traitement appliqués à votre situation\n";
    if (e_.parameters.empty()) s_ << "   Aucun montant ni seuil fixé par un texte n'a servi à ce résultat.\n";
    for (const auto& p : e_.parameters) {
      const ParamDecl* d = param_decl(p_, p.name);
      s_ << "   - " << (p.description.empty() ? kNoLabel : one_line(p.description)) << " : " << parameter_value(p, d);
      if (!p.in_force_since.empty()) s_ << ", en vigueur depuis le " << french_long_date(p.in_force_since);
      if (!p.reference.empty()) s_ << " (" << one_line(p.reference) << ")";
      s_ << "\n";
    }
  }

  // An operation that is a parameter as such (a result giving the rate of
  // reduction) reads as that parameter does.
  bool rate(const ExplainedOperation& o) const { return is_rate(param_decl(p_, one_line(o.formula))); }

  void operations() {
    s_ << "\n4° Opérations effectuées\n";
    for (const auto& o : e_.operations) {
      if (o.name == "foyer" || is_route(p_, o.name)) continue;  // said in 2° and 1°
      const ResultDecl* result = result_decl(p_, o.name);
      if (result && !result_given(result)) continue;
      Json v = parse(o.value_json);
      if (o.name == "eligible") {
        v = for_reader(v, persons_.reader());
        s_ << "   - " << label_of(o) << " : "
           << with_reference(v.kind != Json::Kind::kBool ? "on ne peut pas encore le dire, des données manquent"
                             : v.flag                    ? "conditions remplies"
                                                         : "conditions non remplies",
                             o.reference)
           << "\n";
        continue;
      }
      if (result) {
        s_ << "   - " << label_of(o) << " : " << with_reference(result_text(o, *result), o.reference) << "\n";
        continue;
      }
      const VariableDecl* decl = variable_decl(p_, o.name);
      // A value per person reads inline when it is the reader's alone.
      const bool reader_only = v.items.size() == 1 && v.items.front().first == persons_.reader();
      if (v.kind == Json::Kind::kObject && (!others_ || reader_only)) v = for_reader(v, persons_.reader());
      if (v.kind != Json::Kind::kObject) {
        s_ << "   - " << label_of(o) << " : " << with_reference(operation_value(v, o, decl, false, rate(o)), o.reference)
           << "\n";
        continue;
      }
      s_ << "   - " << with_reference(label_of(o), o.reference) << " :\n";
      for (const auto& [id, value] : v.items)
        s_ << "       " << capitalised(persons_.name(id)) << " : " << operation_value(value, o, decl, false, rate(o))
           << "\n";
    }
  }

  // The abbreviations of the law's texts the references use, spelt out.
  void abbreviations() {
    static const std::pair<const char*, const char*> kKnown[] = {
        {"CSS", "code de la sécurité sociale"},
        {"CASF", "code de l'action sociale et des familles"},
        {"LFSS", "loi de financement de la sécurité sociale"},
        {"EPCI", "établissement public de coopération intercommunale"},
        {"DGFiP", "direction générale des finances publiques"},
        {"DRM", "dispositif de ressources mensuelles"},
        {"INSEE", "Institut national de la statistique et des études économiques"},
    };
    const std::string text = s_.str();
    auto word_at = [&](size_t at, size_t size) {
      auto letter = [&](size_t i) { return std::isalnum(static_cast<unsigned char>(text[i])) != 0; };
      return (at == 0 || !letter(at - 1)) && (at + size >= text.size() || !letter(at + size));
    };
    std::vector<std::string> used;
    for (const auto& [abbreviation, meaning] : kKnown) {
      const std::string a = abbreviation;
      for (size_t at = text.find(a); at != std::string::npos; at = text.find(a, at + 1))
        if (word_at(at, a.size())) {
          used.push_back(a + " : " + meaning);
          break;
        }
    }
    if (used.empty()) return;
    s_ << "\nAbréviations\n";
    for (const auto& u : used) s_ << "   " << u << "\n";
  }

  const Explanation& e_;
  const std::string& status_;
  const CitizenReader& r_;
  const Program* p_;
  Persons persons_;
  bool others_;
  Json results_;
  std::ostringstream s_;
};

}  // namespace

std::string citizen_text(const Explanation& e, const std::string& status, const CitizenReader& reader) {
  return Writer(e, status, reader).text();
}

}  // namespace proactif
