#include "service/server.hpp"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include "core/data_paths.hpp"
#include "core/date.hpp"
#include "service/html.hpp"
#include "service/routes.hpp"
#include "store/sql_connection.hpp"

namespace proactif {

namespace {

struct Address {
  std::string host;
  int port = -1;
};

// "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80".
Address parse_listen(const std::string& text) {
  Address a;
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return a;
  a.host = text.substr(0, colon);
  if (a.host.front() == '[' && a.host.back() == ']') a.host = a.host.substr(1, a.host.size() - 2);
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return a;
  int p = std::stoi(port);
  if (p <= 65535) a.port = p;
  return a;
}

// When the request being answered on this thread was read; none for one
// refused while it was read (a line or a header too long), which never
// reaches the pre-routing handler.
thread_local std::optional<std::chrono::steady_clock::time_point> request_start;
std::mutex log_mutex;

// The first segments of the service's own paths (its routes, in pages.cpp,
// simulator.cpp, api.cpp, agent_pages.cpp and assets.cpp).
constexpr std::string_view kRouteSegments[] = {"verifier", "m-opposer", "algorithmes", "suis-je-concerne",
                                               "agent",    "api",       "dsfr"};

// A path as the log may keep it. One no route answered is what someone
// typed: a code or a NIR may be in it (/verifier/K7M2-Q9XD-4HRA,
// /K7M2-Q9XD-4HRA, /verifierK7M2...), refused before routing (411, 415)
// or not found. Only a segment the service's own paths begin with is kept,
// then "/…"; the routes' own paths hold no one's data (query strings are
// never logged).
std::string logged_path(const std::string& path, int status) {
  if (status < 400 || path == "/") return path.substr(0, 200);
  const size_t second = path.find('/', 1);
  const std::string_view first = std::string_view(path).substr(1, second == std::string::npos ? path.npos : second - 1);
  const bool ours = path.size() > 1 && path[0] == '/' &&
                    std::find(std::begin(kRouteSegments), std::end(kRouteSegments), first) != std::end(kRouteSegments);
  if (!ours) return "/…";
  return "/" + std::string(first) + (second == std::string::npos ? "" : "/…");
}

// One line per request: when, method, path, status, bytes, milliseconds.
// Never the query string, the body, a header or the client's address: a
// message's code and a person's data travel in them. A field that may be
// empty or hold spaces is written "-", so that each line keeps its fields.
void access_log(const httplib::Request& req, const httplib::Response& res) {
  std::string duration = "-";
  if (request_start) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1fms",
                  std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - *request_start).count());
    duration = text;
  }
  request_start.reset();
  std::string path = req.path.empty() ? "-" : logged_path(req.path, res.status);
  for (char& c : path)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) c = '_';
  std::string method = req.method.substr(0, 16);
  for (char& c : method)
    if (!std::isupper(static_cast<unsigned char>(c))) c = '_';
  std::lock_guard lock(log_mutex);
  std::fprintf(stderr, "%s %s %s %d %zu %s\n", iso_timestamp(now_ms()).c_str(), method.empty() ? "-" : method.c_str(),
               path.c_str(), res.status, res.body.size(), duration.c_str());
}

PageShell error_page(int status) {
  if (status == 404)
    return {"Page introuvable", "", "<p>Aucune page à cette adresse. <a href=\"/\">Retour à l'accueil</a>.</p>\n"};
  if (status == 413)
    return {"Envoi trop long", "",
            "<p>Ce que vous avez envoyé dépasse la taille acceptée : rien n'a été enregistré. Revenez à la page "
            "précédente, raccourcissez ce que vous avez saisi et envoyez-le de nouveau.</p>\n"};
  return {"Demande refusée", "",
          "<p>Le service n'a pas pu lire cette demande (erreur HTTP " + std::to_string(status) +
              ") : rien n'a été enregistré. <a href=\"/\">Retour à l'accueil</a>.</p>\n"};
}

void security_headers(httplib::Response& res) {
  // Set once: an error answer passes here from the error handler and again after routing.
  if (res.has_header("Content-Security-Policy")) return;
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                 "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  // Other sites never learn a page's address (a code may be in it); this
  // site's own forms keep their Origin, which the objection form checks.
  res.set_header("Referrer-Policy", "same-origin");
  res.set_header("X-Frame-Options", "DENY");
}

}  // namespace

