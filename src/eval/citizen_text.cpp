#include "eval/citizen_text.hpp"

#include <algorithm>
#include <sstream>

#include "core/date.hpp"
#include "core/french_writing.hpp"
#include "eval/citizen_persons.hpp"
#include "eval/citizen_values.hpp"
#include "eval/explanation_text.hpp"

namespace proactif {

namespace {

using citizen::datum_value;
using citizen::for_reader;
using citizen::is_rate;
using citizen::param_decl;
using citizen::Json;
using citizen::kNoLabel;
using citizen::operation_value;
using citizen::parameter_value;
using citizen::parse;
using citizen::Persons;
using citizen::readable_source;

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
    if (m.starts_with("parameters.")) {
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
    const bool gap = m.ends_with(no_value);
    const size_t colon = m.find(": ");
    if (colon != std::string::npos && !gap) {
      const std::string whose = m.starts_with("persons.") ? persons_.name(m.substr(8, colon - 8)) : "";
      if (m.find(": not in this foyer", colon) == colon)
        // Whether their own situation was examined is not this decision's
        // to say (a campaign does, `explain` on one situation does not).
        return whose == "vous" ? "vous ne faites pas partie de ce foyer : votre propre situation est à examiner à part"
                               : whose + " ne fait pas partie de ce foyer : sa propre situation est à examiner à part";
      return whose.empty() ? "les données de votre foyer sont incomplètes"
                           : "les données de votre foyer sont incomplètes pour " + whose;
    }
    const std::string name = gap ? m.substr(0, m.size() - no_value.size()) : m;
    const size_t dot = name.rfind('.');
    const std::string what = name.substr(dot + 1);
    const std::string whose = name.starts_with("persons.") ? persons_.name(name.substr(8, dot - 8)) : "";
    std::string label = kNoLabel;
    if (const InputDecl* in = input_decl(p_, what); in && !in->label.empty()) label = in->label;
    else if (const VariableDecl* v = variable_decl(p_, what); v && !v->label.empty()) label = v->label;
    else
      for (const auto& d : e_.data)
        if (d.name.ends_with("." + what) && !d.label.empty()) label = d.label;
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
    // Those that may concern the reader; every one the program lists when
    // the explanation was stored before it said which.
    std::vector<ConditionToConfirm> to_confirm = e_.to_confirm;
    if (!e_.to_confirm_given && p_)
      for (const auto& c : p_->not_evaluated) to_confirm.push_back({c.condition, c.reference});
    if (!to_confirm.empty()) {
      s_ << "   Conditions que l'algorithme n'examine pas, et que cet organisme vérifiera :\n";
      for (const auto& c : to_confirm) s_ << "   - " << with_reference(one_line(c.condition), c.reference) << "\n";
    }
    s_ << "   Textes appliqués :\n";
    for (const auto& t : e_.references) s_ << "   - " << one_line(t) << "\n";
  }

  static std::string person_of(const std::string& name) {
    if (!name.starts_with("persons.")) return "";
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
        s_ << "   " << with_reference("Personnes non comptées dans ce foyer", f.reference)
           << ", dont la propre situation est à examiner à part : " << named(f.not_counted) << ".\n";
      for (const auto& p : persons_.all())  // another person's reason only where their data are shown
        for (const auto& [id, why] : f.why_not_counted)
          if (id == p.id && shown(p.id)) {
            // A reason is written of a person ("cette personne forme un
            // foyer à part"): to the person themselves it is quoted as the
            // rule's, not put after "Vous :" as if said of someone else.
            if (p.name == "vous") s_ << "   - Pour vous, le motif retenu : « " << why << " ».\n";
            else s_ << "   - " << capitalised(p.name) << " : " << why << ".\n";
          }
      // Where whether they count may change who else counts (the RSA's
      // ranks), what is said above holds for the data known, not as settled.
      if (!f.unknown.empty())
        s_ << "   Personnes dont on ne sait pas si elles font partie de ce foyer : " << named(f.unknown)
           << ". Tant que leurs données manquent, ce qui est dit ici vaut pour les données connues.\n";
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
