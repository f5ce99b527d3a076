#include "app/id_runs.h"

namespace fieldpost {
namespace {

// More runs than this are summarised, not listed, on a terminal.
constexpr std::size_t kListedRuns = 4;

std::string Run(const std::pair<EntryId, EntryId>& run) {
  return run.first == run.second ? std::to_string(run.first)
                                 : std::to_string(run.first) + " to " + std::to_string(run.second);
}

}  // namespace

void IdRuns::Add(EntryId first, EntryId last) {
  if (!runs_.empty() && runs_.back().second + 1 == first) {
    runs_.back().second = last;
  } else {
    runs_.emplace_back(first, last);
  }
}

std::string IdRuns::Text() const {
  if (runs_.size() > kListedRuns) {
    return "in " + std::to_string(runs_.size()) + " runs from " +
           std::to_string(runs_.front().first) + " to " + std::to_string(runs_.back().second) +
           "; the ids between the runs are other writes'";
  }
  std::string text;
  for (std::size_t i = 0; i < runs_.size(); ++i) {
    if (i > 0) text += i + 1 == runs_.size() ? " and " : ", ";
    text += Run(runs_[i]);
  }
  return text;
}

std::string IdRuns::Json() const {
  std::string json = "[";
  for (const auto& [first, last] : runs_) {
    if (json.size() > 1) json += ",";
    json += "[" + std::to_string(first) + "," + std::to_string(last) + "]";
  }
  return json + "]";
}

}  // namespace fieldpost
