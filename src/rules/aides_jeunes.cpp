#include "rules/aides_jeunes.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "core/json_text.hpp"
#include "core/yaml_file.hpp"

namespace fs = std::filesystem;

namespace proactif {

namespace {

// A condition the language cannot write yet: the benefit is not loaded.
Failure cannot(std::string why) { return {Error(ErrorKind::kProgram, std::move(why))}; }

// The data the catalogue's conditions read, declared in a program only when
// one of its rules reads them. Names and codes shared with Proactif's other
// programs (CONTRACT.md: commune, birth_date, student, rsa, housing, role)
// are declared alike, so that one population feeds them all.
const std::map<std::string, std::string>& input_declarations() {
  static const std::map<std::string, std::string> kInputs = {
      {"birth_date", "{entity: person, type: date, label: \"Date de naissance\"}"},
      {"commune", "{entity: household, type: code, domain: commune, dwelling: true, label: \"Commune de résidence "
                  "(code INSEE)\"}"},
      {"role", "{entity: person, type: code, values: [applicant, spouse, child, other], label: \"Place dans le "
               "foyer\"}"},
      {"revenu_fiscal_de_reference", "{entity: household, type: number, unit: EUR/year, label: \"Revenu fiscal de "
                                     "référence du foyer fiscal\", source: DGFiP}"},
      {"nombre_de_parts", "{entity: household, type: number, minimum: 1, maximum: 50, label: \"Nombre de parts du "
                          "foyer fiscal\", source: DGFiP}"},
      {"student", "{entity: person, type: boolean, label: \"Inscription dans l'enseignement supérieur\", source: "
                  "Universités, api_particulier: statut_etudiant}"},
      // Higher education is `student` (CONTRACT.md), which extracts and API
      // Particulier give: not a third way of saying it here.
      {"scolarite", "{entity: person, type: code, values: [college, lycee, autre], label: \"Collège ou lycée "
                    "fréquenté (autre : ni l'un ni l'autre)\"}"},
      {"activite", "{entity: person, type: code, values: [etudiant, salarie, independant, chomeur, inactif, "
                   "retraite], label: \"Activité\"}"},
      {"contrat_alternant", "{entity: person, type: code, values: [apprenti, professionnalisation, aucun], label: "
                            "\"Contrat en alternance\"}"},
      {"stagiaire", "{entity: person, type: boolean, label: \"En stage\"}"},
      {"service_civique", "{entity: person, type: boolean, label: \"En service civique\"}"},
      {"handicap", "{entity: person, type: boolean, label: \"En situation de handicap\"}"},
      {"boursier", "{entity: person, type: boolean, label: \"Boursier ou boursière (lycée ou enseignement "
                   "supérieur)\"}"},
      {"annee_etude", "{entity: person, type: code, values: [seconde, premiere, terminale, cap_1, cap_2, bts_1, "
                      "bts_2, but_1, but_2, but_3, cpge_1, cpge_2, licence_1, licence_2, licence_3, master_1, "
                      "master_2, doctorat, autre], label: \"Année d'études\"}"},
      {"mention_baccalaureat", "{entity: person, type: code, values: [mention_tres_bien_felicitations_jury, "
                               "mention_tres_bien, mention_bien, mention_assez_bien, sans_mention], label: \"Mention "
                               "au baccalauréat\"}"},
      {"taux_incapacite", "{entity: person, type: number, minimum: 0, maximum: 1, label: \"Taux d'incapacité "
                          "(0,5 pour 50 %)\"}"},
      {"formation_sanitaire_sociale", "{entity: person, type: boolean, label: \"En formation du secteur sanitaire "
                                      "ou social\"}"},
      {"regime_securite_sociale", "{entity: person, type: code, values: [regime_general, regime_agricole, autre], "
                                  "label: \"Régime de sécurité sociale\"}"},
      {"difficultes_logement", "{entity: household, type: boolean, label: \"Difficultés d'accès au logement ou à "
                               "ses frais\"}"},
      {"agence_travail_temporaire", "{entity: person, type: boolean, label: \"Inscrit dans une agence de travail "
                                    "temporaire\"}"},
      {"housing", "{entity: household, type: code, values: [tenant, owner, free, homeless], label: \"Statut "
                  "d'occupation du logement\", source: CAF}"},
      {"rsa", "{entity: household, type: boolean, label: \"Bénéfice du RSA par le foyer\", source: CAF, api_particulier: "
              "beneficiaire_rsa}"},
  };
  return kInputs;
}

std::string text_of(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : std::string(); }

std::vector<std::string> texts_of(const YAML::Node& n, const std::string& what) {
  std::vector<std::string> out;
  if (!n) return out;
  if (!n.IsSequence()) throw cannot(what + ": not a list");
  for (const auto& v : n) out.push_back(text_of(v));
  return out;
}

// A code as a formula's literal: the formula language has no escapes, so
// only letters, digits and "_" are let in ("84", "2A", "242900314", "terminale").
std::string code_literal(const std::string& v) {
  const bool plain = !v.empty() && v.size() <= 64 && std::all_of(v.begin(), v.end(), [](char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_';
  });
  if (!plain) throw cannot("the code '" + v + "' is not letters, digits and '_'");
  return "\"" + v + "\"";
}

std::string list_literal(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + code_literal(values[i]);
  return out + "]";
}

// ">=" and the others as the language writes them and as a sentence says them.
std::pair<std::string, std::string> comparison(const YAML::Node& c) {
  const std::string op = text_of(c["operator"]);
  if (op == ">=") return {">=", "au moins"};
  if (op == ">") return {">", "plus de"};
  if (op == "<=") return {"<=", "au plus"};
  if (op == "<") return {"<", "moins de"};
  if (op == "=") return {"==", "exactement"};
  throw cannot("operator '" + op + "'");
}

// A decimal number as the files write them (16, 0.5, -1), which goes into a
// formula as it is: nothing else (no exponent, no "nan", no sign of another
// token) is let through.
std::string number_of(const YAML::Node& n, const std::string& what) {
  const std::string v = text_of(n);
  const size_t at = v.size() > 1 && v[0] == '-' ? 1 : 0;
  size_t digits = 0, points = 0;
  bool other = false;
  for (size_t i = at; i < v.size(); ++i) {
    if (v[i] >= '0' && v[i] <= '9') ++digits;
    else if (v[i] == '.' && i > at && i + 1 < v.size()) ++points;
    else other = true;
  }
  if (other || digits == 0 || points > 1 || v.size() > 24) throw cannot(what + ": '" + v + "' is not a number");
  return v;
}

struct Rule {
  std::string formula, label;
};

class Writer {
 public:
  Writer(const YAML::Node& institution, const std::string& institution_id, const Territory& territory,
         std::vector<std::string>& notes)
      : institution_(institution), institution_id_(institution_id), territory_(territory), notes_(notes) {}

