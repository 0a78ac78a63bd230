#include "sources/extract_reader.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/digit_groups.hpp"
#include "core/hidden_characters.hpp"
#include "core/nir.hpp"
#include "sources/csv_reader.hpp"
#include "sources/identifier_set.hpp"

namespace proactif {

namespace {

// Spaces at either end, the no-break ones included: a value of spaces
// only is no value.
std::string_view trim_view(std::string_view s) {
  for (;;) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    else if (s.starts_with("\xC2\xA0")) s.remove_prefix(2);
    else if (s.starts_with("\xE2\x80\xAF")) s.remove_prefix(3);
    else break;
  }
  for (;;) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    else if (s.ends_with("\xC2\xA0")) s.remove_suffix(2);
    else if (s.ends_with("\xE2\x80\xAF")) s.remove_suffix(3);
    else break;
  }
  return s;
}

// A control character (U+0000 to U+001F, U+007F to U+009F) has no place in
// a value: in a name or an address it would reach a letter, an email or a
// transmitted request as is. Empty when there is none.
std::string control_character(std::string_view v) {
  for (size_t i = 0; i < v.size(); ++i) {
    const auto c = static_cast<unsigned char>(v[i]);
    unsigned code = c < 0x20 || c == 0x7F ? c : 0;
    if (c == 0xC2 && i + 1 < v.size() && static_cast<unsigned char>(v[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(v[i + 1]) <= 0x9F)
      code = static_cast<unsigned char>(v[i + 1]);
    else if (code == 0 && c != 0)
      continue;
    char hex[8];
    std::snprintf(hex, sizeof hex, "%04X", code);
    // U+0080 to U+009F are windows-1252's typographic quotes and dashes read as Latin-1.
    return std::string("a control character (U+") + hex + ") in the value" +
           (code >= 0x80 ? " (is the file in windows-1252? say so with `encoding:` in the mapping)" : "");
  }
  return "";
}

// No value of a household's record is this long; the reader holds a row in
// memory, not its values' use.
constexpr size_t kLongestValue = 1000;

// A person's name has a letter; "-" or "." stands for no name.
bool is_name(const std::string& variable) {
  return variable == "birth_name" || variable == "usage_name" || variable == "first_names";
}
// A letter of any script: an ASCII letter, or a code point from U+00C0 on
// but the signs × and ÷ and the blocks of punctuation, symbols, private use
// and emoji (dashes, quotes and « » are not letters; أحمد, Ωμέγα are).
bool has_letter(std::string_view v) {
  for (size_t i = 0; i < v.size(); ++i) {
    const auto c = static_cast<unsigned char>(v[i]);
    if (c < 0x80) {
      if (std::isalpha(c)) return true;
      continue;
    }
    const size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (length == 1 || i + length > v.size()) continue;  // not a code point's first byte
    uint32_t point = c & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) point = point << 6 | (static_cast<unsigned char>(v[i + k]) & 0x3F);
    i += length - 1;
    const bool sign = point < 0xC0 || point == 0xD7 || point == 0xF7 || (point >= 0x2000 && point <= 0x2BFF) ||
                      (point >= 0x2E00 && point <= 0x2E7F) || (point >= 0x3000 && point <= 0x303F) ||
                      (point >= 0xE000 && point <= 0xF8FF) || (point >= 0xFE10 && point <= 0xFE6F) ||
                      (point >= 0xFF00 && point <= 0xFF20) || (point >= 0xFFF0 && point <= 0xFFFF) ||
                      (point >= 0x1F000 && point <= 0x1FAFF);
    if (!sign) return true;
  }
  return false;
}

// Three digits after the only mark, one to three before it (not led by a
// 0), is how a thousands separator writes an amount (26.220 for 26 220 €):
// read as a decimal, it would be a thousand times too small. 1234.500 or
// 0.500 cannot be so written.
bool thousands_mark(std::string_view v) {
  if (!v.empty() && v[0] == '-') v.remove_prefix(1);
  const size_t mark = v.find_first_of(".,");
  return mark >= 1 && mark <= 3 && v[0] != '0' && v.find_first_of(".,", mark + 1) == std::string_view::npos &&
         v.size() - mark - 1 == 3;
}

// Money is to the cent: what the text says, not what its double rounds to
// (1e-10 or 1.0000000000000001 are not amounts), nor a thousands separator.
bool beyond_cents(std::string_view v) {
  if (v.find_first_of("eE") != std::string_view::npos || thousands_mark(v)) return true;
  const size_t mark = v.find_first_of(".,");
  if (mark == std::string_view::npos) return false;
  for (size_t i = mark + 3; i < v.size(); ++i)
    if (v[i] != '0') return true;
  return false;
}

std::string trim(std::string_view s) { return std::string(trim_view(s)); }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Parses one field; returns the reason when the value is not acceptable.
std::string parse_field(const ColumnMapping& c, const SourceMapping& m, const Territory* territory,
                        std::string_view raw, FieldValue& out) {
  out.known = false;
  std::string_view trimmed = trim_view(raw);
  if (trimmed.empty() && c.type == FieldType::kCodeList && !c.required) {  // the empty list
    out.known = true;
    out.text.clear();
    return "";
  }
  if (trimmed.empty()) return c.required ? "a value is required" : "";
  if (!c.as_is) {
    if (std::string fault = value_problem(trimmed); !fault.empty()) return fault;
  }
  out.known = true;
  if (c.type == FieldType::kText) {
    if (!c.as_is && is_name(c.variable) && !has_letter(trimmed)) return "a name without a letter";
    out.text.assign(trimmed);
    return "";
  }
  std::string v(trimmed);
  switch (c.type) {
    case FieldType::kText: break;  // handled above
    case FieldType::kNumber: {
      const auto digit = [&](size_t i) { return i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])); };
      const bool whole_ends = digit(v.size() - 1) && (digit(0) || (v[0] == '-' && digit(1)));
      if (whole_ends && v.find_first_of(" ,\xC2\xE2") == std::string::npos) {  // plain digits: the usual case
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out.number);
        if (ec == std::errc() && end == v.data() + v.size() && domain_fault(out.number, c.domain).empty() &&
            !(m.decimal_comma && v.find('.') != std::string::npos) && !(c.domain.cents && beyond_cents(v)))
          return "";
      }
      // Otherwise read it again the long way, to say what is wrong with it.
      std::string digits;
      for (size_t i = 0; i < v.size(); ++i) {
        if (const size_t space = group_space_at(v, i)) {  // read below
          i += space - 1;
          continue;
        }
        char ch = v[i];
        if (!std::isdigit(static_cast<unsigned char>(ch)) && std::string_view("-+eE.,").find(ch) == std::string_view::npos)
          return "not a number";
        if (ch == ',' && m.decimal_comma) ch = '.';
        else if (ch == '.' && m.decimal_comma) return "a decimal point where the mapping says comma";
        else if (ch == ',') return "a decimal comma where the mapping says point";
        if (ch == '.' && (i == 0 || !std::isdigit(static_cast<unsigned char>(v[i - 1])) || i + 1 == v.size() ||
                          !std::isdigit(static_cast<unsigned char>(v[i + 1]))))
          return "a decimal mark needs digits on both sides";
        digits += ch;
      }
      if (!without_digit_group_spaces(v))
        return "spaces group a number's digits by three before its decimal mark (1 222,50)";
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out.number);
      if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(out.number))
        return "not a number";
      if (c.domain.cents && thousands_mark(v))
        return "three digits after the decimal mark (a thousands separator?): an amount of money has at most two "
               "decimals (cents)";
      if (c.domain.cents && beyond_cents(digits)) return "an amount of money has at most two decimals (cents)";
      return domain_fault(out.number, c.domain);
    }
    case FieldType::kBoolean: {
      std::string l = lower(v);
      for (const auto& t : c.true_values)
        if (lower(t) == l) return out.number = 1, "";
      for (const auto& f : c.false_values)
        if (lower(f) == l) return out.number = 0, "";
      return "not one of the spellings of true or false given by the mapping";
    }
    case FieldType::kDate: {
      std::optional<Days> d;
      if (m.day_first) {
        if (v.size() == 10 && v[2] == '/' && v[5] == '/')
          d = parse_iso_date(v.substr(6, 4) + "-" + v.substr(3, 2) + "-" + v.substr(0, 2));
      } else {
        d = parse_iso_date(v);
      }
      if (!d) return m.day_first ? "not a date dd/mm/yyyy that exists" : "not a date yyyy-mm-dd that exists";
      out.number = *d;
      return m.dates.fault(*d);
    }
    case FieldType::kCode:
      if (std::find(c.values.begin(), c.values.end(), v) == c.values.end()) return "not one of the codes the mapping lists";
      out.text = v;
      for (const auto& [from, to] : c.recode)
        if (from == v) out.text = to;
      return "";
    case FieldType::kCodeList: {
      // Kept as Proactif's codes, sorted, separated by commas.
      std::vector<std::string> codes;
      for (size_t start = 0; start <= v.size();) {
        size_t end = v.find(c.list_separator, start);
        if (end == std::string::npos) end = v.size();
        std::string code = trim(std::string_view(v).substr(start, end - start));
        start = end + 1;
        if (std::find(c.values.begin(), c.values.end(), code) == c.values.end())
          return "a code that is not one of those the mapping lists";
        for (const auto& [from, to] : c.recode)
          if (from == code) code = to;
        codes.push_back(code);
      }
      std::sort(codes.begin(), codes.end());
      codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
      out.text.clear();
      for (const auto& code : codes) out.text += (out.text.empty() ? "" : ",") + code;
      return "";
    }
    case FieldType::kCommune:
      // Codes lose their leading zero in spreadsheets: 1001 is 01001.
      if (v.size() == 4 && std::all_of(v.begin(), v.end(), ::isdigit)) v = "0" + v;
      if (!territory || !territory->find(v)) return "not a commune code of the INSEE COG";
      out.text = v;
      return "";
    case FieldType::kNir: {
      // The insured a dependant is covered through is often given without
      // its key (13 characters), and read only to name whom to look for:
      // its key is computed from the 13 characters, the one given being
      // neither needed nor a reason to set the dependant's row aside (a
      // wrong one did, and the newborn's household was decided without
      // them). A person's own NIR keeps its key, which catches a typo that
      // would link two persons.
      if (c.variable == "insured_nir") {
        std::string body;
        for (char ch : v)
          if (ch != ' ' && ch != '.' && ch != '-') body += ch;
        if (body.size() == 15) body.resize(13);
        if (auto key = body.size() == 13 ? nir_key(body) : std::nullopt)
          v = body + (*key < 10 ? "0" : "") + std::to_string(*key);
      }
      NirCheck check = check_nir(v);
      if (!check.ok()) return check.reason;
      out.text = check.nir;
      return "";
    }
  }
  return "";
}

