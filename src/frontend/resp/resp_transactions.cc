// MULTI / EXEC / WATCH and the blocking pops of the Redis front end (RespConnection's, on its strand).
#include "frontend/resp/resp_connection.h"

#include <malloc.h>
#include <unistd.h>

#include <array>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <shared_mutex>

#include <spdlog/spdlog.h>

#include "auth/authorize.h"
#include "catalog/catalog.h"
#include "common/error.h"
#include "frontend/resp/resp_internal.h"
#include "kv/command.h"
#include "kv/glob.h"
#include "kv/store.h"
#include "lyt/version.h"
#include "main/engine.h"

namespace lyt::frontend {

namespace asio = boost::asio;

using namespace resp_internal;

void RespConnection::Multi() {
  if (in_multi_) {
    reply_.Error("ERR MULTI calls can not be nested");
    return;
  }
  in_multi_ = true;
  multi_failed_ = false;
  queued_.clear();
  reply_.Ok();
}

void RespConnection::Discard() {
  if (!in_multi_) {
    reply_.Error("ERR DISCARD without MULTI");
    return;
  }
  in_multi_ = false;
  queued_.clear();
  Unwatch();
  reply_.Ok();
}

void RespConnection::Watch(std::span<const std::string_view> args) {
  if (in_multi_) {
    reply_.Error("ERR WATCH inside MULTI is not allowed");
    return;
  }
  std::shared_ptr<kv::Keyspace> ks = CurrentKeyspace();
  if (!ks) return ReplyDatabaseGone();
  std::lock_guard lock(ks->mutex);
  for (size_t i = 1; i < args.size(); ++i) {
    ks->AddWatcher(args[i], &watch_);
    watched_.emplace_back(ks, std::string(args[i]));
  }
  reply_.Ok();
}

void RespConnection::Unwatch() {
  for (auto& [ks, key] : watched_) {
    std::lock_guard lock(ks->mutex);
    ks->RemoveWatcher(key, &watch_);
  }
  watched_.clear();
  watch_.dirty = false;
}

void RespConnection::Exec() {
  if (!in_multi_) {
    reply_.Error("ERR EXEC without MULTI");
    return;
  }
  in_multi_ = false;
  std::vector<std::vector<std::string>> commands = std::move(queued_);
  queued_.clear();
  if (multi_failed_) {
    Unwatch();
    reply_.Error("EXECABORT Transaction discarded because of previous errors.");
    return;
  }
  // The whole block runs under the keyspace's mutex: no other client's command interleaves
  // (connection commands inside it, such as SELECT, end the hold: a block is atomic within one
  // database).
  if (!HoldKeyspace()) {
    Unwatch();
    return ReplyDatabaseGone();
  }
  if (watch_.dirty) {
    EndKeyspaceHold();
    Unwatch();
    reply_.NullArray();
    return;
  }
  reply_.Array(commands.size());
  std::vector<std::string_view> args;
  for (auto& words : commands) {
    args.assign(words.begin(), words.end());
    const kv::CommandSpec* spec = kv::FindCommand(args[0]);
    if (!spec) {
      EndKeyspaceHold();
      RunConnectionCommand(args);
      continue;
    }
    if (!CheckPrivilege(*spec, args[0])) continue;
    if (!HoldKeyspace()) {
      ReplyDatabaseGone();
      continue;
    }
    if (RunOnHeldKeyspace(*spec, args)) reply_.NullArray();  // blocking commands do not block inside MULTI
  }
  EndKeyspaceHold();
  Unwatch();
}

// ---------------------------------------------------------------------------------------------
// Blocking

void RespConnection::Block(std::span<const std::string_view> args) {
  blocked_ = true;
  server_.resp.blocked.fetch_add(1, std::memory_order_relaxed);
  blocked_args_.assign(args.begin(), args.end());
  blocked_keyspace_ = held_keyspace_;
  block_watch_.dirty = false;
  std::weak_ptr<RespConnection> weak = shared_from_this();
  block_watch_.wake = [weak, strand = strand_] {
    asio::post(strand, [weak] {
      if (auto self = weak.lock()) self->RetryBlocked();
    });
  };
  for (size_t i = 1; i + 1 < args.size(); ++i) held_keyspace_->AddWatcher(args[i], &block_watch_);
  double timeout = 0;
  kv::ParseFiniteOrInfDouble(args.back(), &timeout);
  if (timeout > 0) {
    block_timer_.expires_after(std::chrono::microseconds(static_cast<int64_t>(timeout * 1e6)));
    block_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (error || !self->blocked_ || self->closed_) return;
      self->Unblock();
      self->reply_.NullArray();
      self->RunBuffered();
    });
  }
}

void RespConnection::Unblock() {
  if (!blocked_) return;
  ForgetBlockWatcher();
  block_timer_.cancel();
}

void RespConnection::ForgetWatchers() {
  ForgetBlockWatcher();
  Unwatch();
}

void RespConnection::ForgetBlockWatcher() {
  if (blocked_) {
    blocked_ = false;
    server_.resp.blocked.fetch_sub(1, std::memory_order_relaxed);
    std::lock_guard lock(blocked_keyspace_->mutex);
    for (size_t i = 1; i + 1 < blocked_args_.size(); ++i) blocked_keyspace_->RemoveWatcher(blocked_args_[i], &block_watch_);
  }
  blocked_keyspace_.reset();
  blocked_args_.clear();
}

void RespConnection::RetryBlocked() {
  if (!blocked_ || closed_) return;
  std::vector<std::string_view> args(blocked_args_.begin(), blocked_args_.end());
  const kv::CommandSpec* spec = kv::FindCommand(args[0]);
  batch_now_ms_ = kv::NowMillis();
  held_keyspace_ = blocked_keyspace_;
  held_lock_ = std::unique_lock(held_keyspace_->mutex);
  bool would_block = RunOnHeldKeyspace(*spec, args);
  EndKeyspaceHold();
  if (would_block) return;  // another client took the element first: wait on
  Unblock();
  // The reply goes out with the rest of the buffered input's (after its commit's flush).
  blocked_ = false;
  RunBuffered();
}

// ---------------------------------------------------------------------------------------------
// Writing, closing, timers

}  // namespace lyt::frontend
