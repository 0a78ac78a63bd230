#include "ingest/snapshot_builder.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <unordered_map>

namespace proactif {

namespace {

// Traits that serve the linkage only: programs do not read them, so the
// population does not keep them (data minimisation).
bool identity_only(const std::string& variable) {
  static const char* kIdentity[] = {"nir", "ine", "birth_name", "usage_name", "first_names", "sex", "birth_place",
                                    "insured_nir"};
  return std::find_if(std::begin(kIdentity), std::end(kIdentity), [&](const char* v) { return variable == v; }) !=
         std::end(kIdentity);
}

}  // namespace

ReadExtract::ReadExtract(SourceMapping m, StringPool& strings) : mapping(std::move(m)), strings_(strings) {
  for (size_t c = 0; c < mapping.columns.size(); ++c)
    if (!identity_only(mapping.columns[c].variable)) kept.push_back(c);
}

void ReadExtract::add(const ExtractRow& row) {
  household.push_back(strings_.intern(row.household));
  person.push_back(strings_.intern(row.person));
  line.push_back(static_cast<uint32_t>(row.line));
  uint16_t born = 0;
  for (size_t c = 0; c < mapping.columns.size() && !born; ++c) {
    const FieldValue& v = row.values[c];
    if (mapping.columns[c].variable != "nir" || !v.known || v.text.size() < 5) continue;
    const std::string& nir = v.text;
    if (!std::all_of(nir.begin() + 1, nir.begin() + 5, [](char d) { return d >= '0' && d <= '9'; })) continue;
    const int month = (nir[3] - '0') * 10 + (nir[4] - '0');
    if (month >= 1 && month <= 12) born = static_cast<uint16_t>(((nir[1] - '0') * 10 + (nir[2] - '0')) * 100 + month);
  }
  nir_birth.push_back(born);
  for (size_t c : kept) {
    const FieldValue& v = row.values[c];
    FieldType type = mapping.columns[c].type;
    bool text = type == FieldType::kText || type == FieldType::kCode || type == FieldType::kCommune ||
                type == FieldType::kCodeList;
    values.push_back({v.number, v.known && text ? strings_.intern(v.text) : UINT32_MAX, v.known});
  }
}

void ReadExtract::add_rejected(const Rejection& r) {
  const bool groups = !mapping.person_id.empty() && mapping.person_id != mapping.household_id;
  if (!groups || r.household.empty()) return;
  if (!rejected.empty() && rejected.back().line == r.line) return;  // a row's first fault says enough
  rejected.push_back({strings_.intern(r.household), strings_.intern(r.person.empty() ? "?" : r.person),
                      static_cast<uint32_t>(r.line), r.reason});
}

namespace {

// A household is about one applicant, with at most one spouse: an extract
// that gives it two, or none though every role is known, does not say whose
// foyer it is, and a request would name a family situation that is not
// theirs (CASF R262-103). Its data are incomplete, as a situation's reader
// refuses such a household (sources/situation_reader.cpp). Kept in household
// order with the other reasons.
void add_role_conflicts(Snapshot& snap, const std::vector<ReadExtract>& extracts) {
  const SnapshotColumn* role = snap.column("role", true);
  if (!role || !role->text) return;
  std::vector<std::pair<uint32_t, uint32_t>> reasons;  // household, reason
  for (size_t i = 0; i < snap.incomplete_households.size(); ++i)
    reasons.emplace_back(snap.incomplete_households[i], snap.incomplete_reasons[i]);
  auto where = [&](uint32_t p) {
    if (role->source[p] >= extracts.size()) return std::string();
    return " (" + std::filesystem::path(extracts[role->source[p]].mapping.path).filename().string() + " line " +
           std::to_string(role->line[p]) + ")";
  };
  const size_t before = reasons.size();
  std::vector<uint8_t> incomplete(snap.households(), 0);
  for (uint32_t h : snap.incomplete_households) incomplete[h] = 1;
  for (uint32_t h = 0; h < snap.households(); ++h) {
    size_t applicants = 0, spouses = 0, unknown = 0;
    for (uint32_t p = snap.person_offsets[h]; p < snap.person_offsets[h + 1]; ++p) {
      if (role->string[p] == UINT32_MAX) {
        ++unknown;
        continue;
      }
      const std::string_view r = snap.strings.at(role->string[p]);
      auto person = [&] { return "persons." + std::string(snap.strings.at(snap.person_ids[p])) + ".role: "; };
      if (r == "applicant" && ++applicants == 2)
        reasons.emplace_back(h, snap.strings.intern(person() + "a second person with the role applicant" + where(p) +
                                                    ": whose foyer the household is, is not known"));
      if (r == "spouse" && ++spouses == 2)
        reasons.emplace_back(h, snap.strings.intern(person() + "a second person with the role spouse" + where(p) +
                                                    ": an applicant has at most one"));
    }
    // A member set aside, the applicant perhaps, is the reason already.
    if (applicants == 0 && unknown == 0 && !incomplete[h])
      reasons.emplace_back(h, snap.strings.intern("persons: no person has the role applicant: whose foyer the household "
                                                  "is, is not known"));
  }
  if (reasons.size() == before) return;
  std::stable_sort(reasons.begin(), reasons.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  snap.incomplete_households.clear();
  snap.incomplete_reasons.clear();
  for (const auto& [h, reason] : reasons) {
    snap.incomplete_households.push_back(h);
    snap.incomplete_reasons.push_back(reason);
  }
}

}  // namespace

Snapshot build_snapshot(const std::vector<ReadExtract>& extracts, const LinkageResult& linkage, StringPool strings,
                        const std::vector<PersonDoubt>& doubts) {
  Snapshot snap;
  snap.strings = std::move(strings);
  const uint32_t persons = linkage.persons;
  // Where each linked person's records are: (extract, row).
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> records(persons);
  size_t record = 0;
  for (uint32_t e = 0; e < extracts.size(); ++e) {
    const auto& m = extracts[e].mapping;
    const ExtractStats& st = extracts[e].stats;
    snap.sources.push_back({m.source, m.extract, m.extracted_on, m.path, st.read, st.accepted, st.rejected});
    for (uint32_t r = 0; r < extracts[e].rows(); ++r) records[linkage.person[record++]].push_back({e, r});
  }

  // Households: the first extract that groups the person with others. A
  // person that extracts list in two households (a stale row, a NIR given
  // twice) belongs with certainty to neither: both are incomplete, or one
  // would be decided without them as if they did not exist.
  std::map<std::string, std::vector<uint32_t>> households;  // ordered, for a stable output
  std::map<std::string, std::vector<std::string>> listed_elsewhere;  // household -> reasons
  std::vector<std::string> person_id(persons);
  for (uint32_t p = 0; p < persons; ++p) {
    const auto& [e0, r0] = records[p].front();
    const ReadExtract& x0 = extracts[e0];
    person_id[p] = x0.mapping.source + ":" + std::string(snap.strings.at(x0.mapping.person_id.empty() ? x0.household[r0] : x0.person[r0]));
    std::string household;
    std::vector<std::pair<std::string, std::string>> listed;  // household, where
    for (const auto& [e, r] : records[p]) {
      const auto& m = extracts[e].mapping;
      if (m.person_id.empty() || m.person_id == m.household_id) continue;
      std::string in = m.source + ":" + std::string(snap.strings.at(extracts[e].household[r]));
      if (household.empty()) household = in;
      bool seen = false;
      for (const auto& l : listed) seen |= l.first == in;
      if (!seen)
        listed.push_back({in, std::filesystem::path(m.path).filename().string() + " line " + std::to_string(extracts[e].line[r])});
    }
    for (size_t k = 0; listed.size() > 1 && k < listed.size(); ++k) {
      std::string others;
      for (size_t j = 0; j < listed.size(); ++j)
        if (j != k) others += (others.empty() ? "" : ", ") + listed[j].first + " (" + listed[j].second + ")";
      listed_elsewhere[listed[k].first].push_back("persons." + person_id[p] + ": listed in this household (" +
                                                  listed[k].second + ") and in " + others);
    }
    // Known to no extract that says who lives together: alone, as far as we know.
    if (household.empty()) household = std::string(kAloneHousehold) + person_id[p];
    households[household].push_back(p);
  }

  // Columns: every variable an extract maps, but identity traits.
  struct Source {
    uint32_t extract;
    size_t column;  // in the mapping
    size_t kept;    // in the extract's kept values
  };
  std::map<std::pair<std::string, bool>, std::vector<Source>> variables;  // (name, per person) -> where, in order
  for (uint32_t e = 0; e < extracts.size(); ++e) {
    const auto& x = extracts[e];
    for (size_t k = 0; k < x.kept.size(); ++k) {
      const ColumnMapping& c = x.mapping.columns[x.kept[k]];
      variables[{c.variable, !c.household}].push_back({e, x.kept[k], k});
    }
  }

  // A record of a person no household extract lists, which may be the
  // record of a person whose link was missed: what that extract's absence
  // says of the person is not sure.
  std::vector<std::string> unplaced_reasons(persons);
  {
    std::vector<std::pair<uint32_t, uint32_t>> record_at;  // record -> (extract, row)
    for (uint32_t e = 0; e < extracts.size(); ++e)
      for (uint32_t r = 0; r < extracts[e].rows(); ++r) record_at.push_back({e, r});
    for (const auto& u : linkage.unplaced) {
      if (!unplaced_reasons[u.person].empty()) continue;
      const auto& [e, r] = record_at[u.record];
      unplaced_reasons[u.person] = "line " + std::to_string(extracts[e].line[r]) + " of " +
                                   std::filesystem::path(extracts[e].mapping.path).filename().string() +
                                   ", of a person no household extract lists, may be this person's";
    }
  }

  // A member an extract listed in a household but whose row was set aside:
  // the household's data are incomplete.
  std::map<std::string, std::vector<std::string>> rejected_members;
  for (const auto& x : extracts)
    for (const auto& r : x.rejected)
      rejected_members[x.mapping.source + ":" + std::string(snap.strings.at(r.household))].push_back(
          "persons." + x.mapping.source + ":" + std::string(snap.strings.at(r.person)) + ": rejected at " +
          std::filesystem::path(x.mapping.path).filename().string() + " line " + std::to_string(r.line) + ": " + r.reason);

  // The person of a row set aside may be listed in another household by an
  // accepted row (a person id given twice): that household is not sure of
  // its members either.
  for (const auto& x : extracts) {
    std::unordered_multimap<uint32_t, const ReadExtract::RejectedMember*> set_aside;  // person id -> rows (few)
    for (const auto& rej : x.rejected) set_aside.emplace(rej.person, &rej);
    if (set_aside.empty()) continue;
    const std::string file = std::filesystem::path(x.mapping.path).filename().string();
    for (uint32_t r = 0; r < x.rows(); ++r) {
      auto [first, last] = set_aside.equal_range(x.person[r]);
      for (auto it = first; it != last; ++it) {
        const ReadExtract::RejectedMember& rej = *it->second;
        if (x.household[r] == rej.household) continue;
        rejected_members[x.mapping.source + ":" + std::string(snap.strings.at(x.household[r]))].push_back(
            "persons." + x.mapping.source + ":" + std::string(snap.strings.at(rej.person)) + ": listed in this household (" +
            file + " line " + std::to_string(x.line[r]) + ") and in " + x.mapping.source + ":" +
            std::string(snap.strings.at(rej.household)) + " (" + file + " line " + std::to_string(rej.line) +
            ", set aside: " + rej.reason + ")");
      }
    }
  }

  std::multimap<uint32_t, const PersonDoubt*> doubts_of;  // person -> what makes their household incomplete
  for (const auto& d : doubts) doubts_of.emplace(d.person, &d);

  std::vector<uint32_t> order;  // persons in snapshot order
  for (const auto& [id, members] : households) {
    const uint32_t h = static_cast<uint32_t>(snap.household_ids.size());
    snap.household_ids.push_back(snap.strings.intern(id));
    for (uint32_t p : members) {
      order.push_back(p);
      snap.person_ids.push_back(snap.strings.intern(person_id[p]));
      snap.under_review.push_back(linkage.under_review[p]);
    }
    snap.person_offsets.push_back(static_cast<uint32_t>(snap.person_ids.size()));
    uint64_t listed_by = 0;
    for (uint32_t p : members)
      for (const auto& [e, r] : records[p]) listed_by |= Snapshot::source_bit(e);
    snap.household_sources.push_back(listed_by);
    auto incomplete = [&](const std::string& reason) {
      snap.incomplete_households.push_back(h);
      snap.incomplete_reasons.push_back(snap.strings.intern(reason));
    };
    if (id.starts_with(kAloneHousehold)) incomplete("persons." + person_id[members.front()] + ": no extract tells who lives with this person");
    for (uint32_t p : members)
      if (!unplaced_reasons[p].empty()) incomplete("persons." + person_id[p] + ": " + unplaced_reasons[p]);
    for (uint32_t p : members)
      for (auto it = doubts_of.find(p); it != doubts_of.end() && it->first == p; ++it)
        incomplete("persons." + person_id[p] + ": " + it->second->reason);
    if (auto it = rejected_members.find(id); it != rejected_members.end())
      for (const auto& reason : it->second) incomplete(reason);
    if (auto it = listed_elsewhere.find(id); it != listed_elsewhere.end())
      for (const auto& reason : it->second) incomplete(reason);
  }

  // A household column's value for each member who may form a foyer of
  // their own: what the extract that gave the household's value says it
  // means for a member it lists in that household (own_foyer_means).
  auto own_foyer_column = [&](const SnapshotColumn& household, const std::vector<Source>& sources) {
    SnapshotColumn alone{household.name, true, false, {}, {}, {}, {}, household.given_by};
    alone.number.assign(snap.persons(), std::numeric_limits<double>::quiet_NaN());
    alone.source.assign(snap.persons(), 255);
    alone.line.assign(snap.persons(), 0);
    bool some = false;
    for (size_t h = 0; h < snap.households(); ++h) {
      const uint8_t e = household.source[h];
      if (e == 255 || household.line[h] == 0) continue;
      const ReadExtract& x = extracts[e];
      std::optional<double> means;
      for (const auto& src : sources)
        if (src.extract == e) means = x.mapping.columns[src.column].own_foyer_means;
      if (!means) continue;
      // The dossier of the row that gave the household's value.
      const uint32_t m0 = snap.person_offsets[h], m1 = snap.person_offsets[h + 1];
      uint32_t dossier = UINT32_MAX;
      for (uint32_t m = m0; m < m1 && dossier == UINT32_MAX; ++m)
        for (const auto& [re, r] : records[order[m]])
          if (re == e && x.line[r] == household.line[h]) dossier = x.household[r];
      if (dossier == UINT32_MAX) continue;
      const double value = *means;
      for (uint32_t m = m0; m < m1; ++m)
        for (const auto& [re, r] : records[order[m]])
          if (re == e && x.household[r] == dossier) {
            alone.number[m] = value;
            alone.source[m] = e;
            alone.line[m] = x.line[r];
            some = true;
            break;
          }
    }
    if (some) snap.own_foyer_columns.push_back(std::move(alone));
  };

  // The year (two digits) and month of birth a person's NIRs give, where
  // their records give one NIR's, or several that agree on them (linkage may
  // join records whose NIRs differ): yy * 100 + mm, else 0.
  auto nir_year_and_month = [&](uint32_t i) -> uint16_t {
    uint16_t said = 0;
    for (const auto& [e, r] : records[order[i]]) {
      const uint16_t born = extracts[e].nir_birth[r];
      if (!born) continue;
      if (said && born != said) return 0;
      said = born;
    }
    return said;
  };

  for (const auto& [key, sources] : variables) {
    const auto& [name, per_person] = key;
    SnapshotColumn col;
    col.name = name;
    col.per_person = per_person;
    const ColumnMapping& first = extracts[sources[0].extract].mapping.columns[sources[0].column];
    col.text = first.type == FieldType::kText || first.type == FieldType::kCode || first.type == FieldType::kCommune ||
               first.type == FieldType::kCodeList;
    size_t rows = per_person ? snap.persons() : snap.households();
    if (col.text) col.string.assign(rows, UINT32_MAX);
    else col.number.assign(rows, std::numeric_limits<double>::quiet_NaN());
    col.source.assign(rows, 255);
    col.line.assign(rows, 0);
    for (const auto& src : sources) col.given_by |= Snapshot::source_bit(src.extract);
    std::vector<size_t> conflicting;  // rows
    // A trait of the person's identity, the same in every extract.
    const bool identity_trait = per_person && name == "birth_date";
    // The person's records in the other extracts give their birth date too,
    // the same fact, and their NIR its year and month (digits 2 to 5). A
    // date the NIR contradicts (a day and month swapped, which a row's NIR
    // check lets through) is not the person's, whichever extract or how
    // many gave it: of the dates given, the one that agrees with the NIR is
    // theirs; where none does, or two do (a day mistyped), or no NIR settles
    // dates that differ, which is right is not known, as for two rows of one
    // extract. The first extract's would decide on a guess: a son of 24
    // taken for 25, outside his parents' C2S foyer (found in the ground
    // truth at 450 000 households).
    auto settle_birth_date = [&](SnapshotColumn& c, size_t row, uint32_t i, const std::vector<Source>& from,
                                 std::vector<size_t>& unsettled) {
      struct Said {
        double date;
        uint8_t extract;
        uint32_t line;
      };
      std::vector<Said> said{{c.number[row], c.source[row], c.line[row]}};
      for (const auto& src : from)
        for (const auto& [e, r] : records[order[i]]) {
          if (e != src.extract || e == c.source[row]) continue;
          const ReadExtract::Value& v = extracts[e].value(r, src.kept);
          if (v.known && std::none_of(said.begin(), said.end(), [&](const Said& d) { return d.date == v.number; }))
            said.push_back({v.number, static_cast<uint8_t>(e), extracts[e].line[r]});
        }
      const uint16_t nir = nir_year_and_month(i);
      std::vector<const Said*> agree;
      for (const Said& d : said) {
        const CivilDate born = civil_from_days(static_cast<Days>(d.date));
        if (nir && (born.year % 100) * 100 + static_cast<int>(born.month) == nir) agree.push_back(&d);
      }
      if (agree.size() == 1 || (!nir && said.size() == 1)) {
        const Said& kept = agree.size() == 1 ? *agree[0] : said[0];
        c.number[row] = kept.date;
        c.source[row] = kept.extract;
        c.line[row] = kept.line;
        return;
      }
      unsettled.push_back(row);
      std::string where;
      for (const Said& d : said)
        where += (where.empty() ? "" : " and ") + std::filesystem::path(extracts[d.extract].mapping.path).filename().string() +
                 " line " + std::to_string(d.line);
      snap.conflicting_values.push_back(where + ": " + c.name +
                                        (nir ? " (the NIR's year and month agree with " +
                                                   std::string(agree.empty() ? "none" : "more than one") + ")"
                                             : " (no NIR settles them)"));
    };
    for (size_t h = 0; h < snap.households(); ++h) {
      for (uint32_t i = snap.person_offsets[h]; i < snap.person_offsets[h + 1]; ++i) {
        size_t row = per_person ? i : h;
        if (col.source[row] != 255) continue;  // a household's value comes from its first member who has one
        for (const auto& src : sources) {  // extracts in the order they were named
          for (const auto& [e, r] : records[order[i]]) {
            if (e != src.extract) continue;
            const ReadExtract::Value& v = extracts[e].value(r, src.kept);
            if (!v.known) continue;
            if (col.text) col.string[row] = v.text;
            else col.number[row] = v.number;
            col.source[row] = static_cast<uint8_t>(e);
            col.line[row] = extracts[e].line[r];
            break;
          }
          if (col.source[row] != 255) break;
        }
        // Two records of that extract that give the person, or the
        // household, another value (a person listed twice, members' rows
        // that disagree): which is right is not known, and taking the first
        // would decide on a guess. The value is unknown: a program that
        // needs it says so, one that does not still decides.
        if (col.source[row] != 255) {
          const ReadExtract& x = extracts[col.source[row]];
          size_t k = 0;
          for (const auto& src : sources)
            if (src.extract == col.source[row]) k = src.kept;
          const uint32_t m0 = per_person ? i : snap.person_offsets[h], m1 = per_person ? i + 1 : snap.person_offsets[h + 1];
          uint32_t other = 0;  // the line of a row that gives another value
          for (uint32_t m = m0; m < m1 && !other; ++m)
            for (const auto& [e, r] : records[order[m]]) {
              if (e != col.source[row] || x.line[r] == col.line[row]) continue;
              const ReadExtract::Value& v = x.value(r, k);
              if (v.known && (col.text ? v.text != col.string[row] : v.number != col.number[row])) other = x.line[r];
            }
          if (other) {
            conflicting.push_back(row);
            snap.conflicting_values.push_back(std::filesystem::path(x.mapping.path).filename().string() + " lines " +
                                              std::to_string(std::min(col.line[row], other)) + " and " +
                                              std::to_string(std::max(col.line[row], other)) + ": " + name);
          } else if (identity_trait) {
            settle_birth_date(col, row, i, sources, conflicting);
          }
        }
        // Not listed by an extract that lists everyone concerned: its default.
        for (const auto& src : sources) {
          if (col.source[row] != 255 || !per_person) break;
          const ColumnMapping& cm = extracts[src.extract].mapping.columns[src.column];
          if (cm.absent_means.empty()) continue;
          bool listed = false;
          for (const auto& rec : records[order[i]]) listed |= rec.first == src.extract;
          if (listed) continue;
          if (col.text) col.string[row] = snap.strings.intern(cm.type == FieldType::kCodeList && cm.absent_means == "[]" ? "" : cm.absent_means);
          else col.number[row] = cm.type == FieldType::kBoolean ? (cm.absent_means == "true") : std::stod(cm.absent_means);
          col.source[row] = static_cast<uint8_t>(src.extract);
          col.line[row] = 0;  // provenance: absent from that extract
        }
      }
    }
    for (size_t row : conflicting) {
      if (col.text) col.string[row] = UINT32_MAX;
      else col.number[row] = std::numeric_limits<double>::quiet_NaN();
      col.source[row] = 255;
      col.line[row] = 0;
    }
    // Another extract's commune for the members (the CPAM's, where the CAF's
    // is a former address): the household may live in either, and what
    // holds in one may not in the other (a fare's territory). Kept for
    // campaigns to act only where the decision is the same in each
    // (campaign/address_elsewhere.hpp). A member whose record there gives
    // the same commune confirms it: another's then differs by their own
    // record (a child's former address at the CPAM), not by the dwelling's.
    // Where rows of one extract gave two communes, the commune is unknown
    // and each commune given is one the household may live in: where it
    // would be eligible in none, no possible right is told (one to Brest's
    // fare was, to a household whose rows gave two communes of the Isère).
    if (!per_person && first.type == FieldType::kCommune)
      for (size_t h = 0; h < snap.households(); ++h) {
        if (std::binary_search(conflicting.begin(), conflicting.end(), h)) {  // rows in order
          std::vector<std::pair<std::string, std::string>> given;
          for (uint32_t i = snap.person_offsets[h]; i < snap.person_offsets[h + 1]; ++i)
            for (const auto& src : sources)
              for (const auto& [e, r] : records[order[i]]) {
                if (e != src.extract) continue;
                const ReadExtract::Value& v = extracts[e].value(r, src.kept);
                if (!v.known) continue;
                const std::string commune(snap.strings.at(v.text));
                if (std::none_of(given.begin(), given.end(), [&](const auto& c) { return c.first == commune; }))
                  given.emplace_back(commune, std::filesystem::path(extracts[e].mapping.path).filename().string() +
                                                  " line " + std::to_string(extracts[e].line[r]));
              }
          snap.communes_elsewhere[static_cast<uint32_t>(h)] = std::move(given);
          continue;
        }
        if (col.source[h] == 255) continue;
        bool confirmed = false;
        std::vector<std::pair<std::string, std::string>> elsewhere;
        for (uint32_t i = snap.person_offsets[h]; i < snap.person_offsets[h + 1] && !confirmed; ++i)
          for (const auto& src : sources)
            for (const auto& [e, r] : records[order[i]]) {
              if (e != src.extract || e == col.source[h]) continue;
              const ReadExtract::Value& v = extracts[e].value(r, src.kept);
              if (!v.known) continue;
              if (v.text == col.string[h]) {
                confirmed = true;
                continue;
              }
              const std::string commune(snap.strings.at(v.text));
              if (std::none_of(elsewhere.begin(), elsewhere.end(), [&](const auto& c) { return c.first == commune; }))
                elsewhere.emplace_back(commune, std::filesystem::path(extracts[e].mapping.path).filename().string() +
                                                    " line " + std::to_string(extracts[e].line[r]));
            }
        if (!confirmed && !elsewhere.empty()) snap.communes_elsewhere[static_cast<uint32_t>(h)] = std::move(elsewhere);
      }
    if (!per_person && !col.text) own_foyer_column(col, sources);
    snap.columns.push_back(std::move(col));
  }
  add_role_conflicts(snap, extracts);
  // Keep only the strings the snapshot uses: the extracts' pool also holds
  // every record's identifiers.
  StringPool used;
  std::unordered_map<uint32_t, uint32_t> moved;
  auto keep = [&](uint32_t& id) {
    if (id == UINT32_MAX) return;
    auto [it, fresh] = moved.emplace(id, 0);
    if (fresh) it->second = used.intern(snap.strings.at(id));
    id = it->second;
  };
  for (auto& id : snap.household_ids) keep(id);
  for (auto& id : snap.incomplete_reasons) keep(id);
  for (auto& id : snap.person_ids) keep(id);
  for (auto& col : snap.columns)
    for (auto& id : col.string) keep(id);
  used.drop_index();
  snap.strings = std::move(used);
  return snap;
}

}  // namespace proactif
