#include "service/input_fields.hpp"

#include "core/date.hpp"
#include "core/digit_groups.hpp"
#include "core/json_text.hpp"
#include "service/html.hpp"

namespace proactif {

namespace {

std::string label_of(const InputDecl& in, size_t k) {
  return k < in.value_labels.size() && !in.value_labels[k].empty() ? in.value_labels[k] : in.values[k];
}

// A number as typed, without the spaces around it and those that group its
// digits (core/digit_groups.hpp); empty where spaces do not group them so.
std::string without_spaces(std::string_view text) {
  while (!text.empty() && group_space_at(text, 0)) text.remove_prefix(group_space_at(text, 0));
  for (bool trimmed = true; trimmed;) {
    trimmed = false;
    for (size_t n = 1; n <= 3 && n <= text.size(); ++n)
      if (group_space_at(text, text.size() - n) == n) {
        text.remove_suffix(n);
        trimmed = true;
        break;
      }
  }
  return without_digit_group_spaces(text).value_or("");
}

std::string unit_hint(const InputDecl& in) {
  const std::string unit = in.unit.to_string();
  if (unit == "EUR/month") return "en euros par mois";
  if (unit == "EUR/year") return "en euros par an";
  if (unit == "EUR") return "en euros";
  return "";
}

// The prefix of a commune the person chose among those a code may stand
// for: its INSEE code, not to be read as a postcode again.
constexpr std::string_view kChosenCommune = "insee:";

// A commune's code as typed, without the spaces around and within it
// ("38 400 "), Corsica's letters in capitals.
std::string commune_code_typed(std::string typed) {
  if (const std::string plain = without_spaces(typed); !plain.empty()) typed = plain;
  for (char& c : typed)
    if (c == 'a' || c == 'b') c = static_cast<char>(c - 'a' + 'A');  // Corsica's 2a000
  return typed;
}

// The communes `code` may stand for: the commune whose INSEE code it is,
// and those whose postcode it is.
std::vector<const CommuneInfo*> communes_of_code(const Territory& territory, const std::string& code) {
  std::vector<const CommuneInfo*> out;
  const CommuneInfo* own = territory.find(code);
  if (own) out.push_back(own);
  for (const std::string& other : territory.communes_of_postcode(code))
    if (!own || (other != own->code && other != own->commune))
      if (const CommuneInfo* c = territory.find(other)) out.push_back(c);
  return out;
}

// The communes a code typed may stand for; the one chosen among them
// (kChosenCommune) alone.
std::vector<const CommuneInfo*> communes_typed(const Territory& territory, const std::string& typed) {
  const std::string code = commune_code_typed(typed);
  if (code.rfind(kChosenCommune, 0) == 0) {
    const CommuneInfo* chosen = territory.find(std::string_view(code).substr(kChosenCommune.size()));
    return chosen ? std::vector<const CommuneInfo*>{chosen} : std::vector<const CommuneInfo*>{};
  }
  return communes_of_code(territory, code);
}

// The choice among the communes `code` may stand for, `chosen` (an INSEE
// code) ticked, kept however often the form is sent again.
std::string commune_choice(const std::string& id, const std::string& label, const std::string& code,
                           const std::vector<const CommuneInfo*>& communes, const std::string& chosen,
                           const std::string& error_html) {
  const std::string error = error_html.empty() ? "" : " fr-fieldset--error\" aria-describedby=\"" + id + "-erreur";
  std::string out = "<fieldset class=\"fr-fieldset" + error + "\" id=\"" + id +
                    "\"><legend class=\"fr-fieldset__legend fr-text--regular\">" + label + "</legend>";
  for (size_t k = 0; k <= communes.size(); ++k) {
    const std::string option_id = id + "-" + std::to_string(k);
    const std::string value = k < communes.size() ? std::string(kChosenCommune) + communes[k]->code : "";
    const std::string text =
        k < communes.size()
            ? communes[k]->name + " (" + (communes[k]->code == code ? "code INSEE " : "code postal ") + code +
                  (communes[k]->departement.empty() ? "" : ", département " + communes[k]->departement) + ")"
            : "Aucune de ces communes : saisir un autre code";
    const bool ticked = k < communes.size() && communes[k]->code == chosen;
    out += "<div class=\"fr-fieldset__element\"><div class=\"fr-radio-group\"><input type=\"radio\" id=\"" + option_id +
           "\" name=\"" + id + "\" value=\"" + html_escape(value) + "\"" + (ticked ? " checked" : "") +
           "><label class=\"fr-label\" for=\"" + option_id + "\">" + html_escape(text) + "</label></div></div>";
  }
  return out + error_html + "</fieldset>\n";
}

}  // namespace

std::string field_name(const InputDecl& in, int person) {
  return (person < 0 ? "foyer." : "personne" + std::to_string(person + 1) + ".") + in.name;
}

std::string error_at(const std::map<std::string, std::string>& errors, const std::string& name) {
  auto it = errors.find(name);
  return it == errors.end() ? std::string() : it->second;
}

std::optional<RefusedAnswer> refused_answer(const Program& program, const std::string& reason, int persons) {
  for (const InputDecl& in : program.inputs) {
    if (in.entity == Entity::kHousehold && reason.find("household." + in.name + ":") != std::string::npos)
      return RefusedAnswer{&in, -1};
    if (in.entity != Entity::kPerson) continue;
    for (int p = 0; p < persons; ++p)
      if (reason.find("persons.p" + std::to_string(p + 1) + "." + in.name + ":") != std::string::npos)
        return RefusedAnswer{&in, p};
  }
  return std::nullopt;
}

size_t person_beyond_the_form(const FormAnswers& answers, size_t persons) {
  if (!answers.req) return 0;
  for (const auto& [name, value] : answers.req->params) {
    if (name.rfind("personne", 0) != 0 || value.empty()) continue;
    const size_t dot = name.find('.');
    const std::string number = name.substr(8, dot == std::string::npos ? std::string::npos : dot - 8);
    if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos) continue;
    const size_t nth = number.size() > 6 ? 1000000 : std::stoul(number);  // "personne100" too, not skipped
    if (nth > persons) return nth;
  }
  return 0;
}

