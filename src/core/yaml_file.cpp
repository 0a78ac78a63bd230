#include "core/yaml_file.hpp"

#include <sys/stat.h>
#include <yaml-cpp/eventhandler.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace proactif {

namespace {

constexpr long long kMaxBytes = 4 << 20;

class AliasFinder final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    throw YAML::Exception(mark, "aliases (*name) are not accepted in this file: write the value out");
  }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

std::string read_config_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw YAML::Exception(YAML::Mark(), std::string("cannot read: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw YAML::Exception(YAML::Mark(), "not a regular file");
  if (st.st_size > kMaxBytes) throw YAML::Exception(YAML::Mark(), "larger than 4 MiB: not a file people write");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw YAML::Exception(YAML::Mark(), std::string("cannot read: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

YAML::Node load_yaml_text(const std::string& text) {
  // A control character is no text a person wrote (and a NUL byte sends
  // yaml-cpp 0.7's event parser round in circles).
  int line = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    line += c == '\n';
    if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) {
      YAML::Mark at;
      at.line = line;
      throw YAML::Exception(at, "a control character (byte " + std::to_string(c) + ") in the text");
    }
  }
  std::istringstream events(text);
  YAML::Parser parser(events);
  AliasFinder finder;
  for (int documents = 0; parser.HandleNextDocument(finder);)
    if (++documents > 1) throw YAML::Exception(YAML::Mark(), "more than one YAML document in the file");
  return YAML::Load(text);
}

YAML::Node load_yaml_file(const std::string& path) { return load_yaml_text(read_config_file(path)); }

}  // namespace proactif
