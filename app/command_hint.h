// What to tell someone who mistyped a command ("fieldpost chanel list"):
// CLI11 alone says only "A subcommand is required".
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace fieldpost {

// The line naming the first word of argv (after the program) that is not a
// command at its level, the closest command there when one is near, and
// the commands it could be; empty when every word before the first option
// names a command.
std::string UnknownCommandHint(CLI::App& app, int argc, const char* const* argv);

}  // namespace fieldpost