class RowChecker {
 public:
  RowChecker(const SourceMapping& m, const Territory* territory, const std::function<void(const ExtractRow&)>& on_row,
             const std::function<void(const Rejection&)>& on_reject, const RejectedRowHandler& on_rejected_row,
             ExtractStats& stats)
      : m_(m), territory_(territory), on_row_(on_row), on_reject_(on_reject), on_rejected_row_(on_rejected_row),
        stats_(stats) {
    for (size_t i = 0; i < m_.columns.size(); ++i) {
      const std::string& v = m_.columns[i].variable;
      int& at = v == "nir" ? nir_ : v == "birth_date" ? birth_date_ : v == "sex" ? sex_ : v == "ine" ? ine_ : unused_;
      at = static_cast<int>(i);
    }
  }

  // A line that cannot be read as a row at all; its identifiers when they
  // could be read before the fault, so that its household is known to be
  // incomplete.
  void reject_line(size_t line, const std::string& reason, std::string_view household = {},
                   std::string_view person = {}) {
    ++stats_.read;
    ++stats_.rejected;
    ++stats_.reasons[reason.substr(0, reason.find(" ("))];
    on_reject_({m_.path, line, "", "", reason, trim(household), trim(person)});
  }

  // `field(i)` gives the raw text of mapped column i (-1: household id, -2: person id).
  // A `row_fault` sets the row aside whatever its fields say; they are read
  // all the same, so that the person it may be is known (on_rejected_row_).
  template <typename Field>
  void check(size_t line, Field field, const std::string& row_fault = "") {
    ++stats_.read;
    ExtractRow& row = row_;  // reused from row to row
    row.line = line;
    row.values.resize(m_.columns.size());
    std::string first_reason;
    bool identity_fault = false;
    // A row whose fields are not where the header says is set aside for
    // that alone: its fields' own faults would name the wrong columns.
    auto fault = [&](const std::string& column, const std::string& value, const std::string& reason) {
      if (!row_fault.empty() && reason != row_fault) return;
      if (first_reason.empty()) first_reason = reason;
      on_reject_({m_.path, line, column, value, reason, row.household, row.person});
    };
    row.household = trim(field(-1));
    row.person = m_.person_id.empty() ? "" : trim(field(-2));
    row.unread_family_names.clear();
    if (!row_fault.empty()) fault("", "", row_fault);
    if (row.household.empty()) fault(m_.household_id, "", "the household identifier is missing");
    if (!m_.person_id.empty() && row.person.empty()) fault(m_.person_id, "", "the person identifier is missing");
    const uint64_t id_hash = seen_.prefetch(m_.person_id.empty() ? row.household : row.person);
    for (size_t i = 0; i < m_.columns.size(); ++i) {
      std::string_view raw = field(static_cast<int>(i));
      std::string reason = parse_field(m_.columns[i], m_, territory_, raw, row.values[i]);
      if (!reason.empty()) {
        const std::string& variable = m_.columns[i].variable;
        identity_fault |= variable == "birth_name" || variable == "usage_name" || variable == "first_names" ||
                          variable == "birth_date";
        if (variable == "birth_name" || variable == "usage_name") row.unread_family_names.append(raw).push_back('\n');
        fault(m_.columns[i].column, std::string(raw), reason);
        row.values[i].known = false;
      }
    }
    if (first_reason.empty() && nir_ >= 0) nir_agrees(row, fault);
    // A line ingestion set aside, read again: given to no reader, and not
    // seen by the duplicate check, as it was not then.
    if (m_.lines_set_aside && m_.lines_set_aside->count(line)) {
      ++stats_.rejected;
      return;
    }
    if (first_reason.empty()) {
      const std::string& key = m_.person_id.empty() ? row.household : row.person;
      if (size_t first = seen_.insert(key, id_hash, line))
        fault(m_.person_id.empty() ? m_.household_id : m_.person_id, key,
              "duplicate identifier, first seen at line " + std::to_string(first));
    }
    if (!first_reason.empty()) {
      ++stats_.rejected;
      // Reasons are counted by their kind, without the varying part.
      std::string kind = first_reason.substr(0, first_reason.find(", first seen"));
      if (kind.find("the NIR key does not match") == 0) kind = "the NIR key does not match";
      ++stats_.reasons[kind];
      if (on_rejected_row_) {
        // Its text too where a name or the birth date was at fault: where
        // faults in both leave no reading resembling anyone (an invisible
        // character in the name, a day 00), the names and dates it holds
        // still say whose it may be. A row whose identity was read is
        // placed by it, not by a namesake its text would name.
        row.text.clear();
        if (identity_fault)
          for (int i = -2; i < static_cast<int>(m_.columns.size()); ++i) {
            if (i == -2 && m_.person_id.empty()) continue;
            row.text.append(field(i)).push_back(m_.separator);
          }
        on_rejected_row_(row, first_reason);
        row.text.clear();
      }
      return;
    }
    ++stats_.accepted;
    on_row_(row);
  }

