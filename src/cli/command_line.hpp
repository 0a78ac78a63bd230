#pragma once

namespace proactif {

// Parses the command line and runs the command it names; the exit status.
int run_command_line(int argc, char** argv);

}  // namespace proactif
