// A file that exists whole or not at all, and survives a crash once this
// returns: written under a temporary name, every write checked (a full disk
// is an error, not a short file), synced, renamed into place, and the folder
// synced so that the rename itself is durable.
#pragma once

#include <string>

namespace proactif {

// Empty on success, else the reason (with the system's message).
std::string write_file_durably(const std::string& folder, const std::string& name, const std::string& bytes);

}  // namespace proactif