  // A row already set aside (reject_line, or check with a row fault), read
  // once more as `field` gives it, for the person it may be alone: its
  // fields before a fault, or placed otherwise where a separator moved them.
  // Nothing is counted again. `anchored`: given only where it reads a NIR,
  // an INE or a birth date, as a reading of fields placed otherwise must:
  // a name alone, read from a moved field, resembles namesakes who have
  // nothing to do with the row.
  template <typename Field>
  void read_set_aside(size_t line, Field field, const std::string& reason, bool anchored = false,
                      std::string_view text = {}) {
    if (!on_rejected_row_) return;
    ExtractRow row;
    row.line = line;
    row.text = text;
    row.household = trim(field(-1));
    row.person = m_.person_id.empty() ? "" : trim(field(-2));
    row.values.resize(m_.columns.size());
    for (size_t i = 0; i < m_.columns.size(); ++i)
      if (!parse_field(m_.columns[i], m_, territory_, field(static_cast<int>(i)), row.values[i]).empty()) {
        row.values[i].known = false;
        if (m_.columns[i].variable == "birth_name" || m_.columns[i].variable == "usage_name")
          row.unread_family_names.append(field(static_cast<int>(i))).push_back('\n');
      }
    auto known = [&](int at) { return at >= 0 && row.values[static_cast<size_t>(at)].known; };
    if (anchored && !known(nir_) && !known(ine_) && !known(birth_date_)) {
      if (row.text.empty()) return;
      for (FieldValue& v : row.values) v.known = false;  // its text alone is given
    }
    on_rejected_row_(row, reason);
  }

