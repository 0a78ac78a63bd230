// Errors cross module boundaries as values: a Result holds either a value or
// an Error a user can act on (file, line, field and reason when known). It
// is the one way a function of the library fails: a Failure (below) stays
// inside the file that throws it, and nothing below the command line exits.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace proactif {

// What went wrong, so that a caller chooses what to do without reading the
// message (the instant-decision API answers 422 to an error of kind input,
// 503 to the others).
enum class ErrorKind {
  kInput,        // data given to Proactif is wrong: an extract, a situation, a request, an answer
  kProgram,      // a program file or its parameters are wrong
  kConfiguration,// a campaign, a mapping, a setting or an option is wrong
  kNotFound,     // what was named is not there: a file, a run, a program, a code
  kRefused,      // not allowed in this state or by policy: a lock held, a link, a changed campaign
  kUnavailable,  // the store, a server or the file system failed: it may work later
  kInternal,     // an invariant of Proactif broken: a defect to report
};

const char* to_string(ErrorKind kind);

// Where in a file an error lies; line and column count from 1, 0 when unknown.
struct SourcePosition {
  std::string file;
  int line = 0;
  int column = 0;

  bool known() const { return !file.empty(); }
  // "file", "file:line" or "file:line:column", as compilers print it.
  std::string text() const;
};

struct Error {
  Error(ErrorKind kind, std::string message) : kind(kind), message(std::move(message)) {}
  // The message starts with the position, so that it reads alone.
  Error(ErrorKind kind, SourcePosition where, const std::string& reason)
      : kind(kind), message(where.text() + ": " + reason), where(std::move(where)) {}

  ErrorKind kind;
  std::string message;    // the whole text a person reads, place included
  SourcePosition where;   // the place, for tools, when the error has one
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(state_); }
  const T& value() const { return std::get<0>(state_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// Success or an Error, for what returns nothing else. Read through ok()
// only: `if (f())` would say "if it failed" to some readers and "if it
// succeeded" to others.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}

  bool ok() const { return !failed_; }
  const Error& error() const { return error_; }

 private:
  Error error_{ErrorKind::kInternal, ""};
  bool failed_ = false;
};

// The one exception type Proactif defines. A reading that stops at its first
// fault however deep it lies (a YAML file, a JSON line, a formula, a program
// file) throws a Failure, and that reader catches it at its public
// functions and returns, or lists, its Error, as it does the exceptions of
// the libraries it calls (yaml-cpp, simdjson): no exception crosses a
// module's boundary. (sources/yaml_fields.hpp throws for the two YAML
// readers that call it, which catch it.)
struct Failure {
  Error error;
};

// Whether r succeeded, its value dropped.
template <typename T>
Result<void> discard_value(const Result<T>& r) {
  if (r.ok()) return {};
  return r.error();
}

}  // namespace proactif
