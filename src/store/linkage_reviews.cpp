// The linkage review queue: the pairs of records the linkage could not
// decide, each ingestion's pending pairs in place of the last, and the
// reviewers' decisions that the next ingestion applies.
#include "store/store.hpp"

namespace proactif {

namespace {

constexpr const char* kColumns =
    "id, source_a, record_a, source_b, record_b, weight, fields, seen_at, seen_in, decision, decided_by, decided_at";

std::string text_of(const SqlValue& v) {
  const std::string* t = as_text(v);
  return t ? *t : std::string();
}

double number_of(const SqlValue& v) {
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  return 0;
}

std::vector<LinkageReview> reviews_of(const SqlRows& rows) {
  std::vector<LinkageReview> out;
  for (const SqlRow& row : rows.rows)
    out.push_back({as_int(row[0]), text_of(row[1]), text_of(row[2]), text_of(row[3]), text_of(row[4]), number_of(row[5]),
                   text_of(row[6]), text_of(row[8]), as_int(row[7]), text_of(row[9]), text_of(row[10]),
                   std::holds_alternative<std::monostate>(row[11]) ? 0 : as_int(row[11])});
  return out;
}

}  // namespace

Result<void> Store::replace_pending_reviews(const std::vector<std::string>& sources,
                                                    const std::vector<LinkageReview>& pairs, const std::string& run_id,
                                                    int64_t now) {
  if (sources.empty()) return {};
  return in_transaction([&]() -> Result<void> {
    // Two ingestions at once on PostgreSQL must not number two pairs alike.
    if (db_->dialect() != "sqlite")
      if (auto locked = db_->run("SELECT pg_advisory_xact_lock(hashtext('proactif:linkage_reviews'))"); !locked)
        return locked.error();
    auto last = db_->run("SELECT last_id FROM linkage_review_counter");
    if (!last) return last.error();
    int64_t next = as_int(last->rows.at(0).at(0));
    for (const LinkageReview& p : pairs) {
      // A pair seen before keeps its number, its decision if it has one.
      auto put = db_->run(
          "INSERT INTO linkage_reviews (id, source_a, record_a, source_b, record_b, weight, fields, seen_at, seen_in) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (source_a, record_a, source_b, record_b) DO UPDATE "
          "SET weight = excluded.weight, fields = excluded.fields, seen_at = excluded.seen_at, seen_in = excluded.seen_in "
          "WHERE linkage_reviews.decision IS NULL",
          {next + 1, p.source_a, p.record_a, p.source_b, p.record_b, p.weight, p.fields, now, run_id});
      if (!put) return put.error();
      auto taken = db_->run("SELECT 1 FROM linkage_reviews WHERE id = $1", {next + 1});
      if (!taken) return taken.error();
      if (!taken->rows.empty()) ++next;
    }
    if (auto kept = db_->run("UPDATE linkage_review_counter SET last_id = $1", {next}); !kept) return kept.error();
    // The pending pairs of these extracts this ingestion did not see again.
    std::string among = "(";
    std::vector<SqlValue> params{now};
    for (const auto& s : sources) {
      params.push_back(s);
      among += (params.size() > 2 ? ", $" : "$") + std::to_string(params.size());
    }
    among += ")";
    auto cleared = db_->run("DELETE FROM linkage_reviews WHERE decision IS NULL AND seen_at <> $1 AND source_a IN " + among +
                                " AND source_b IN " + among,
                            params);
    if (!cleared) return cleared.error();
    return {};
  });
}

Result<std::vector<LinkageReview>> Store::pending_reviews(size_t limit) {
  auto r = db_->run(std::string("SELECT ") + kColumns +
                        " FROM linkage_reviews WHERE decision IS NULL ORDER BY weight DESC, id LIMIT $1",
                    {static_cast<int64_t>(limit)});
  if (!r) return r.error();
  return reviews_of(*r);
}

Result<int64_t> Store::pending_review_count() {
  auto r = db_->run("SELECT COUNT(*) FROM linkage_reviews WHERE decision IS NULL");
  if (!r) return r.error();
  return as_int(r->rows.at(0).at(0));
}

Result<bool> Store::under_review(const std::string& person) {
  const size_t colon = person.find(':');
  if (colon == std::string::npos) return false;
  const std::string source = person.substr(0, colon), record = person.substr(colon + 1);
  auto r = db_->run("SELECT 1 FROM linkage_reviews WHERE decision IS NULL AND ((source_a = $1 AND record_a = $2) OR "
                    "(source_b = $1 AND record_b = $2)) LIMIT 1",
                    {source, record});
  if (!r) return r.error();
  return !r->rows.empty();
}

Result<std::vector<LinkageReview>> Store::decided_reviews() {
  auto r = db_->run(std::string("SELECT ") + kColumns + " FROM linkage_reviews WHERE decision IS NOT NULL ORDER BY id");
  if (!r) return r.error();
  return reviews_of(*r);
}

Result<bool> Store::decide_review(int64_t id, const std::string& decision, const std::string& actor, int64_t now) {
  if (decision != "same" && decision != "different") return Error{ErrorKind::kInput, "a pair's decision is \"same\" or \"different\""};
  bool decided = false;
  auto err = in_transaction([&]() -> Result<void> {
    auto pair = db_->run("SELECT source_a, source_b FROM linkage_reviews WHERE id = $1 AND decision IS NULL", {id});
    if (!pair) return pair.error();
    if (pair->rows.empty()) return {};
    // Decided once: a second decision at the same moment changes nothing.
    auto set = db_->run("UPDATE linkage_reviews SET decision = $1, decided_by = $2, decided_at = $3 "
                        "WHERE id = $4 AND decision IS NULL",
                        {decision, actor, now, id});
    if (!set) return set.error();
    if (set->changed != 1) return {};
    // The trail names the pair by number and extracts: its record ids stay
    // in the queue, which keeps them no longer than the data.
    auto audited = db_->run("INSERT INTO audit_log (at, actor, operation, detail) VALUES ($1, $2, $3, $4)",
                            {now, actor, "linkage pair decided",
                             "pair " + std::to_string(id) + " (" + text_of(pair->rows[0][0]) + ", " +
                                 text_of(pair->rows[0][1]) + "): " +
                                 (decision == "same" ? "the same person" : "two persons")});
    if (!audited) return audited.error();
    decided = true;
    return {};
  });
  if (!err.ok()) return err.error();
  return decided;
}

}  // namespace proactif