 private:
  // The NIR writes the sex (1, 3 or 7 a man; 2, 4 or 8 a woman), then the
  // year and month of birth (a month 01 to 12, or another number when it
  // was not known): a row whose NIR says otherwise than its birth date or
  // sex holds another person's NIR, or a mistyped one with a valid key,
  // and linking by it outright would join two persons' data.
  template <typename Fault>
  void nir_agrees(const ExtractRow& row, Fault& fault) {
    const FieldValue& nir = row.values[static_cast<size_t>(nir_)];
    if (!nir.known || nir.text.size() != 15) return;
    const std::string& n = nir.text;
    if (birth_date_ >= 0 && row.values[static_cast<size_t>(birth_date_)].known) {
      const CivilDate born = civil_from_days(static_cast<Days>(row.values[static_cast<size_t>(birth_date_)].number));
      const int year = (n[1] - '0') * 10 + (n[2] - '0'), month = (n[3] - '0') * 10 + (n[4] - '0');
      // A day and month swapped in the birth date (the linkage allows for
      // it too) does not make the NIR another person's.
      const bool swapped = born.day == month;
      if (year != born.year % 100 || (month >= 1 && month <= 12 && month != born.month && !swapped)) {
        fault(m_.columns[static_cast<size_t>(nir_)].column, n, "the NIR does not agree with the row's birth date");
        return;
      }
    }
    if (sex_ >= 0 && row.values[static_cast<size_t>(sex_)].known) {
      const std::string& sex = row.values[static_cast<size_t>(sex_)].text;
      const char says = n[0] == '1' || n[0] == '3' || n[0] == '7' ? 'M' : n[0] == '2' || n[0] == '4' || n[0] == '8' ? 'F' : 0;
      if (says && (sex == "M" || sex == "F") && sex[0] != says)
        fault(m_.columns[static_cast<size_t>(nir_)].column, n, "the NIR does not agree with the row's sex");
    }
  }

  const SourceMapping& m_;
  int nir_ = -1, birth_date_ = -1, sex_ = -1, ine_ = -1, unused_ = -1;
  const Territory* territory_;
  const std::function<void(const ExtractRow&)>& on_row_;
  const std::function<void(const Rejection&)>& on_reject_;
  const RejectedRowHandler& on_rejected_row_;
  ExtractStats& stats_;
  IdentifierSet seen_;
  ExtractRow row_;
};

// A row of a separator too many or too few is read again as if the gap
// stood before each column up to this many columns.
constexpr size_t kMostColumnsReadAgain = 64;

// A record's fields joined again by the separator: the row's text, but its quotes.
std::string joined(const std::vector<std::string>& fields, char separator) {
  std::string text;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) text += separator;
    text += fields[i];
  }
  return text;
}

