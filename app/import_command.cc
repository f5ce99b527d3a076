// `fieldpost import`: a CSV in ThingSpeak's export layout (a ThingSpeak
// channel export, or `fieldpost export`'s) into a channel. Every row is
// checked as /update checks it before anything is stored, so a bad row
// stores nothing and names its line. The rows then go in, in batches of
// 10,000 per commit, with entry ids after the channel's in file order.
// That order need not be time order, and rows may share a second: an
// export lists entries by id, and a channel written faster than once a
// second, or with back-dated readings, has both.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "api/update_parser.h"
#include "app/admin_output.h"
#include "app/commands.h"
#include "app/common_options.h"
#include "app/csv_reader.h"
#include "app/id_runs.h"
#include "app/open_admin_store.h"
#include "core/utf8.h"

namespace fieldpost {
namespace {

constexpr std::size_t kBatch = 10000;

struct ImportRequest {
  ChannelId channel = 0;
  std::string file;
};

// Which column holds what: created_at, and the /update parameter each
// other column is read as (entry_id is dropped: ids are the channel's).
struct Layout {
  std::size_t created_at = 0;
  std::vector<std::pair<std::size_t, std::string>> params;
  std::size_t width = 0;
};

Result<Layout> ReadHeader(std::vector<std::string> header) {
  // A spreadsheet may start the file with a byte order mark.
  if (!header.empty() && header[0].starts_with("\xEF\xBB\xBF")) header[0].erase(0, 3);
  Layout layout;
  layout.width = header.size();
  bool has_time = false;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& name = header[i];
    bool known = name == "entry_id" || name == "latitude" || name == "longitude" ||
                 name == "elevation" || name == "status";
    for (int field = 1; field <= kFieldCount; ++field) {
      known = known || name == "field" + std::to_string(field);
    }
    if (name == "created_at") {
      layout.created_at = i;
      has_time = true;
    } else if (!known) {
      return InvalidArgument("line 1: unknown column " + QuoteBytes(name) +
                             " (ThingSpeak's export has created_at, entry_id, field1 to field8, "
                             "latitude, longitude, elevation and status)");
    } else if (name != "entry_id") {
      layout.params.emplace_back(i, name);
    }
  }
  if (!has_time) return InvalidArgument("line 1: the header has no created_at column");
  return layout;
}

Result<BulkEntry> ReadRow(const Layout& layout, const std::vector<std::string>& fields,
                          std::size_t line) {
  const std::string where = "line " + std::to_string(line) + ": ";
  if (fields.size() != layout.width) {
    return InvalidArgument(where + std::to_string(fields.size()) + " values for " +
                           std::to_string(layout.width) + " columns");
  }
  // As /update reads them: an empty cell is an absent value.
  Params params;
  params.emplace_back("created_at", fields[layout.created_at]);
  for (const auto& [index, name] : layout.params) {
    if (!fields[index].empty()) params.emplace_back(name, fields[index]);
  }
  if (fields[layout.created_at].empty()) return InvalidArgument(where + "no created_at");
  auto parsed = ParseUpdateParams(params);
  if (!parsed.ok()) return Status(parsed.status().code(), where + parsed.status().message());
  return BulkEntry{*parsed->created_at, std::move(parsed->data)};
}

// Reads the file's rows in order, calling `row(entry, line)` for each;
// stops at the first bad one. Returns how many rows were read.
template <typename Row>
Result<std::uint64_t> ForEachRow(const std::string& file, Row row) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return InvalidArgument("cannot read " + file);
  CsvReader reader(in);
  std::vector<std::string> fields;
  if (!reader.Next(fields)) {
    return reader.status().ok() ? InvalidArgument(file + " is empty") : reader.status();
  }
  auto layout = ReadHeader(fields);
  if (!layout.ok()) return layout.status();
  std::uint64_t rows = 0;
  while (reader.Next(fields)) {
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    auto entry = ReadRow(*layout, fields, reader.line());
    if (!entry.ok()) return entry.status();
    if (Status s = row(std::move(entry).value(), reader.line()); !s.ok()) return s;
    ++rows;
  }
  if (!reader.status().ok()) return reader.status();
  return rows;
}

// What tells that the file changed between the check and the import: the
// same file (device, inode), of the same size, not written or renamed
// since (ctime moves on every write, and cannot be set back).
struct FileStamp {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = -1;
  timespec changed{};
  bool operator==(const FileStamp& other) const {
    return device == other.device && inode == other.inode && size == other.size &&
           changed.tv_sec == other.changed.tv_sec && changed.tv_nsec == other.changed.tv_nsec;
  }
};

