// The routes of `proactif serve`, by audience: the JSON API (/api/v1), the
// citizen and public pages, the agents' pages, and the design system's files.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <string>

#include "service/service.hpp"

namespace proactif {

void add_api_routes(httplib::Server& server, Service& service);
void add_page_routes(httplib::Server& server, Service& service);
void add_simulator_routes(httplib::Server& server, Service& service);
void add_agent_routes(httplib::Server& server, Service& service);
void add_agent_api_routes(httplib::Server& server, Service& service);
void add_asset_routes(httplib::Server& server, const Service& service);

// An RFC 9457 problem: `type` is a path under /api/v1/problems/, `extra`
// JSON members to add (",\"errors\":[...]"), or "".
void send_problem(httplib::Response& res, int status, const std::string& type, const std::string& title,
                  const std::string& detail, const std::string& extra = "");

// The citizen endpoints' limit, counted per client address; false (and the
// answer sent by `refuse`) when it is exceeded.
bool within_citizen_limit(Service& service, const httplib::Request& req, int64_t& retry_after);

}  // namespace proactif
