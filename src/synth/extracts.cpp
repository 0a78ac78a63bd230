#include "synth/extracts.hpp"

#include <iconv.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/json_text.hpp"
#include "core/output_file.hpp"
#include "identity/normalise.hpp"
#include "synth/calibration.hpp"

namespace fs = std::filesystem;

namespace proactif::synth {

namespace {

// --- defects ---------------------------------------------------------------

std::string typo(Random& r, std::string s) {
  if (s.size() < 3) return s;
  size_t i = 1 + r.below(s.size() - 2);
  if (static_cast<unsigned char>(s[i]) >= 0x80 || static_cast<unsigned char>(s[i - 1]) >= 0x80 ||
      static_cast<unsigned char>(s[i + 1]) >= 0x80)
    return s;  // keep multibyte characters whole
  switch (r.below(4)) {
    case 0: s[i] = static_cast<char>('a' + r.below(26)); break;
    case 1: s.erase(i, 1); break;
    case 2: s.insert(i, 1, s[i]); break;
    default: std::swap(s[i], s[i + 1]);
  }
  return s;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : sep) + x;
  return out;
}

std::string first_names_text(Random& r, const DefectRates& d, std::vector<std::string> names, bool only_first) {
  if (names.size() > 1 && r.chance(d.first_names_swapped)) std::swap(names[0], names[1]);
  if (only_first) names.resize(1);
  std::string s = join(names, " ");
  return r.chance(d.typo) ? typo(r, s) : s;
}

std::string name_text(Random& r, const DefectRates& d, const std::string& name) {
  return r.chance(d.typo) ? typo(r, name) : name;
}

// Systems that keep names in upper case without accents.
std::string upper(const std::string& s) { return fold_name(s); }

std::string date_text(Random& r, const DefectRates& d, Days day, bool day_first) {
  CivilDate c = civil_from_days(day);
  if (c.day <= 12 && c.day != c.month && r.chance(d.day_month_swapped)) std::swap(c.day, c.month);
  char buf[16];
  if (day_first) std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", c.day, c.month, c.year);
  else std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

std::string nir_text(Random& r, const DefectRates& d, const std::string& nir) {
  if (!r.chance(d.invalid_nir_key)) return nir;
  std::string bad = nir;
  bad[14] = static_cast<char>('0' + (bad[14] - '0' + 1 + static_cast<int>(r.below(8))) % 10);
  return bad;
}

std::string money(double v, bool comma) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  if (s.size() > 3 && s.compare(s.size() - 3, 3, ".00") == 0) s.resize(s.size() - 3);
  if (comma)
    for (char& ch : s)
      if (ch == '.') ch = ',';
  return s;
}

// --- files -------------------------------------------------------------------

// A CSV file written a block at a time, converted to its encoding on the way.
class CsvFile {
 public:
  CsvFile(const std::string& path, char sep, const std::vector<std::string>& header, const char* encoding = "UTF-8",
          bool crlf = false)
      : out_(path, std::ios::binary), sep_(sep), crlf_(crlf) {
    if (std::string(encoding) != "UTF-8") cd_ = iconv_open((std::string(encoding) + "//TRANSLIT").c_str(), "UTF-8");
    row(header);
  }
  ~CsvFile() {
    if (cd_ != reinterpret_cast<iconv_t>(-1)) iconv_close(cd_);
  }
  void row(const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i) buffer_ += sep_;
      const std::string& f = fields[i];
      if (f.find_first_of(std::string(1, sep_) + "\"\n") == std::string::npos) {
        buffer_ += f;
      } else {
        buffer_ += '"';
        for (char c : f) buffer_ += c == '"' ? std::string("\"\"") : std::string(1, c);
        buffer_ += '"';
      }
    }
    buffer_ += crlf_ ? "\r\n" : "\n";
    ++rows_;
    if (buffer_.size() > (1 << 20)) flush();
  }
  size_t rows() const { return rows_ - 1; }
  bool close() {
    flush();
    out_.close();
    return ok_ && static_cast<bool>(out_);
  }

 private:
  // Blocks end with a row: no character is cut between two conversions.
  void flush() {
    if (cd_ == reinterpret_cast<iconv_t>(-1)) {
      out_ << buffer_;
    } else {
      std::string converted(buffer_.size() + 16, '\0');
      char* in = buffer_.data();
      size_t in_left = buffer_.size();
      char* o = converted.data();
      size_t o_left = converted.size();
      ok_ &= iconv(cd_, &in, &in_left, &o, &o_left) != static_cast<size_t>(-1);
      converted.resize(converted.size() - o_left);
      out_ << converted;
    }
    buffer_.clear();
  }

  std::ofstream out_;
  char sep_;
  bool crlf_;
  iconv_t cd_ = reinterpret_cast<iconv_t>(-1);
  std::string buffer_;
  size_t rows_ = 0;
  bool ok_ = true;
};

