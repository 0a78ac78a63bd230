// proactif decide: an instant decision at the counter or for a tool. The
// program's API Particulier data are fetched about the person, the other
// inputs are the person's answers (--answer NAME=VALUE), and for a program
// decided for a foyer those of the persons who live with them (--member);
// the decision, stored under a reference, is printed as one JSON object: the
// reference, the decision line, what was fetched and the documents to bring
// for what could not be. `proactif decision REFERENCE` explains it.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <map>

#include "campaign/instant_decision.hpp"
#include "cli/api_particulier_setup.hpp"
#include "cli/commands.hpp"
#include "cli/store_url.hpp"
#include "core/json_text.hpp"

namespace proactif {

namespace {

// An answer as the situation's JSON: codes and dates are strings, a list of
// codes is joined by '+' (empty for none), numbers and booleans as written.
// `option` names where it was given, for the error.
Result<std::pair<std::string, std::string>> answer_json(const Program& program, const std::string& given,
                                                        const std::string& option) {
  const size_t eq = given.find('=');
  if (eq == std::string::npos || eq == 0) return Error{ErrorKind::kInput, option + " " + given + ": give NAME=VALUE"};
  const std::string name = given.substr(0, eq), value = given.substr(eq + 1);
  auto in = std::find_if(program.inputs.begin(), program.inputs.end(), [&](const InputDecl& i) { return i.name == name; });
  if (in == program.inputs.end()) return Error{ErrorKind::kInput, option + " " + name + ": not an input of " + program.id};
  if (in->type == Type::kCode || in->type == Type::kDate) return std::make_pair(name, json_string(value));
  if (in->type == Type::kCodeList) {
    std::string list = "[";
    for (size_t at = 0; at < value.size();) {
      size_t plus = std::min(value.find('+', at), value.size());
      list += (list.size() > 1 ? "," : "") + json_string(value.substr(at, plus - at));
      at = plus + 1;
    }
    return std::make_pair(name, list + "]");
  }
  if (in->type == Type::kBool) {
    if (value != "true" && value != "false") return Error{ErrorKind::kInput, option + " " + name + ": true or false"};
    return std::make_pair(name, value);
  }
  // A number, written as one and nothing else.
  char* end = nullptr;
  const double number = std::strtod(value.c_str(), &end);
  if (in->type != Type::kNumber || value.empty() || *end || !std::isfinite(number) ||
      value.find_first_not_of("0123456789.-") != std::string::npos)
    return Error{ErrorKind::kInput, option + " " + name + ": '" + value + "' is not " +
                 (in->type == Type::kNumber ? "a number" : "accepted here")};
  std::string json;
  append_json_number(json, number);
  return std::make_pair(name, json);
}

// One --member, the `nth` given (from 1): its answers, separated by commas.
// An error names which, as the household's refusals do ("person 3": the
// person asking is the first).
Result<std::map<std::string, std::string>> member_answers(const Program& program, const std::string& given, size_t nth) {
  const std::string which = "--member #" + std::to_string(nth) + " (person " + std::to_string(nth + 1) + ")";
  std::map<std::string, std::string> out;
  for (size_t at = 0; at <= given.size();) {
    size_t comma = std::min(given.find(',', at), given.size());
    auto answer = answer_json(program, given.substr(at, comma - at), which);
    if (!answer) return answer.error();
    if (!out.insert(*answer).second) return Error{ErrorKind::kInput, which + ": " + answer->first + " given twice"};
    at = comma + 1;
  }
  return out;
}

}  // namespace

int decide_command(const DecideArguments& args) {
  auto engine = load_engine({args.program});
  if (!engine) {
    std::cerr << "proactif: " << engine.error().message << "\n";
    return 2;
  }
  const Program& program = *(*engine)->plans.at(0)->program;
  // As the service's pages and API ask it: nothing is fetched about a person
  // without their word.
  if (!args.consent && !data_to_fetch(program).empty()) {
    std::cerr << "proactif: --consent: the person's consent to the data being fetched from API Particulier is required ("
              << program.id << " fetches them)\n";
    return 2;
  }
  auto asked = prepare_api_particulier(args.identity_file, args.api, args.token_file);
  if (!asked) return 2;
  InstantRequest request;
  request.program = program.id;
  request.person = asked->person;
  request.date = decision_day(args.date);
  request.actor = audit_actor();
  request.purpose = "demande de " + program.title + " au guichet, avec le consentement de la personne";
  request.household_stated = args.lives_alone || args.household_complete;
  for (const auto& given : args.answers) {
    auto answer = answer_json(program, given, "--answer");
    if (!answer) {
      std::cerr << "proactif: " << answer.error().message << "\n";
      return 2;
    }
    // Two answers to one question contradict each other, or repeat it:
    // neither is taken for the other.
    if (!request.answers.insert(*answer).second) {
      std::cerr << "proactif: --answer " << answer->first << " given twice\n";
      return 2;
    }
  }
  for (const auto& given : args.members) {
    auto member = member_answers(program, given, request.others.size() + 1);
    if (!member) {
      std::cerr << "proactif: " << member.error().message << "\n";
      return 2;
    }
    request.others.push_back(std::move(*member));
  }
  auto store = Store::open(args.store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  ApiParticulierClient client(asked->config);
  std::vector<AuditEntry> calls;
  auto decided = decide_instantly(**engine, program, &client, request, &calls);
  if (!decided) {
    std::cerr << "proactif: " << decided.error().message << "\n";
    if (auto err = record_calls_without_decision(**store, calls); !err.ok())
      std::cerr << "proactif: the calls made could not be recorded in the audit trail (" << err.error().message << ")\n";
    return 2;
  }
  if (auto err = record_instant_decision(**store, program, request, *decided); !err.ok()) {
    std::cerr << "proactif: the decision could not be recorded, it is not given (" << err.error().message << ")\n";
    return 2;
  }
  std::string out = "{\"reference\":" + json_string(decided->reference) + ",\"decision\":" + decided->decision_json +
                    ",\"fetched\":[";
  for (size_t i = 0; i < decided->fetched.size(); ++i) out += (i ? "," : "") + fetched_datum_json(decided->fetched[i]);
  out += "],\"documents\":[";
  for (size_t i = 0; i < decided->documents.size(); ++i)
    out += std::string(i ? "," : "") + "{\"input\":" + json_string(decided->documents[i].first) +
           ",\"document\":" + json_string(decided->documents[i].second) + "}";
  std::cout << out << "]}\n";
  return 0;
}

}  // namespace proactif