  Rule condition(const YAML::Node& c) {
    const std::string type = text_of(c["type"]);
    if (type == "age") {
      auto [op, words] = comparison(c);
      const std::string n = number_of(c["value"], "age");
      use("birth_date");
      return {"age(birth_date, date) " + op + " " + n + " [year]", "Âge : " + words + " " + n + " ans"};
    }
    if (type == "regions" || type == "departements" || type == "epcis") {
      auto values = texts_of(c["values"], type);
      if (values.empty()) return {"true", "Sans condition de territoire"};
      use("commune");
      const char* fn = type == "regions" ? "region" : type == "departements" ? "departement" : "epci";
      const char* words = type == "regions" ? "la région" : type == "departements" ? "le département" : "l'intercommunalité";
      return {std::string(fn) + "(commune) in " + list_literal(values),
              std::string("Résider dans ") + words + " (code " + join(values) + ")"};
    }
    if (type == "excluded_epcis") {
      auto values = texts_of(c["values"], type);
      if (values.empty()) return {"true", "Sans intercommunalité exclue"};
      use("commune");
      return {"not (epci(commune) in " + list_literal(values) + ")",
              "Ne pas résider dans l'intercommunalité (SIREN " + join(values) + ")"};
    }
    if (type == "communes") {
      auto values = texts_of(c["values"], type);
      if (values.empty()) return {"true", "Sans condition de commune"};
      std::vector<std::string> known;
      for (const auto& v : values) {
        if (territory_.find(v)) known.push_back(v);
        else notes_.push_back("commune code " + v + " designates no commune of the official geography: left out");
      }
      // A code that designates no commune matches nobody's commune: the
      // simulator compares it with the household's, which is one.
      if (known.empty()) return {"false", "Résider dans une commune que le simulateur nomme par un code disparu"};
      use("commune");
      return {"commune in " + list_literal(with_parts(known)), "Résider dans la commune (code INSEE " + join(known) + ")"};
    }
    if (type == "attached_to_institution") return attached();
    if (type == "quotient_familial") {
      auto [op, words] = comparison(c);
      const std::string n = number_of(c["value"], "quotient_familial");
      const std::string period = text_of(c["period"]);
      if (period != "month" && period != "year") throw cannot("quotient_familial: period '" + period + "'");
      use("revenu_fiscal_de_reference");
      use("nombre_de_parts");
      const std::string qf = "revenu_fiscal_de_reference / nombre_de_parts";
      if (period == "month")
        return {"per_month(" + qf + ") " + op + " " + n + " [EUR/month]",
                "Quotient familial fiscal (revenu fiscal de référence / parts / 12) : " + words + " " + n + " € par mois"};
      return {qf + " " + op + " " + n + " [EUR/year]",
              "Quotient familial fiscal (revenu fiscal de référence / parts) : " + words + " " + n + " € par an"};
    }
    if (type == "formation_sanitaire_social") return flag("formation_sanitaire_sociale", "En formation sanitaire ou sociale");
    if (type == "difficultes_acces_ou_frais_logement") return flag("difficultes_logement", "Difficultés d'accès au logement ou à ses frais");
    if (type == "agence_travail_temporaire") return flag("agence_travail_temporaire", "Inscrit dans une agence de travail temporaire");
    if (type == "beneficiaire_rsa") return rsa_of_own_family();
    if (type == "boursier") return flag("boursier", "Boursier ou boursière");
    if (type == "regime_securite_sociale") {
      return includes_excludes(c, "regime_securite_sociale", {{"regime_general", "regime_general"},
                                                               {"regime_agricole", "regime_agricole"}},
                               "Régime de sécurité sociale");
    }
    if (type == "statut_occupation_logement") {
      return includes_excludes(c, "housing",
                               {{"sans_domicile", "homeless"}, {"proprietaire", "owner"}, {"primo_accedant", "owner"},
                                {"loge_gratuitement", "free"}, {"locataire_vide", "tenant"},
                                {"locataire_meuble", "tenant"}, {"locataire_hlm", "tenant"},
                                {"locataire_foyer", "tenant"}},
                               "Statut d'occupation du logement");
    }
    if (type == "annee_etude" || type == "mention_baccalaureat") {
      // A value the input does not list is refused by the checker, naming it.
      auto values = texts_of(c["values"], type);
      use(type);
      return {type + " in " + list_literal(values),
              (type == "annee_etude" ? "Année d'études : " : "Mention au baccalauréat : ") + join(values)};
    }
    if (type == "taux_incapacite") {
      auto [op, words] = comparison(c);
      const std::string n = number_of(c["value"], "taux_incapacite");
      use("taux_incapacite");
      return {"taux_incapacite " + op + " " + n, "Taux d'incapacité : " + words + " " + n};
    }
    if (type == "enfants_eligibles") {
      auto [op, words] = comparison(c);
      const std::string n = number_of(c["value"], "enfants_eligibles");
      std::string where = "role == \"child\"";
      std::string ages;
      if (c["age_min"]) {
        const std::string a = number_of(c["age_min"], "age_min");
        where += " and age(birth_date, date) >= " + a + " [year]";
        ages += " d'au moins " + a + " ans";
      }
      if (c["age_max"]) {
        const std::string a = number_of(c["age_max"], "age_max");
        where += " and age(birth_date, date) <= " + a + " [year]";
        ages += std::string(ages.empty() ? "" : " et") + " d'au plus " + a + " ans";
      }
      use("role");
      use("birth_date");
      const std::string count = household_count(where, "Nombre d'enfants du foyer" + ages);
      return {count + " " + op + " " + n, "Nombre d'enfants" + ages + " : " + words + " " + n};
    }
    throw cannot("condition type '" + type + "'");
  }