// A text file written a block at a time.
class TextFile {
 public:
  explicit TextFile(const std::string& path) : out_(path, std::ios::binary) {}
  std::string& buffer() { return buffer_; }
  void maybe_flush() {
    if (buffer_.size() > (1 << 20)) flush();
  }
  bool close() {
    flush();
    out_.close();
    return static_cast<bool>(out_);
  }

 private:
  void flush() {
    out_ << buffer_;
    buffer_.clear();
  }
  std::ofstream out_;
  std::string buffer_;
};

const char* caf_role(Role r) {
  switch (r) {
    case Role::kApplicant: return "DEM";
    case Role::kSpouse: return "CJT";
    case Role::kChild: return "ENF";
    default: return "AUT";
  }
}

const char* caf_housing(const std::string& h) {
  return h == "tenant" ? "LOC" : h == "owner" ? "PROP" : h == "free" ? "GRAT" : "SDF";
}

std::string record_id(const char* prefix, size_t n) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%s%08zu", prefix, n);
  return buf;
}

// A mapping file, written whole or not at all; its error kept for the caller.
void write_file(const std::string& path, const std::string& text, std::string& failure) {
  if (auto written = write_file_durably(path, text); !written.ok() && failure.empty()) failure = written.error().message;
}

// Where a household lives: a street address in its commune. Addresses use
// common street names; email addresses the reserved .example domain (RFC
// 2606) and mobile numbers the range ARCEP reserves for fiction (06 39 98 xx
// xx), so nothing synthetic can reach a real person.
struct PostalAddress {
  std::string street, town;
};

PostalAddress draw_address(Random& r, const CommuneInfo* commune) {
  static const char* const kStreets[] = {"rue de la République", "rue Victor Hugo", "avenue Jean Jaurès",
                                         "place de la Mairie", "chemin des Vignes", "rue des Écoles",
                                         "allée des Tilleuls", "boulevard Gambetta", "rue du Stade",
                                         "impasse des Lilas", "route de Lyon", "rue Pasteur"};
  PostalAddress a;
  a.street = std::to_string(r.between(1, 120)) + " " + kStreets[r.below(std::size(kStreets))];
  a.town = commune ? commune->postcode + " " + fold_name(commune->name) : "";
  return a;
}

// Mail sent to these allocataires came back: the CAF no longer has their address.
constexpr double kAddressUnknownToCaf = 0.04;

// Contact details of an allocataire, as the CAF holds them: its address
// (stale when the CAF's commune is; unknown for some, whose mail came back),
// and often an email address and a mobile number.
struct Contact {
  std::string street, town, email, mobile;
};

Contact draw_contact(Random& r, const TruePerson& p, const PostalAddress& home, bool stale, const CommuneInfo* commune) {
  Contact c;
  if (!r.chance(kAddressUnknownToCaf)) {
    const PostalAddress a = stale ? draw_address(r, commune) : home;
    c.street = a.street;
    c.town = a.town;
  }
  if (r.chance(0.65)) {
    std::string local = fold_name(p.first_names.front()) + "." + fold_name(p.birth_name);
    for (char& ch : local) ch = ch == ' ' || ch == '\'' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    c.email = local + "@courriel.example";
  }
  if (r.chance(0.75)) {
    char number[32];
    std::snprintf(number, sizeof number, "+3363998%04d", r.between(0, 9999));
    c.mobile = number;
  }
  return c;
}

const char* kIdentityColumnsDoc = "# identity traits are mapped as text: linkage normalises them\n";

bool has_benefit(const TruePerson& p, const char* code) {
  return std::find(p.minimum_benefits.begin(), p.minimum_benefits.end(), code) != p.minimum_benefits.end();
}

// The NIR of the parent a minor child is covered through: the household's
// applicant; empty for anyone else.
std::string insured_parent_nir(const TruePopulation& pop, const TruePerson& tp) {
  if (tp.role != Role::kChild || age_in_years(tp.birth, pop.date) >= 18) return "";
  const TrueHousehold& hh = pop.households[tp.household];
  for (uint32_t i = 0; i < hh.persons; ++i)
    if (pop.persons[hh.first_person + i].role == Role::kApplicant) return pop.persons[hh.first_person + i].nir;
  return "";
}

}  // namespace

