// What is read of an events file's lines before any is acted on: the keys
// an event has, an identifier objections can follow, and the lines refused
// with whose they may be (a refusal lost on a refused line would let the
// household's next line send its request: CSS L861-2, "sauf refus").
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace proactif {

// The keys of an event (CONTRACT.md, formats.md).
const std::vector<std::string_view>& event_keys();

// Why `id` is not an identifier as objections and the store name it, or
// empty: spaces around it, or a character that hides or breaks text, would
// make it another one than the one a person objected under ("CAF:H3 " is
// not "CAF:H3").
std::string identifier_problem(std::string_view id);

// A file saved by a spreadsheet or Windows' Notepad opens with a byte
// order mark: UTF-8's is no part of the first event (UTF-16's is refused:
// the whole file is in another encoding than the one events are read in).
void without_bom(std::string& line, bool first);

// The lines of a file refused. One that has a `refuses`, an unknown or
// repeated key, or cannot be read as a JSON object may be the refusal of a
// household whose other lines the file holds, a refusal read exactly on a
// line refused for another field. Those lines wait for it to be
// corrected: its household's, where it is a JSON object with one
// situation whose id is an identifier; every line of the file, where it
// cannot be said whose it is (not a JSON object, two events run together,
// a situation given twice or not an object, an id that is not a string or
// not an identifier): it may be anyone's refusal. A line read whole with
// no `refuses` and no key but an event's, each once, refuses nothing.
class RefusedLines {
 public:
  // Line `number`, `line`, was refused.
  void add(size_t number, const std::string& line);
  // The lines refused that may be `household`'s but line `except`: "3, 7",
  // or empty.
  std::string lines_of(const std::string& household, size_t except) const;

 private:
  simdjson::dom::parser parser_;
  std::unordered_map<std::string, std::vector<size_t>> held_;  // a situation's id -> its lines refused
  std::vector<size_t> anyones_;                                  // the lines refused that may be anyone's
};

}  // namespace proactif