  Rule profile(const YAML::Node& p) {
    const std::string type = text_of(p["type"]);
    static const std::map<std::string, std::pair<std::string, std::string>> kProfiles = {
        {"enseignement_superieur", {"student", "Inscrit dans l'enseignement supérieur"}},
        {"lyceen", {"scolarite == \"lycee\"", "Lycéen ou lycéenne"}},
        {"collegien", {"scolarite == \"college\"", "Collégien ou collégienne"}},
        {"etudiant", {"activite == \"etudiant\"", "Élève ou étudiant"}},
        {"chomeur", {"activite == \"chomeur\"", "En recherche d'emploi"}},
        {"salarie", {"activite == \"salarie\"", "Salarié ou salariée"}},
        {"inactif", {"activite == \"inactif\"", "Inactif ou inactive"}},
        {"independant", {"activite == \"independant\"", "Travailleur ou travailleuse indépendant"}},
        {"apprenti", {"contrat_alternant == \"apprenti\"", "Apprenti ou apprentie"}},
        {"professionnalisation", {"contrat_alternant == \"professionnalisation\"", "En contrat de professionnalisation"}},
        {"stagiaire", {"stagiaire", "En stage"}},
        {"service_civique", {"service_civique", "En service civique"}},
        {"situation_handicap", {"handicap", "En situation de handicap"}},
        {"beneficiaire_rsa", {"rsa and role in [\"applicant\", \"spouse\"]", "Allocataire du RSA (ou son conjoint)"}},
        {"parent", {"role in [\"applicant\", \"spouse\"] and enfants_du_foyer >= 1", "Parent d'un enfant du foyer"}},
    };
    auto known = kProfiles.find(type);
    if (known == kProfiles.end()) throw cannot("profile type '" + type + "'");
    for (const char* input : {"student", "scolarite", "activite", "contrat_alternant", "stagiaire", "service_civique",
                              "handicap", "rsa", "role"})
      if (known->second.first.find(input) != std::string::npos) use(input);
    if (type == "parent") household_count("role == \"child\"", "Nombre d'enfants du foyer", "enfants_du_foyer");
    Rule r{known->second.first, known->second.second};
    if (YAML::Node cs = p["conditions"]) {
      if (!cs.IsSequence()) throw cannot("profile " + type + ": conditions not a list");
      for (const auto& c : cs) {
        Rule inner = condition(c);
        r.formula = "(" + r.formula + ") and (" + inner.formula + ")";
        r.label += ", " + lowercase_first(inner.label);
      }
    }
    return r;
  }