Result<ExtractCounts> write_extracts(const TruePopulation& pop, const Territory& territory, const std::string& dir,
                                     const DefectRates& d, Random& r) {
  fs::create_directories(dir);
  ExtractCounts counts;
  auto p = [&](const char* name) { return (fs::path(dir) / name).string(); };
  std::string extracted_on = format_iso_date(pop.date);
  // Each person's record ids in each extract, for the ground truth.
  std::vector<std::string> caf_ids(pop.persons.size()), cpam_ids(pop.persons.size()), crous_ids(pop.persons.size()),
      univ_ids(pop.persons.size()), dgfip_ids(pop.persons.size()), drm_ids(pop.persons.size());
  std::vector<std::string> duplicates(pop.persons.size());  // a second record id when duplicated

  // CAF: households receiving the RSA, a housing benefit, or with children.
  CsvFile caf(p("caf.csv"), ';', {"NUMALLOC", "NUMPERS", "NIR", "NOM_NAISSANCE", "NOM_USAGE", "PRENOMS", "DTNAIS",
                                  "SEXE", "LIEU_NAISSANCE", "QUALITE", "A_CHARGE", "AAH_TAUX_PLEIN", "DEPCOM",
                                  "LOGEMENT", "QF", "RSA", "MTAL", "ADRESSE", "CP_COMMUNE", "COURRIEL", "TEL_PORTABLE",
                                  "C2S_RSA", "DT_C2S_RSA", "DT_SITFAM"},
              "WINDOWS-1252", true);
  size_t caf_person = 0;
  Random contact_random(0xC0A7AC7 ^ pop.households.size());  // its own stream: the other columns stay as they were
  std::vector<PostalAddress> home(pop.households.size());
  for (size_t h = 0; h < pop.households.size(); ++h)
    home[h] = draw_address(contact_random, territory.find(pop.households[h].commune));
  // The choice the RSA claim form asks (the C2S request sent with it, or
  // not: CASF R262-104-1) and the day of that claim, within the two years
  // before the extract; not always recorded. Its own stream too.
  Random choice_random(0xC25C401CE ^ pop.households.size());
  std::vector<std::pair<std::string, std::string>> c2s_choice(pop.households.size());
  for (size_t h = 0; h < pop.households.size(); ++h) {
    if (!pop.households[h].rsa) continue;
    const double draw = choice_random.uniform();
    const CivilDate claim = civil_from_days(pop.date - static_cast<Days>(choice_random.below(730)));
    if (draw >= 0.9) continue;
    char day[16];
    std::snprintf(day, sizeof day, "%02d/%02d/%04d", claim.day, claim.month, claim.year);
    c2s_choice[h] = {draw < 0.85 ? "A" : "R", day};
  }
  // The day since which the household's family situation is what it is
  // (a request carries it: CASF R262-103), within the fifteen years before
  // the extract and after the applicant's eighteenth birthday. Its own
  // stream too.
  Random family_random(0xFA5171 ^ pop.households.size());
  std::vector<std::string> family_since(pop.households.size());
  for (size_t h = 0; h < pop.households.size(); ++h) {
    const Days adult = years_before(pop.persons[pop.households[h].first_person].birth, -18);
    const Days drawn = pop.date - static_cast<Days>(family_random.below(15 * 365));
    const CivilDate since = civil_from_days(std::max(std::min(adult, pop.date), drawn));
    char day[16];
    std::snprintf(day, sizeof day, "%02d/%02d/%04d", since.day, since.month, since.year);
    family_since[h] = day;
  }
  // The Alsace-Moselle local regime (CSS L325-1), which the C2S's
  // participation follows: a CPAM of the Bas-Rhin, the Haut-Rhin or the
  // Moselle extracts it for its insured; elsewhere the column is not in its
  // extract (nor in the truth). The household's insured share it. Its own
  // stream too.
  Random regime_random(0x4E61AE ^ pop.households.size());
  std::vector<int8_t> local_regime(pop.households.size(), -1);  // -1: not extracted
  for (size_t h = 0; h < pop.households.size(); ++h) {
    const CommuneInfo* where = territory.find(pop.households[h].commune);
    if (where && (where->departement == "57" || where->departement == "67" || where->departement == "68"))
      local_regime[h] = regime_random.chance(calibration::kLocalRegimeShare);
  }
  const bool regime_extracted =
      std::any_of(local_regime.begin(), local_regime.end(), [](int8_t v) { return v >= 0; });
  if (regime_extracted)
    for (int8_t& v : local_regime) v = std::max<int8_t>(v, 0);
  // A newborn the CAF's household does not list yet. Its own stream too;
  // the row's other draws are made all the same, so that every other row
  // stays as it was.
  Random newborn_random(0xBEB0 ^ pop.households.size());
  for (size_t h = 0; h < pop.households.size(); ++h) {
    const TrueHousehold& hh = pop.households[h];
    bool children = false;
    for (uint32_t i = 0; i < hh.persons; ++i) children |= pop.persons[hh.first_person + i].role == Role::kChild;
    if (!hh.rsa && hh.housing_benefit == 0 && !children) continue;
    std::string alloc = record_id("A", h);
    std::string commune = r.chance(d.stale_address) ? pop.households[r.below(pop.households.size())].commune : hh.commune;
    Contact contact = draw_contact(contact_random, pop.persons[hh.first_person], home[h], commune != hh.commune,
                                   territory.find(commune));
    for (uint32_t i = 0; i < hh.persons; ++i) {
      const TruePerson& tp = pop.persons[hh.first_person + i];
      std::string id = record_id("P", caf_person++);
      bool applicant = tp.role == Role::kApplicant;
      const bool not_declared = tp.role == Role::kChild && age_in_years(tp.birth, pop.date) < 1 &&
                                newborn_random.chance(d.newborn_not_declared);
      if (!not_declared) caf_ids[hh.first_person + i] = id;
      bool adult = age_in_years(tp.birth, pop.date) >= 18;
      std::vector<std::string> row{
          alloc, id, adult && !r.chance(0.1) ? nir_text(r, d, tp.nir) : "", name_text(r, d, tp.birth_name),
          tp.usage_name, first_names_text(r, d, tp.first_names, false), date_text(r, d, tp.birth, true),
          std::string(1, tp.sex), r.chance(d.missing_field) ? "" : tp.birth_place, caf_role(tp.role),
          tp.role == Role::kChild || tp.role == Role::kOther ? (tp.dependant ? "O" : "N") : "",
          has_benefit(tp, "aah") ? (tp.aah_full_rate ? "O" : "N") : "", commune,
          caf_housing(hh.housing), money(hh.quotient_familial, true), hh.rsa ? "O" : "N",
          money(hh.housing_benefit, true), applicant ? contact.street : "", applicant ? contact.town : "",
          applicant ? contact.email : "", applicant ? contact.mobile : "", c2s_choice[h].first, c2s_choice[h].second,
          family_since[h]};
      if (!not_declared) caf.row(row);
    }
  }
  counts.caf = caf.rows();
  if (!caf.close()) return Error{ErrorKind::kUnavailable, p("caf.csv") + ": cannot write"};

  // CPAM: everyone; names in capitals without accents, one first name.
  // A minor is covered as the dependant (ayant droit) of an insured parent,
  // the household's applicant here: the "ouvrant droit", by their NIR.
  std::vector<std::string> cpam_header{"ID_ASSURE", "NIR", "NOM", "PRENOM", "DATE_NAISSANCE", "SEXE",
                                       "CODE_COMMUNE", "C2S", "NIR_OUVRANT_DROIT"};
  if (regime_extracted) cpam_header.push_back("REGIME_LOCAL");
  CsvFile cpam(p("cpam.csv"), ',', cpam_header);
  size_t cpam_n = 0;
  for (size_t i = 0; i < pop.persons.size(); ++i) {
    const TruePerson& tp = pop.persons[i];
    const TrueHousehold& hh = pop.households[tp.household];
    int copies = r.chance(d.duplicate) ? 2 : 1;
    for (int k = 0; k < copies; ++k) {
      std::string id = record_id("C", cpam_n++);
      (k == 0 ? cpam_ids[i] : duplicates[i]) = id;
      std::vector<std::string> row{id, nir_text(r, d, tp.nir),
                                   upper(name_text(r, d, tp.usage_name.empty() ? tp.birth_name : tp.usage_name)),
                                   upper(first_names_text(r, d, tp.first_names, true)), date_text(r, d, tp.birth, false),
                                   tp.sex == 'M' ? "1" : "2",
                                   r.chance(d.stale_address) ? pop.households[r.below(pop.households.size())].commune
                                                             : hh.commune,
                                   tp.c2s == "free" ? "G" : tp.c2s == "participation" ? "P" : "N",
                                   insured_parent_nir(pop, tp)};
      if (regime_extracted) row.push_back(local_regime[tp.household] ? "O" : "N");
      cpam.row(row);
    }
  }
  counts.cpam = cpam.rows();
  if (!cpam.close()) return Error{ErrorKind::kUnavailable, p("cpam.csv") + ": cannot write"};

  // CROUS and universities: students; no NIR, identity as typed by the student.
  TextFile crous_file(p("crous.jsonl"));
  std::string& crous = crous_file.buffer();
  CsvFile univ(p("universites.csv"), ';', {"INE", "NOM", "PRENOM", "DATE_NAISSANCE", "INSCRIT"});
  for (size_t i = 0; i < pop.persons.size(); ++i) {
    const TruePerson& tp = pop.persons[i];
    if (!tp.student) continue;
    univ_ids[i] = tp.ine;
    univ.row({tp.ine, name_text(r, d, tp.birth_name), first_names_text(r, d, tp.first_names, true),
              date_text(r, d, tp.birth, false), "O"});
    if (tp.scholarship == "none") continue;
    crous_ids[i] = tp.ine;
    crous += "{\"ine\": ";
    append_json_string(crous, tp.ine);
    crous += ", \"nom\": ";
    append_json_string(crous, name_text(r, d, tp.birth_name));
    crous += ", \"prenoms\": ";
    append_json_string(crous, first_names_text(r, d, tp.first_names, false));
    crous += ", \"date_naissance\": ";
    append_json_string(crous, date_text(r, d, tp.birth, false));
    crous += ", \"lieu_naissance\": ";
    if (r.chance(d.missing_field)) crous += "null";
    else append_json_string(crous, tp.birth_place);
    crous += ", \"echelon\": ";
    append_json_string(crous, tp.scholarship);
    crous += "}\n";
    crous_file.maybe_flush();
    ++counts.crous;
  }
  counts.universites = univ.rows();
  if (!univ.close()) return Error{ErrorKind::kUnavailable, p("universites.csv") + ": cannot write"};
  if (!crous_file.close()) return Error{ErrorKind::kUnavailable, p("crous.jsonl") + ": cannot write"};

  // Tax office: adults; birth names in capitals, all first names.
  // The tax office knows most taxpayers' address (where the return is sent).
  CsvFile dgfip(p("dgfip.csv"), ';', {"SPI", "NOM", "PRENOMS", "DATE_NAISSANCE", "LIEU_NAISSANCE", "REVENUS_12M",
                                      "ADRESSE", "CP_COMMUNE"});
  size_t spi = 0;
  for (size_t i = 0; i < pop.persons.size(); ++i) {
    const TruePerson& tp = pop.persons[i];
    if (age_in_years(tp.birth, pop.date) < 18) continue;
    char id[16];
    std::snprintf(id, sizeof id, "%013zu", 1000000000000 + spi++);
    dgfip_ids[i] = id;
    const bool known_address = !contact_random.chance(0.03);
    dgfip.row({id, upper(name_text(r, d, tp.birth_name)), upper(first_names_text(r, d, tp.first_names, false)),
               date_text(r, d, tp.birth, false), r.chance(d.missing_field) ? "" : tp.birth_place,
               money(tp.resources_12m, false), known_address ? home[tp.household].street : "",
               known_address ? home[tp.household].town : ""});
  }
  counts.dgfip = dgfip.rows();
  if (!dgfip.close()) return Error{ErrorKind::kUnavailable, p("dgfip.csv") + ": cannot write"};

  // DRM (dispositif de ressources mensuelles, run by the CNAV from the
  // employers' DSN and the social bodies' PASRAU returns): the adults with
  // resources declared over the last three months, by NIR. Its data are
  // certified at the source: no defect is injected.
  CsvFile drm(p("drm.csv"), ';', {"ID_DRM", "NIR", "NOM", "PRENOMS", "DATE_NAISSANCE", "RESSOURCES_3M", "MINIMA", "ACTIVITE"});
  size_t drm_row = 0;
  for (size_t i = 0; i < pop.persons.size(); ++i) {
    const TruePerson& tp = pop.persons[i];
    if (age_in_years(tp.birth, pop.date) < 18 || (tp.resources_3m <= 0 && tp.minimum_benefits.empty())) continue;
    char id[16];
    std::snprintf(id, sizeof id, "D%09zu", drm_row++);
    drm_ids[i] = id;
    std::string minima;
    for (const auto& b : tp.minimum_benefits) minima += (minima.empty() ? "" : ",") + upper(b);
    drm.row({id, tp.nir, upper(tp.birth_name), upper(join(tp.first_names, " ")), format_iso_date(tp.birth),
             money(tp.resources_3m, false), minima, tp.worked_3m ? "O" : "N"});
  }
  counts.drm = drm.rows();
  if (!drm.close()) return Error{ErrorKind::kUnavailable, p("drm.csv") + ": cannot write"};

  // Ground truth.
  CsvFile truth(p("truth.csv"), ';', {"person", "household", "birth_name", "usage_name", "first_names", "sex",
                                      "birth_date", "birth_place", "nir", "caf", "cpam", "cpam_duplicate", "crous",
                                      "universites", "dgfip", "drm"});
  for (size_t i = 0; i < pop.persons.size(); ++i) {
    const TruePerson& tp = pop.persons[i];
    truth.row({std::to_string(i), std::to_string(tp.household), tp.birth_name, tp.usage_name, join(tp.first_names, " "),
               std::string(1, tp.sex), format_iso_date(tp.birth), tp.birth_place, tp.nir, caf_ids[i], cpam_ids[i],
               duplicates[i], crous_ids[i], univ_ids[i], dgfip_ids[i], drm_ids[i]});
  }
  if (!truth.close()) return Error{ErrorKind::kUnavailable, p("truth.csv") + ": cannot write"};
  // The same, one row per record, as `proactif ingest --truth` reads it.
  CsvFile records(p("truth_records.csv"), ';', {"person", "source", "record"});
  for (size_t i = 0; i < pop.persons.size(); ++i) {
    const std::pair<const char*, const std::string*> ids[] = {
        {"CAF", &caf_ids[i]},    {"CPAM", &cpam_ids[i]},          {"CPAM", &duplicates[i]},
        {"CROUS", &crous_ids[i]}, {"Universités", &univ_ids[i]}, {"DGFiP", &dgfip_ids[i]},
        {"DRM", &drm_ids[i]}};
    for (const auto& [source, id] : ids)
      if (!id->empty()) records.row({std::to_string(i), source, *id});
  }
  if (!records.close()) return Error{ErrorKind::kUnavailable, p("truth_records.csv") + ": cannot write"};

  TextFile situations_file(p("truth_situations.jsonl"));
  std::string& situations = situations_file.buffer();
  static const char* kRoles[] = {"applicant", "spouse", "child", "other"};
  for (size_t h = 0; h < pop.households.size(); ++h) {
    const TrueHousehold& hh = pop.households[h];
    situations += "{\"id\": \"" + std::to_string(h) + "\", \"date\": \"" + extracted_on + "\", \"household\": {\"commune\": \"" +
                  hh.commune + "\", \"housing\": \"" + hh.housing + "\", \"housing_benefit_monthly\": " +
                  money(hh.housing_benefit, false) + ", \"quotient_familial\": " + money(hh.quotient_familial, false) +
                  ", \"rsa\": " + (hh.rsa ? "true" : "false") +
                  (regime_extracted ? std::string(", \"regime_local_alsace_moselle\": ") +
                                          (local_regime[h] ? "true" : "false")
                                    : std::string()) +
                  "}, \"persons\": [";
    for (uint32_t i = 0; i < hh.persons; ++i) {
      const TruePerson& tp = pop.persons[hh.first_person + i];
      situations += std::string(i ? ", " : "") + "{\"id\": \"" + std::to_string(hh.first_person + i) + "\", \"role\": \"" +
                    kRoles[static_cast<int>(tp.role)] + "\", \"birth_date\": \"" + format_iso_date(tp.birth) +
                    "\", \"resources_12m\": " + money(tp.resources_12m, false) + ", \"resources_3m\": " +
                    money(tp.resources_3m, false) + ", \"c2s\": \"" + tp.c2s + "\", \"student\": " +
                    (tp.student ? "true" : "false") + ", \"scholarship_echelon\": \"" + tp.scholarship + "\"";
      if (tp.role == Role::kChild || tp.role == Role::kOther) situations += std::string(", \"dependant\": ") + (tp.dependant ? "true" : "false");
      situations += ", \"minimum_benefits\": [";
      for (size_t b = 0; b < tp.minimum_benefits.size(); ++b)
        situations += (b ? ", \"" : "\"") + tp.minimum_benefits[b] + "\"";
      situations += std::string("], \"worked_3m\": ") + (tp.worked_3m ? "true" : "false");
      if (has_benefit(tp, "aah")) situations += std::string(", \"aah_full_rate\": ") + (tp.aah_full_rate ? "true" : "false");
      situations += "}";
    }
    situations += "]}\n";
    situations_file.maybe_flush();
  }
  if (!situations_file.close()) return Error{ErrorKind::kUnavailable, p("truth_situations.jsonl") + ": cannot write"};

  // Mappings, so that `proactif ingest DIR/*.yaml` reads what was written.
  std::string header = "extracted_on: \"" + extracted_on + "\"\n";
  std::string failure;
  write_file(p("caf.yaml"), std::string("# CAF extract written by proactif synth.\n") + kIdentityColumnsDoc +
                                "file: caf.csv\nsource: CAF\nextract: allocataires\n" + header +
                                "format: csv\nencoding: windows-1252\nseparator: \";\"\ndecimal: comma\ndate_format: dd/mm/yyyy\n"
                                "identifiers: {household: NUMALLOC, person: NUMPERS}\ncolumns:\n"
                                "  NIR: {variable: nir, type: nir}\n"
                                "  NOM_NAISSANCE: {variable: birth_name, type: text, required: true}\n"
                                "  NOM_USAGE: {variable: usage_name, type: text}\n"
                                "  PRENOMS: {variable: first_names, type: text, required: true}\n"
                                "  DTNAIS: {variable: birth_date, type: date, required: true}\n"
                                "  SEXE: {variable: sex, type: code, values: [M, F]}\n"
                                "  LIEU_NAISSANCE: {variable: birth_place, type: text}\n"
                                "  QUALITE: {variable: role, type: code, values: [DEM, CJT, ENF, AUT], recode: {DEM: applicant, CJT: spouse, ENF: child, AUT: other}}\n"
                                "  A_CHARGE: {variable: dependant, type: boolean, \"true\": [O], \"false\": [N]}\n"
                                "  AAH_TAUX_PLEIN: {variable: aah_full_rate, type: boolean, \"true\": [O], \"false\": [N]}\n"
                                "  DEPCOM: {entity: household, variable: commune, type: commune, required: true}\n"
                                "  LOGEMENT: {entity: household, variable: housing, type: code, values: [LOC, PROP, GRAT, SDF], recode: {LOC: tenant, PROP: owner, GRAT: free, SDF: homeless}}\n"
                                "  QF: {entity: household, variable: quotient_familial, type: number, unit: EUR/month, min: 0, refers_to: \"" + extracted_on.substr(0, 7) + "\"}\n"
                                "  RSA: {entity: household, variable: rsa, type: boolean, \"true\": [O], \"false\": [N], own_foyer_means: \"false\"}\n"
                                "  MTAL: {entity: household, variable: housing_benefit_monthly, type: number, unit: EUR/month, min: 0, own_foyer_means: \"0\"}\n"
                                "  C2S_RSA: {entity: household, variable: c2s_with_rsa, type: code, values: [A, R], recode: {A: accepted, R: refused}}\n"
                                "  DT_C2S_RSA: {entity: household, variable: c2s_with_rsa_date, type: date}\n"
                                "  DT_SITFAM: {entity: household, variable: family_situation_date, type: date}\n"
                                "# read only to write to the households a campaign acts on\n"
                                "contacts: {first_names: PRENOMS, name: NOM_NAISSANCE, usage_name: NOM_USAGE, address: ADRESSE, town: CP_COMMUNE, email: COURRIEL, mobile: TEL_PORTABLE}\n", failure);
  write_file(p("cpam.yaml"), std::string("# CPAM extract written by proactif synth.\n") +
                                 "file: cpam.csv\nsource: CPAM\nextract: assurés\n" + header +
                                 "format: csv\nencoding: utf-8\nseparator: \",\"\ndecimal: point\ndate_format: yyyy-mm-dd\n"
                                 "identifiers: {household: ID_ASSURE, person: ID_ASSURE}\ncolumns:\n"
                                 "  NIR: {variable: nir, type: nir, required: true}\n"
                                 "  NOM: {variable: usage_name, type: text, required: true}\n"
                                 "  PRENOM: {variable: first_names, type: text}\n"
                                 "  DATE_NAISSANCE: {variable: birth_date, type: date, required: true}\n"
                                 "  SEXE: {variable: sex, type: code, values: [\"1\", \"2\"], recode: {\"1\": M, \"2\": F}}\n"
                                 "  CODE_COMMUNE: {entity: household, variable: commune, type: commune}\n"
                                 "  C2S: {variable: c2s, type: code, values: [N, G, P], recode: {N: none, G: free, P: participation}}\n"
                                 "  # read for linkage only: the insured a dependant is covered through\n"
                                 "  NIR_OUVRANT_DROIT: {variable: insured_nir, type: nir}\n" +
                                 (regime_extracted ? "  REGIME_LOCAL: {entity: household, variable: regime_local_alsace_moselle, "
                                                     "type: boolean, \"true\": [O], \"false\": [N]}\n"
                                                   : ""),
                                 failure);
  write_file(p("crous.yaml"), std::string("# CROUS extract written by proactif synth.\n") +
                                  "file: crous.jsonl\nsource: CROUS\nextract: boursiers sur critères sociaux\n" + header +
                                  "format: jsonl\nencoding: utf-8\ndate_format: yyyy-mm-dd\n"
                                  "identifiers: {household: ine, person: ine}\ncolumns:\n"
                                  "  ine: {variable: ine, type: text}\n"
                                  "  nom: {variable: birth_name, type: text, required: true}\n"
                                  "  prenoms: {variable: first_names, type: text}\n"
                                  "  date_naissance: {variable: birth_date, type: date, required: true}\n"
                                  "  lieu_naissance: {variable: birth_place, type: text}\n"
                                  "  echelon: {variable: scholarship_echelon, type: code, values: [\"0bis\", \"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\"], absent_means: none}\n", failure);
  write_file(p("universites.yaml"), std::string("# Universities' extract written by proactif synth.\n") +
                                        "file: universites.csv\nsource: Universités\nextract: inscrits\n" + header +
                                        "format: csv\nencoding: utf-8\nseparator: \";\"\ndate_format: yyyy-mm-dd\n"
                                        "identifiers: {household: INE, person: INE}\ncolumns:\n"
                                        "  INE: {variable: ine, type: text}\n"
                                        "  NOM: {variable: birth_name, type: text, required: true}\n"
                                        "  PRENOM: {variable: first_names, type: text}\n"
                                        "  DATE_NAISSANCE: {variable: birth_date, type: date, required: true}\n"
                                        "  INSCRIT: {variable: student, type: boolean, \"true\": [O], \"false\": [N], absent_means: \"false\"}\n", failure);
  write_file(p("dgfip.yaml"), std::string("# Tax office extract written by proactif synth.\n") +
                                  "file: dgfip.csv\nsource: DGFiP\nextract: revenus\n" + header +
                                  "format: csv\nencoding: utf-8\nseparator: \";\"\ndecimal: point\ndate_format: yyyy-mm-dd\n"
                                  "identifiers: {household: SPI, person: SPI}\ncolumns:\n"
                                  "  NOM: {variable: birth_name, type: text, required: true}\n"
                                  "  PRENOMS: {variable: first_names, type: text}\n"
                                  "  DATE_NAISSANCE: {variable: birth_date, type: date, required: true}\n"
                                  "  LIEU_NAISSANCE: {variable: birth_place, type: text}\n"
                                  "  REVENUS_12M: {variable: resources_12m, type: number, unit: EUR/year, min: 0, absent_means: \"0\", refers_to: \"" +
                                  extracted_on.substr(0, 4) + "\"}\n"
                                  "# read only to write to a household whose address the CAF does not know\n"
                                  "contacts: {first_names: PRENOMS, name: NOM, address: ADRESSE, town: CP_COMMUNE}\n", failure);
  write_file(p("drm.yaml"), std::string("# Monthly resources (DRM) extract written by proactif synth.\n") +
                                "file: drm.csv\nsource: DRM\nextract: ressources des trois derniers mois\n" + header +
                                "format: csv\nencoding: utf-8\nseparator: \";\"\ndecimal: point\ndate_format: yyyy-mm-dd\n"
                                "identifiers: {household: ID_DRM, person: ID_DRM}\ncolumns:\n"
                                "  NIR: {variable: nir, type: nir, required: true}\n"
                                "  NOM: {variable: birth_name, type: text, required: true}\n"
                                "  PRENOMS: {variable: first_names, type: text}\n"
                                "  DATE_NAISSANCE: {variable: birth_date, type: date, required: true}\n"
                                "# The DRM lists everyone with declared resources (a minimum benefit is one): absent means none.\n"
                                "  RESSOURCES_3M: {variable: resources_3m, type: number, unit: EUR, min: 0, absent_means: \"0\", refers_to: \"" +
                                extracted_on.substr(0, 7) + "\"}\n"
                                "  MINIMA: {variable: minimum_benefits, type: code_list, values: [ASPA, ASI, AAH, ASS, CEJ], "
                                "recode: {ASPA: aspa, ASI: asi, AAH: aah, ASS: ass, CEJ: cej}, absent_means: \"[]\"}\n"
                                "  ACTIVITE: {variable: worked_3m, type: boolean, \"true\": [O], \"false\": [N], absent_means: \"false\"}\n", failure);
  if (!failure.empty()) return Error{ErrorKind::kUnavailable, failure};
  return counts;
}

}  // namespace proactif::synth