Result<ExtractStats> read_csv_extract(const SourceMapping& m, std::FILE* f, RowChecker& checker, ExtractStats& stats) {
  auto decoder = TextDecoder::open(m.encoding);
  if (!decoder) return Error{decoder.error().kind, m.mapping_file + ": " + decoder.error().message};
  std::vector<int> index;  // per mapped column (then household, person): position in the header
  size_t header_fields = 0;
  std::vector<std::string> header_names;
  std::string header_error;
  bool header = true;
  CsvOptions options;
  options.separator = m.separator;
  auto result = read_csv(f, m.path, *decoder, options, [&](const CsvRecord& r) {
    if (!header_error.empty()) return;
    if (header) {
      header = false;
      header_fields = r.fields.size();
      header_names.clear();
      for (const auto& f : r.fields) header_names.push_back(trim(f));
      std::string twice;
      auto position = [&](const std::string& name) {
        const auto first = std::find(header_names.begin(), header_names.end(), name);
        if (first == header_names.end()) return -1;
        if (std::find(first + 1, header_names.end(), name) != header_names.end() &&
            (", " + twice + ", ").find(", " + name + ", ") == std::string::npos)
          twice += (twice.empty() ? "" : ", ") + name;
        return static_cast<int>(first - header_names.begin());
      };
      std::string missing;
      for (const auto& c : m.columns) {
        index.push_back(position(c.column));
        if (index.back() < 0) missing += (missing.empty() ? "" : ", ") + c.column;
      }
      index.push_back(position(m.household_id));
      if (index.back() < 0) missing += (missing.empty() ? "" : ", ") + m.household_id;
      index.push_back(m.person_id.empty() ? -1 : position(m.person_id));
      if (!m.person_id.empty() && index.back() < 0 && m.person_id != m.household_id)
        missing += (missing.empty() ? "" : ", ") + m.person_id;
      // Two columns of one name: which holds the data is a guess.
      if (!twice.empty() && missing.empty())
        header_error = m.path + ":1: the header names " + twice + " twice (mapping " + m.mapping_file +
                       "): which column holds the data is not known";
      // The first line is not echoed: in a file without a header it is a
      // person's row, and the path may lead to a file that is no extract.
      if (!missing.empty())
        header_error = m.path + ":1: the header does not match the mapping " + m.mapping_file + ": missing " +
                       missing + " (the first line has " + std::to_string(r.fields.size()) +
                       " fields; is the separator '" + m.separator + "' right, and does the file start with its header?)";
      return;
    }
    if (r.truncated) {
      // The fields before the one whose quote is never closed were read whole.
      auto before_fault = [&](int at) {
        return at >= 0 && static_cast<size_t>(at) + 1 < r.fields.size() ? std::string_view(r.fields[static_cast<size_t>(at)])
                                                                         : std::string_view();
      };
      const std::string reason = "a quote opened in this row is never closed (a stray quote, or the file is truncated), or its field runs past " +
                                 std::to_string(options.max_quoted_bytes) + " bytes";
      checker.reject_line(r.line, reason, before_fault(index[m.columns.size()]), before_fault(index[m.columns.size() + 1]));
      // Whose row it is, from the fields before the fault (a tax or DRM row
      // names no household: its person's is then incomplete).
      checker.read_set_aside(r.line, [&](int i) {
        return before_fault(i >= 0 ? index[static_cast<size_t>(i)] : i == -1 ? index[m.columns.size()] : index[m.columns.size() + 1]);
      }, reason, false, joined(r.fields, m.separator));
      return;
    }
    const size_t columns = m.columns.size();
    // A separator too many or too few shifts the fields after it, or a row
    // cut short lacks its last ones (read as unknown, they would pass): the
    // row is set aside. Its fields are still read where they stand, to
    // name its household or the person it may be, whose data are then
    // incomplete.
    bool repeats_header = r.fields.size() == header_fields;
    for (size_t i = 0; repeats_header && i < r.fields.size(); ++i) repeats_header = trim(r.fields[i]) == header_names[i];
    // A field over several lines in a row of the wrong count: a quote
    // opened by mistake, closed by chance lines further, took those lines'
    // rows in (a quoted address of two lines keeps its row's count).
    size_t lines = 1;
    for (const auto& f : r.fields) lines += static_cast<size_t>(std::count(f.begin(), f.end(), '\n'));
    // A whole file ends its last row with a line end: one that does not
    // may be cut short within its last field (7223 read as 7).
    const bool cut_short = r.unterminated && r.fields.size() == header_fields && !repeats_header;
    const std::string row_fault =
        repeats_header ? "the header again (files joined together?)"
        : cut_short    ? "the file ends within this row, without a line end: it may be cut short (a whole file ends "
                         "its last row with a line end)"
        : r.fields.size() == header_fields
            ? std::string()
        : lines > 1 ? std::to_string(r.fields.size()) + " fields where the header has " + std::to_string(header_fields) +
                          " (a quote opened by mistake?), read over " + std::to_string(lines) +
                          " lines: the rows of lines " + std::to_string(r.line + 1) + " to " +
                          std::to_string(r.line + lines - 1) + " are set aside with it"
                    : std::to_string(r.fields.size()) + " fields where the header has " + std::to_string(header_fields) +
                          " (a separator too many or too few)";
    auto position = [&](int i) { return i >= 0 ? index[static_cast<size_t>(i)] : i == -1 ? index[columns] : index[columns + 1]; };
    checker.check(r.line, [&](int i) -> std::string_view {
      const int at = position(i);
      return at >= 0 && static_cast<size_t>(at) < r.fields.size() ? std::string_view(r.fields[static_cast<size_t>(at)])
                                                                  : std::string_view();
    }, row_fault);
    if (row_fault.empty() || repeats_header || cut_short) return;
    if (lines > 1) {
      // Each line read again as the row it was, its quotes dropped, for
      // whose it may be: the one that opened the quote, and those it took in.
      std::string text = joined(r.fields, m.separator);
      std::erase(text, '"');
      std::vector<std::string_view> own;
      size_t physical = r.line;  // each line under its own number
      for (size_t start = 0; start <= text.size(); ++physical) {
        const size_t end = std::min(text.find('\n', start), text.size());
        const std::string_view line = std::string_view(text).substr(start, end - start);
        own.clear();
        for (size_t from = 0; from <= line.size();) {
          const size_t to = std::min(line.find(m.separator, from), line.size());
          own.push_back(line.substr(from, to - from));
          from = to + 1;
        }
        checker.read_set_aside(physical, [&](int i) -> std::string_view {
          const int at = position(i);
          return at >= 0 && static_cast<size_t>(at) < own.size() ? own[static_cast<size_t>(at)] : std::string_view();
        }, row_fault, true, line);
        start = end + 1;
      }
      return;
    }
    // Where the separator too many or too few stands is not known: the
    // fields are read again as if it stood before each column (one field
    // off), or before the first (the fields read from the row's end), so
    // that the person the row may be is found whichever field moved.
    // A file of many columns is read from the row's end alone: a reading
    // per column of each such row would grow with both.
    const long shift = static_cast<long>(r.fields.size()) - static_cast<long>(header_fields);
    const std::string text = joined(r.fields, m.separator);
    const size_t gaps = (shift == 1 || shift == -1) && header_fields <= kMostColumnsReadAgain ? header_fields : 1;
    for (size_t gap = 0; gap < gaps; ++gap)
      checker.read_set_aside(r.line, [&](int i) -> std::string_view {
        const int at = position(i);
        if (at < 0) return {};
        const long moved = static_cast<size_t>(at) < gap ? at : at + shift;
        return moved >= 0 && static_cast<size_t>(moved) < r.fields.size() ? std::string_view(r.fields[static_cast<size_t>(moved)])
                                                                          : std::string_view();
      }, row_fault, true, text);
  });
  if (!result) return result.error();
  if (!header_error.empty()) return Error{ErrorKind::kInput, header_error};
  if (header) return Error{ErrorKind::kInput, m.path + ": the file is empty (no header)"};
  // Every record the parser found, but the header, went to the checks.
  if (*result != stats.read + 1)
    return Error{ErrorKind::kInput, m.path + ": " + std::to_string(*result - 1) + " rows in the file but " + std::to_string(stats.read) +
                 " checked: rows would be lost"};
  return stats;
}

