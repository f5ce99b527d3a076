#include "storage/lmdb/lmdb_txn.h"

#include "storage/lmdb/lmdb_status.h"

namespace fieldpost {
namespace {

MDB_val Val(std::string_view bytes) {
  return MDB_val{bytes.size(), const_cast<char*>(bytes.data())};
}

std::string_view View(const MDB_val& val) {
  return {static_cast<const char*>(val.mv_data), val.mv_size};
}

}  // namespace

LmdbTxn::LmdbTxn(LmdbTxn&& other) noexcept
    : txn_(std::exchange(other.txn_, nullptr)),
      lock_(std::move(other.lock_)),
      pool_(other.pool_),
      failure_(std::move(other.failure_)),
      map_full_(other.map_full_),
      changed_(other.changed_),
      memo_(std::move(other.memo_)) {}

LmdbTxn::~LmdbTxn() { Abort(); }

Status LmdbTxn::Note(int rc, std::string_view what) {
  Status status = LmdbStatus(rc, what);
  if (!status.ok() && failure_.ok()) {
    failure_ = status;
    map_full_ = rc == MDB_MAP_FULL;
  }
  return status;
}

Status LmdbTxn::NoteChange(int rc, std::string_view what) {
  if (rc == MDB_SUCCESS) changed_ = true;
  return Note(rc, what);
}

Result<std::optional<std::string_view>> LmdbTxn::Get(MDB_dbi dbi, std::string_view key) {
  MDB_val k = Val(key), v;
  const int rc = mdb_get(txn_, dbi, &k, &v);
  if (rc == MDB_NOTFOUND) return std::optional<std::string_view>();
  if (rc != MDB_SUCCESS) return Note(rc, "mdb_get");
  return std::optional<std::string_view>(View(v));
}

Status LmdbTxn::Put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k = Val(key), v = Val(value);
  if (memo_ && memo_->Watches(dbi)) memo_->ForgetRecords();
  return NoteChange(mdb_put(txn_, dbi, &k, &v, flags), "mdb_put");
}

Status LmdbTxn::Delete(MDB_dbi dbi, std::string_view key) {
  MDB_val k = Val(key);
  const int rc = mdb_del(txn_, dbi, &k, nullptr);
  if (rc == MDB_NOTFOUND) return OkStatus();
  if (memo_) memo_->ForgetAll();
  return NoteChange(rc, "mdb_del");
}

Status LmdbTxn::Commit() {
  MDB_txn* txn = std::exchange(txn_, nullptr);
  const int rc = mdb_txn_commit(txn);
  lock_ = {};
  return Note(rc, "mdb_txn_commit");
}

void LmdbTxn::Abort() {
  if (txn_ != nullptr) {
    MDB_txn* txn = std::exchange(txn_, nullptr);
    pool_ != nullptr ? pool_->Give(txn) : mdb_txn_abort(txn);
  }
  lock_ = {};
}

Result<LmdbCursor> LmdbCursor::Open(LmdbTxn& txn, MDB_dbi dbi) {
  MDB_cursor* cursor = nullptr;
  const int rc = mdb_cursor_open(txn.get(), dbi, &cursor);
  if (rc != MDB_SUCCESS) return txn.Note(rc, "mdb_cursor_open");
  return LmdbCursor(cursor, &txn);
}

LmdbCursor::~LmdbCursor() {
  if (cursor_ != nullptr) mdb_cursor_close(cursor_);
}

Result<std::optional<LmdbCursor::Item>> LmdbCursor::Move(MDB_cursor_op op, std::string_view key) {
  MDB_val k = Val(key), v{0, nullptr};
  const int rc = mdb_cursor_get(cursor_, &k, &v, op);
  if (rc == MDB_NOTFOUND) return std::optional<Item>();
  if (rc != MDB_SUCCESS) return txn_->Note(rc, "mdb_cursor_get");
  return std::optional<Item>(Item(View(k), View(v)));
}

Result<std::optional<LmdbCursor::Item>> LmdbCursor::SeekAtOrBefore(std::string_view key) {
  auto item = Move(MDB_SET_RANGE, key);
  if (!item.ok() || (item->has_value() && (*item)->first == key)) return item;
  return item->has_value() ? Move(MDB_PREV) : Move(MDB_LAST);
}

Status LmdbCursor::Delete() {
  if (txn_->memo_) txn_->memo_->ForgetAll();
  return txn_->NoteChange(mdb_cursor_del(cursor_, 0), "mdb_cursor_del");
}

}  // namespace fieldpost
