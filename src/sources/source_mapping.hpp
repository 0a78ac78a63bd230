// How one administration's extract maps onto Proactif's variables: the file,
// its conventions (format, encoding, separator, decimal mark, date format),
// who the rows are (household and person identifiers), and for each column
// read, the variable, its type and unit, its admissible values and the date
// it refers to. Columns not named here are never read (data minimisation).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"
#include "core/units.hpp"
#include "core/value_domain.hpp"

namespace proactif {

enum class FieldType { kText, kNumber, kBoolean, kDate, kCode, kCommune, kNir, kCodeList };

struct ColumnMapping {
  std::string column;    // as in the file's header (or JSON key)
  std::string variable;  // Proactif's name
  FieldType type = FieldType::kText;
  Unit unit;
  bool required = false;
  // Numbers: from the unit (money at least 0, to the cent) and the mapping's
  // min and max, as core/value_domain.hpp says.
  ValueDomain domain;
  std::vector<std::string> values;        // kCode, kCodeList
  char list_separator = ',';              // kCodeList: between the codes of a cell; an empty cell is an empty list
  std::vector<std::pair<std::string, std::string>> recode;  // kCode: the source's code -> Proactif's
  std::vector<std::string> true_values;   // kBoolean
  std::vector<std::string> false_values;  // kBoolean
  std::string refers_to;                  // the period the value describes (2025-05, 2024)
  bool household = false;                 // describes the household (QF, RSA), not the person
  // The value of a person the extract does not list, when the extract is
  // known to list everyone who has another value (a national file of enrolled
  // students: absent means not a student). Empty: absent stays unknown.
  // For a list of codes, "[]" is the empty list.
  std::string absent_means;
  // For a household column: its value for a member the extract lists in the
  // household whom a program's foyer leaves out, evaluated as a foyer of
  // their own (eval/own_foyers.hpp). The CAF pays the RSA and the housing
  // benefit to the allocataire's dossier: a member listed in it receives
  // neither in their own right. Booleans as 1 or 0; none: unknown for them.
  std::optional<double> own_foyer_means;
  // Read as the text it is, without the checks of a value's form (control
  // characters, length, a name's letter): contact columns, whose reader
  // sets aside a bad field alone (campaign/contacts).
  bool as_is = false;
};

struct SourceMapping {
  std::string file;       // the extract, relative to the mapping's folder
  std::string path;       // resolved
  std::string mapping_file;
  std::string source;     // CAF, CPAM, CROUS...
  std::string extract;    // what this extract is
  std::string extracted_on;
  DateWindow dates{};  // the dates an extract may hold: none after it was taken
  enum class Format { kCsv, kJsonl } format = Format::kCsv;
  std::string encoding = "utf-8";
  char separator = ';';
  bool decimal_comma = false;
  bool day_first = false;  // dd/mm/yyyy rather than yyyy-mm-dd
  std::string household_id;  // column
  std::string person_id;     // column, empty when rows are households
  std::vector<ColumnMapping> columns;
  // Columns holding the household's contact details (address, town, email,
  // mobile -> column). Never read by ingestion: only a campaign reads them,
  // for the households it acts on.
  std::vector<std::pair<std::string, std::string>> contacts;
  // The lines ingestion set aside, when this extract is read again (its
  // contact details, its identities): their rows reach no reader. A row
  // rejected is kept aside and used for nothing, not even to address a
  // message about the others of its household.
  std::shared_ptr<const std::unordered_set<size_t>> lines_set_aside;
};

Result<SourceMapping> load_source_mapping(const std::string& file);

// The period a column's `refers_to` names: a month ("2025-05") or a year
// ("2024"), its first day, and the last day its values are the latest
// there may be: the next month's end for a month (May's until June's
// values come), the end of the year after next for a year (2024's incomes
// until the tax office's notices on 2025's, in the summer of 2026, and the
// extracts that follow). Empty for another text.
struct DescribedPeriod {
  Days first;
  Days latest_until;
};
std::optional<DescribedPeriod> described_period(const std::string& refers_to);

}  // namespace proactif
