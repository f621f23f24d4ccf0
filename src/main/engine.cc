#include "main/engine.h"

#include <unistd.h>

#include "common/error.h"
#include "durability/store.h"

namespace lyt {

Engine::Engine(const DatabaseOptions& options)
    : memory_limit_(options.memory_limit_bytes), threads_(options.threads), query_log_(options.query_log_capacity) {
  if (memory_limit_ == 0) {
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    memory_limit_ = pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) / 10 * 8 : (8ULL << 30);
  }
}

Engine::~Engine() { store_.reset(); }

Status Engine::OpenStorage(const DatabaseOptions& options, durability::FileSystem* fs) {
  if (options.data_dir.empty()) return Status::OK();
  return durability::Store::Open(durability::StoreOptionsFor(options, fs), *this, &store_);
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

Status Engine::Checkpoint() { return store_ ? store_->Checkpoint() : Status::OK(); }

}  // namespace lyt
