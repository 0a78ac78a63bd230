#include "eval/explanation_text.hpp"

#include <simdjson.h>

#include <algorithm>
#include <sstream>

#include "eval/decision_json.hpp"

namespace proactif {

std::string one_line(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

namespace {

std::string french_value(const std::string& json) {
  if (json == "null") return "inconnu";
  if (json == "true") return "oui";
  if (json == "false") return "non";
  return json;
}

std::string french_unit(const std::string& unit) {
  if (unit == "EUR/month") return " €/mois";
  if (unit == "EUR/year") return " €/an";
  if (unit == "EUR" || unit == "currency") return " €";
  if (unit == "year") return " ans";
  if (unit == "month") return " mois";
  return "";  // rates, counts and lists speak for themselves
}

// Each result of a decision line (a flat JSON object) by its label and
// unit, as the operations give them: "Participation mensuelle totale du
// foyer : 33 €/mois", not the line's JSON.
std::string results_in_french(const Explanation& e, const std::string& result_json) {
  simdjson::dom::parser parser;
  simdjson::dom::object results;
  if (parser.parse(result_json).get(results) != simdjson::SUCCESS) return result_json;
  std::string out;
  for (auto field : results) {
    const std::string_view key = field.key;  // a name a lambda may capture (clang refuses a structured binding)
    auto op = std::find_if(e.operations.begin(), e.operations.end(),
                           [&](const ExplainedOperation& o) { return o.name == key; });
    const std::string json = simdjson::minify(field.value);
    std::string text = op != e.operations.end() && !op->label.empty() ? op->label : std::string(key);
    text += " : " + french_value(json) + (json == "null" || op == e.operations.end() ? "" : french_unit(op->unit));
    out += (out.empty() ? "" : " ; ") + text;
  }
  return out;
}

}  // namespace

std::string french_status(const std::string& status) {
  if (status == "eligible") return "éligible";
  if (status == "ineligible") return "non éligible";
  return "indéterminé (des données manquent)";
}

std::string explanation_text(const Explanation& e, const std::string& subject, const std::string& status,
                             const std::string& result_json, const std::string& missing) {
  std::ostringstream s;
  s << e.title << " (" << e.program << ") — " << subject << ", situation au " << e.date << "\n";
  s << "Résultat : " << french_status(status);
  if (!result_json.empty() && result_json != "{}") s << " ; " << results_in_french(e, result_json);
  s << "\n";
  if (!missing.empty()) s << "Données manquantes : " << missing << "\n";
  s << "\n1° Contribution de l'algorithme à la décision\n   " << one_line(e.algorithm_role) << "\n";
  s << "   Administration : " << e.authority << "\n";
  for (const auto& r : e.references) s << "   Texte : " << r << "\n";
  // What the decision did not examine, for the agent to confirm as the
  // person is told to expect (citizen_text.cpp).
  if (!e.to_confirm.empty()) {
    s << "   Conditions que l'algorithme n'examine pas, à vérifier par l'organisme :\n";
    for (const auto& c : e.to_confirm) s << "   - " << one_line(c.condition) << (c.reference.empty() ? "" : " (" + c.reference + ")") << "\n";
  } else if (!e.to_confirm_given) {
    s << "   Conditions que l'algorithme n'examine pas : celles que le programme liste (explication enregistrée avant "
         "qu'elle dise lesquelles concernent ce foyer)\n";
  }
  s << "\n2° Données traitées et leurs sources\n";
  for (const auto& d : e.data)
    s << "   - " << d.name << (d.label.empty() ? "" : " (" + d.label + ")") << " : " << french_value(d.value_json)
      << " — source : " << d.source << (d.used ? "" : " (sans effet sur cette décision)") << "\n";
  for (const auto& f : e.foyer) {
    auto list = [](const std::vector<std::string>& ids) {
      std::string out;
      for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
      return out.empty() ? std::string("personne") : out;
    };
    s << "   Foyer retenu (" << f.reference << ") : " << list(f.counted) << "\n";
    if (!f.not_counted.empty()) s << "   Personnes non comptées dans ce foyer : " << list(f.not_counted) << "\n";
    for (const auto& [id, why] : f.why_not_counted) s << "     " << id << " : " << why << "\n";
    if (!f.unknown.empty())
      s << "   Personnes dont on ne sait si elles en font partie : " << list(f.unknown)
        << " (tant que leurs données manquent, ce qui est dit ici vaut pour les données connues)\n";
  }
  s << "\n3° Paramètres appliqués à la situation\n";
  for (const auto& p : e.parameters) {
    s << "   - " << p.name << " = " << p.value_json << french_unit(p.unit);
    if (!p.in_force_since.empty()) s << ", en vigueur depuis le " << p.in_force_since;
    s << "\n     " << (p.description.empty() ? p.path : p.description);
    if (!p.reference.empty()) s << " — " << p.reference;
    s << "\n";
  }
  s << "\n4° Opérations effectuées\n";
  for (const auto& o : e.operations) {
    s << "   - " << o.name << " = " << french_value(o.value_json) << (o.value_json == "null" ? "" : french_unit(o.unit));
    if (!o.label.empty()) s << "  (" << o.label << ")";
    s << "\n     calcul : " << one_line(o.formula) << "\n";
    if (!o.reference.empty()) s << "     fondement : " << o.reference << "\n";
  }
  return s.str();
}

std::string stored_decision_text(const Explanation& e, const std::string& subject, const std::string& status,
                                 const std::string& decision_json, const std::vector<std::string>& persons) {
  const DecisionLine line = representative_line(decision_json, status, persons);
  std::string missing;
  for (const auto& m : line.missing) missing += (missing.empty() ? "" : ", ") + m;
  return explanation_text(e, subject, status, line.result, missing);
}

}  // namespace proactif
