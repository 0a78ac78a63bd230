// Proofs fetched from API Particulier ("Dites-le-nous une fois", CRPA
// L114-8): the quotient familial, RSA, C2S and AAH status, student status,
// higher-education and school scholarships of one person, asked by their
// "identité pivot" or a student's INE. Only the data a program declares are
// asked for (data minimisation), each on its own route.
//
// The answers are read for what they establish and no more: a person the
// provider does not know (404) is undetermined, never "not entitled"; a
// negative answer inside a window where the provider's data are known to be
// incomplete is undetermined too; 401/403 stop everything (the token or its
// scopes are wrong: no answer would be right); 429 and 5xx are retried as the
// service asks (Retry-After, meta.retry_in, with jitter), and otherwise left
// to try later. Calls are limited to 20 a second (the service's limit per
// token, with a margin) and 950 a minute (the limit per address), each times out after 5 s, and a circuit breaker stops calling a
// service that keeps failing.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/api_particulier_data.hpp"
#include "core/date.hpp"
#include "core/result.hpp"

namespace proactif {

// The person asked about.
struct CivilIdentity {
  std::string birth_name, usage_name;
  std::vector<std::string> first_names;
  std::optional<Days> birth_date;
  char sex = 0;                          // 'M' or 'F', 0 when not given
  std::string birth_country = "99100";   // INSEE COG code; 99100 is France
  std::string birth_commune;             // INSEE COG code, for a person born in France
  std::string ine;                       // a student's national number, when known
  std::string school_year;               // "2025" for 2025-2026 (schooling only)
};

// A person's identity as JSON: {"birth_name", "usage_name", "first_names":
// [...], "birth_date": "YYYY-MM-DD", "sex": "M"|"F", "birth_country",
// "birth_commune" (INSEE COG codes), "ine", "school_year"}, every key
// optional but for what a route needs; an unknown key is refused.
Result<CivilIdentity> read_civil_identity(const std::string& json);

enum class FetchOutcome {
  kFound,          // the provider answered; `value` holds the datum
  kNotFound,       // the provider does not know the person (404): undetermined
  kUnreliable,     // an answer that does not prove the datum for this person on this date: undetermined
  kRefusedInput,   // 422: the identity given is at fault (`detail` names the parameter)
  kRetryLater,     // 429 or the provider's trouble after the retries, a timeout, the breaker open
  kConfiguration,  // 401/403, or the client's own settings: nothing can be fetched
};
const char* outcome_name(FetchOutcome o);
// The same, as an agent or a person reads it, in French.
const char* outcome_in_french(FetchOutcome o);

struct FetchedDatum {
  Datum datum{};
  FetchOutcome outcome = FetchOutcome::kRetryLater;
  std::string value;       // a JSON literal: 1200, true, "5"; empty unless found
  std::string as_of;       // the date the datum is for (the QF's month, a right's start), when given
  std::string provider;    // CNAF, MSA, CNOUS, MESRI, MEN...
  std::string route;       // /v3/dss/quotient_familial/identite
  std::string fetched_on;  // the day it was asked (today), YYYY-MM-DD
  // The postal code of the address the answer gives (the CAF allocataire's,
  // with a quotient familial), where it gives one in France: the household
  // may live there rather than where the extracts say.
  std::string postcode;
  int http_status = 0;     // 0 when no answer came
  int attempts = 0;
  double retry_in_seconds = 0;  // kRetryLater: when the service said to try again
  std::string detail;      // why it is not found: the service's own words or the client's; nothing personal
};

struct ApiParticulierConfig {
  std::string base_url = "https://particulier.api.gouv.fr";  // http only on loopback
  std::string token;       // never written anywhere
  std::string recipient;   // SIRET of the body that uses the data (14 digits)
  double timeout_seconds = 5;
  double requests_per_second = 20;   // per token
  int requests_per_minute = 950;     // per address: the service bans one past 1 000 a minute for 12 h
  int max_attempts = 3;         // per datum, for 409, 429, 5xx and timeouts
  double longest_wait_seconds = 30;  // a Retry-After or retry_in beyond it is left for later
  int breaker_failures = 5;     // failures in a row that open the breaker
  double breaker_seconds = 30;  // how long it stays open
};

// Empty when the settings can be used, else why not.
std::string config_fault(const ApiParticulierConfig& config);

// The token from PROACTIF_API_PARTICULIER_TOKEN's value, or from a file only
// its owner can read (a token in a file others can read is refused).
Result<std::string> read_token(const std::string& file);
// The settings completed with the token (from `token_file`, else the
// environment) and checked.
Result<ApiParticulierConfig> api_particulier_settings(ApiParticulierConfig config, const std::string& token_file);

// What an answer is read against: the date decided on; today, since the
// service gives some data as they are today; and the birth date asked,
// compared with the persons the answer names.
struct AnswerContext {
  Days date{};
  Days today{};
  std::optional<Days> birth_date;
};

// What a 200 answer's body establishes about `datum` (found, not found,
// unreliable), the route's other fields left empty.
FetchedDatum read_proof_answer(Datum datum, const std::string& body, const AnswerContext& asked);

// How far from today a date may be for what the service says as it is
// today (a right, a "no"): a month.
inline constexpr Days kApiParticulierDaysFromToday = 31;

// Why `datum` is not asked for `date` (empty when it is): the service says
// whether a person receives the RSA, the C2S or the AAH as of today, and
// keeps two years of quotients familiaux, none of a month to come.
std::string why_not_asked_on(Datum datum, Days date, Days today);
// The month whose quotient familial is asked for `date`: its own, or this
// month's for a date in a month to come.
CivilDate quotient_familial_month(Days date, Days today);

// One fetched datum as JSON, as proofs, decide and the service print it.
std::string fetched_datum_json(const FetchedDatum& d);
// The audit trail's detail of the calls made for a datum: which datum, for
// what, the route, the calls, the last status, the outcome; nothing personal.
std::string fetch_audit_detail(const FetchedDatum& d, const std::string& purpose);

class ApiParticulierClient {
 public:
  explicit ApiParticulierClient(ApiParticulierConfig config);
  ~ApiParticulierClient();
  ApiParticulierClient(const ApiParticulierClient&) = delete;
  ApiParticulierClient& operator=(const ApiParticulierClient&) = delete;

  // One datum about one person, as of `date` (the evaluation date: student
  // status and the data-quality windows depend on it). Thread-safe.
  FetchedDatum fetch(Datum datum, const CivilIdentity& who, Days date);

 private:
  struct Answer {
    int status = 0;
    std::string body, retry_after, error;
  };
  Answer get(const std::string& route, const std::vector<std::pair<std::string, std::string>>& params);
  void wait_for_rate();
  void hold_all(double seconds);  // a 429: every thread waits its Retry-After
  bool breaker_open(double& retry_in);
  void record(bool failure);

  ApiParticulierConfig config_;
  std::mutex mutex_;  // the rate limiter and the breaker
  std::chrono::steady_clock::time_point next_slot_{};
  std::deque<std::chrono::steady_clock::time_point> sent_;  // the last `rate` requests' times
  int failures_in_a_row_ = 0;
  std::chrono::steady_clock::time_point open_until_{};
};

}  // namespace proactif
