// The proactif subcommands. Each takes its arguments (after the subcommand
// name) and returns the process exit status.
#pragma once

#include <string>
#include <vector>

namespace proactif {

using Args = std::vector<std::string>;

int evaluate_command(const Args& args);
int explain_command(const Args& args);
int test_command(const Args& args);
int check_command(const Args& args);
int ingest_command(const Args& args);
int synth_command(const Args& args);

}  // namespace proactif
