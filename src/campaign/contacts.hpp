// The contact details of the households a campaign acts on, read from the
// extract whose mapping declares them (`contacts:`), and only for those
// households: contact data of everyone else is never read into memory.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/result.hpp"
#include "sources/source_mapping.hpp"

namespace proactif {

class Territory;

struct Contact {
  std::string first_names, name, usage_name, address, town, email, mobile;
  // Fields whose value could not be used as it was written (an email
  // address that is not one, a line break in an address): never sent to,
  // never printed; their names only ("email"), for the counts.
  std::vector<std::string> set_aside;
  // The extracts they come from, as a message names them ("CAF (allocataires,
  // 15/06/2025)"): the person's names and contact details, and the postal
  // address when another extract gave it.
  std::string source, address_source;
  // The postcode of a postal address set aside as not in the commune the
  // decision read (set_aside_address_outside): where the household may live now.
  std::string postcode_elsewhere;
  // The person whose row it is (CAF:P00000012), where the extract names
  // persons: a notice of a right decided person by person says whether it
  // is theirs or another member's.
  std::string person;
  bool has_postal_address() const { return !address.empty() && !town.empty(); }
  std::string display_name() const;  // "Alcidie BREUN"
  // With every first name ("Luc Pierre DUNIER"): a father and son of one
  // first name are told apart.
  std::string full_name() const;
};

// The identity of a foyer's member, read only for the households whose
// request is transmitted to the paying body (CASF R262-103: identity and NIR),
// or for the persons a campaign asks API Particulier about (with the place of
// birth, an INSEE code, and a student's INE when the extract has them).
struct PersonIdentity {
  std::string person;  // as in the snapshot: CAF:P00000012
  std::string nir, birth_name, usage_name, first_names, birth_date, sex, birth_place, ine;
  std::string nir_source;  // where the NIR a transmission carries came from: an extract's title, or the event
};

// The person among `persons` the contact's names are: the contact's first
// first name is their first one, and its name their birth or usage name;
// "" where no person, or more than one, is so named (the message then names
// each as any other member, never the wrong one "vous").
std::string addressee_among(const Contact& contact, const std::vector<PersonIdentity>& persons);

// Whether a paying body can tell who the person is: a NIR, or a birth name
// and first names (CASF R262-103). A request naming a member who is not is
// not made, in a campaign or after an event (targeting.hpp).
inline bool identifies(const PersonIdentity& p) {
  return !p.nir.empty() || (!p.birth_name.empty() && !p.first_names.empty());
}

// The contact with each field checked before it may reach a protocol or a
// letter (core/contact_syntax.hpp): a mobile number in E.164 form, and what
// is not valid set aside and named in `set_aside`.
Contact checked_contact(Contact raw);

// A postal address whose postcode is not one of those of the commune the
// decision read (INSEE code; a part of a commune counts as the whole one):
// set aside, so that no letter about a right decided for that commune goes
// to another place (the household moved, an extract is behind), its postcode
// kept in `postcode_elsewhere` (a town line without a street as well). An unknown
// commune, or one the territory does not know, leaves the address as it is.
void set_aside_address_outside(Contact& contact, const Territory& territory, const std::string& commune);

// How to reach a subject (`contacts` as read_contacts gives them, with the
// addresses found elsewhere): a household's allocataire; a person who forms
// a foyer of their own (`household`: the household they live in), by their
// own email or mobile where their row gives one, or by letter under their
// name at their own address, else at their household's as its main extract
// gives it. Never through another person's email or mobile, nor at the
// address another extract holds for the allocataire: that one is theirs,
// and whether it was looked for depended on whether another program wrote
// to the household.
std::optional<Contact> subject_contact(const std::unordered_map<std::string, Contact>& contacts,
                                       const std::string& subject, const std::string& household);

// "CAF (allocataires, 15/06/2025)": an extract as a message names it.
std::string extract_title(const SourceMapping& mapping);

// Why nothing can be sent to this contact by any of the channels: counted as
// a skip reason, so that a contact set aside is not mistaken for none.
std::string unreachable_reason(const Contact& contact, bool grant);

// The first of `channels` (in order of preference) this contact can be
// reached by; empty when none.
std::string reachable_channel(const std::vector<std::string>& channels, const Contact& contact);
// What the channel sends to: the email address, the mobile number, or the
// postal address block.
std::string recipient_for(const std::string& channel, const Contact& contact);

// Household id (as in the snapshot: CAF:A00000004) -> contact of its applicant, or of the spouse when only theirs
// carries an address, an email or a mobile (a child's or another person's row never: they may not know the
// household's data); else the applicant's or spouse's name, which says whom no channel reaches; households with
// neither are absent. An extract without a role column, or a household none of whose rows gives a known role,
// gives its household's first such row (of those whose role is not given). Person id (CAF:P00000012) -> what the person's own row gives
// (names, and their email, mobile or address if it has them), for a person who forms a foyer of their own.
Result<std::unordered_map<std::string, Contact>> read_contacts(const SourceMapping& mapping,
                                                               const std::unordered_set<std::string>& households);

// Line of the extract -> the postal contact its row gives (names, address,
// town) and the identity it gives (as read_identities reads it), for the rows
// `lines` lists only: the address another administration holds for a person
// whose household the main extract gives no address for.
struct RowContact {
  Contact contact;
  PersonIdentity identity;
};
Result<std::unordered_map<size_t, RowContact>> read_contacts_at(const SourceMapping& mapping,
                                                                const std::unordered_set<size_t>& lines);

// Whether two extracts' rows are certainly one person, as writing to one's
// address about the other, or sending the NIR one gives as the other's,
// needs: the same NIR when both give one; else the same birth date, the
// same birth name (or, where one side gives none, a family name in common,
// birth or usage name), the same first first name and one side's first
// names beginning the other's (accents, case and punctuation aside), the
// same place of birth when both give one, and a NIR given by one side only
// that agrees with the other's sex and year and month of birth.
// Linkage joins rows on weaker evidence (a typo, a missing trait), which is
// enough to read a datum, whose doubt the decision shows, but not to send a
// person's rights to an address.
bool certainly_same_person(const PersonIdentity& a, const PersonIdentity& b);

// Whether a NIR says nothing against a person's sex and birth date: its
// first digit is the sex (1, 3 and 7 a man; 2, 4 and 8 a woman, as the
// extracts' reader reads it), the next two the year of birth, the next two
// its month (01 to 12; above, a month not known or a NIR given before the
// civil status was, which say nothing). A sex or birth date not given
// contradicts nothing.
bool nir_agrees(const std::string& nir, const PersonIdentity& other);

// Line of the extract -> the identity its row gives, for the rows `lines`
// lists only.
Result<std::unordered_map<size_t, PersonIdentity>> read_identities_at(const SourceMapping& mapping,
                                                                     const std::unordered_set<size_t>& lines);

// Household id -> the identity of each person its extract lists, from the
// mapping's identity columns (nir, birth_name, usage_name, first_names,
// birth_date, sex, birth_place, ine), for those households only.
Result<std::unordered_map<std::string, std::vector<PersonIdentity>>> read_identities(
    const SourceMapping& mapping, const std::unordered_set<std::string>& households);

}  // namespace proactif
