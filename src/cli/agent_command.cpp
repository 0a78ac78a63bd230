// proactif agent add LOGIN: an account for the service's agent pages. The
// password is read from standard input (one line), never from the command
// line where other users of the machine could read it in the process list.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/store_url.hpp"
#include "core/date.hpp"
#include "service/accounts.hpp"
#include "store/store.hpp"

namespace proactif {

namespace {

// proactif agent token LOGIN: a token for a tool that calls the API as
// this agent, printed once; the store keeps its SHA-256 only.
int token_command(const AgentArguments& args) {
  auto store = Store::open(args.store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  auto agent = (*store)->agent(args.login);
  if (!agent) {
    std::cerr << "proactif: " << agent.error().message << "\n";
    return 2;
  }
  if (!*agent) {
    std::cerr << "proactif: no agent account " << args.login << " (proactif agent add)\n";
    return 1;
  }
  const std::string token = random_token() + random_token();
  const int64_t now = now_ms();
  if (auto err = (*store)->add_api_token(token_hash(token), args.login, args.label, now, now + args.days * 86'400'000LL)) {
    std::cerr << "proactif: " << err->message << "\n";
    return 2;
  }
  (void)(*store)->audit(audit_actor(), "API token made",
                        args.login + ", " + args.label + ", " + std::to_string(args.days) + " days");
  std::cout << token << "\n";
  std::cerr << "proactif: API token for " << args.login << " (" << args.label << "), valid " << args.days
            << " days; shown once: give it as \"Authorization: Bearer TOKEN\"\n";
  return 0;
}

}  // namespace

int agent_command(const AgentArguments& args) {
  if (args.verb == "token") return token_command(args);
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (auto fault = password_fault(password)) {
    std::cerr << "proactif: " << *fault << " (give it on standard input)\n";
    return 2;
  }
  if (args.role == "agent" && args.programs.empty()) {
    std::cerr << "proactif: an agent works on programs: give --program ID (repeatable) or --program '*'\n";
    return 2;
  }
  auto hash = hash_password(password);
  if (!hash) {
    std::cerr << "proactif: " << hash.error().message << "\n";
    return 2;
  }
  auto store = Store::open(args.store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  AgentAccount account{args.login, *hash, args.role, args.organisation, args.programs};
  if (auto err = (*store)->add_agent(account, now_ms())) {
    std::cerr << "proactif: the account " << args.login << " was not created (" << err->message << ")\n";
    return 1;
  }
  std::string programs;
  for (const auto& p : args.programs) programs += (programs.empty() ? "" : ",") + p;
  (void)(*store)->audit(audit_actor(), "agent account created",
                        args.login + ", " + args.role + ", " + args.organisation + (programs.empty() ? "" : ", " + programs));
  std::cout << "account " << args.login << " created (" << args.role << ", " << args.organisation << ")\n";
  return 0;
}

}  // namespace proactif
