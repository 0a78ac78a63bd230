// The fields of forms generated from a program's inputs (their labels,
// units and code labels), and the answers read back as a situation's JSON:
// "Suis-je concerné ?" and the agents' requests for an instant decision.
#pragma once

#include <httplib.h>

#include <map>
#include <optional>
#include <string>

#include "population/territory.hpp"
#include "rules/program.hpp"

namespace proactif {

// A form's answers (none before it is sent).
struct FormAnswers {
  const httplib::Request* req = nullptr;
  // Where a commune typed is looked up: by its postcode too, which is what
  // most people know of it (none: taken as typed).
  const Territory* territory = nullptr;
  std::string value(const std::string& name) const {
    return req && req->has_param(name) ? req->get_param_value(name).substr(0, 200) : "";
  }
  bool has(const std::string& name, const std::string& value) const {
    if (!req) return false;
    for (size_t i = 0, n = req->get_param_value_count(name); i < n; ++i)
      if (req->get_param_value(name, i) == value) return true;
    return false;
  }
};

// The first person (1-based) beyond the `persons` a form lists that answers
// are given for (a form sent again after a person was removed, or made by
// hand); 0 when there is none. Those answers would be left out of the
// household decided, without a word.
size_t person_beyond_the_form(const FormAnswers& answers, size_t persons);
// "foyer.NAME" for a household input, "personneN.NAME" for person N (0-based).
std::string field_name(const InputDecl& in, int person);
// "1 234,56" or "1234.56": a number as a person types it; nullopt otherwise.
std::optional<double> french_number(std::string text);
// One input's field, prefilled with the answer; `hint` under its label,
// `error` under the field.
std::string field(const InputDecl& in, int person, const FormAnswers& answers, const std::string& error,
                  const std::string& hint = "");
// The error written for the field `name`, or nothing.
std::string error_at(const std::map<std::string, std::string>& errors, const std::string& name);
// The answer a situation reader's refusal names ("persons.p2.birth_date: ..."
// or "household.commune: ...", the forms' persons being p1, p2...): its input
// and person (-1: the household); nullopt when it names none of the form's.
struct RefusedAnswer {
  const InputDecl* input;
  int person;
};
std::optional<RefusedAnswer> refused_answer(const Program& program, const std::string& reason, int persons);
// The answer to one input as a JSON value ("null" when not answered); a
// malformed answer's field gets its error. A commune is asked by its
// postcode or its INSEE code: a code that may be either for two communes
// (38400: Saint-Martin-d'Hères's postcode, Saint-Jean-de-Moirans's INSEE
// code) is not guessed, the person chooses.
std::string answer_json(const InputDecl& in, int person, const FormAnswers& answers,
                        std::map<std::string, std::string>& errors);
// The answer to one input as `"name":value` appended to a JSON object
// (null when not answered); a malformed answer's field gets its error.
void append_answer(std::string& out, const InputDecl& in, int person, const FormAnswers& answers,
                   std::map<std::string, std::string>& errors);
// Not asked of "you", the applicant: your place in the household, and
// whether you are someone's dependant.
bool is_role(const InputDecl& in);
bool asked_of_others_only(const InputDecl& in);

}  // namespace proactif
