// Reads an administration's extract through its mapping: every row is
// checked (types, ranges, INSEE COG communes, NIR keys, dates that exist,
// identifiers present and unique); a row with a bad field is set aside with
// the file, line, column, value and reason of each fault, and reading goes
// on. Only an unreadable file (missing, wrong encoding, truncated, header
// not matching the mapping) stops it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "population/territory.hpp"
#include "sources/source_mapping.hpp"

namespace proactif {

struct FieldValue {
  bool known = false;
  double number = 0;  // numbers, booleans (1/0), dates (days since 1970-01-01)
  std::string text;   // text, codes, communes and NIR
};

struct ExtractRow {
  size_t line = 0;
  std::string household;
  std::string person;
  std::vector<FieldValue> values;  // one per mapped column, in mapping order
  // A row set aside that could not be read as written (fields moved, a
  // quote never closed, a broken JSON line): its text, whose names and
  // dates may still say whose it is. Empty otherwise.
  std::string text;
  // A row set aside with a family name (birth or usage) that could not be
  // read as written (an invisible or control character): those fields as
  // written, one per line.
  std::string unread_family_names;
};

struct Rejection {
  std::string file;
  size_t line = 0;
  std::string column;
  std::string value;
  std::string reason;
  // The row's identifiers as read, when they could be: a rejected member
  // leaves their household incomplete.
  std::string household, person;
};

struct ExtractStats {
  size_t read = 0;
  size_t accepted = 0;
  size_t rejected = 0;
  std::map<std::string, size_t> reasons;  // rejected rows by the reason of their first fault
};

// A row set aside, as far as it could be read: its values, the faulty
// columns' marked unknown (whose identity it may carry: a rejected row's
// person is not to be decided as if the row did not exist).
using RejectedRowHandler = std::function<void(const ExtractRow& row, const std::string& reason)>;

// Why a field's value cannot be taken as it is: longer than any field holds,
// a control character, or a character drawn as nothing; "" when it can.
std::string value_problem(std::string_view value);
// The same for a person's name, which also has a letter ("-" or "." stands
// for no name): as an extract's row, so an event's person, whose names a
// request carries to another administration.
std::string name_problem(std::string_view name);
// A value without the spaces around it (no-break ones included), as an
// extract's reader takes it.
std::string trimmed_value(std::string_view value);

// `territory` checks commune codes; it may be null when no column is a commune.
// `on_rejected_row`, when given, gets each row set aside once, after its
// faults went to `on_reject`.
Result<ExtractStats> read_extract(const SourceMapping& mapping, const Territory* territory,
                                  const std::function<void(const ExtractRow&)>& on_row,
                                  const std::function<void(const Rejection&)>& on_reject,
                                  const RejectedRowHandler& on_rejected_row = {});

}  // namespace proactif