// The `"key": value` pairs of a line that is not valid JSON (a brace or a
// comma missing, the line cut short), read one after the other at the top
// level of its object as far as they are whole: whose row it was is still
// found from them. A string's escapes are decoded (a name written
// `"BL\u00c9NC"`), an object or array given as a value is passed over, a
// missing comma between two pairs is forgiven; a string cut short ends it.
void scalars_of_broken_line(std::string_view text, const std::function<void(std::string_view, std::string)>& pair) {
  size_t at = 0;
  auto blank = [&] {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\r')) ++at;
  };
  auto hex4 = [&](size_t from, uint32_t& v) {
    if (from + 4 > text.size()) return false;
    v = 0;
    for (size_t k = from; k < from + 4; ++k) {
      const char c = text[k];
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return false;
      v = v * 16 + static_cast<uint32_t>(d);
    }
    return true;
  };
  auto utf8 = [](uint32_t cp, std::string& out) {
    if (cp < 0x80) out += static_cast<char>(cp);
    else if (cp < 0x800) out += static_cast<char>(0xC0 | (cp >> 6)), out += static_cast<char>(0x80 | (cp & 0x3F));
    else if (cp < 0x10000)
      out += static_cast<char>(0xE0 | (cp >> 12)), out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
          out += static_cast<char>(0x80 | (cp & 0x3F));
    else
      out += static_cast<char>(0xF0 | (cp >> 18)), out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), out += static_cast<char>(0x80 | (cp & 0x3F));
  };
  // A string from its opening quote; false where it is cut short or holds a
  // bad escape.
  auto string = [&](std::string& out) {
    out.clear();
    for (++at; at < text.size(); ++at) {
      const char c = text[at];
      if (c == '"') {
        ++at;
        return true;
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (++at >= text.size()) return false;
      switch (text[at]) {
        case '"': case '\\': case '/': out += text[at]; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = 0, low = 0;
          if (!hex4(at + 1, cp)) return false;
          at += 4;
          if (cp >= 0xD800 && cp < 0xDC00 && at + 2 < text.size() && text[at + 1] == '\\' && text[at + 2] == 'u' &&
              hex4(at + 3, low) && low >= 0xDC00 && low < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            at += 6;
          }
          utf8(cp, out);
          break;
        }
        default: return false;
      }
    }
    return false;
  };
  // An object or array passed over, strings in it included; false where cut short.
  auto nested = [&] {
    std::string ignored;
    for (int depth = 0; at < text.size();) {
      const char c = text[at];
      if (c == '"') {
        if (!string(ignored)) return false;
        continue;
      }
      depth += c == '{' || c == '[';
      depth -= c == '}' || c == ']';
      ++at;
      if (depth == 0) return true;
    }
    return false;
  };
  blank();
  if (at >= text.size() || text[at] != '{') return;
  ++at;
  std::string key, value;
  for (;;) {
    blank();
    if (at >= text.size() || text[at] != '"' || !string(key)) return;
    blank();
    if (at >= text.size() || text[at] != ':') return;
    ++at;
    blank();
    if (at >= text.size()) return;
    if (text[at] == '"') {
      if (!string(value)) return;
      pair(key, value);
    } else if (text[at] == '{' || text[at] == '[') {
      if (!nested()) return;
    } else {
      const size_t end = std::min(text.find_first_of(",}\"", at), text.size());
      value = trim(text.substr(at, end - at));
      at = end;
      pair(key, value == "null" ? std::string() : value);
    }
    blank();
    if (at < text.size() && text[at] == ',') ++at;
    else if (at >= text.size() || text[at] != '"') return;  // the end of the object, or of what is whole
  }
}