  const std::set<std::string>& used() const { return used_; }
  // Whether a rule reads a datum of the household other than its dwelling
  // (its tax reference income, its RSA): that datum is the family's the
  // simulator describes, whose foyer the program then declares (foyer()).
  bool reads_the_familys_data() const {
    return std::any_of(used_.begin(), used_.end(), [](const std::string& name) {
      const std::string& declaration = input_declarations().at(name);
      return declaration.find("entity: household") != std::string::npos && declaration.find("dwelling: true") == std::string::npos;
    });
  }
  // The simulator describes a young person and their family: a person
  // listed as living with them and of neither (a lodger) is not decided on
  // the family's data.
  std::string foyer() {
    use("role");
    return "foyer: {label: \"Personne de la famille que le simulateur décrit\", reference: \"Simulateur national des "
           "aides pour les jeunes : le jeune, ses parents et les enfants du foyer\", formula: \"role != 'other'\"}\n";
  }
  // Counts over the household a person's rule reads (a rule per person
  // cannot aggregate), as (name, declaration).
  const std::vector<std::pair<std::string, std::string>>& household_variables() const { return household_; }

 private:
  static std::string join(const std::vector<std::string>& values) {
    std::string out;
    for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + values[i];
    return out;
  }
  static std::string lowercase_first(std::string s) {
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
    return s;
  }
  void use(const std::string& input) { used_.insert(input); }

