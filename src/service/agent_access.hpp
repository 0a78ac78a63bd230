// Who an agent's request acts for: the session of the agents' pages (a
// cookie) or an API token (Authorization: Bearer), and the pages' frame.
#pragma once

#include <httplib.h>

#include <optional>
#include <string>

#include "service/service.hpp"

namespace proactif {

// The signed-in agent, or none with the answer already given (a redirect to
// the sign-in page, or 503 when the store is out of reach).
std::optional<AgentSession> signed_in(Service& service, const httplib::Request& req, httplib::Response& res);
// The banner naming the agent, with the sign-out button.
std::string signed_in_bar(const AgentSession& session);
void agent_page(httplib::Response& res, const std::string& title, const std::string& body, int status = 200);
void redirect(httplib::Response& res, const std::string& to);

// Records that `actor` was refused `what` for want of rights (answered 403):
// an agent reaching for another program's or an admin's part leaves a trace.
// The answer goes whether or not the store could record it.
void audit_refused(Service& service, const std::string& actor, const std::string& what);
// Records the first request of an address held back by a rate limit in its
// window (answered 429), as `what`, without the address.
void audit_held_back(Service& service, const std::string& actor, const std::string& what, int64_t retry_after);

// The agent the request's API token acts for, or none with the 401 (or 503)
// problem already sent.
std::optional<AgentAccount> token_agent(Service& service, const httplib::Request& req, httplib::Response& res);

}  // namespace proactif
