#include "sources/api_particulier.hpp"

#include <curl/curl.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include "core/endpoint_url.hpp"
#include "core/json_text.hpp"
#include "core/value_domain.hpp"

namespace proactif {

namespace {

double jitter() {
  thread_local std::mt19937 random{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.5, 1.5)(random);
}

size_t collect(char* data, size_t size, size_t count, void* into) {
  auto* body = static_cast<std::string*>(into);
  if (body->size() + size * count > (1u << 20)) return 0;  // an answer over 1 MiB is not one of this API's
  body->append(data, size * count);
  return size * count;
}

size_t header(char* data, size_t size, size_t count, void* into) {
  std::string line(data, size * count);
  const std::string name = "retry-after:";
  if (line.size() > name.size()) {
    std::string start = line.substr(0, name.size());
    for (auto& c : start) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (start == name) {
      std::string value = line.substr(name.size());
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.pop_back();
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      *static_cast<std::string*>(into) = value;
    }
  }
  return size * count;
}

// The service's error, as it words it: "title: detail (parameter x)"; and
// when it asks to come back, in how many seconds.
std::string error_words(const std::string& body, double* retry_in = nullptr) {
  simdjson::dom::parser parser;
  simdjson::dom::array errors;
  if (parser.parse(body)["errors"].get(errors) != simdjson::SUCCESS) return "";
  for (auto e : errors) {
    std::string_view title, detail, parameter;
    static_cast<void>(e["title"].get(title) == simdjson::SUCCESS);
    static_cast<void>(e["detail"].get(detail) == simdjson::SUCCESS);
    std::string out = std::string(title) + (detail.empty() ? "" : ": " + std::string(detail));
    if (e["source"]["parameter"].get(parameter) == simdjson::SUCCESS) out += " (parameter " + std::string(parameter) + ")";
    double seconds = 0;
    int64_t whole = 0;
    if (retry_in && (e["meta"]["retry_in"].get(seconds) == simdjson::SUCCESS ||
                     (e["meta"]["retry_in"].get(whole) == simdjson::SUCCESS && (seconds = static_cast<double>(whole)))))
      *retry_in = seconds;
    return out.substr(0, 300);
  }
  return "";
}

std::string two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// The school year a date falls in, by its first year: 2025 for 2025-2026.
int school_year(Days date) {
  CivilDate d = civil_from_days(date);
  return d.month >= 9 ? d.year : d.year - 1;
}

// The service gives these as they are on the day it is asked.
bool said_as_of_today(Datum d) {
  return d == Datum::kBeneficiaireRsa || d == Datum::kBeneficiaireC2s || d == Datum::kBeneficiaireAah;
}

int month_index(CivilDate d) { return d.year * 12 + d.month - 1; }

// Whether an answer that names persons names the one asked. The service
// matches names with some tolerance; an answer whose persons are all born
// on other days is about someone else (the official sandbox answers a
// request for a man born in 1987 with a man born in 1978).
bool names_the_person_asked(simdjson::dom::element data, Days born) {
  int named = 0;
  auto born_on = [&](simdjson::dom::element person) {
    std::string_view text;
    if (person["date_naissance"].get(text) != simdjson::SUCCESS) return false;
    ++named;
    const auto day = parse_iso_date(text);
    return day && *day == born;
  };
  for (const char* list : {"allocataires", "enfants"}) {
    simdjson::dom::array persons;
    if (data[list].get(persons) == simdjson::SUCCESS)
      for (auto person : persons)
        if (born_on(person)) return true;
  }
  simdjson::dom::element identity;
  if (data["identite"].get(identity) == simdjson::SUCCESS && identity.is_object() && born_on(identity)) return true;
  return named == 0;
}

// A JSON number, integer or not.
bool number_of(simdjson::dom::element e, double& value) {
  int64_t whole = 0;
  if (e.get(value) == simdjson::SUCCESS) return true;
  if (e.get(whole) != simdjson::SUCCESS) return false;
  value = static_cast<double>(whole);
  return true;
}

// What a 200 answer establishes, for each datum, about the person asked on
// the date asked.
void read_answer(FetchedDatum& out, const std::string& body, const AnswerContext& asked) {
  const Days date = asked.date;
  const Days away = std::abs(date - asked.today);
  simdjson::dom::parser parser;
  simdjson::dom::element data;
  if (parser.parse(body)["data"].get(data) != simdjson::SUCCESS) {
    out.outcome = FetchOutcome::kRetryLater;
    out.detail = "the answer has no data";
    return;
  }
  if (asked.birth_date && !names_the_person_asked(data, *asked.birth_date)) {
    out.outcome = FetchOutcome::kUnreliable;
    out.detail = "the answer names no person born on the day asked: it may be about someone else";
    return;
  }
  auto found = [&](std::string value) {
    out.outcome = FetchOutcome::kFound;
    out.value = std::move(value);
  };
  auto unreliable = [&](const std::string& why) {
    out.outcome = FetchOutcome::kUnreliable;
    out.detail = why;
  };
  bool flag = false;
  std::string_view text;
  const CivilDate on = civil_from_days(date);
  switch (out.datum) {
    case Datum::kQuotientFamilial: {
      simdjson::dom::element qf, valeur;
      double value = 0;
      if (data["quotient_familial"].get(qf) != simdjson::SUCCESS || qf.is_null() ||
          qf["valeur"].get(valeur) != simdjson::SUCCESS || !number_of(valeur, value)) {
        out.outcome = FetchOutcome::kNotFound;
        out.detail = "the answer gives no quotient familial";
        return;
      }
      if (qf["fournisseur"].get(text) == simdjson::SUCCESS) out.provider = text;
      int64_t year = 0, month = 0;
      if (qf["annee"].get(year) != simdjson::SUCCESS || qf["mois"].get(month) != simdjson::SUCCESS)
        return unreliable("the answer does not say which month its quotient familial is for");
      out.as_of = std::to_string(year) + "-" + two(static_cast<int>(month));
      // The month asked is the one decided on: another month's quotient may differ.
      const CivilDate wanted = quotient_familial_month(date, asked.today);
      if (year != wanted.year || month != wanted.month)
        return unreliable("the answer's quotient familial is for " + out.as_of + ", not for the month asked (" +
                          std::to_string(wanted.year) + "-" + two(wanted.month) + ")");
      // The CAF and the MSA compute it to the cent, at least 0 and within the
      // bounds of any amount (core/value_domain.hpp): another figure is not
      // theirs, and must not reach a decision (a negative one would be the
      // cheapest fare's; a tester's finding of 2026-12-06).
      if (!(value >= 0) || value > ValueDomain::kLimit)
        return unreliable("the answer's quotient familial is not one (negative, or beyond any amount)");
      if (std::abs(value * 100 - std::round(value * 100)) > 1e-6)
        return unreliable("the answer's quotient familial has more than two decimals");
      char number[32];
      std::snprintf(number, sizeof number, "%.2f", value);
      std::string v = number;
      while (v.back() == '0') v.pop_back();
      if (v.back() == '.') v.pop_back();
      // "38000 GRENOBLE": the allocataire's address, as the CAF or the MSA
      // holds it, kept with a quotient familial used, no other.
      if (data["adresse"]["code_postal_ville"].get(text) == simdjson::SUCCESS && text.size() >= 5 &&
          std::all_of(text.begin(), text.begin() + 5, [](char c) { return c >= '0' && c <= '9'; }) &&
          (text.size() == 5 || text[5] == ' '))
        out.postcode = text.substr(0, 5);
      found(v);
      return;
    }
    case Datum::kBeneficiaireRsa:
    case Datum::kBeneficiaireC2s:
    case Datum::kBeneficiaireAah:
      if (data["est_beneficiaire"].get(flag) != simdjson::SUCCESS) {
        out.outcome = FetchOutcome::kNotFound;
        out.detail = "the answer does not say whether the person receives it";
        return;
      }
      if (data["date_debut_droit"].get(text) == simdjson::SUCCESS) out.as_of = text;
      // A right opened after the date says nothing of the date: an earlier one may have ended.
      if (flag && !out.as_of.empty()) {
        const auto start = parse_iso_date(out.as_of);
        if (!start) return unreliable("the answer's date_debut_droit is not a date");
        if (*start > date) return unreliable("the right the answer gives opens after the date decided on");
      }
      found(flag ? "true" : "false");
      return;
    case Datum::kStatutEtudiant: {
      simdjson::dom::array admissions;
      if (data["admissions"].get(admissions) != simdjson::SUCCESS) {
        out.outcome = FetchOutcome::kNotFound;
        out.detail = "the answer lists no admission";
        return;
      }
      bool unreadable = false, in_training = false;
      for (auto a : admissions) {
        bool enrolled = false;
        std::string_view start, end, regime;
        if (a["est_inscrit"].get(enrolled) != simdjson::SUCCESS || !enrolled) continue;
        std::optional<Days> from, to;
        if (a["date_debut"].get(start) == simdjson::SUCCESS) from = parse_iso_date(start);
        if (a["date_fin"].get(end) == simdjson::SUCCESS) to = parse_iso_date(end);
        if (!from || !to) {
          unreadable = true;  // "2021-06-31" is in the sandbox's answers
          continue;
        }
        if (*from > date || date > *to) continue;
        // An apprentice, a person under a professionalisation contract or
        // in continuing education (RF4 to RF7) follows a course while
        // working or training for work: whether that makes them a student
        // as a program reads it (the RSA's L262-4 3°: "élève, étudiant ou
        // stagiaire") the answer does not say. Initial education (RF1 to
        // RF3), or no régime given, does.
        if (a["regime_formation"]["code"].get(regime) == simdjson::SUCCESS &&
            (regime == "RF4" || regime == "RF5" || regime == "RF6" || regime == "RF7")) {
          in_training = true;
          continue;
        }
        out.as_of = std::string(start);
        return found("true");
      }
      // An enrolment whose dates cannot be read may be the one that covers the date.
      if (unreadable) return unreliable("an enrolment's dates in the answer are not dates");
      if (in_training)
        return unreliable("the enrolment covering the date is in continuing education, an apprenticeship or a "
                          "professionalisation contract, which does not say whether the person is a student");
      // The answer lists the enrolments of the year under way: none covering
      // a date of another year says nothing of it.
      if (away > kApiParticulierDaysFromToday)
        return unreliable("the answer lists the enrolments of the year under way, and the date decided on is " +
                          std::to_string(away) + " days away");
      return found("false");
    }
    case Datum::kEchelonBourse: {
      bool holder = false, struck_off = false, said = false;
      simdjson::dom::element status;
      if (data["statut_boursier"].get(status) == simdjson::SUCCESS) {
        said = status["est_boursier"].get(holder) == simdjson::SUCCESS;
        static_cast<void>(status["est_radie"].get(struck_off) == simdjson::SUCCESS);
        // Struck off after the date: the student held it on the date.
        if (struck_off && status["date_radiation"].get(text) == simdjson::SUCCESS)
          if (const auto off = parse_iso_date(text); off && *off > date) struck_off = false;
      } else {
        said = data["est_boursier"].get(holder) == simdjson::SUCCESS;  // v3's shape
      }
      if (!said) {
        out.outcome = FetchOutcome::kNotFound;
        out.detail = "the answer does not say whether the student holds a scholarship";
        return;
      }
      if (!holder || struck_off) {
        // CNOUS holds about 85 % of the year's scholarship holders in
        // October, all of them at the end of November (DOMAIN.md §6).
        if (on.month >= 9 && on.month <= 11)
          return unreliable("CNOUS does not know every scholarship holder before the end of November");
        // A "no" is today's: the student may have held one on another date.
        if (away > kApiParticulierDaysFromToday)
          return unreliable("CNOUS says who holds a scholarship today, and the date decided on is " +
                            std::to_string(away) + " days away");
        return found("\"none\"");
      }
      if (data["echelon_bourse"]["echelon"].get(text) != simdjson::SUCCESS) {
        out.outcome = FetchOutcome::kNotFound;
        out.detail = "the answer gives no scholarship step";
        return;
      }
      std::string step;
      for (char c : text)
        if (c != ' ') step += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (step != "0bis" && !(step.size() == 1 && step[0] >= '1' && step[0] <= '7'))
        return unreliable("a scholarship step the program does not know");
      // A step counts over the months its scholarship is paid for, which the answer gives.
      simdjson::dom::element period, months;
      if (data["periode_versement_bourse"].get(period) == simdjson::SUCCESS && period.is_object() &&
          period["date_rentree"].get(text) == simdjson::SUCCESS) {
        out.as_of = text;
        const auto start = parse_iso_date(text);
        double paid_months = 0;
        if (!start || period["duree"].get(months) != simdjson::SUCCESS || !number_of(months, paid_months))
          return unreliable("the answer's payment period cannot be read");
        const int first = month_index(civil_from_days(*start));
        if (date < *start || month_index(on) >= first + static_cast<int>(paid_months))
          return unreliable("the scholarship the answer gives is not paid on the date decided on");
      } else if (away > kApiParticulierDaysFromToday) {
        return unreliable("CNOUS gives the scholarship of today, with no period, and the date decided on is " +
                          std::to_string(away) + " days away");
      }
      return found("\"" + step + "\"");
    }
    case Datum::kBoursierScolaire: {
      // Scholarships are granted over the autumn: "no" before mid-October
      // may be a false negative (DOMAIN.md §6), whatever the reason given.
      const bool autumn = on.month == 9 || (on.month == 10 && on.day < 15);
      bool schooled = false;
      if (data["est_scolarise"].get(schooled) == simdjson::SUCCESS && !schooled) {
        if (autumn) return unreliable("the Éducation nationale does not know every pupil before mid-October");
        return found("false");
      }
      if (data["est_boursier"].get(flag) != simdjson::SUCCESS) {
        out.outcome = FetchOutcome::kNotFound;
        out.detail = "the answer does not say whether the pupil holds a scholarship";
        return;
      }
      if (!flag && autumn)
        return unreliable("the Éducation nationale does not know every scholarship before mid-October");
      // Another school year's scholarship says nothing of this one's (a
      // tester's finding of 2026-12-06: last year's made a pupil eligible).
      if (data["annee_scolaire"].get(text) == simdjson::SUCCESS) {
        const int year = school_year(date);
        const std::string asked_year = std::to_string(year) + "-" + std::to_string(year + 1);
        if (text != asked_year)
          return unreliable("the answer is for the school year " + std::string(text) + ", and the date decided on is in " +
                            asked_year);
        out.as_of = text;
      }
      // The ministry's scholarship is a collège's or a lycée's alike; the
      // datum is a lycée pupil's (the fares of "lycéens boursiers"). The
      // class's MEF code (Mef Stat 11, BCN) opens with its cycle: 2 for the
      // second (lycée), 1 for the first (collège). A holder in another
      // class, or whose class is not said, is not taken for a lycéen (a
      // tester's finding of 2026-12-06: a collège pupil was).
      if (flag) {
        std::string_view code;
        if (data["module_elementaire_formation"]["code_mef_stat"].get(code) != simdjson::SUCCESS || code.empty() ||
            code.front() != '2')
          return unreliable("the answer does not say the scholarship holder is in a lycée class (second cycle)");
      }
      return found(flag ? "true" : "false");
    }
  }
}

}  // namespace

FetchedDatum read_proof_answer(Datum datum, const std::string& body, const AnswerContext& asked) {
  FetchedDatum out;
  out.datum = datum;
  read_answer(out, body, asked);
  return out;
}

CivilDate quotient_familial_month(Days date, Days today) {
  const CivilDate d = civil_from_days(date), now = civil_from_days(today);
  return month_index(d) > month_index(now) ? CivilDate{now.year, now.month, 1} : CivilDate{d.year, d.month, 1};
}

std::string why_not_asked_on(Datum datum, Days date, Days today) {
  const Days away = date - today;
  if (said_as_of_today(datum) && std::abs(away) > kApiParticulierDaysFromToday)
    return "API Particulier says whether a person receives it as of today, and the date decided on is " +
           std::to_string(std::abs(away)) + " days away: not asked";
  if (datum == Datum::kQuotientFamilial) {
    if (away > kApiParticulierDaysFromToday) return "no quotient familial is known for a month to come: not asked";
    // The service keeps two years of them (its specification, parameter `annee`).
    if (month_index(civil_from_days(today)) - month_index(civil_from_days(date)) >= 24)
      return "API Particulier keeps two years of quotients familiaux, and the date decided on is older: not asked";
  }
  return "";
}

std::string fetched_datum_json(const FetchedDatum& d) {
  return "{\"datum\":" + json_string(datum_name(d.datum)) + ",\"outcome\":" + json_string(outcome_name(d.outcome)) +
         ",\"value\":" + (d.value.empty() ? "null" : d.value) + ",\"as_of\":" +
         (d.as_of.empty() ? "null" : json_string(d.as_of)) + ",\"provider\":" + json_string(d.provider) +
         ",\"route\":" + json_string(d.route) + ",\"fetched_on\":" + json_string(d.fetched_on) +
         ",\"http_status\":" + std::to_string(d.http_status) + ",\"attempts\":" + std::to_string(d.attempts) +
         ",\"detail\":" + json_string(d.detail) + "}";
}

std::string fetch_audit_detail(const FetchedDatum& d, const std::string& purpose) {
  return std::string(datum_name(d.datum)) + " for " + purpose + ": " + d.route + ", " + std::to_string(d.attempts) +
         " calls, last HTTP " + std::to_string(d.http_status) + ", " + outcome_name(d.outcome);
}

Result<ApiParticulierConfig> api_particulier_settings(ApiParticulierConfig config, const std::string& token_file) {
  auto token = read_token(token_file);
  if (!token) return token.error();
  config.token = *token;
  if (std::string fault = config_fault(config); !fault.empty()) return Error{ErrorKind::kConfiguration, fault};
  return config;
}

const char* outcome_in_french(FetchOutcome o) {
  switch (o) {
    case FetchOutcome::kFound: return "obtenue";
    case FetchOutcome::kNotFound: return "inconnue de l'administration interrogée";
    case FetchOutcome::kUnreliable: return "réponse non probante pour cette personne à cette date";
    case FetchOutcome::kRefusedInput: return "identité refusée par le service";
    case FetchOutcome::kRetryLater: return "service indisponible : réessayer plus tard";
    case FetchOutcome::kConfiguration: return "accès refusé";
  }
  return "";
}

const char* outcome_name(FetchOutcome o) {
  switch (o) {
    case FetchOutcome::kFound: return "found";
    case FetchOutcome::kNotFound: return "not_found";
    case FetchOutcome::kUnreliable: return "unreliable";
    case FetchOutcome::kRefusedInput: return "refused_input";
    case FetchOutcome::kRetryLater: return "retry_later";
    case FetchOutcome::kConfiguration: return "configuration";
  }
  return "?";
}

Result<CivilIdentity> read_civil_identity(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(json).get(object) != simdjson::SUCCESS) return Error{ErrorKind::kInput, "the identity is not a JSON object"};
  CivilIdentity who;
  std::vector<std::string> seen;
  for (auto [key, value] : object) {
    const std::string k(key);
    if (std::find(seen.begin(), seen.end(), k) != seen.end()) return Error{ErrorKind::kInput, "identity: '" + k + "' is given twice"};
    seen.push_back(k);
    if (value.is_null()) continue;
    std::string_view text;
    if (k == "first_names") {
      simdjson::dom::array names;
      if (value.get(names) != simdjson::SUCCESS) return Error{ErrorKind::kInput, "identity: first_names is a list of names"};
      for (auto n : names) {
        if (n.get(text) != simdjson::SUCCESS || text.empty() || text.size() > 100)
          return Error{ErrorKind::kInput, "identity: first_names is a list of names"};
        who.first_names.emplace_back(text);
      }
      continue;
    }
    if (value.get(text) != simdjson::SUCCESS || text.size() > 100) return Error{ErrorKind::kInput, "identity: '" + k + "' is a text"};
    const std::string v(text);
    auto digits = [&](size_t n) { return v.size() == n && v.find_first_not_of("0123456789AB") == std::string::npos; };
    if (k == "birth_name") who.birth_name = v;
    else if (k == "usage_name") who.usage_name = v;
    else if (k == "birth_date") {
      who.birth_date = parse_iso_date(v);
      if (!who.birth_date) return Error{ErrorKind::kInput, "identity: birth_date '" + v + "' is not a date (YYYY-MM-DD)"};
    } else if (k == "sex") {
      if (v != "M" && v != "F") return Error{ErrorKind::kInput, "identity: sex is M or F"};
      who.sex = v[0];
    } else if (k == "birth_country") {
      if (!digits(5) || v.rfind("99", 0) != 0) return Error{ErrorKind::kInput, "identity: birth_country is an INSEE country code (99100 for France)"};
      who.birth_country = v;
    } else if (k == "birth_commune") {
      if (!digits(5)) return Error{ErrorKind::kInput, "identity: birth_commune is an INSEE commune code (5 characters)"};
      who.birth_commune = v;
    } else if (k == "ine") {
      if (v.size() != 11 || v.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos)
        return Error{ErrorKind::kInput, "identity: ine is 11 digits and capital letters"};
      who.ine = v;
    } else if (k == "school_year") {
      if (v.size() != 4 || v.find_first_not_of("0123456789") != std::string::npos)
        return Error{ErrorKind::kInput, "identity: school_year is the year the school year starts (2025)"};
      who.school_year = v;
    } else {
      return Error{ErrorKind::kInput, "identity: unknown key '" + k.substr(0, 40) + "'"};
    }
  }
  return who;
}

