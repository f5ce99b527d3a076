#include "app/command_hint.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace fieldpost {
namespace {

// Levenshtein distance: how many one-letter edits turn `a` into `b`.
std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string UnknownCommandHint(CLI::App& app, int argc, const char* const* argv) {
  CLI::App* level = &app;
  std::string path = app.get_name();
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word.starts_with("-")) return "";
    const std::vector<CLI::App*> commands = level->get_subcommands({});
    if (commands.empty()) return "";
    const auto named = std::find_if(commands.begin(), commands.end(),
                                    [&](CLI::App* command) { return command->get_name() == word; });
    if (named != commands.end()) {
      level = *named;
      path += " " + std::string(word);
      continue;
    }
    std::string names, closest;
    std::size_t best = word.size();
    for (CLI::App* command : commands) {
      names += (names.empty() ? "" : ", ") + command->get_name();
      const std::size_t distance = EditDistance(word, command->get_name());
      if (distance < best) {
        best = distance;
        closest = command->get_name();
      }
    }
    std::string hint = path + ": '" + std::string(word) + "' is not a command";
    if (!closest.empty() && best <= 2) hint += "; did you mean '" + closest + "'?";
    return hint + " (" + names + "; " + path + " --help says more)";
  }
  return "";
}

}  // namespace fieldpost
