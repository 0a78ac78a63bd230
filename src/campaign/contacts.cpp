#include "campaign/contacts.hpp"

#include <algorithm>
#include <cctype>

#include "core/contact_syntax.hpp"
#include "core/date.hpp"
#include "identity/identity_records.hpp"
#include "identity/normalise.hpp"
#include "population/territory.hpp"
#include "sources/extract_reader.hpp"

namespace proactif {

namespace {

// A family name in capitals as a letter writes it, accents, hyphens and
// apostrophes kept ("N'Diaye" is N'DIAYE, not N DIAYE): ASCII and the
// Latin-1 and Latin Extended-A letters French names use.
std::string capitals(const std::string& name) {
  std::string out;
  out.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const auto next = i + 1 < name.size() ? static_cast<unsigned char>(name[i + 1]) : 0;
    if (c >= 'a' && c <= 'z') {
      out += static_cast<char>(c - 32);
    } else if (c == 0xC3 && next >= 0xA0 && next <= 0xBE && next != 0xB7) {  // à to þ, not ÷
      out += static_cast<char>(c);
      out += static_cast<char>(next - 0x20);
      ++i;
    } else if (c == 0xC5 && next == 0x93) {  // œ
      out += "\xC5\x92";
      ++i;
    } else if (c == 0xC3 && next == 0xBF) {  // ÿ
      out += "\xC5\xB8";
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

std::string Contact::display_name() const {
  std::string first = first_names.substr(0, first_names.find(' '));
  return first + (first.empty() ? "" : " ") + capitals(usage_name.empty() ? name : usage_name);
}

std::string Contact::full_name() const {
  return first_names + (first_names.empty() ? "" : " ") + capitals(usage_name.empty() ? name : usage_name);
}

std::optional<Contact> subject_contact(const std::unordered_map<std::string, Contact>& contacts,
                                       const std::string& subject, const std::string& household) {
  auto own = contacts.find(subject);
  if (household.empty()) return own != contacts.end() ? std::optional<Contact>(own->second) : std::nullopt;
  if (own == contacts.end()) return std::nullopt;
  Contact c = own->second;
  auto home = contacts.find(household);
  if (home != contacts.end() && !c.has_postal_address()) {
    if (home->second.address_source.empty()) {
      c.address = home->second.address;
      c.town = home->second.town;
    }
    // Where the household may live now, whatever address a letter takes.
    if (c.postcode_elsewhere.empty()) c.postcode_elsewhere = home->second.postcode_elsewhere;
  }
  return c;
}

Contact checked_contact(Contact c) {
  auto set_aside = [&](std::string& value, const char* field) {
    value.clear();
    c.set_aside.emplace_back(field);
  };
  if (!c.email.empty() && !is_mailbox(c.email)) set_aside(c.email, "email");
  if (!c.mobile.empty()) {
    if (auto e164 = e164_mobile(c.mobile)) c.mobile = *e164;
    else set_aside(c.mobile, "mobile");
  }
  // A name or an address line is printed in the letter's address block and
  // the greeting: one with a control character is not printed at all, and
  // the letter waits for a corrected address.
  // So is one an extract's reader would set aside (an event's contact
  // reaches here unread): text misread from another encoding ("AllÃ©e"),
  // an invisible character.
  const auto postal = [](const std::string& line) { return is_postal_line(line) && (line.empty() || value_problem(line).empty()); };
  const bool printable = postal(c.address) && postal(c.town) && postal(c.name) && postal(c.usage_name) && postal(c.first_names);
  // The address block is at most 38 characters a line (AFNOR NF Z10-011,
  // which La Poste's sorting reads): a longer line would be printed too
  // small to read, so the letter waits for an address written to the norm.
  const auto fits = [](const std::string& line) {
    return std::count_if(line.begin(), line.end(), [](char b) { return (static_cast<unsigned char>(b) & 0xC0) != 0x80; }) <= 38;
  };
  const bool within_norm = fits(c.address) && fits(c.town) && fits(c.display_name());
  // Its last line is the postcode and the town (NF Z10-011): "38000
  // GRENOBLE", "38031 GRENOBLE CEDEX 01"; one without either is not
  // delivered.
  const auto postcode_and_town = [](const std::string& line) {
    if (line.size() < 7 || line[5] != ' ') return false;
    for (size_t i = 0; i < 5; ++i)
      if (line[i] < '0' || line[i] > '9') return false;
    return std::any_of(line.begin() + 6, line.end(), [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)) || (ch & 0x80); });
  };
  const bool complete = c.town.empty() || postcode_and_town(c.town);
  if (!printable || !within_norm || !complete) {
    c.address.clear();
    c.town.clear();
    c.set_aside.emplace_back(!printable     ? "postal address or name"
                             : !within_norm ? "postal address (a line of more than 38 characters)"
                                            : "postal address (its last line is not a postcode and a town)");
  }
  if (!postal(c.first_names)) c.first_names.clear();
  if (!postal(c.name)) c.name.clear();
  if (!postal(c.usage_name)) c.usage_name.clear();
  return c;
}

void set_aside_address_outside(Contact& c, const Territory& territory, const std::string& commune) {
  // The town line alone says where the household may live, a street given or not.
  if (c.town.size() < 5 || commune.empty()) return;
  const CommuneInfo* part = territory.find(commune);
  if (!part) return;
  const CommuneInfo* whole = territory.find(part->commune);
  const std::string postcode = c.town.substr(0, 5);
  for (const CommuneInfo* info : {part, whole})
    if (info && std::find(info->postcodes.begin(), info->postcodes.end(), postcode) != info->postcodes.end()) return;
  // A CEDEX code (a domiciliation at a CCAS or an association, a post-office
  // box) is in no commune's list: its département is compared instead, its
  // first two digits (three overseas; 20 for Corsica's 2A and 2B). The word
  // in any case: "38031 Grenoble Cedex 01".
  if ((" " + fold_name(c.town) + " ").find(" CEDEX ") != std::string::npos) {
    std::string departement = part->departement == "2A" || part->departement == "2B" ? "20" : part->departement;
    if (postcode.compare(0, departement.size(), departement) == 0) return;
  }
  c.postcode_elsewhere = postcode;
  c.address.clear();
  c.town.clear();
  c.set_aside.emplace_back("postal address (not in the commune the decision read)");
}

std::string unreachable_reason(const Contact& c, bool grant) {
  std::string why = "no contact details";
  if (!c.set_aside.empty()) {
    why = "no usable contact details (not valid, set aside: ";
    for (size_t i = 0; i < c.set_aside.size(); ++i) why += (i ? ", " : "") + c.set_aside[i];
    why += ")";
  }
  return grant ? "grant not transmitted: the person cannot be told (" + why + ")" : why + " for the channels";
}

std::string reachable_channel(const std::vector<std::string>& channels, const Contact& c) {
  for (const auto& ch : channels)
    if ((ch == "email" && !c.email.empty()) || (ch == "sms" && !c.mobile.empty()) ||
        (ch == "letter" && c.has_postal_address()))
      return ch;
  return "";
}

std::string recipient_for(const std::string& channel, const Contact& c) {
  if (channel == "email") return c.email;
  if (channel == "sms") return c.mobile;
  return c.display_name() + "\n" + c.address + "\n" + c.town;
}

namespace {

// The same file read again through a mapping of its contact columns only,
// as text: the checks of ingestion already ran on it.
SourceMapping contact_columns(const SourceMapping& mapping) {
  SourceMapping m = mapping;
  m.columns.clear();
  for (const auto& [field, column] : mapping.contacts) {
    ColumnMapping c;
    c.column = column;
    c.variable = field;
    c.as_is = true;
    m.columns.push_back(c);
  }
  return m;
}

// The contact fields of a row whose first `count` columns are contact_columns'.
Contact contact_of_row(const SourceMapping& m, const ExtractRow& row, size_t count) {
  Contact c;
  for (size_t i = 0; i < count; ++i) {
    const std::string& field = m.columns[i].variable;
    // An empty field is unknown; its text is not to be read.
    const std::string v = row.values[i].known ? row.values[i].text : std::string();
    if (field == "first_names") c.first_names = v;
    else if (field == "name") c.name = v;
    else if (field == "usage_name") c.usage_name = v;
    else if (field == "address") c.address = v;
    else if (field == "town") c.town = v;
    else if (field == "email") c.email = v;
    else if (field == "mobile") c.mobile = v;
  }
  return checked_contact(std::move(c));
}


// Columns [from, end) of the row hold identity fields.
void read_identity(const SourceMapping& m, const ExtractRow& row, size_t from, PersonIdentity& p) {
  for (size_t i = from; i < m.columns.size(); ++i) {
    const FieldValue& v = row.values[i];
    if (!v.known) continue;
    const std::string& field = m.columns[i].variable;
    if (field == "nir") p.nir = v.text;
    else if (field == "birth_name") p.birth_name = v.text;
    else if (field == "usage_name") p.usage_name = v.text;
    else if (field == "first_names") p.first_names = v.text;
    else if (field == "birth_date") p.birth_date = format_iso_date(static_cast<Days>(v.number));
    else if (field == "sex") p.sex = v.text;
    else if (field == "birth_place") p.birth_place = v.text;
    else if (field == "ine") p.ine = v.text;
  }
}

// The same family name: the birth names, when both give one; else one of
// a's (birth or usage name) is one of b's, as the CPAM, which gives only the
// name in use, knows a married woman by her usage name and a child by
// their birth name.
bool same_family_name(const PersonIdentity& a, const PersonIdentity& b) {
  const std::string birth_a = family_name_key(a.birth_name), birth_b = family_name_key(b.birth_name);
  if (!birth_a.empty() && !birth_b.empty()) return birth_a == birth_b;
  for (const std::string* x : {&a.birth_name, &a.usage_name}) {
    const std::string key = family_name_key(*x);
    if (key.empty()) continue;
    for (const std::string* y : {&b.birth_name, &b.usage_name})
      if (key == family_name_key(*y)) return true;
  }
  return false;
}

}  // namespace

std::string addressee_among(const Contact& contact, const std::vector<PersonIdentity>& persons) {
  const std::vector<std::string> first = first_name_keys(contact.first_names);
  const std::string name = family_name_key(contact.name);
  if (first.empty() || name.empty()) return "";
  std::string found;
  for (const PersonIdentity& p : persons) {
    const std::vector<std::string> theirs = first_name_keys(p.first_names);
    if (theirs.empty() || theirs.front() != first.front()) continue;
    if (name != family_name_key(p.birth_name) && name != family_name_key(p.usage_name)) continue;
    if (!found.empty()) return "";
    found = p.person;
  }
  return found;
}

bool nir_agrees(const std::string& nir, const PersonIdentity& other) {
  if (nir.size() < 5) return false;
  const char says = nir[0] == '1' || nir[0] == '3' || nir[0] == '7'   ? 'M'
                    : nir[0] == '2' || nir[0] == '4' || nir[0] == '8' ? 'F'
                                                                      : 0;
  if (says && other.sex.size() == 1 && (other.sex[0] == 'M' || other.sex[0] == 'F') && other.sex[0] != says) return false;
  if (other.birth_date.empty()) return true;
  if (other.birth_date.size() < 7 || nir.compare(1, 2, other.birth_date, 2, 2) != 0) return false;
  const bool month_given = (nir[3] == '0' && nir[4] >= '1') || (nir[3] == '1' && nir[4] <= '2');
  return !month_given || nir.compare(3, 2, other.birth_date, 5, 2) == 0;
}

bool certainly_same_person(const PersonIdentity& a, const PersonIdentity& b) {
  if (!a.nir.empty() && !b.nir.empty()) return a.nir == b.nir;
  if (a.birth_date.empty() || a.birth_date != b.birth_date) return false;
  if (!a.nir.empty() && !nir_agrees(a.nir, b)) return false;
  if (!b.nir.empty() && !nir_agrees(b.nir, a)) return false;
  if (!same_family_name(a, b)) return false;
  // The first first name, a compound one written with or without its hyphen
  // ("Marie-Hélène" and "MARIE HELENE"): each one's first name begins the
  // other's first names, spaces aside; and one's first names begin the
  // other's ("Marie Anne" is not "MARIE CLAIRE", but may be "MARIE").
  struct FirstNames {
    std::string first, all;
  };
  auto joined = [](const std::string& names) {
    FirstNames out;
    const std::vector<std::string> keys = first_name_keys(names);
    for (size_t k = 0; k < keys.size(); ++k)
      for (char c : keys[k])
        if (c != ' ') {
          out.all += c;
          if (k == 0) out.first += c;
        }
    return out;
  };
  const FirstNames first_a = joined(a.first_names), first_b = joined(b.first_names);
  if (first_a.first.empty() || first_b.first.empty() || !first_a.all.starts_with(first_b.first) ||
      !first_b.all.starts_with(first_a.first) || !(first_a.all.starts_with(first_b.all) || first_b.all.starts_with(first_a.all)))
    return false;
  return a.birth_place.empty() || b.birth_place.empty() || a.birth_place == b.birth_place;
}

std::string extract_title(const SourceMapping& mapping) {
  auto on = parse_iso_date(mapping.extracted_on);
  return mapping.source + " (" + mapping.extract + (on ? ", " + format_french_date(*on) : "") + ")";
}

Result<std::unordered_map<std::string, Contact>> read_contacts(const SourceMapping& mapping,
                                                               const std::unordered_set<std::string>& households) {
  if (mapping.contacts.empty()) return Error{ErrorKind::kConfiguration, mapping.mapping_file + ": the mapping declares no contacts columns"};
  SourceMapping m = contact_columns(mapping);
  const size_t contact_fields = m.columns.size();
  // A household's message tells its foyer's rights, amounts and data: it
  // goes to the applicant, or the spouse, never to a child or another
  // person living there (a lodger, an adult son with his own foyer), who
  // may not know them nor be allowed to. An extract without roles cannot
  // tell who they are: its household's first row is taken.
  for (const auto& c : mapping.columns)
    if (c.variable == "role" && !c.household) m.columns.push_back(c);
  const bool roles = m.columns.size() > contact_fields;
  const std::string title = extract_title(mapping);
  std::unordered_map<std::string, Contact> out;
  std::unordered_map<std::string, int> rank;  // per household: its contact's, the lowest wins
  // Rows whose role the extract leaves empty: a household none of whose
  // rows says who the applicant is (a person alone, say) is written to
  // through them, as through an extract without roles.
  std::unordered_map<std::string, std::pair<int, Contact>> unsaid;
  auto read = read_extract(
      m, nullptr,
      [&](const ExtractRow& row) {
        // Households are known by their source and identifier (CAF:A00000004),
        // persons by theirs (CAF:P00000012), as in the snapshot.
        auto household = households.find(mapping.source + ":" + row.household);
        auto person = row.person.empty() ? households.end() : households.find(mapping.source + ":" + row.person);
        if (household == households.end() && person == households.end()) return;
        Contact c = contact_of_row(m, row, contact_fields);
        c.source = title;
        if (!row.person.empty()) c.person = mapping.source + ":" + row.person;
        if (person != households.end() && !c.name.empty()) out.emplace(*person, c);
        if (household == households.end()) return;
        const FieldValue* role = roles ? &row.values[contact_fields] : nullptr;
        // The applicant's row with a way to reach them, else the spouse's;
        // else a row with a name, which the list for the social services
        // gives when nothing reaches the household.
        auto details = [](const Contact& k) {
          return k.has_postal_address() || !k.email.empty() || !k.mobile.empty() || !k.set_aside.empty();
        };
        if (!details(c) && c.name.empty()) return;
        if (role && !role->known) {
          auto [at, added] = unsaid.try_emplace(*household, details(c) ? 0 : 1, c);
          if (!added && details(c) && at->second.first > 0) at->second = {0, std::move(c)};
          return;
        }
        const int who = !role ? 0 : role->text == "applicant" ? 0 : role->text == "spouse" ? 1 : -1;
        if (who < 0) return;
        const int r = (details(c) ? 0 : 2) + who;
        auto [at, added] = rank.try_emplace(*household, r);
        if (!added && r >= at->second) return;
        at->second = r;
        out.insert_or_assign(*household, std::move(c));
      },
      [](const Rejection&) {});
  if (!read) return read.error();
  for (auto& [household, row] : unsaid)
    if (!rank.count(household)) out.insert_or_assign(household, std::move(row.second));
  return out;
}

Result<std::unordered_map<size_t, RowContact>> read_contacts_at(const SourceMapping& mapping,
                                                                const std::unordered_set<size_t>& lines) {
  std::unordered_map<size_t, RowContact> out;
  if (mapping.contacts.empty() || lines.empty()) return out;
  const std::string title = extract_title(mapping);
  SourceMapping m = contact_columns(mapping);
  // Only a postal address: an email or a mobile number is given to the
  // administration that holds it for its own exchanges with the person.
  std::erase_if(m.columns, [](const ColumnMapping& c) { return c.variable == "email" || c.variable == "mobile"; });
  const size_t contact_fields = m.columns.size();
  for (const auto& c : mapping.columns)
    if (identity_variable(c.variable)) m.columns.push_back(c);
  auto read = read_extract(
      m, nullptr,
      [&](const ExtractRow& row) {
        if (!lines.count(row.line)) return;
        RowContact r{contact_of_row(m, row, contact_fields), {}};
        r.contact.source = r.contact.address_source = title;
        read_identity(m, row, contact_fields, r.identity);
        if (r.contact.has_postal_address()) out.emplace(row.line, std::move(r));
      },
      [](const Rejection&) {});
  if (!read) return read.error();
  return out;
}

Result<std::unordered_map<std::string, std::vector<PersonIdentity>>> read_identities(
    const SourceMapping& mapping, const std::unordered_set<std::string>& households) {
  SourceMapping m = mapping;
  m.columns.clear();
  for (const auto& c : mapping.columns)
    if (identity_variable(c.variable)) m.columns.push_back(c);
  if (m.person_id.empty() || m.columns.empty())
    return Error{ErrorKind::kConfiguration, mapping.mapping_file + ": the extract names no persons with their identity (nir, names, birth date)"};
  std::unordered_map<std::string, std::vector<PersonIdentity>> out;
  auto read = read_extract(
      m, nullptr,
      [&](const ExtractRow& row) {
        auto household = households.find(mapping.source + ":" + row.household);
        if (household == households.end()) return;
        PersonIdentity p;
        p.person = mapping.source + ":" + row.person;
        read_identity(m, row, 0, p);
        out[*household].push_back(std::move(p));
      },
      [](const Rejection&) {});
  if (!read) return read.error();
  return out;
}

Result<std::unordered_map<size_t, PersonIdentity>> read_identities_at(const SourceMapping& mapping,
                                                                     const std::unordered_set<size_t>& lines) {
  std::unordered_map<size_t, PersonIdentity> out;
  SourceMapping m = mapping;
  m.columns.clear();
  for (const auto& c : mapping.columns)
    if (identity_variable(c.variable)) m.columns.push_back(c);
  if (m.columns.empty() || lines.empty()) return out;
  auto read = read_extract(
      m, nullptr,
      [&](const ExtractRow& row) {
        if (!lines.count(row.line)) return;
        PersonIdentity p;
        p.person = mapping.source + ":" + row.person;
        read_identity(m, row, 0, p);
        out.emplace(row.line, std::move(p));
      },
      [](const Rejection&) {});
  if (!read) return read.error();
  return out;
}

}  // namespace proactif
