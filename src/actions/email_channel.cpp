#include <curl/curl.h>
#include <openssl/evp.h>

#include <cstring>
#include <ctime>

#include "actions/channels.hpp"
#include "core/contact_syntax.hpp"

namespace proactif {

namespace {

std::string base64(const std::string& in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string base64_lines(const std::string& in) {
  std::string b = base64(in), out;
  for (size_t i = 0; i < b.size(); i += 76) out += b.substr(i, 76) + "\r\n";
  return out;
}

// RFC 2047: a header in UTF-8.
std::string encoded_word(const std::string& text) { return "=?UTF-8?B?" + base64(text) + "?="; }

std::string rfc5322_date() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t n = std::min(size * count, u->data->size() - u->offset);
  std::memcpy(buffer, u->data->data() + u->offset, n);
  u->offset += n;
  return n;
}

}  // namespace

EmailChannel::EmailChannel(std::string smtp_url, std::string from, bool require_tls)
    : url_(std::move(smtp_url)), from_(std::move(from)), require_tls_(require_tls), curl_(curl_easy_init()) {}

EmailChannel::~EmailChannel() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

SendResult EmailChannel::send(const std::string& to, const std::string& code, const RenderedMessage& m) {
  // The address goes into the SMTP conversation: it was checked when read,
  // and is checked again here, where a line break would become a command.
  if (!is_mailbox(to)) return {false, true, "recipient refused: not a valid email address", false};
  if (!is_mailbox(from_)) return {false, true, "sender refused: not a valid email address", false};
  std::string boundary = "proactif-" + code;
  std::string mail = "From: " + from_ + "\r\nTo: <" + to + ">\r\nSubject: " + encoded_word(m.subject) +
                     "\r\nDate: " + rfc5322_date() + "\r\nMessage-ID: <" + code + "@proactif>\r\n" +
                     "X-Proactif-Verification: " + code + "\r\nMIME-Version: 1.0\r\n" +
                     "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n" + "--" + boundary +
                     "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                     base64_lines(m.text) + "--" + boundary +
                     "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                     base64_lines(m.html) + "--" + boundary + "--\r\n";
  CURL* curl = static_cast<CURL*>(curl_);
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
  Upload upload{&mail};
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // STARTTLS is required unless the campaign allowed plain SMTP to a server
  // on this machine (campaign.cpp checks that it is on loopback).
  curl_easy_setopt(curl, CURLOPT_USE_SSL, require_tls_ ? CURLUSESSL_ALL : CURLUSESSL_NONE);
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + from_ + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mail.size()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, connect_timeout_);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(rcpt);
  SendResult r;
  if (rc == CURLE_OK) {
    r.delivered = true;
    return r;
  }
  long response = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
  // The whole message went and the server's verdict never came (a timeout,
  // a connection lost after the final dot): it may have been accepted.
  // Sending it again could deliver it twice; that is the operator's call.
  r.unknown = upload.offset == mail.size() && (response == 0 || response == 354);
  // 5xx: the server refuses this message for good; anything else may pass later.
  r.permanent = !r.unknown && response >= 500 && response < 600;
  r.error = "SMTP " + (response ? std::to_string(response) + " " : std::string()) + curl_easy_strerror(rc);
  return r;
}

}  // namespace proactif
