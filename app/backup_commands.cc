// `fieldpost backup` and `fieldpost restore`. A backup is taken while
// servers keep writing; a restore checks the whole file before it replaces
// anything, and refuses a directory a running process has open.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/admin_output.h"
#include "app/backup_files.h"
#include "app/commands.h"
#include "app/common_options.h"
#include "app/json_output.h"
#include "storage/lmdb/lmdb_backup.h"

namespace fieldpost {
namespace {

std::uint64_t FileBytes(const std::string& path) {
  struct stat file {};
  return stat(path.c_str(), &file) == 0 ? static_cast<std::uint64_t>(file.st_size) : 0;
}

void Report(const char* verb, const std::string& file, const std::string& data_dir,
            const BackupContents& contents, bool json) {
  const std::uint64_t bytes = FileBytes(file);
  if (json) {
    std::cout << BackupJson(file, data_dir, contents.channels, contents.entries, bytes) << "\n";
    return;
  }
  std::cerr << "fieldpost: " << verb << " " << contents.channels
            << (contents.channels == 1 ? " channel, " : " channels, ") << contents.entries
            << (contents.entries == 1 ? " entry (" : " entries (") << bytes << " bytes)\n";
}

// backup and restore copy an LMDB file; a database has its engine's tools.
Status RefuseDatabase(const StorageOptions& storage, const char* command) {
  if (!storage.uses_database()) return OkStatus();
  return InvalidArgument(std::string(command) +
                         " copies a data directory; for a PostgreSQL database use its own tools: "
                         "pg_dump (a copy of the database) or pg_basebackup (the whole server, "
                         "for a standby or point-in-time recovery); see docs/operations.md");
}

int Backup(const StorageOptions& storage, const std::string& to, bool json) {
  if (Status s = RefuseDatabase(storage, "backup"); !s.ok()) return Fail(s);
  const std::string database = storage.data_dir + "/data.mdb";
  struct stat file {};
  if (stat(database.c_str(), &file) != 0) {
    return Fail(InvalidArgument("no database in " + storage.data_dir + ": " + std::strerror(errno) +
                                " (is --data right?)"));
  }
  // Run as root, LMDB may create lock.mdb: it must stay the service's.
  const std::string lock = storage.data_dir + "/lock.mdb";
  const bool had_lock = access(lock.c_str(), F_OK) == 0;
  const auto keep_lock_for_service = [&] {
    return had_lock ? OkStatus() : GiveToOwnerOf(lock, database);
  };
  if (to == "-") {
    if (isatty(STDOUT_FILENO)) {
      return Fail(
          InvalidArgument("not writing a backup to a terminal: give --to FILE, or "
                          "redirect the output"));
    }
    Status written = WriteBackup(storage, STDOUT_FILENO);
    if (Status s = keep_lock_for_service(); !s.ok()) return Fail(s);
    return written.ok() ? 0 : Fail(written);
  }
  if (Status s = CheckOutsideDataDirectory(to, storage.data_dir, "--to"); !s.ok()) return Fail(s);
  auto fd = OpenPartial(to);
  if (!fd.ok()) return Fail(fd.status());
  const std::string partial = to + ".partial";
  Status written = WriteBackup(storage, *fd);
  if (Status s = keep_lock_for_service(); !s.ok()) written = s;
  // Checked before it replaces the previous backup at that name.
  Result<BackupContents> contents = written.ok() ? CheckBackup(partial) : written;
  if (!contents.ok()) {
    close(*fd);
    unlink(partial.c_str());
    return Fail(contents.status());
  }
  if (Status s = InstallPartial(*fd, to); !s.ok()) return Fail(s);
  Report("backed up", to, storage.data_dir, *contents, json);
  return 0;
}

int Restore(const std::string& from, const StorageOptions& storage, bool force, bool json) {
  if (Status s = RefuseDatabase(storage, "restore"); !s.ok()) return Fail(s);
  const std::string& dir = storage.data_dir;
  const std::string database = dir + "/data.mdb";
  const std::string kept = database + ".before-restore";
  if (from != "-") {
    if (Status s = CheckOutsideDataDirectory(from, dir, "--from"); !s.ok()) return Fail(s);
  }
  const bool replacing = access(database.c_str(), F_OK) == 0;
  if (replacing && !force) {
    return Fail(InvalidArgument(dir + " already holds a database; --force replaces it (it is "
                                      "kept as data.mdb.before-restore)"));
  }
  if (replacing && access(kept.c_str(), F_OK) == 0) {
    return Fail(InvalidArgument(kept + " holds the database an earlier restore replaced: move "
                                       "or delete it first; nothing was changed"));
  }
  int source = STDIN_FILENO;
  if (from == "-") {
    if (isatty(STDIN_FILENO)) {
      return Fail(InvalidArgument("give --from FILE, or pipe the backup in"));
    }
  } else if ((source = open(from.c_str(), O_RDONLY | O_CLOEXEC)) < 0) {
    return Fail(InvalidArgument("cannot read " + from + ": " + std::strerror(errno)));
  }
  struct CloseSource {
    int fd;
    ~CloseSource() {
      if (fd != STDIN_FILENO) close(fd);
    }
  } close_source{source};

  std::error_code error;
  const bool created = std::filesystem::create_directories(dir, error);
  if (error) return Fail(InvalidArgument("cannot create " + dir + ": " + error.message()));
  const std::string lock_file = dir + "/lock.mdb";
  const bool had_lock_file = access(lock_file.c_str(), F_OK) == 0;
  auto fd = OpenPartial(database, 0660);
  if (!fd.ok()) return Fail(fd.status());
  const std::string partial = database + ".partial";
  std::unique_ptr<DatabaseLock> lock;
  const auto abandon = [&](const Status& status) {
    close(*fd);
    unlink(partial.c_str());
    if (!had_lock_file) unlink(lock_file.c_str());
    lock.reset();
    if (created) rmdir(dir.c_str());
    return Fail(Status(status.code(), status.message() + "; nothing was changed"));
  };
  if (Status s = CopyStream(source, *fd); !s.ok()) return abandon(s);
  auto contents = CheckBackup(partial, from == "-" ? "the standard input" : from);
  if (!contents.ok()) return abandon(contents.status());
  // Held to the end: a running server would go on with the database it has
  // open, and one that starts meanwhile waits for the lock, then opens the
  // restored one (its reader table is reset by that first opener).
  auto locked = LockDatabase(dir);
  if (!locked.ok()) {
    return abandon(Status(locked.status().code(), locked.status().message() + ": stop it, then "
                                                                              "restore"));
  }
  lock = std::move(locked).value();
  if (Status s = GiveToOwnerOf(*fd, dir); !s.ok()) return abandon(s);
  if (!had_lock_file) {
    if (Status s = GiveToOwnerOf(lock_file, dir); !s.ok()) return abandon(s);
  }
  // The old file keeps a second name, then the new one replaces it in one
  // rename: at no moment is there no data.mdb.
  if (replacing && link(database.c_str(), kept.c_str()) != 0) {
    return abandon(
        Internal("cannot keep the old database as " + kept + ": " + std::strerror(errno)));
  }
  bool renamed = false;
  if (Status s = InstallPartial(*fd, database, &renamed); !s.ok()) {
    if (renamed) return Fail(Status(s.code(), s.message() + "; the backup is in place"));
    if (replacing) unlink(kept.c_str());
    return Fail(Status(s.code(), s.message() + "; the database in place is unchanged"));
  }
  Report("restored", database, dir, *contents, json);
  if (replacing && !json) std::cerr << "fieldpost: the database it replaced is " << kept << "\n";
  return 0;
}

}  // namespace

void AddBackupCommand(CLI::App& app, int& exit_code) {
  auto* backup = app.add_subcommand(
      "backup", "Write a consistent, compacted copy of the database while servers keep writing");
  auto storage = std::make_shared<StorageOptions>();
  auto to = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  AddStorageOptions(*backup, *storage, MissingDirectory::kRefuse);
  backup
      ->add_option("--to", *to,
                   "Backup file (written as FILE.partial, checked, then renamed), or - for "
                   "standard output")
      ->required();
  backup->add_flag("--json", *json, "Print one JSON object: file, channels, entries, bytes");
  backup->callback([=, &exit_code] { exit_code = Backup(*storage, *to, *json); });

  auto* restore = app.add_subcommand(
      "restore", "Check a backup, then make it the database of a data directory");
  auto restore_storage = std::make_shared<StorageOptions>();
  auto from = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  auto restore_json = std::make_shared<bool>(false);
  restore->add_option("--from", *from, "Backup file, or - for standard input")->required();
  AddStorageOptions(*restore, *restore_storage, MissingDirectory::kCreate);
  restore->add_flag("--force", *force,
                    "Replace the database the directory holds (kept as data.mdb.before-restore); "
                    "refused while a process has it open");
  restore->add_flag("--json", *restore_json, "Print one JSON object");
  restore->callback(
      [=, &exit_code] { exit_code = Restore(*from, *restore_storage, *force, *restore_json); });
}

}  // namespace fieldpost