Result<ExtractStats> read_jsonl_extract(const SourceMapping& m, std::FILE* f, RowChecker& checker, ExtractStats& stats) {
  using namespace simdjson;
  auto decoder = TextDecoder::open(m.encoding);
  if (!decoder) return Error{decoder.error().kind, m.mapping_file + ": " + decoder.error().message};
  ondemand::parser parser;
  const size_t columns = m.columns.size();
  std::vector<std::string> values(columns + 2);
  size_t number = 0;
  auto handle = [&](std::string_view text) {
    ++number;
    if (trim(text).empty()) return;
    for (auto& v : values) v.clear();
    try {
      padded_string json(text);
      ondemand::document doc = parser.iterate(json);
      // A key given twice would leave its value to the reader's order; one
      // object per line, nothing after it.
      std::vector<std::string_view> keys;
      std::string twice;
      for (auto field : doc.get_object()) {
        std::string_view key = field.unescaped_key();
        if (std::find(keys.begin(), keys.end(), key) != keys.end() && twice.empty()) twice = key;
        keys.push_back(key);
        // A key may be a column and an identifier at once (one id per person and household).
        std::vector<size_t> slots;
        for (size_t i = 0; i < columns; ++i)
          if (m.columns[i].column == key) slots.push_back(i);
        if (key == m.household_id) slots.push_back(columns);
        if (!m.person_id.empty() && key == m.person_id) slots.push_back(columns + 1);
        if (slots.empty()) continue;  // not mapped: never read
        ondemand::value v = field.value();
        std::string text;
        switch (v.type()) {
          case ondemand::json_type::null: break;
          case ondemand::json_type::string: text = std::string(std::string_view(v.get_string())); break;
          case ondemand::json_type::boolean: text = bool(v.get_bool()) ? "true" : "false"; break;
          case ondemand::json_type::number: text = trim(std::string_view(v.raw_json_token())); break;
          default: throw simdjson_error(INCORRECT_TYPE);
        }
        for (size_t slot : slots) values[slot] = text;
      }
      // The identifiers read, but one given twice, which could be either.
      const std::string_view household = twice == m.household_id ? std::string_view() : values[columns];
      const std::string_view person = twice == m.person_id ? std::string_view() : values[columns + 1];
      auto set_aside = [&](const std::string& reason) {
        checker.reject_line(number, reason, household, person);
        checker.read_set_aside(number, [&](int i) -> std::string_view {
          return i == -1 ? household : i == -2 ? person : std::string_view(values[static_cast<size_t>(i)]);
        }, reason, false, text);
      };
      if (!twice.empty()) return set_aside("key '" + twice + "' given twice");
      const char* rest = nullptr;
      if (doc.current_location().get(rest) == SUCCESS) return set_aside("text after the row's object on the same line");
    } catch (const simdjson_error& e) {
      // The pairs the line holds whole name its household and the person
      // it may be.
      const std::string reason = std::string("not a valid JSON object of scalars (") + error_message(e.error()) + ")";
      for (auto& v : values) v.clear();
      std::vector<uint8_t> given(columns + 2, 0);
      scalars_of_broken_line(text, [&](std::string_view key, std::string value) {
        for (size_t i = 0; i < columns + 2; ++i) {
          const std::string_view name = i < columns ? std::string_view(m.columns[i].column)
                                        : i == columns ? std::string_view(m.household_id) : std::string_view(m.person_id);
          if (name.empty() || name != key || given[i]) continue;
          given[i] = 1;
          values[i] = value;
        }
      });
      checker.reject_line(number, reason, values[columns], values[columns + 1]);
      checker.read_set_aside(number, [&](int i) -> std::string_view {
        return values[i >= 0 ? static_cast<size_t>(i) : i == -1 ? columns : columns + 1];
      }, reason, false, text);
      return;
    }
    checker.check(number, [&](int i) -> std::string_view {
      return values[i >= 0 ? static_cast<size_t>(i) : i == -1 ? columns : columns + 1];
    });
  };
  std::vector<char> bytes(1 << 20);
  std::string text, pending;
  size_t lines_before = 1;
  for (bool last = false; !last;) {
    size_t got = std::fread(bytes.data(), 1, bytes.size(), f);
    if (std::ferror(f)) return Error{ErrorKind::kUnavailable, m.path + ": read error"};
    last = got < bytes.size();
    text.clear();
    if (auto decoded = decoder->decode(std::string_view(bytes.data(), got), last, text); !decoded.ok()) {
      for (char c : pending + text) lines_before += c == '\n';
      return Error{ErrorKind::kInput, SourcePosition{m.path, static_cast<int>(lines_before)}, decoded.error().message};
    }
    pending += text;
    size_t start = 0;
    for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
      handle(std::string_view(pending).substr(start, nl - start));
      ++lines_before;
    }
    pending.erase(0, start);
  }
  if (!pending.empty()) handle(pending);
  return stats;
}

