#include "core/string_pool.hpp"

namespace proactif {

uint32_t StringPool::intern(std::string_view s) {
  auto [it, fresh] = index_.emplace(std::string(s), static_cast<uint32_t>(size()));
  if (fresh) {
    text_.append(s);
    offsets_.push_back(static_cast<uint32_t>(text_.size()));
  }
  return it->second;
}

uint32_t StringPool::add(std::string_view s) {
  text_.append(s);
  offsets_.push_back(static_cast<uint32_t>(text_.size()));
  return static_cast<uint32_t>(size() - 1);
}

void StringPool::assign(std::string text, std::vector<uint32_t> offsets) {
  text_ = std::move(text);
  offsets_ = std::move(offsets);
  index_.clear();
}

}  // namespace proactif