std::string config_fault(const ApiParticulierConfig& c) {
  if (std::string fault = endpoint_fault(c.base_url, {"https", "http"}, "http"); !fault.empty())
    return "API Particulier: " + fault;
  if (c.token.empty()) return "API Particulier: no token (PROACTIF_API_PARTICULIER_TOKEN, or a token file)";
  if (c.token.find_first_of("\r\n ") != std::string::npos) return "API Particulier: the token holds a space or a line break";
  if (c.recipient.size() != 14 || c.recipient.find_first_not_of("0123456789") != std::string::npos)
    return "API Particulier: the recipient is the SIRET of the body that uses the data, 14 digits";
  if (!(c.requests_per_second > 0 && c.requests_per_second <= 20))
    return "API Particulier: at most 20 requests a second per token";
  return "";
}

Result<std::string> read_token(const std::string& file) {
  if (file.empty()) {
    const char* value = std::getenv("PROACTIF_API_PARTICULIER_TOKEN");
    if (!value || !*value) return Error{ErrorKind::kConfiguration, "API Particulier: no token: set PROACTIF_API_PARTICULIER_TOKEN or give a token file"};
    return std::string(value);
  }
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return Error{ErrorKind::kNotFound, file + ": cannot read the API Particulier token"};
  if (st.st_mode & (S_IRWXG | S_IRWXO))
    return Error{ErrorKind::kRefused, file + ": the API Particulier token is readable by others than its owner (chmod 600)"};
  if (st.st_uid != ::geteuid()) return Error{ErrorKind::kRefused, file + ": the API Particulier token belongs to another user"};
  std::ifstream in(file);
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.empty()) return Error{ErrorKind::kConfiguration, file + ": the API Particulier token file is empty"};
  return token;
}

