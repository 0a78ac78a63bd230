#include "core/contact_syntax.hpp"

#include <cstring>

#include "core/hidden_characters.hpp"

namespace proactif {

namespace {

bool is_atext(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr;
}

bool is_dot_atom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i - 1] == '.') return false;
    } else if (s[i] == '\0' || !is_atext(s[i])) {
      return false;
    }
  }
  return true;
}

bool is_label(std::string_view l) {
  if (l.empty() || l.size() > 63 || l.front() == '-' || l.back() == '-') return false;
  for (char c : l)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

bool is_ipv4_literal(std::string_view d) {
  if (d.size() < 9 || d.front() != '[' || d.back() != ']') return false;
  d = d.substr(1, d.size() - 2);
  int parts = 0;
  while (!d.empty()) {
    size_t dot = d.find('.');
    std::string_view part = d.substr(0, dot);
    if (part.empty() || part.size() > 3) return false;
    int v = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    if (v > 255) return false;
    ++parts;
    d = dot == std::string_view::npos ? std::string_view() : d.substr(dot + 1);
    if (dot != std::string_view::npos && d.empty()) return false;
  }
  return parts == 4;
}

bool is_domain(std::string_view d) {
  if (is_ipv4_literal(d)) return true;
  if (d.empty() || d.size() > 253) return false;
  while (true) {
    size_t dot = d.find('.');
    if (!is_label(d.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    d = d.substr(dot + 1);
  }
}

// Overseas departments' mobile ranges in the national plan (ARCEP): the
// number keeps its ten digits' last nine after the overseas country code.
struct OverseasRange {
  const char* prefix;
  const char* country;
};
constexpr OverseasRange kOverseas[] = {{"0639", "+262"}, {"0690", "+590"}, {"0691", "+590"}, {"0692", "+262"},
                                       {"0693", "+262"}, {"0694", "+594"}, {"0696", "+596"}, {"0697", "+596"}};

}  // namespace

bool is_mailbox(std::string_view a) {
  if (a.size() > 254) return false;
  size_t at = a.rfind('@');
  if (at == std::string_view::npos || at > 64) return false;
  return is_dot_atom(a.substr(0, at)) && is_domain(a.substr(at + 1));
}

std::optional<std::string> e164_mobile(std::string_view number) {
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < number.size(); ++i) {
    char c = number[i];
    if (c == '+' && i == 0) plus = true;
    else if (c >= '0' && c <= '9') digits += c;
    else if (c != ' ' && c != '.' && c != '-') return std::nullopt;
  }
  if (plus) {
    // A French mobile (+33 6 or 7, nine digits), or one of an overseas
    // department's mobile ranges under its own country code. Another
    // country's plan is not known here: a landline (+262 262..., +44 20...),
    // a premium or a network number would take the SMS that tells a person
    // of a request they may refuse, and nobody would read it.
    if (digits.size() == 11 && digits.rfind("33", 0) == 0 && (digits[2] == '6' || digits[2] == '7')) return "+" + digits;
    for (const auto& r : kOverseas) {
      const std::string country = r.country + 1, range = country + (r.prefix + 1);
      if (digits.size() == country.size() + 9 && digits.rfind(range, 0) == 0) return "+" + digits;
    }
    return std::nullopt;
  }
  if (digits.size() != 10 || digits[0] != '0' || (digits[1] != '6' && digits[1] != '7')) return std::nullopt;
  for (const auto& r : kOverseas)
    if (digits.rfind(r.prefix, 0) == 0) return std::string(r.country) + digits.substr(1);
  return "+33" + digits.substr(1);
}

bool is_postal_line(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i)
    if (hidden_character_at(line, i)) return false;
  return true;
}

}  // namespace proactif