std::optional<double> french_number(std::string text) {
  std::string plain = without_spaces(text);
  for (char& c : plain)
    if (c == ',') c = '.';
  if (plain.empty() || plain.size() > 15 || plain.find_first_not_of("0123456789.") != std::string::npos ||
      plain.find('.') != plain.rfind('.') || plain.front() == '.' || plain.back() == '.')
    return std::nullopt;
  return std::stod(plain);
}

std::string field(const InputDecl& in, int person, const FormAnswers& answers, const std::string& error,
                  const std::string& hint) {
  const std::string name = field_name(in, person), id = html_escape(name), value = answers.value(name);
  std::string named = in.label.empty() ? in.name : in.label;
  // A commune is asked by its postcode too: its label does not say "code
  // INSEE" alone.
  constexpr std::string_view insee = " (code INSEE)";
  if (in.domain == CodeDomain::kCommune && answers.territory && named.size() > insee.size() &&
      named.compare(named.size() - insee.size(), insee.size(), insee) == 0)
    named.resize(named.size() - insee.size());
  const std::string label = html_escape(named) +
                            (hint.empty() ? "" : "<span class=\"fr-hint-text\">" + html_escape(hint) + "</span>");
  const std::string error_html =
      error.empty() ? "" : "<p class=\"fr-error-text\" id=\"" + id + "-erreur\">" + html_escape(error) + "</p>";
  const std::string described = error.empty() ? "" : " aria-describedby=\"" + id + "-erreur\"";
  switch (in.type) {
    case Type::kBool: {
      std::string out = "<fieldset class=\"fr-fieldset" + std::string(error.empty() ? "" : " fr-fieldset--error") +
                        "\" id=\"" + id + "\"" + described + "><legend class=\"fr-fieldset__legend fr-text--regular\">" +
                        label + "</legend>";
      for (auto [choice, text] : {std::pair{"oui", "Oui"}, {"non", "Non"}, {"", "Je ne sais pas"}}) {
        const std::string option_id = id + "-" + (*choice ? choice : "inconnu");
        out += "<div class=\"fr-fieldset__element fr-fieldset__element--inline\"><div class=\"fr-radio-group\">"
               "<input type=\"radio\" id=\"" + option_id + "\" name=\"" + id + "\" value=\"" + choice + "\"" +
               (value == choice ? " checked" : "") + "><label class=\"fr-label\" for=\"" + option_id + "\">" + text +
               "</label></div></div>";
      }
      return out + error_html + "</fieldset>\n";
    }
    case Type::kCodeList: {
      std::string out = "<fieldset class=\"fr-fieldset\" id=\"" + id + "\"><legend class=\"fr-fieldset__legend "
                        "fr-text--regular\">" + label + "<span class=\"fr-hint-text\">Ne cochez rien si vous ne savez pas."
                        "</span></legend>";
      std::vector<std::pair<std::string, std::string>> choices;
      for (size_t k = 0; k < in.values.size(); ++k) choices.emplace_back(in.values[k], label_of(in, k));
      choices.emplace_back("aucune", "Aucune");
      for (size_t k = 0; k < choices.size(); ++k) {
        const std::string option_id = id + "-" + std::to_string(k);
        out += "<div class=\"fr-fieldset__element\"><div class=\"fr-checkbox-group\"><input type=\"checkbox\" id=\"" +
               option_id + "\" name=\"" + id + "\" value=\"" + html_escape(choices[k].first) + "\"" +
               (answers.has(name, choices[k].first) ? " checked" : "") + "><label class=\"fr-label\" for=\"" + option_id +
               "\">" + html_escape(choices[k].second) + "</label></div></div>";
      }
      return out + "</fieldset>\n";
    }
    case Type::kCode:
      if (in.domain == CodeDomain::kListed) {
        std::string out = "<div class=\"fr-select-group" + std::string(error.empty() ? "" : " fr-select-group--error") +
                          "\"><label class=\"fr-label\" for=\"" + id + "\">" + label + "</label><select class=\"fr-select\" id=\"" +
                          id + "\" name=\"" + id + "\"" + described + "><option value=\"\">Je ne sais pas</option>";
        for (size_t k = 0; k < in.values.size(); ++k) {
          if (is_role(in) && person > 0 && in.values[k] == "applicant") continue;  // the first person is the applicant
          out += "<option value=\"" + html_escape(in.values[k]) + "\"" + (value == in.values[k] ? " selected" : "") + ">" +
                 html_escape(label_of(in, k)) + "</option>";
        }
        return out + "</select>" + error_html + "</div>\n";
      }
      [[fallthrough]];
    default: {
      const bool commune = in.type == Type::kCode && in.domain == CodeDomain::kCommune;
      std::string shown = value;
      if (commune && answers.territory && !value.empty()) {
        std::string code = commune_code_typed(value), chosen;
        if (code.rfind(kChosenCommune, 0) == 0) code = chosen = code.substr(kChosenCommune.size());
        const auto communes = communes_of_code(*answers.territory, code);
        if (communes.size() > 1) return commune_choice(id, label, code, communes, chosen, error_html);
        if (!chosen.empty()) shown = chosen;
      }
      std::string format = in.type == Type::kDate ? ""
                           : commune ? (answers.territory ? "Code postal ou code INSEE, par exemple 38000 pour Grenoble"
                                                          : "5 caractères, par exemple 38185 pour Grenoble")
                                     : unit_hint(in);
      const char* type = in.type == Type::kDate ? "date" : "text";
      const char* mode = in.type == Type::kNumber ? " inputmode=\"decimal\"" : "";
      return "<div class=\"fr-input-group" + std::string(error.empty() ? "" : " fr-input-group--error") +
             "\"><label class=\"fr-label\" for=\"" + id + "\">" + label +
             (format.empty() ? "" : "<span class=\"fr-hint-text\">" + html_escape(format) + "</span>") +
             "</label><input class=\"fr-input\" type=\"" + type + "\"" + mode + " id=\"" + id + "\" name=\"" + id +
             "\" value=\"" + html_escape(shown) + "\"" + described + "></div>" + error_html + "\n";
    }
  }
}