int serve(const ServeOptions& options) {
  // Signals are taken by a thread of their own: blocked here, before any
  // other thread starts, so that every thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  const Address address = parse_listen(options.listen);
  if (address.port < 0 || address.host.empty()) {
    std::fprintf(stderr, "proactif: --listen %s: expected HOST:PORT (127.0.0.1:8080, [::1]:8080)\n", options.listen.c_str());
    return 2;
  }
  {
    // A store that cannot be opened (or migrated) stops the start, not the first request.
    auto store = Store::open(options.store_url);
    if (!store) {
      std::fprintf(stderr, "proactif: %s\n", store.error().message.c_str());
      return 2;
    }
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(web_dir() + "/node_modules/@gouvfr/dsfr/dist/dsfr.min.css", ec))
    std::fprintf(stderr, "proactif: the design system is not installed under %s (scripts/setup.sh installs it): pages "
                 "will show without style\n", web_dir().c_str());

  std::optional<ApiParticulierConfig> api_particulier;
  if (!options.api_particulier_url.empty()) {
    ApiParticulierConfig config;
    config.base_url = options.api_particulier_url;
    config.recipient = options.api_particulier_recipient;
    auto settings = api_particulier_settings(config, options.api_particulier_token_file);
    if (!settings) {
      std::fprintf(stderr, "proactif: %s\n", settings.error().message.c_str());
      return 2;
    }
    api_particulier = *settings;
  }
  Service service({options.store_url, web_dir(), options.citizen_per_minute, options.citizen_per_day,
                   options.sign_in_per_minute, options.sign_in_per_day, api_particulier});
  for (const std::string& reason : service.programs_refused())
    std::fprintf(stderr, "proactif serve: a program is not offered: %s\n", reason.c_str());
  httplib::Server server;
  const unsigned threads = std::max(1u, options.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(16u << 20);
  server.set_read_timeout(10, 0);
  server.set_write_timeout(10, 0);
  server.set_keep_alive_timeout(5);
  server.set_keep_alive_max_count(1000);
  // Headers and body go in two writes: without it, the second waits for
  // the client's delayed acknowledgement (40 ms on Linux).
  server.set_tcp_nodelay(true);
  server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    request_start = std::chrono::steady_clock::now();
    // A body whose length is not given in advance is refused before it is
    // read: cpp-httplib 0.11 reads a chunked one whole, past the limit (a
    // reverse proxy sends the length); so is a length that is not one. The
    // connection is closed, with what was not read. (A body over the limit
    // is read and discarded by cpp-httplib, then refused: 413.)
    // A compressed body is refused too: cpp-httplib would inflate it whole
    // before any limit applies (300 MB from 300 KB, and no sign-in needed).
    // No form nor API client of the service compresses what it sends.
    int refused = 0;
    if (req.has_header("Transfer-Encoding")) {
      refused = 411;
    } else if (req.has_header("Content-Encoding") && req.get_header_value("Content-Encoding") != "identity") {
      refused = 415;
    } else if (req.has_header("Content-Length")) {
      const std::string length = req.get_header_value("Content-Length");
      const bool digits = !length.empty() && length.size() <= 18 &&
                          std::all_of(length.begin(), length.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits) refused = 400;
    }
    if (!refused) return httplib::Server::HandlerResponse::Unhandled;
    res.status = refused;
    res.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Handled;
  });
  server.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) { security_headers(res); });
  server.set_logger(access_log);
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_problem(res, 500, "internal-error", "Internal error", "the request could not be answered");
  });
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    security_headers(res);
    if (req.path.rfind("/api/", 0) == 0)
      send_problem(res, res.status, res.status == 404 ? "not-found" : "http-error",
                   res.status == 404 ? "Not found" : "HTTP error",
                   res.status == 404 ? "no resource at this path" : "the request was refused (HTTP " + std::to_string(res.status) + ")");
    else
      // A person who sent a form too long, or asked for a page that is not
      // there, reads why in French, on a page like the others.
      res.set_content(render_page(error_page(res.status)), "text/html; charset=utf-8");
  });
  add_api_routes(server, service);
  add_page_routes(server, service);
  add_simulator_routes(server, service);
  add_agent_routes(server, service);
  add_agent_api_routes(server, service);
  add_linkage_review_routes(server, service);
  add_instant_request_routes(server, service);
  add_asset_routes(server, service);

  int port = address.port;
  if (port == 0) port = server.bind_to_any_port(address.host);
  else if (!server.bind_to_port(address.host, port)) port = -1;
  if (port <= 0) {
    std::fprintf(stderr, "proactif: cannot listen on %s\n", options.listen.c_str());
    return 2;
  }
  const std::string shown_host = address.host.find(':') != std::string::npos ? "[" + address.host + "]" : address.host;
  std::fprintf(stderr, "proactif serve: listening on http://%s:%d (%zu programs, store %s, %u threads)\n",
               shown_host.c_str(), port, service.program_ids().size(), redact_url(options.store_url).c_str(), threads);

  std::atomic<bool> stopped{false};
  std::thread signals([&] {
    const timespec tick{0, 200'000'000};
    while (!stopped) {
      int signal = ::sigtimedwait(&stop_signals, nullptr, &tick);
      if (signal == SIGTERM || signal == SIGINT) {
        std::fprintf(stderr, "proactif serve: %s received, answering the requests under way, then stopping\n",
                     signal == SIGTERM ? "SIGTERM" : "SIGINT");
        server.stop();
        return;
      }
    }
  });
  const bool listened = server.listen_after_bind();
  stopped = true;
  signals.join();
  std::fprintf(stderr, "proactif serve: stopped\n");
  return listened ? 0 : 2;
}

}  // namespace proactif
