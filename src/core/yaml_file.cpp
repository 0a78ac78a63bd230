#include "core/yaml_file.hpp"

#include <sys/stat.h>
#include <yaml-cpp/eventhandler.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

namespace proactif {

namespace {

constexpr long long kMaxBytes = 4 << 20;

// Walks the parse events: refuses aliases, and a key given twice in one
// mapping, which yaml-cpp keeps silently (its lookups then take the first,
// and a reviewer may read the other).
class EventChecker final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    node(mark, nullptr);
    done();
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    throw YAML::Exception(mark, "aliases (*name) are not accepted in this file: write the value out");
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string& value) override {
    node(mark, &value);
    done();
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(mark, nullptr);
    frames_.push_back({false, true, {}});
  }
  void OnSequenceEnd() override {
    frames_.pop_back();
    done();
  }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(mark, nullptr);
    frames_.push_back({true, true, {}});
  }
  void OnMapEnd() override {
    frames_.pop_back();
    done();
  }

 private:
  struct Frame {
    bool map;
    bool at_key;
    std::set<std::string> keys;
  };
  void node(const YAML::Mark& mark, const std::string* scalar) {
    if (frames_.empty() || !frames_.back().map || !frames_.back().at_key || !scalar) return;
    if (!frames_.back().keys.insert(*scalar).second)
      throw YAML::Exception(mark, "'" + *scalar + "' is given twice in this mapping: keep one");
  }
  void done() {
    if (!frames_.empty() && frames_.back().map) frames_.back().at_key = !frames_.back().at_key;
  }
  std::vector<Frame> frames_;
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
  EventChecker finder;
  for (int documents = 0; parser.HandleNextDocument(finder);)
    if (++documents > 1) throw YAML::Exception(YAML::Mark(), "more than one YAML document in the file");
  return YAML::Load(text);
}

YAML::Node load_yaml_file(const std::string& path) { return load_yaml_text(read_config_file(path)); }

}  // namespace proactif
