// ConnectionPool: connections to one URI, opened on demand up to a maximum, lent out through
// PooledConnection handles and cleaned before the next borrower gets them.
#include <condition_variable>
#include <mutex>

#include "client/transport.h"
#include "common/error.h"
#include "lyt/client.h"

namespace lyt::client::detail {

// Shared by the pool and its handles, so that a handle returned after the pool object is gone
// still has somewhere to go.
struct PoolState {
  std::string uri;
  PoolOptions options;
  std::mutex mutex;
  std::condition_variable returned;         // an idle connection or a free slot appeared
  std::vector<std::unique_ptr<Connection>> idle;  // guarded by mutex
  size_t open = 0;                                // idle + lent + being opened; guarded by mutex

  // Takes back a lent connection: a clean one becomes idle, others are closed and free a slot.
  void Return(std::unique_ptr<Connection> conn) {
    bool reusable = !conn->is_broken() && conn->pending() == 0;
    if (reusable && conn->in_transaction()) reusable = conn->Rollback().ok();
    if (!reusable) conn.reset();  // closed outside the lock
    std::lock_guard<std::mutex> lock(mutex);
    if (conn) idle.push_back(std::move(conn));
    else --open;
    returned.notify_one();
  }
};

}  // namespace lyt::client::detail

namespace lyt::client {

PooledConnection& PooledConnection::operator=(PooledConnection&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = std::move(other.pool_);
    conn_ = std::move(other.conn_);
  }
  return *this;
}

void PooledConnection::Release() {
  if (conn_) pool_->Return(std::move(conn_));
  pool_.reset();
}

Status ConnectionPool::Create(std::string_view uri, const PoolOptions& options, std::unique_ptr<ConnectionPool>* out) {
  ConnectionUri parsed;
  Status s = ParseConnectionUri(uri, &parsed);
  if (!s.ok()) return s;
  if (options.max_size == 0) return Status::Error(sqlstate::kInvalidParameterValue, "pool max_size must be at least 1");
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool());
  pool->state_ = std::make_shared<detail::PoolState>();
  pool->state_->uri = std::string(uri);
  pool->state_->options = options;
  *out = std::move(pool);
  return Status::OK();
}

ConnectionPool::~ConnectionPool() = default;

Status ConnectionPool::Acquire(PooledConnection* out, std::chrono::milliseconds timeout) {
  out->Release();  // before locking: giving back what *out holds takes the lock too
  detail::PoolState& state = *state_;
  Deadline deadline = DeadlineAfter(timeout);
  std::unique_lock<std::mutex> lock(state.mutex);
  for (;;) {
    if (!state.idle.empty()) {
      out->conn_ = std::move(state.idle.back());
      out->pool_ = state_;
      state.idle.pop_back();
      return Status::OK();
    }
    if (state.open < state.options.max_size) break;
    if (!deadline) {
      state.returned.wait(lock);
    } else if (state.returned.wait_until(lock, *deadline) == std::cv_status::timeout) {
      return Status::Error(sqlstate::kTooManyConnections,
                           "timed out after " + std::to_string(timeout.count()) + " ms waiting for a pooled connection (all " +
                               std::to_string(state.options.max_size) + " in use)");
    }
  }
  ++state.open;  // the slot is ours while we connect without the lock
  lock.unlock();
  std::unique_ptr<Connection> conn;
  Status s = Connection::Connect(state.uri, &conn, state.options.connect);
  if (!s.ok()) {
    lock.lock();
    --state.open;
    state.returned.notify_one();
    return s;
  }
  out->conn_ = std::move(conn);
  out->pool_ = state_;
  return Status::OK();
}

size_t ConnectionPool::size() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->open;
}

size_t ConnectionPool::idle() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->idle.size();
}

}  // namespace lyt::client
