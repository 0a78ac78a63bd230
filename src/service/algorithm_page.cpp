#include "service/algorithm_page.hpp"

#include "core/date.hpp"
#include "core/json_text.hpp"
#include "service/html.hpp"

namespace proactif {

namespace {

std::string number_text(double value) {
  std::string out;
  append_json_number(out, value);
  for (char& c : out)
    if (c == '.') c = ',';
  return out;
}

std::string value_text(const DatedValue& v, const std::string& unit, bool boolean) {
  // No value from then: a text repealed, or a revaluation not yet published
  // (its source says which); never "no longer in force" of a date to come,
  // which a tester read on 1 April 2027's row.
  if (v.is_null) return "aucune valeur inscrite";
  if (v.is_list) {
    std::string out;
    for (const auto& code : v.codes) out += (out.empty() ? "" : ", ") + code;
    return out.empty() ? "aucun" : out;
  }
  if (boolean) return v.number != 0 ? "oui" : "non";
  return number_text(v.number) + (unit == "currency" || unit == "currency-EUR" ? " €" : unit == "year" ? " ans" : "");
}

// "titre <https://...>" as the parameter files cite a text: the title, linked.
std::string reference_html(const std::string& reference) {
  size_t open = reference.rfind(" <");
  if (open == std::string::npos || reference.back() != '>') return html_escape(reference);
  std::string url = reference.substr(open + 2, reference.size() - open - 3);
  if (url.rfind("https://", 0) != 0) return html_escape(reference);
  return "<a href=\"" + html_escape(url) + "\" rel=\"noopener\">" + html_escape(reference.substr(0, open)) + "</a>";
}

std::string dated_rows(const std::vector<DatedValue>& values, const std::string& unit, const std::string& label,
                       bool boolean = false) {
  std::string out;
  for (const DatedValue& v : values)
    out += "<tr><td class=\"fr-cell--multiline\">" + html_escape(label) + "</td><td class=\"fr-cell--multiline\">" + html_escape(format_french_date(v.start)) + "</td><td class=\"fr-cell--multiline\">" +
           html_escape(value_text(v, unit, boolean)) + "</td><td class=\"fr-cell--multiline\">" + reference_html(v.reference) + "</td></tr>\n";
  return out;
}

// A parameter's dotted path, breakable after each dot on a narrow screen.
std::string path_html(const std::string& path) {
  std::string out;
  for (char c : html_escape(path)) {
    out += c;
    if (c == '.' || c == '_') out += "<wbr>";
  }
  return out;
}

std::string parameters_section(const Program& program) {
  std::string out = "<h2>Les paramètres et leurs valeurs dans le temps</h2>\n";
  for (const ParamDecl& p : program.params) {
    if (!p.parameter) continue;
    const Parameter& param = *p.parameter;
    std::string title = param.description.empty() ? p.name : param.description;
    std::string rows;
    if (param.kind == Parameter::Kind::kValue) {
      rows = dated_rows(param.values, param.unit, title, p.type == Type::kBool);
    } else {
      for (size_t b = 0; b < param.brackets.size(); ++b) {
        const ScaleBracket& bracket = param.brackets[b];
        // Where a band's ceiling is in it ("(lower, upper]"), the next
        // starts above it; the first at its floor.
        const char* from = b > 0 && !p.lower_bound_inclusive ? " : au-delà de" : " : à partir de";
        rows += dated_rows(bracket.threshold, param.threshold_unit, "tranche " + std::to_string(b + 1) + from);
        rows += dated_rows(bracket.amount, param.unit, "tranche " + std::to_string(b + 1) + " : montant ou taux");
      }
    }
    out += html_table(html_escape(title) + " <span class=\"fr-text--xs\">(" + path_html(param.path) + ")</span>",
                 {"Paramètre", "En vigueur depuis le", "Valeur", "Source"}, rows);
  }
  return out;
}

std::string rules_section(const Program& program) {
  std::string rows;
  for (const VariableDecl& v : program.variables) {
    if (v.for_messages || (v.label.empty() && v.reference.empty())) continue;
    rows += "<tr><td class=\"fr-cell--multiline\">" + html_escape(v.label.empty() ? v.name : v.label) + "</td><td class=\"fr-cell--multiline\">" + html_escape(v.reference) +
            "</td><td class=\"fr-cell--multiline\"><code>" + html_escape(v.formula.text) + "</code></td></tr>\n";
  }
  for (const ResultDecl& r : program.results)
    rows += "<tr><td class=\"fr-cell--multiline\">" + html_escape(r.value.label.empty() ? r.value.name : r.value.label) + "</td><td class=\"fr-cell--multiline\">" +
            html_escape(r.value.reference) + "</td><td class=\"fr-cell--multiline\"><code>" + html_escape(r.value.formula.text) + "</code></td></tr>\n";
  return "<h2>Les règles appliquées</h2>\n<p>Chaque règle est écrite dans le fichier du programme avec l'article qui la "
         "fonde ; la formule est celle que le service évalue.</p>\n" +
         html_table("Règles du programme", {"Règle", "Texte", "Formule"}, rows);
}

// Why a person listed is left out of the foyer, as the explanations say it:
// the page publishes the same reasons and when each is given.
std::string foyer_reasons_section(const Program& program) {
  if (program.foyer_exclusions.empty()) return "";
  std::string rows;
  for (const FoyerExclusion& e : program.foyer_exclusions)
    rows += "<tr><td class=\"fr-cell--multiline\">" + html_escape(e.reason) + "</td><td class=\"fr-cell--multiline\">" +
            html_escape(e.reference) + "</td><td class=\"fr-cell--multiline\"><code>" +
            html_escape(program.variables[static_cast<size_t>(e.when)].formula.text) + "</code></td></tr>\n";
  return "<h2>Pourquoi une personne n'est pas comptée dans le foyer</h2>\n<p>Une personne qui vit avec le demandeur "
         "sans être comptée dans le foyer reçoit, dans l'explication de la décision, la première de ces raisons dont "
         "la condition est remplie pour elle.</p>\n" +
         html_table("Raisons de ne pas compter une personne", {"Raison", "Texte", "Condition"}, rows);
}

std::string data_section(const Program& program) {
  std::string rows;
  for (const InputDecl& in : program.inputs)
    rows += "<tr><td class=\"fr-cell--multiline\">" + html_escape(in.label.empty() ? in.name : in.label) + "</td><td class=\"fr-cell--multiline\">" +
            html_escape(in.entity == Entity::kHousehold ? "le foyer" : "chaque personne") + "</td><td class=\"fr-cell--multiline\">" +
            html_escape(in.source.empty() ? "déclarée par la personne" : in.source) +
            (in.api_particulier ? html_escape(std::string(" ; lors d'une demande, obtenue avec l'accord de la personne "
                                                          "auprès de : ") + route_of(*in.api_particulier).provider +
                                              " (API Particulier, " + route_of(*in.api_particulier).by_identity + ")" +
                                              (in.stated.empty() ? "" : ", à défaut déclarée par la personne (" + in.stated +
                                                                            ")"))
                                : "") +
            "</td></tr>\n";
  return "<h2>Les données utilisées et leur origine</h2>\n<p>Le programme ne lit que ces données ; une donnée absente "
         "n'est jamais tenue pour nulle : la décision reste alors indéterminée et nomme ce qui manque.</p>\n" +
         html_table("Données lues", {"Donnée", "Concerne", "Administration qui la détient"}, rows);
}

}  // namespace

std::string algorithm_page_body(const Program& program) {
  std::string out = "<h2>Ce que fait l'algorithme</h2>\n" + html_paragraphs(program.algorithm_role);
  out += "<h2>Qui décide</h2>\n<p>Organisme qui décide : " + html_escape(program.authority) +
         ". L'algorithme l'aide à repérer les personnes qui pourraient avoir droit et à calculer le montant ; il ne "
         "décide pas seul.</p>\n";
  out += "<h2>Textes de référence</h2>\n<ul>\n";
  for (const auto& r : program.references) out += "<li>" + html_escape(r) + "</li>\n";
  out += "</ul>\n";
  if (!program.automatic_routes.empty()) {
    out += "<h2>Attribution sans demande</h2>\n<ul>\n";
    for (const AutomaticRoute& route : program.automatic_routes)
      out += "<li>" + html_escape(route.label) + " (" + html_escape(route.reference) + ")</li>\n";
    out += "</ul>\n";
  }
  out += rules_section(program) + foyer_reasons_section(program) + parameters_section(program) + data_section(program);
  out += "<h2>Conditions que l'algorithme n'examine pas</h2>\n";
  // A program that lists none says so: an empty list would read as a page
  // left unfinished.
  if (program.not_evaluated.empty())
    return out + "<p>Le fichier du programme n'en liste aucune : les conditions ci-dessus sont toutes celles qu'il "
                 "connaît. L'organisme qui décide peut en vérifier d'autres (les justificatifs qu'il demande).</p>\n";
  out += "<p>Elles restent à vérifier par l'organisme qui décide ; un message envoyé à partir de ce programme les "
         "cite.</p>\n<ul>\n";
  for (const UncheckedCondition& c : program.not_evaluated)
    out += "<li>" + html_escape(c.condition) + " (" + html_escape(c.reference) + ")" +
           (c.when < 0 ? ""
                       : " ; cité seulement quand <code>" +
                             html_escape(program.variables[static_cast<size_t>(c.when)].formula.text) + "</code> n'est pas faux") +
           "</li>\n";
  return out + "</ul>\n";
}

std::string algorithms_index_body(const std::vector<const Program*>& programs) {
  std::string out =
      "<p>Les administrations qui utilisent Proactif publient ici les règles de chaque traitement algorithmique "
      "qui fonde des décisions individuelles (code des relations entre le public et l'administration, art. L312-1-3). "
      "Chaque page est produite à partir du fichier que le service évalue.</p>\n<ul>\n";
  for (const Program* p : programs)
    out += "<li><a href=\"/algorithmes/" + html_escape(p->id) + "\">" + html_escape(p->title) + "</a> : " +
           html_escape(p->authority) + "</li>\n";
  return out + "</ul>\n";
}

}  // namespace proactif