bool is_role(const InputDecl& in) { return in.name == "role" && in.entity == Entity::kPerson; }
bool asked_of_others_only(const InputDecl& in) { return is_role(in) || in.name == "dependant"; }


std::string answer_json(const InputDecl& in, int person, const FormAnswers& answers,
                        std::map<std::string, std::string>& errors) {
  const std::string name = field_name(in, person);
  std::string value = answers.value(name);
  if (person == 0 && is_role(in)) value = "applicant";
  // One answer per question but a list's: a field sent twice (a tool, a
  // page tampered with) would otherwise be read as its first.
  if (in.type != Type::kCodeList && answers.req && answers.req->get_param_value_count(name) > 1) {
    errors[name] = "Cette réponse est donnée deux fois.";
    return "null";
  }
  std::string out;
  switch (in.type) {
    case Type::kBool:
      // The three choices the page offers; anything else was not chosen
      // there (a page tampered with), and is not taken for "Je ne sais pas".
      if (!value.empty() && value != "oui" && value != "non") {
        errors[name] = "Choisissez oui, non ou « Je ne sais pas ».";
        return "null";
      }
      return value == "oui" ? "true" : value == "non" ? "false" : "null";
    case Type::kNumber: {
      if (value.empty()) return "null";
      // "12.500" is twelve thousand five hundred written the French way
      // or twelve and a half: not a guess to decide on.
      const std::string digits = without_spaces(value);
      // Said for what it is: "-50" is a number, below what is asked (a
      // tester), however its spaces or its minus sign are written.
      size_t first = 0;
      for (bool space = true; space;) {
        const size_t n = value.compare(first, 1, " ") == 0 || value.compare(first, 1, "\t") == 0 ? 1
                         : value.compare(first, 2, "\xc2\xa0") == 0                              ? 2  // no-break space
                         : value.compare(first, 3, "\xe2\x80\xaf") == 0                          ? 3  // narrow one
                                                                                               : 0;
        first += n;
        space = n > 0;
      }
      if (value.compare(first, 1, "-") == 0 || value.compare(first, 3, "\xe2\x88\x92") == 0) {  // or U+2212
        errors[name] = "Saisissez un nombre positif ou nul.";
        return "null";
      }
      const size_t point = digits.find('.');
      if (point != std::string::npos && point > 0 && digits.substr(0, point) != "0" && digits.find(',') == std::string::npos &&
          digits.find_first_not_of("0123456789", point + 1) == std::string::npos && digits.size() - point - 1 == 3) {
        errors[name] = "Écrivez les milliers sans point et les décimales après une virgule : 12 500 ou 12,50.";
        return "null";
      }
      auto number = french_number(value);
      if (!number) {
        // 10^15 is a number too, too large to be read.
        const size_t units = digits.find_first_of(".,");
        errors[name] = digits.find_first_not_of("0123456789.,") == std::string::npos &&
                               (units == std::string::npos ? digits.size() : units) > 15
                           ? "Ce nombre est trop grand."
                           : "Saisissez un nombre, par exemple 1 234,56.";
        return "null";
      }
      const size_t mark = digits.find_first_of(".,");
      if (in.unit.to_string().rfind("EUR", 0) == 0 && mark != std::string::npos &&
          digits.find_first_not_of('0', mark + 3) != std::string::npos) {
        errors[name] = "Un montant a au plus deux décimales (les centimes).";
        return "null";
      }
      append_json_number(out, *number);
      return out;
    }
    case Type::kDate:
      if (!value.empty() && !parse_iso_date(value)) errors[name] = "Saisissez une date qui existe.";
      break;
    case Type::kCode:
      if (in.domain != CodeDomain::kCommune || !answers.territory || value.empty()) break;
      if (const auto communes = communes_typed(*answers.territory, value); communes.size() == 1) {
        append_json_string(out, communes.front()->code);
        return out;
      } else if (communes.size() > 1) {
        errors[name] = "Ce code est celui de plusieurs communes : choisissez la vôtre.";
        return "null";
      }
      errors[name] = "Aucune commune n'a ce code postal ni ce code INSEE : vérifiez-le.";
      return "null";
    case Type::kCodeList: {
      if (!answers.req || answers.req->get_param_value_count(name) == 0) return "null";
      out = "[";
      for (size_t k = 0; k < in.values.size(); ++k)
        if (answers.has(name, in.values[k])) {
          if (out.size() > 1) out += ",";
          append_json_string(out, in.values[k]);
        }
      return out + "]";
    }
    default: break;
  }
  if (value.empty()) return "null";
  append_json_string(out, value);
  return out;
}

void append_answer(std::string& out, const InputDecl& in, int person, const FormAnswers& answers,
                   std::map<std::string, std::string>& errors) {
  out += out.size() > 1 ? "," : "";
  append_json_string(out, in.name);
  out += ":" + answer_json(in, person, answers, errors);
}

}  // namespace proactif
