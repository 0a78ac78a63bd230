#include "core/result.hpp"

namespace proactif {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInput: return "input";
    case ErrorKind::kProgram: return "program";
    case ErrorKind::kConfiguration: return "configuration";
    case ErrorKind::kNotFound: return "not-found";
    case ErrorKind::kRefused: return "refused";
    case ErrorKind::kUnavailable: return "unavailable";
    case ErrorKind::kInternal: return "internal";
  }
  return "internal";
}

std::string SourcePosition::text() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  if (line > 0 && column > 0) out += ":" + std::to_string(column);
  return out;
}

}  // namespace proactif
