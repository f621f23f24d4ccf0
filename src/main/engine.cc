#include "main/engine.h"

#include <unistd.h>

#include "common/error.h"
#include "durability/store.h"
#include "kv/keyspace.h"
#include "kv/store.h"
#include "storage/ordered_index.h"
#include "storage/unique_index.h"

namespace lyt {

Engine::Engine(const DatabaseOptions& options)
    : memory_limit_(options.memory_limit_bytes),
      threads_(options.threads),
      query_log_(options.query_log_capacity),
      kv_(std::make_unique<kv::Store>()) {
  if (memory_limit_ == 0) {
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    memory_limit_ = pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) / 10 * 8 : (8ULL << 30);
  }
}

Engine::~Engine() { store_.reset(); }

Engine::MemoryUse Engine::MemoryByComponent() {
  MemoryUse use;
  {
    std::shared_lock lock(catalog_lock_);
    for (auto& [db_name, db] : catalog_.databases()) {
      for (auto& [table_name, table] : db->tables()) {
        use.tables += table->storage().MemoryUsage();
        for (const UniqueConstraint& c : table->constraints()) use.indexes += c.index->MemoryBytes();
        for (const TableIndex& i : table->ordered_indexes()) use.indexes += i.index->MemoryBytes();
      }
    }
  }
  for (const auto& keyspace : kv_->All()) {
    std::lock_guard lock(keyspace->mutex);
    use.kv += keyspace->MemoryBytes();
  }
  return use;
}

Status Engine::OpenStorage(const DatabaseOptions& options, durability::FileSystem* fs) {
  if (options.data_dir.empty()) return Status::OK();
  Status status = durability::Store::Open(durability::StoreOptionsFor(options, fs), *this, &store_);
  if (!status.ok()) return status;
  // Keys whose time passed while the engine was closed go now (and the log says so, so that a
  // later recovery does not bring them back under a key written meanwhile).
  try {
    kv_->PurgeExpired(kv::NowMillis(), [this](kv::Keyspace& ks, std::string_view entries) { LogKv(ks, entries); });
  } catch (const Error& e) {
    return Status::Error(e.sqlstate(), std::string("logging expired keys after recovery failed: ") + e.what());
  }
  return Status::OK();
}

void Engine::WhenDurable(uint64_t ticket, std::function<void(Status)> done) {
  if (store_ && ticket != 0) store_->WhenDurable(ticket, std::move(done));
  else done(Status::OK());
}

bool Engine::WaitDurable(uint64_t ticket) { return store_ && ticket != 0 && store_->WaitDurable(ticket); }

Status Engine::PersistCatalog() {
  if (!store_) return Status::OK();
  try {
    std::unique_lock lock(catalog_lock_);
    auto txn = transactions_.Begin();
    txn->set_logs_catalog();
    uint64_t ticket = transactions_.Commit(*txn);
    lock.unlock();
    WaitDurable(ticket);
  } catch (const Error& e) {
    return Status::Error(e.sqlstate(), e.what());
  }
  return Status::OK();
}

uint64_t Engine::LogKv(kv::Keyspace& keyspace, std::string_view entries) { return CommitKv(keyspace, entries, false); }

uint64_t Engine::StageKv(kv::Keyspace& keyspace, std::string_view entries) { return CommitKv(keyspace, entries, true); }

uint64_t Engine::CommitKv(kv::Keyspace& keyspace, std::string_view entries, bool write_later) {
  if (!store_ || entries.empty()) return 0;
  version_t ts = 0;
  uint64_t ticket = transactions_.CommitEncoded(entries, &ts, write_later);
  keyspace.last_commit_ts = ts;
  return ticket;
}

void Engine::WriteStagedLog() {
  if (store_) store_->WriteStagedLog();
}

uint64_t Engine::UnwrittenLogEnd() const { return store_ ? store_->unwritten_log_end() : 0; }

Status Engine::Checkpoint() { return store_ ? store_->Checkpoint() : Status::OK(); }

}  // namespace lyt