  // The communes and the codes of their parts (Paris's arrondissements,
  // communes déléguées): the simulator's household names its whole commune,
  // an extract may name the part.
  std::vector<std::string> with_parts(std::vector<std::string> codes) const {
    const size_t listed = codes.size();
    for (const CommuneInfo& c : territory_.communes())
      if (c.commune != c.code && std::find(codes.begin(), codes.begin() + static_cast<long>(listed), c.commune) !=
                                     codes.begin() + static_cast<long>(listed))
        codes.push_back(c.code);
    return codes;
  }

  std::string household_count(const std::string& where, const std::string& label, std::string name = "") {
    if (name.empty()) name = "enfants_comptes_" + std::to_string(household_.size() + 1);
    for (const auto& [n, d] : household_)
      if (n == name) return name;
    household_.push_back({name, "{type: number, unit: \"1\", label: " + json_string(label) +
                                    ", reference: " + json_string("conditions de l'aide (aides-jeunes)") + ", formula: " + json_string("count(all_persons where " + where + ")") + "}"});
    return name;
  }

  // The simulator reads the RSA of the young person's own family: the
  // household's RSA is theirs only as its allocataire or spouse (a child of
  // RSA parents is not told the benefit is theirs).
  Rule rsa_of_own_family() {
    use("rsa");
    use("role");
    return {"rsa and role in [\"applicant\", \"spouse\"]", "Allocataire du RSA (ou son conjoint)"};
  }

  Rule flag(const std::string& input, const std::string& label) {
    use(input);
    return {input, label};
  }

  Rule includes_excludes(const YAML::Node& c, const std::string& input,
                         const std::map<std::string, std::string>& codes, const std::string& label) {
    std::vector<std::string> parts;
    std::string words = label;
    for (const char* key : {"includes", "excludes"}) {
      std::vector<std::string> mapped;
      for (const auto& v : texts_of(c[key], key)) {
        auto code = codes.find(v);
        if (code == codes.end()) throw cannot(input + ": value '" + v + "' has no code in Proactif");
        if (std::find(mapped.begin(), mapped.end(), code->second) == mapped.end()) mapped.push_back(code->second);
      }
      if (mapped.empty()) continue;
      const bool in = std::string(key) == "includes";
      parts.push_back((in ? "" : "not ") + std::string("(") + input + " in " + list_literal(mapped) + ")");
      words += (in ? " : " : " ; sauf ") + join(mapped);
    }
    if (parts.empty()) return {"true", label + " : sans condition"};
    use(input);
    return {parts.size() == 1 ? parts[0] : parts[0] + " and " + parts[1], words};
  }

  // The institution's own territory, as the simulator reads it: a region,
  // département, EPCI or commune by its code; any other kind of institution
  // attaches nobody.
  Rule attached() {
    const std::string type = text_of(institution_["type"]);
    const std::string insee = text_of(institution_["code_insee"]), siren = text_of(institution_["code_siren"]);
    const std::string name = text_of(institution_["name"]);
    auto need = [&](const std::string& code, const char* what) {
      if (code.empty()) throw cannot("attached_to_institution: institution " + institution_id_ + " has no " + what);
      use("commune");
    };
    if (type == "region") {
      need(insee, "code_insee");
      return {"region(commune) == " + code_literal(insee), "Résider dans le territoire de " + name + " (région " + insee + ")"};
    }
    if (type == "departement") {
      need(insee, "code_insee");
      return {"departement(commune) == " + code_literal(insee),
              "Résider dans le territoire de " + name + " (département " + insee + ")"};
    }
    if (type == "epci") {
      need(siren, "code_siren");
      return {"epci(commune) == " + code_literal(siren), "Résider dans le territoire de " + name + " (EPCI " + siren + ")"};
    }
    if (type == "commune") {
      need(insee, "code_insee");
      if (!territory_.find(insee)) throw cannot("attached_to_institution: commune " + insee + " is not in the official geography");
      return {"commune in " + list_literal(with_parts({insee})), "Résider à " + name + " (commune " + insee + ")"};
    }
    return {"false", "Rattachement au territoire de " + name + " (institution de type « " + type +
                         " », que le simulateur ne rattache à aucun territoire)"};
  }

