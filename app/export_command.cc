// `fieldpost export`: a channel's whole feed (no 8,000-row cap), streamed
// with constant memory from one consistent snapshot, as CSV in
// ThingSpeak's export layout or as feeds.json's document.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>

#include "api/csv_render.h"
#include "api/feed_document.h"
#include "api/json_render.h"
#include "app/admin_output.h"
#include "app/backup_files.h"
#include "app/commands.h"
#include "app/common_options.h"
#include "app/open_admin_store.h"
#include "core/time_format.h"

namespace fieldpost {
namespace {

// Entries read from the snapshot at a time.
constexpr std::size_t kChunk = 10000;

struct ExportRequest {
  ChannelId channel = 0;
  std::string start;
  std::string end;
  std::string format = "csv";
  std::string to = "-";
};

// Buffers output and writes it to a descriptor a megabyte at a time.
class Output {
 public:
  explicit Output(int fd) : fd_(fd) {}
  std::string& buffer() { return buffer_; }
  Status FlushIfFull() { return buffer_.size() >= (1 << 20) ? Flush() : OkStatus(); }
  Status Flush() {
    for (std::size_t written = 0; written < buffer_.size();) {
      const ssize_t n = write(fd_, buffer_.data() + written, buffer_.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Internal(std::string("writing the export: ") + std::strerror(errno));
      written += static_cast<std::size_t>(n);
    }
    buffer_.clear();
    return OkStatus();
  }

 private:
  int fd_;
  std::string buffer_;
};

Result<std::optional<Timestamp>> Bound(const std::string& text, const char* name) {
  if (text.empty()) return std::optional<Timestamp>();
  auto time = ParseTimestamp(text);
  if (!time.ok()) return InvalidArgument(std::string(name) + ": " + time.status().message());
  return std::optional<Timestamp>(*time);
}

// Writes the export to `out`; counts the entries written.
Status WriteExport(StoreSnapshot& snapshot, const Channel& channel, const ExportRequest& request,
                   Output& out, std::uint64_t& written) {
  auto start = Bound(request.start, "--start");
  if (!start.ok()) return start.status();
  auto end = Bound(request.end, "--end");
  if (!end.ok()) return end.status();
  const bool json = request.format == "json";
  // ThingSpeak's channel export: every field, the location, the status.
  Columns columns;
  for (int field = 1; field <= kFieldCount; ++field) columns.fields.push_back(field);
  columns.location = columns.status = true;
  const TimeZone utc;
  const std::vector<Entry> none;
  if (json) {
    const FeedDocument document{channel, ChannelView::kFull, false, columns, none, utc};
    out.buffer() += "{\"channel\":" + RenderChannelObjectJson(document) + ",\"feeds\":[";
  } else {
    out.buffer() += RenderCsvHeader(columns, true);
  }
  const bool progress = isatty(STDERR_FILENO) && request.to != "-";
  for (EntryId first = 1; first <= channel.last_entry_id; first += kChunk) {
    EntryRange range;
    range.first_id = first;
    range.last_id = first + kChunk - 1;
    auto entries = snapshot.ListEntries(channel.id, range, kChunk);
    if (!entries.ok()) return entries.status();
    for (const Entry& entry : *entries) {
      if ((*start && entry.created_at < **start) || (*end && entry.created_at > **end)) continue;
      if (json) {
        if (written > 0) out.buffer() += ',';
        out.buffer() += RenderEntryJson(entry, columns, utc);
      } else {
        AppendCsvRow(out.buffer(), entry, columns, utc, true);
      }
      ++written;
    }
    if (Status s = out.FlushIfFull(); !s.ok()) return s;
    if (progress) {
      std::cerr << "\rfieldpost: exporting channel " << channel.id << ": entry "
                << std::min(*range.last_id, channel.last_entry_id) << " of "
                << channel.last_entry_id << std::flush;
    }
  }
  if (progress) std::cerr << "\n";
  if (json) out.buffer() += "]}\n";
  return out.Flush();
}

int Export(const StorageOptions& storage, const ExportRequest& request) {
  auto store = OpenAdminStore(storage, MissingDirectory::kRefuse);
  if (!store.ok()) return Fail(store.status());
  // One snapshot: a consistent export while servers write.
  auto snapshot = (*store)->OpenSnapshot();
  if (!snapshot.ok()) return Fail(snapshot.status());
  auto channel = (*snapshot)->FindChannel(request.channel);
  if (!channel.ok()) return Fail(channel.status());
  if (!channel->has_value()) {
    return Fail(NotFound("channel " + std::to_string(request.channel) + " not found"));
  }
  std::uint64_t written = 0;
  if (request.to == "-") {
    Output out(STDOUT_FILENO);
    if (Status s = WriteExport(**snapshot, **channel, request, out, written); !s.ok()) {
      return Fail(s);
    }
  } else {
    auto fd = OpenPartial(request.to);
    if (!fd.ok()) return Fail(fd.status());
    Output out(*fd);
    if (Status s = WriteExport(**snapshot, **channel, request, out, written); !s.ok()) {
      close(*fd);
      unlink((request.to + ".partial").c_str());
      return Fail(s);
    }
    // It closes the descriptor whatever happens, and removes what it
    // could not put in place.
    if (Status s = InstallPartial(*fd, request.to); !s.ok()) return Fail(s);
  }
  std::cerr << "fieldpost: exported " << written << (written == 1 ? " entry" : " entries")
            << " of channel " << request.channel << "\n";
  return 0;
}

}  // namespace

void AddExportCommand(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand(
      "export", "Write a channel's whole feed as CSV (ThingSpeak's export layout) or JSON");
  auto storage = std::make_shared<StorageOptions>();
  AddStorageOptions(*command, *storage, MissingDirectory::kRefuse);
  auto request = std::make_shared<ExportRequest>();
  command->add_option("--channel", request->channel, "Channel id")->required();
  command->add_option("--start", request->start,
                      "Only entries from this time on (\"2024-01-01 00:00:00\", UTC unless it "
                      "names a zone)");
  command->add_option("--end", request->end, "Only entries up to this time");
  command->add_option("--format", request->format, "csv or json")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  command
      ->add_option("--to", request->to,
                   "File (written as FILE.partial, then renamed), or - for standard output")
      ->capture_default_str();
  command->callback([=, &exit_code] { exit_code = Export(*storage, *request); });
}

}  // namespace fieldpost
