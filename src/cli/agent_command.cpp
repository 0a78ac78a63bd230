// proactif agent add|token|list|password|revoke|remove: the accounts of the
// service's agent pages and their API tokens. A password is read from
// standard input (one line), never from the command line where other users
// of the machine could read it in the process list. Each change is audited.
#include <iostream>
#include <optional>

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
  if (auto err = (*store)->add_api_token(token_hash(token), args.login, args.label, now, now + args.days * 86'400'000LL); !err.ok()) {
    std::cerr << "proactif: " << err.error().message << "\n";
    return 2;
  }
  (void)(*store)->audit(audit_actor(), "API token made",
                        args.login + ", " + args.label + ", " + std::to_string(args.days) + " days");
  std::cout << token << "\n";
  std::cerr << "proactif: API token for " << args.login << " (" << args.label << "), valid " << args.days
            << " days; shown once: give it as \"Authorization: Bearer TOKEN\"\n";
  return 0;
}

// The password on standard input, hashed; none with the reason said.
std::optional<std::string> read_password() {
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (auto fault = password_fault(password)) {
    std::cerr << "proactif: " << *fault << " (give it on standard input)\n";
    return std::nullopt;
  }
  auto hash = hash_password(password);
  if (!hash) {
    std::cerr << "proactif: " << hash.error().message << "\n";
    return std::nullopt;
  }
  return *hash;
}

int list_command(Store& store) {
  auto agents = store.agents();
  if (!agents) {
    std::cerr << "proactif: " << agents.error().message << "\n";
    return 2;
  }
  for (const AgentListing& a : *agents) {
    std::string programs;
    for (const auto& p : a.agent.programs) programs += (programs.empty() ? "" : ",") + p;
    std::cout << a.agent.login << "\t" << a.agent.role << "\t" << a.agent.organisation << "\t"
              << (programs.empty() ? "-" : programs) << "\t" << a.sessions << " sessions\t" << a.api_tokens
              << " API tokens\n";
  }
  return 0;
}

// password, revoke, remove: a change to an existing account.
int change_command(const AgentArguments& args, Store& store) {
  std::string done;
  Result<bool> found = false;
  if (args.verb == "password") {
    auto hash = read_password();
    if (!hash) return 2;
    found = store.change_password(args.login, *hash);
    done = "password changed, its sessions ended";
  } else if (args.verb == "remove") {
    found = store.remove_agent(args.login);
    done = "account removed, its sessions and API tokens ended";
  } else {
    auto agent = store.agent(args.login);
    found = agent ? Result<bool>(agent->has_value()) : Result<bool>(agent.error());
    if (found && *found) {
      auto revoked = store.revoke_api_tokens(args.login, args.label);
      if (!revoked) found = revoked.error();
      done = std::to_string(revoked ? *revoked : 0) + " API tokens revoked" +
             (args.label.empty() ? "" : " (label " + args.label + ")");
    }
  }
  if (!found) {
    std::cerr << "proactif: " << found.error().message << "\n";
    return 2;
  }
  if (!*found) {
    std::cerr << "proactif: no agent account " << args.login << "\n";
    return 1;
  }
  if (auto err = store.audit(audit_actor(), "agent account changed", args.login + ": " + done); !err.ok()) {
    std::cerr << "proactif: " << err.error().message << "\n";
    return 2;
  }
  std::cout << args.login << ": " << done << "\n";
  return 0;
}

}  // namespace

int agent_command(const AgentArguments& args) {
  if (args.verb == "token") return token_command(args);
  if (args.verb != "add") {
    auto store = Store::open(args.store_url);
    if (!store) {
      std::cerr << "proactif: " << store.error().message << "\n";
      return 2;
    }
    return args.verb == "list" ? list_command(**store) : change_command(args, **store);
  }
  if (args.role == "agent" && args.programs.empty()) {
    std::cerr << "proactif: an agent works on programs: give --program ID (repeatable) or --program '*'\n";
    return 2;
  }
  auto hash = read_password();
  if (!hash) return 2;
  auto store = Store::open(args.store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  AgentAccount account{args.login, *hash, args.role, args.organisation, args.programs};
  if (auto err = (*store)->add_agent(account, now_ms()); !err.ok()) {
    std::cerr << "proactif: the account " << args.login << " was not created (" << err.error().message << ")\n";
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