FileStamp StampOf(const std::string& file) {
  struct stat info {};
  if (stat(file.c_str(), &info) != 0) return {};
  return {info.st_dev, info.st_ino, info.st_size, info.st_ctim};
}

int Import(const AdminOptions& options, const ImportRequest& request) {
  // First every row is checked, in constant memory: nothing is stored
  // unless the whole file is good.
  const FileStamp stamp = StampOf(request.file);
  auto checked = ForEachRow(request.file, [](const BulkEntry&, std::size_t) { return OkStatus(); });
  if (!checked.ok()) {
    return Fail(
        Status(checked.status().code(), checked.status().message() + "; nothing was imported"));
  }
  auto store = OpenAdminStore(options.storage, MissingDirectory::kRefuse);
  if (!store.ok()) return Fail(store.status());
  // The entries the channel had before: a row may not repeat one of their
  // times (the file, or part of it, is in already), but may share a second
  // with other rows and with live writes made meanwhile.
  EntryId existing_up_to = 0;
  {
    auto snapshot = (*store)->OpenSnapshot();
    if (!snapshot.ok()) return Fail(snapshot.status());
    auto channel = (*snapshot)->FindChannel(request.channel);
    if (!channel.ok()) return Fail(channel.status());
    if (channel->has_value()) existing_up_to = (*channel)->last_entry_id;
  }

  std::vector<BulkEntry> batch;
  std::uint64_t stored = 0;
  IdRuns ids;
  std::size_t batch_first_line = 0, last_stored_line = 0;
  const bool progress = isatty(STDERR_FILENO);
  const auto commit = [&](std::size_t last_line) {
    if (!(StampOf(request.file) == stamp)) {
      return InvalidArgument("the file changed while it was imported");
    }
    auto entries = (*store)->ImportEntries(request.channel, batch, existing_up_to);
    if (!entries.ok()) return entries.status();
    if (!entries->empty()) ids.Add(entries->front().entry_id, entries->back().entry_id);
    stored += entries->size();
    last_stored_line = last_line;
    batch.clear();
    if (progress)
      std::cerr << "\rfieldpost: imported " << stored << " of " << *checked << std::flush;
    return OkStatus();
  };
  std::size_t line_seen = 0;
  auto imported = ForEachRow(request.file, [&](BulkEntry entry, std::size_t line) {
    if (batch.empty()) batch_first_line = line;
    batch.push_back(std::move(entry));
    line_seen = line;
    return batch.size() < kBatch ? OkStatus() : commit(line);
  });
  Status result = imported.ok() && !batch.empty() ? commit(line_seen) : imported.status();
  if (progress && stored > 0) std::cerr << "\n";
  if (!result.ok()) {
    // Said exactly: what went in before the batch that failed.
    std::string done = stored == 0 ? "nothing was imported"
                                   : std::to_string(stored) + " entries (the rows up to line " +
                                         std::to_string(last_stored_line) + ", entry ids " +
                                         ids.Text() + ") were imported before it";
    return Fail(Status(result.code(), "the rows from line " + std::to_string(batch_first_line) +
                                          ": " + result.message() + "; " + done));
  }
  if (options.json) {
    std::cout << "{\"channel\":" << request.channel << ",\"entries\":" << stored
              << ",\"first_entry_id\":" << ids.First() << ",\"last_entry_id\":" << ids.Last()
              << ",\"entry_ids\":" << ids.Json() << "}\n";
  } else {
    std::cerr << "fieldpost: imported " << stored << (stored == 1 ? " entry" : " entries")
              << " into channel " << request.channel;
    if (stored > 0) std::cerr << " (entry ids " << ids.Text() << ")";
    std::cerr << "\n";
  }
  return 0;
}

}  // namespace

void AddImportCommand(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand(
      "import", "Add the rows of a CSV in ThingSpeak's export layout to a channel");
  auto options = AddAdminOptions(*command);
  auto request = std::make_shared<ImportRequest>();
  command->add_option("--channel", request->channel, "Channel id")->required();
  command
      ->add_option("FILE", request->file,
                   "CSV with a created_at column and any of entry_id (dropped), field1 to "
                   "field8, latitude, longitude, elevation and status")
      ->required()
      ->check(CLI::ExistingFile);
  command->callback([=, &exit_code] { exit_code = Import(*options, *request); });
}

}  // namespace fieldpost
