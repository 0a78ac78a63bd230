#include <curl/curl.h>

#include "actions/channels.hpp"

namespace proactif {

namespace {

size_t discard(char*, size_t size, size_t count, void*) { return size * count; }

}  // namespace

HttpChannel::HttpChannel() : curl_(curl_easy_init()) {}
HttpChannel::~HttpChannel() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

SendResult HttpChannel::post(const std::string& url, const std::string& json, const std::string& idempotency_key) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json; charset=utf-8");
  headers = curl_slist_append(headers, ("Idempotency-Key: " + idempotency_key).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  // Only the schemes campaign.cpp accepts (https; http on loopback), and no redirect.
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(json.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, connect_timeout_);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  SendResult r;
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  // The answer's status says what became of the request, whatever became of
  // its body after it: a provider that answered 200 and then stalled or cut
  // the connection was sent the same SMS four times in a tester's run.
  if (status >= 200 && status < 300) {
    r.delivered = true;
    return r;
  }
  // The request went and no status came back: it may have been taken.
  long sent_bytes = 0;
  curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &sent_bytes);
  r.unknown = rc != CURLE_OK && status == 0 && sent_bytes > 0;
  r.permanent = status >= 400 && status < 500 && status != 408 && status != 429;
  r.error = status != 0 ? "HTTP " + std::to_string(status) : std::string("HTTP ") + curl_easy_strerror(rc);
  return r;
}

}  // namespace proactif