ApiParticulierClient::ApiParticulierClient(ApiParticulierConfig config) : config_(std::move(config)) {
  while (!config_.base_url.empty() && config_.base_url.back() == '/') config_.base_url.pop_back();
}

ApiParticulierClient::~ApiParticulierClient() = default;

void ApiParticulierClient::wait_for_rate() {
  // At most `rate` requests in any 1.1 s and `per_minute` in any 61 s, spaced by 1/rate: the service
  // counts 20 a second on arrival, and arrivals come later than the sends by
  // a varying delay; the tenth of a second is that margin. Slots are taken
  // in turn, whatever the number of threads asking.
  using Clock = std::chrono::steady_clock;
  const auto span = [](double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  };
  Clock::time_point slot;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    slot = std::max(Clock::now(), next_slot_);
    const size_t rate = std::max<size_t>(1, static_cast<size_t>(config_.requests_per_second));
    const size_t per_minute = std::max<size_t>(1, static_cast<size_t>(config_.requests_per_minute));
    if (sent_.size() >= rate) slot = std::max(slot, sent_[sent_.size() - rate] + span(1.1));
    if (sent_.size() >= per_minute) slot = std::max(slot, sent_[sent_.size() - per_minute] + span(61));
    sent_.push_back(slot);
    if (sent_.size() > std::max(rate, per_minute)) sent_.pop_front();
    next_slot_ = slot + span(1.0 / config_.requests_per_second);
  }
  std::this_thread::sleep_until(slot);
}

