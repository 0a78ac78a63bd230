#include <curl/curl.h>
#include <gmime/gmime.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

#include "actions/channels.hpp"
#include "core/contact_syntax.hpp"

namespace proactif {

namespace {

// Each GMime object built here is owned by one of these and released at the
// end of the call: nothing is shared between the delivery threads.
struct Unref {
  void operator()(void* object) const { g_object_unref(object); }
};
template <typename T>
using Owned = std::unique_ptr<T, Unref>;

// The Message-ID, without its angle brackets: the message's reference on the
// sender's domain, so that a message sent again carries the same one.
std::string message_id(const std::string& from, const std::string& reference) {
  return reference + from.substr(std::min(from.rfind('@'), from.size()));
}

// A body in UTF-8 as it was written: set_text would pick the narrowest
// charset (ISO-8859-1 for French) and convert the text to it.
Owned<GMimeTextPart> text_part(const char* subtype, const std::string& text) {
  Owned<GMimeTextPart> part(g_mime_text_part_new_with_subtype(subtype));
  Owned<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(text.data(), text.size()));
  Owned<GMimeDataWrapper> content(g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(GMIME_PART(part.get()), content.get());
  g_mime_text_part_set_charset(part.get(), "utf-8");
  // 7-bit on the wire, and still readable by a person looking at the source.
  g_mime_part_set_content_encoding(GMIME_PART(part.get()), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  return part;
}

std::string message_bytes(const std::string& from, const std::string& to, const RenderedMessage& m,
                          const std::string& reference) {
  static std::once_flag gmime_ready;
  std::call_once(gmime_ready, [] { g_mime_init(); });
  Owned<GMimeMessage> message(g_mime_message_new(TRUE));
  // A display name is one line: GMime would encode a line break safely, but
  // a client decoding it would find a control character in a name.
  std::string name = m.from.name;
  for (char& c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  Owned<InternetAddress> sender(internet_address_mailbox_new(name.c_str(), from.c_str()));
  // Without a charset GMime encodes "Métropole" in ISO-8859-1.
  internet_address_set_charset(sender.get(), "utf-8");
  internet_address_list_add(g_mime_message_get_from(message.get()), sender.get());
  // The address alone: the person's name is not needed to deliver the message.
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_TO, nullptr, to.c_str());
  g_mime_message_set_subject(message.get(), m.subject.c_str(), "utf-8");
  GDateTime* now = g_date_time_new_now_utc();
  g_mime_message_set_date(message.get(), now);
  g_date_time_unref(now);
  g_mime_message_set_message_id(message.get(), message_id(from, reference).c_str());
  g_mime_object_set_header(GMIME_OBJECT(message.get()), "X-Proactif-Verification", reference.c_str(), nullptr);

  Owned<GMimeMultipart> body(g_mime_multipart_new_with_subtype("alternative"));
  // Plain text first: a client shows the last part it can render.
  g_mime_multipart_add(body.get(), GMIME_OBJECT(text_part("plain", m.text).get()));
  g_mime_multipart_add(body.get(), GMIME_OBJECT(text_part("html", m.html).get()));
  g_mime_message_set_mime_part(message.get(), GMIME_OBJECT(body.get()));

  GMimeFormatOptions* options = g_mime_format_options_new();
  // SMTP's line end (RFC 5321 §2.3.8), in the headers and the bodies alike.
  g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
  char* bytes = g_mime_object_to_string(GMIME_OBJECT(message.get()), options);
  g_mime_format_options_free(options);
  std::string out = bytes;
  g_free(bytes);
  return out;
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

// The addresses and the reference are used as given: send() checks them.
std::string mime_message(const std::string& from, const std::string& to, const RenderedMessage& m) {
  return message_bytes(from, to, m, m.reference);
}

EmailChannel::EmailChannel(std::string smtp_url, std::string from, bool require_tls)
    : url_(std::move(smtp_url)), from_(std::move(from)), require_tls_(require_tls), curl_(curl_easy_init()) {}

EmailChannel::~EmailChannel() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

SendResult EmailChannel::send(const std::string& to, const std::string& code, const RenderedMessage& m) {
  // The address goes into the SMTP conversation: it was checked when read,
  // and is checked again here, where a line break would become a command.
  if (!is_mailbox(to)) return {false, true, "recipient refused: not a valid email address", false};
  if (!is_mailbox(from_)) return {false, true, "sender refused: not a valid email address", false};
  // An empty reference would leave the Message-ID without its left part.
  const std::string& reference = m.reference.empty() ? code : m.reference;
  // The reference goes into headers: a Message-ID's two halves have an
  // address's syntax (RFC 5322 §3.6.4), which the mailbox check covers.
  if (!is_mailbox(message_id(from_, reference)))
    return {false, true, "message refused: its reference cannot make a Message-ID", false};
  std::string mail = message_bytes(from_, to, m, reference);
  CURL* curl = static_cast<CURL*>(curl_);
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
  Upload upload{&mail};
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // STARTTLS is required unless the campaign allowed plain SMTP to a server
  // on this machine (campaign.cpp checks that it is on loopback).
  curl_easy_setopt(curl, CURLOPT_USE_SSL, require_tls_ ? CURLUSESSL_ALL : CURLUSESSL_NONE);
  if (!ca_file_.empty()) {
    // Those authorities only: not the system's folder of them besides.
    curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file_.c_str());
    curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);
  }
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + from_ + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mail.size()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, connect_timeout_);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_);
  // Also the wait for QUIT's answer when the connection is closed, outside
  // any transfer's timeout (two minutes by default: a server that never
  // answered it held a delivered run that long).
  curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout_);
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
