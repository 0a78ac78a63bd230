// proactif serve: the JSON API, the citizen and public pages over HTTP, on
// cpp-httplib's thread pool. Plain HTTP: TLS ends at the reverse proxy in
// front of it (docs/service.md). Stops on SIGTERM or SIGINT after the
// requests under way are answered.
#pragma once

#include <string>

namespace proactif {

struct ServeOptions {
  std::string store_url;
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0: any free port, printed
  unsigned threads = 64;  // one per open connection: cpp-httplib keeps a thread for a connection while it is kept alive
  int citizen_per_minute = 10;
  int citizen_per_day = 200;
  int sign_in_per_minute = 10;
  int sign_in_per_day = 100;
  // API Particulier, for the agents' instant decisions: off (every datum a
  // document to bring) unless its address is given.
  std::string api_particulier_url, api_particulier_recipient, api_particulier_token_file;
};

// Returns the process's exit status: 0 after a requested stop, 2 when it
// cannot start.
int serve(const ServeOptions& options);

}  // namespace proactif
