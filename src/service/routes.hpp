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
void add_linkage_review_routes(httplib::Server& server, Service& service);
void add_instant_request_routes(httplib::Server& server, Service& service);
void add_asset_routes(httplib::Server& server, const Service& service);

// An RFC 9457 problem: `type` is a path under /api/v1/problems/, `extra`
// JSON members to add (",\"errors\":[...]"), or "".
void send_problem(httplib::Response& res, int status, const std::string& type, const std::string& title,
                  const std::string& detail, const std::string& extra = "");

// Whether the request's body is declared application/json; if not, a 415
// is sent. A page of another site can post a form's text/plain body
// without the browser asking first; it cannot post application/json.
bool json_body(const httplib::Request& req, httplib::Response& res);

// The citizen endpoints' limit, counted per client address; false when it
// is exceeded, with the seconds to wait.
bool within_citizen_limit(Service& service, const httplib::Request& req, int64_t& retry_after);

// What the forms check: a cookie's value ("" when absent), and that a post
// comes from this site's own pages (its Origin, when the browser gives
// one, is this host).
std::string cookie_value(const httplib::Request& req, const std::string& name);
bool same_origin(const httplib::Request& req);
// The flags of the service's cookies, for `path`: HttpOnly, SameSite=Strict,
// and Secure when the reverse proxy says the browser came over HTTPS.
std::string cookie_flags(const httplib::Request& req, const std::string& path);

}  // namespace proactif