  const YAML::Node& institution_;
  const std::string& institution_id_;
  const Territory& territory_;
  std::vector<std::string>& notes_;
  std::set<std::string> used_;
  std::vector<std::pair<std::string, std::string>> household_;
};

fs::path data_folder(const std::string& dir) {
  const fs::path d = dir;
  return fs::is_directory(d / "data" / "benefits") ? d / "data" : d;
}

// The result: the amount the simulator shows (an aid, or the price paid:
// its legend says which), in its unit and period; `reference`, the page
// that publishes it.
std::string result_of(const YAML::Node& b, const std::string& reference) {
  if (text_of(b["type"]) != "float" || !b["montant"]) return "";
  const std::string amount = number_of(b["montant"], "montant");
  const std::string unit = text_of(b["unit"]), period = text_of(b["periodicite"]);
  const std::string legend = text_of(b["legend"]);
  std::string out = "result:\n  montant:\n    type: number\n";
  std::string value = amount;
  std::string label = "Montant indiqué par le simulateur national des aides pour les jeunes (1jeune1solution)";
  if (unit == "€") {
    const char* u = period == "mensuelle" ? "EUR/month" : period == "annuelle" ? "EUR/year" : "EUR";
    out += std::string("    unit: ") + u + "\n    money: true\n";
    value += std::string(" [") + u + "]";
  } else {
    out += "    unit: \"1\"\n";
    if (!unit.empty()) label += " (en " + unit + ")";
  }
  if (!legend.empty()) label += " : " + legend;
  out += "    label: " + json_string(label) + "\n    reference: " + json_string(reference) + "\n    formula: " +
         json_string(value) + "\n";
  return out;
}

}  // namespace

Result<std::vector<std::string>> catalogue_benefits(const std::string& dir) {
  const fs::path benefits = data_folder(dir) / "benefits" / "javascript";
  std::error_code ec;
  if (!fs::is_directory(benefits, ec))
    return Error{ErrorKind::kNotFound, "no aides-jeunes catalogue at " + dir + " (" + benefits.string() +
                 " is not a folder): set PROACTIF_AIDES_JEUNES to a copy of betagouv/aides-jeunes"};
  std::vector<std::string> ids;
  for (const auto& e : fs::directory_iterator(benefits, ec))
    if (e.path().extension() == ".yml") ids.push_back(e.path().stem().string());
  if (ec) return Error{ErrorKind::kUnavailable, benefits.string() + ": " + ec.message()};
  std::sort(ids.begin(), ids.end());
  return ids;
}

CatalogueEntry catalogue_program(const std::string& dir, const std::string& id, const Territory& territory) {
  CatalogueEntry entry;
  entry.id = id;
  const fs::path data = data_folder(dir);
  const std::string file = (data / "benefits" / "javascript" / (id + ".yml")).string();
  try {
    const bool control = std::any_of(id.begin(), id.end(), [](char ch) {
      return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f || ch == '\\' || ch == '"';
    });
    if (id.empty() || id.find('/') != std::string::npos || id[0] == '.' || control)
      throw cannot("'" + id + "' is not a benefit's name");
    YAML::Node b;
    try {
      b = load_yaml_file(file);
    } catch (const YAML::Exception& e) {
      throw cannot(file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    if (!b.IsMap()) throw cannot(file + ": not a benefit");
    const std::string institution_id = text_of(b["institution"]);
    if (institution_id.empty() || institution_id.find('/') != std::string::npos || institution_id[0] == '.')
      throw cannot("institution '" + institution_id + "' is not an institution's name");
    YAML::Node institution;
    try {
      institution = load_yaml_file((data / "institutions" / (institution_id + ".yml")).string());
    } catch (const YAML::Exception& e) {
      throw cannot("institution " + institution_id + ": " + e.msg);
    }
    Writer w(institution, institution_id, territory, entry.notes);
    std::vector<Rule> general, profiles;
    if (YAML::Node cs = b["conditions_generales"]) {
      if (!cs.IsSequence()) throw cannot("conditions_generales: not a list");
      for (const auto& c : cs) general.push_back(w.condition(c));
    }
    if (YAML::Node ps = b["profils"]) {
      if (!ps.IsSequence()) throw cannot("profils: not a list");
      for (const auto& p : ps) profiles.push_back(w.profile(p));
    }
    const std::string label = text_of(b["label"]), link = text_of(b["link"]);
    const std::string authority = text_of(institution["name"]);
    std::string t;
    t += "# Written by Proactif from a benefit file of betagouv/aides-jeunes (see references)\n";
    t += "id: " + json_string(kCataloguePrefix + id) + "\n";
    t += "title: " + json_string(label.empty() ? id : label) + "\n";
    t += "authority: " + json_string(authority.empty() ? institution_id : authority) + "\n";
    t += "entity: person\n";
    t += "algorithm_role: " +
         json_string("Le programme repère les personnes qui remplissent les conditions de cette aide telles que le "
                     "simulateur national des aides pour les jeunes (1jeune1solution, données betagouv/aides-jeunes) "
                     "les décrit, pour les en informer. L'aide est attribuée par l'organisme qui la verse (" +
                     (authority.empty() ? institution_id : authority) +
                     "), qui vérifie aussi les conditions que le simulateur n'examine pas.") +
         "\n";
    t += "references:\n";
    if (!link.empty()) t += "  - " + json_string(link) + "\n";
    t += "  - " + json_string("Simulateur national des aides pour les jeunes, betagouv/aides-jeunes, "
                              "data/benefits/javascript/" + id + ".yml") + "\n";
    std::vector<std::string> free_text = texts_of(b["conditions"], "conditions");
    for (const auto& v : texts_of(b["voluntary_conditions"], "voluntary_conditions")) free_text.push_back(v);
    std::erase_if(free_text, [](const std::string& s) { return s.find_first_not_of(" \n") == std::string::npos; });
    if (!free_text.empty()) {
      t += "not_evaluated:\n";
      for (const auto& c : free_text)
        t += "  - {condition: " + json_string(c) + ", reference: " + json_string(link.empty() ? id : link) + "}\n";
    }
    if (w.reads_the_familys_data()) t += w.foyer();
    if (!w.used().empty()) {
      t += "inputs:\n";
      for (const auto& name : w.used()) t += "  " + name + ": " + input_declarations().at(name) + "\n";
    }
    std::string eligibility;
    if (!general.empty() || !profiles.empty()) t += "variables:\n";
    for (const auto& [name, declaration] : w.household_variables()) t += "  " + name + ": " + declaration + "\n";
    for (size_t i = 0; i < general.size(); ++i) {
      const std::string name = "condition_" + std::to_string(i + 1);
      t += "  " + name + ": {type: boolean, entity: person, label: " + json_string(general[i].label) +
           ", reference: " + json_string("conditions générales de l'aide (aides-jeunes)") +
           ", formula: " + json_string(general[i].formula) + "}\n";
      eligibility += (eligibility.empty() ? "" : " and ") + name;
    }
    std::string any_profile;
    for (size_t i = 0; i < profiles.size(); ++i) {
      const std::string name = "profil_" + std::to_string(i + 1);
      t += "  " + name + ": {type: boolean, entity: person, label: " + json_string("Profil : " + profiles[i].label) +
           ", reference: " + json_string("profils de l'aide (aides-jeunes) : l'un d'eux suffit") +
           ", formula: " + json_string(profiles[i].formula) + "}\n";
      any_profile += (any_profile.empty() ? "" : " or ") + name;
    }
    if (!any_profile.empty()) eligibility += (eligibility.empty() ? "" : " and ") + ("(" + any_profile + ")");
    if (eligibility.empty()) eligibility = "true";
    t += "eligibility:\n  label: " + json_string("Conditions de l'aide « " + label + " »") + "\n  reference: " +
         json_string(link.empty() ? id : link) + "\n  formula: " + json_string(eligibility) + "\n";
    t += result_of(b, link.empty() ? id : link);
    entry.program_text = std::move(t);
  } catch (const Failure& f) {
    entry.cannot = f.error.message;
  } catch (const YAML::Exception& e) {
    entry.cannot = file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg;
  }
  return entry;
}

}  // namespace proactif