void ApiParticulierClient::hold_all(double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  next_slot_ = std::max(next_slot_, std::chrono::steady_clock::now() +
                                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                            std::chrono::duration<double>(seconds)));
}

bool ApiParticulierClient::breaker_open(double& retry_in) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (now >= open_until_) return false;
  retry_in = std::chrono::duration<double>(open_until_ - now).count();
  return true;
}

void ApiParticulierClient::record(bool failure) {
  std::lock_guard<std::mutex> lock(mutex_);
  failures_in_a_row_ = failure ? failures_in_a_row_ + 1 : 0;
  if (failures_in_a_row_ >= config_.breaker_failures) {
    open_until_ = std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(config_.breaker_seconds));
    failures_in_a_row_ = 0;
  }
}

ApiParticulierClient::Answer ApiParticulierClient::get(const std::string& route,
                                                       const std::vector<std::pair<std::string, std::string>>& params) {
  Answer answer;
  CURL* curl = curl_easy_init();
  if (!curl) {
    answer.error = "libcurl could not start";
    return answer;
  }
  std::string url = config_.base_url + route + "?recipient=" + config_.recipient;
  for (const auto& [name, value] : params) {
    char* escaped = curl_easy_escape(curl, value.c_str(), static_cast<int>(value.size()));
    url += "&" + name + "=" + (escaped ? escaped : "");
    curl_free(escaped);
  }
  curl_slist* headers = curl_slist_append(nullptr, ("Authorization: Bearer " + config_.token).c_str());
  headers = curl_slist_append(headers, "Accept: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &answer.retry_after);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout_seconds * 1000));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.timeout_seconds * 1000));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (rc != CURLE_OK) {
    answer.error = curl_easy_strerror(rc);
    status = 0;
  }
  answer.status = static_cast<int>(status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return answer;
}

FetchedDatum ApiParticulierClient::fetch(Datum datum, const CivilIdentity& who, Days date) {
  const DatumRoute& r = route_of(datum);
  FetchedDatum out;
  out.datum = datum;
  out.provider = r.provider;
  const Days now = today();
  out.fetched_on = format_iso_date(now);
  std::vector<std::pair<std::string, std::string>> params;
  const bool by_ine = r.by_ine && !who.ine.empty();
  out.route = by_ine ? r.by_ine : r.by_identity;
  if (std::string why = why_not_asked_on(datum, date, now); !why.empty()) {
    out.outcome = FetchOutcome::kUnreliable;
    out.detail = std::move(why);
    return out;
  }
  if (by_ine) {
    params.push_back({"ine", who.ine});
  } else {
    if (who.birth_name.empty() || who.first_names.empty() || !who.birth_date) {
      out.outcome = FetchOutcome::kRefusedInput;
      out.detail = "the birth name, first names and birth date are needed to ask " + out.route;
      return out;
    }
    const bool dss = out.route.rfind("/v3/dss/", 0) == 0;
    if (dss && who.birth_country.empty()) {
      out.outcome = FetchOutcome::kRefusedInput;
      out.detail = "the country of birth is needed to ask " + out.route;
      return out;
    }
    // The commune of birth is required of a person born in France and left
    // out for one born abroad (the specification): asked without it, a
    // person the service knows would come back "not found" (a tester's
    // finding of 2026-12-06). The Éducation nationale's route takes none.
    const bool born_in_france = who.birth_country == "99100";
    if (datum != Datum::kBoursierScolaire && born_in_france && who.birth_commune.empty()) {
      out.outcome = FetchOutcome::kRefusedInput;
      out.detail = "the commune of birth is needed to ask " + out.route +
                   " about a person born in France (or the country of birth, for one born abroad)";
      return out;
    }
    params.push_back({"nomNaissance", who.birth_name});
    if (dss && !who.usage_name.empty()) params.push_back({"nomUsage", who.usage_name});
    for (const auto& f : who.first_names) params.push_back({"prenoms[]", f});
    const CivilDate born = civil_from_days(*who.birth_date);
    params.push_back({"anneeDateNaissance", std::to_string(born.year)});
    params.push_back({"moisDateNaissance", std::to_string(born.month)});
    params.push_back({"jourDateNaissance", std::to_string(born.day)});
    if (who.sex) params.push_back({"sexeEtatCivil", std::string(1, who.sex)});
    if (dss) params.push_back({"codeCogInseePaysNaissance", who.birth_country});
    if (born_in_france && datum != Datum::kBoursierScolaire)
      params.push_back({"codeCogInseeCommuneNaissance", who.birth_commune});
    if (datum == Datum::kBoursierScolaire)
      params.push_back({"anneeScolaire", who.school_year.empty() ? std::to_string(school_year(date)) : who.school_year});
    if (datum == Datum::kQuotientFamilial) {
      const CivilDate month = quotient_familial_month(date, now);
      params.push_back({"annee", std::to_string(month.year)});
      params.push_back({"mois", std::to_string(month.month)});
    }
  }
  for (out.attempts = 1; out.attempts <= config_.max_attempts; ++out.attempts) {
    double retry_in = 0;
    if (breaker_open(retry_in)) {
      out.outcome = FetchOutcome::kRetryLater;
      out.retry_in_seconds = retry_in;
      out.detail = "API Particulier failed " + std::to_string(config_.breaker_failures) +
                   " times in a row: not asked again before the pause ends";
      --out.attempts;
      return out;
    }
    wait_for_rate();
    Answer a = get(out.route, params);
    out.http_status = a.status;
    const int s = a.status;
    if (s == 200) {
      record(false);
      read_answer(out, a.body, {date, now, who.birth_date});
      return out;
    }
    out.detail = error_words(a.body, &retry_in);
    if (s == 404) {
      record(false);
      out.outcome = FetchOutcome::kNotFound;
      if (out.detail.empty()) out.detail = "not found at the provider";
      return out;
    }
    if (s == 401 || s == 403 || s == 400) {
      out.outcome = FetchOutcome::kConfiguration;
      if (out.detail.empty()) out.detail = "HTTP " + std::to_string(s);
      return out;
    }
    if (s == 422) {
      record(false);
      out.outcome = FetchOutcome::kRefusedInput;
      if (out.detail.empty()) out.detail = "the identity given was refused";
      return out;
    }
    double wait = 0;
    if (s == 429) {
      wait = std::atof(a.retry_after.c_str());
      if (wait <= 0) wait = 1;
      hold_all(wait);  // the limit is the token's: no thread asks before it ends
    } else if (s == 409) {
      wait = 1;  // the same request is running: its answer comes soon
    } else {
      record(true);  // 5xx, a timeout, no connection
      if (s == 0) out.detail = a.error;
      wait = retry_in > 0 ? retry_in : static_cast<double>(1 << (out.attempts - 1));
    }
    out.retry_in_seconds = wait;
    if (out.attempts == config_.max_attempts || wait > config_.longest_wait_seconds) break;
    std::this_thread::sleep_for(std::chrono::duration<double>(wait * (s == 429 ? 1.0 : jitter())));
  }
  out.outcome = FetchOutcome::kRetryLater;
  if (out.attempts > config_.max_attempts) out.attempts = config_.max_attempts;
  if (out.detail.empty()) out.detail = "HTTP " + std::to_string(out.http_status);
  return out;
}

}  // namespace proactif