// The code points of UTF-8 text, one at a time from `at` (moved past it);
// -1 past the end or on a byte that starts no character.
int32_t next_code_point(std::string_view text, size_t& at) {
  if (at >= text.size()) return -1;
  const CodePoint c = code_point_at(text, at);
  at += std::max<size_t>(c.length, 1);
  return c.length ? static_cast<int32_t>(c.point) : -1;
}

// What a UTF-8 continuation byte (0x80 to 0xBF) becomes when a file is read
// as Latin-1 or windows-1252.
bool continuation_misread(int32_t cp) {
  if (cp >= 0x80 && cp <= 0xBF) return true;
  static constexpr int32_t kWindows1252[] = {0x20AC, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030,
                                             0x0160, 0x2039, 0x0152, 0x017D, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
                                             0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x017E, 0x0178};
  return std::find(std::begin(kWindows1252), std::end(kWindows1252), cp) != std::end(kWindows1252);
}

// UTF-8 text read as Latin-1 or windows-1252 ("AllÃ©e" for "Allée",
// "â€™" for "’"): the first byte of a character French names and
// addresses use (Â for « » and the no-break space, Ã for the accented
// letters, Ä and Å for the other Latin ones, â for ’ and €) followed by
// what its continuation bytes become. Other letters followed by those
// characters are French text ("RENÉ" and a no-break space): left alone.
// Found, the file's encoding is not the mapping's, and the name would reach
// a letter or a request as it reads.
std::string misread_encoding(std::string_view value) {
  if (value.find_first_of("\xC3") == std::string_view::npos) return "";  // none of these letters: the usual case
  for (size_t at = 0; at < value.size();) {
    const size_t start = at;
    const int32_t cp = next_code_point(value, at);
    const int continuations = cp >= 0xC2 && cp <= 0xC5 ? 1 : cp == 0xE2 ? 2 : 0;
    if (continuations == 0) continue;
    size_t next = at;
    bool misread = true;
    for (int k = 0; k < continuations && misread; ++k) misread = continuation_misread(next_code_point(value, next));
    if (misread)
      return "UTF-8 text read in another encoding (\"" + std::string(value.substr(start, next - start)) +
             "\"): is the file's encoding the one the mapping gives?";
  }
  return "";
}

}  // namespace

std::string value_problem(std::string_view value) {
  if (value.size() > kLongestValue) return "a value of " + std::to_string(value.size()) + " bytes, longer than any this field holds";
  if (std::string fault = control_character(value); !fault.empty()) return fault;
  if (std::string fault = misread_encoding(value); !fault.empty()) return fault;
  // Drawn as nothing, it would make a name another one than the person's
  // (a soft hyphen, which windows-1252 holds, a zero-width space).
  for (size_t i = 0; i < value.size(); ++i)
    if (size_t length = hidden_character_at(value, i); length > 0) {
      std::string code = escape_hidden(value.substr(i, length)).substr(2);  // "00AD", or "000E0041" past U+FFFF
      code.erase(0, std::min(code.find_first_not_of('0'), code.size() - 4));
      return "an invisible character (U+" + code + ") in the value";
    }
  return "";
}

std::string trimmed_value(std::string_view value) { return trim(value); }

std::string name_problem(std::string_view name) {
  if (std::string fault = value_problem(name); !fault.empty()) return fault;
  return has_letter(name) ? "" : "a name without a letter";
}

Result<ExtractStats> read_extract(const SourceMapping& m, const Territory* territory,
                                  const std::function<void(const ExtractRow&)>& on_row,
                                  const std::function<void(const Rejection&)>& on_reject,
                                  const RejectedRowHandler& on_rejected_row) {
  std::FILE* f = std::fopen(m.path.c_str(), "rb");
  if (!f) return Error{ErrorKind::kNotFound, m.path + ": cannot open the extract (" + std::strerror(errno) + ")"};
  ExtractStats stats;
  RowChecker checker(m, territory, on_row, on_reject, on_rejected_row, stats);
  auto result = m.format == SourceMapping::Format::kCsv ? read_csv_extract(m, f, checker, stats)
                                                        : read_jsonl_extract(m, f, checker, stats);
  std::fclose(f);
  return result;
}

}  // namespace proactif
