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

namespace {

constexpr size_t kReadChunk = 16 * 1024;
constexpr size_t kMaxMultiQueue = 100000;

std::string EndpointText(const asio::ip::tcp::endpoint& e) {
  std::string host = e.address().to_string();
  if (e.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(e.port());
}

}  // namespace

RespConnection::RespConnection(net::ServerContext& server, net::EventLoop& loop, Socket socket)
    : server_(server),
      loop_(loop),
      strand_(asio::make_strand(socket.get_executor())),
      socket_(std::move(socket)),
      parser_(resp::Limits{.max_bulk_bytes = server.options.resp_max_bulk_bytes}),
      reply_(out_),
      block_timer_(strand_),
      timer_(strand_) {
  boost::system::error_code ignored;
  peer_ = EndpointText(socket_.remote_endpoint(ignored));
  local_ = EndpointText(socket_.local_endpoint(ignored));
  connected_ms_ = kv::NowMillis();
  last_active_ms_ = connected_ms_;
}

RespConnection::~RespConnection() {
  // Keyspaces hold pointers to this connection's watchers: a connection destroyed without
  // Close (the server stopping with handlers pending) takes them out here.
  ForgetWatchers();
  if (id_) {
    server_.registry.Remove(id_);
    server_.resp.clients.fetch_sub(1, std::memory_order_relaxed);
  }
}

std::string RespConnection::Describe() const { return "redis connection " + std::to_string(id_) + " (" + peer_ + ")"; }
std::string RespConnection::ClientHost() const { return peer_.substr(0, peer_.rfind(':')); }

void RespConnection::Start() {
  asio::dispatch(strand_, [self = shared_from_this()] {
    uint64_t id = self->server_.engine.sessions().NextId();
    if (self->server_.registry.Add(id, self)) {
      self->id_ = id;
      self->server_.resp.clients.fetch_add(1, std::memory_order_relaxed);
      self->server_.resp.connections.fetch_add(1, std::memory_order_relaxed);
    }
    if (self->id_ == 0) {
      self->server_.log.warn("refused a Redis connection from {}: max_connections ({}) reached", self->peer_,
                             self->server_.options.max_connections);
      self->FailAndClose("ERR max number of clients reached");
      return;
    }
    if (self->server_.shutting_down) {
      self->FailAndClose("ERR the server is shutting down");
      return;
    }
    // The Redis port has no TLS: with tls_required, passwords must not cross it in clear.
    if (self->server_.options.tls_required) {
      self->server_.log.warn("refused a Redis connection from {}: tls_required, and the Redis port has no TLS", self->peer_);
      self->FailAndClose("ERR tls_required is set and the Redis port does not offer TLS: use the lyt protocol or HTTPS");
      return;
    }
    self->server_.log.debug("{} accepted", self->Describe());
    self->ArmIdleTimer();
    self->ReadMore();
  });
}

// ---------------------------------------------------------------------------------------------
// Reading and batches

void RespConnection::ReadMore() {
  if (reading_ || close_after_flush_ || held_back()) return;
  reading_ = true;
  // Room for the next read: at least kReadChunk, or what the request being received still needs
  // (its size is known from its headers), up to 64 MiB at a time.
  size_t want = std::max(kReadChunk, std::min(parser_.bytes_hint(), size_t(64) << 20));
  if (in_.size() - in_len_ < kReadChunk) in_.resize(in_len_ + want);
  auto handler = asio::bind_executor(strand_, [self = shared_from_this()](const boost::system::error_code& error, size_t bytes) {
    self->OnRead(error, bytes);
  });
  socket_.async_read_some(asio::buffer(in_.data() + in_len_, in_.size() - in_len_), std::move(handler));
}

void RespConnection::OnRead(const boost::system::error_code& error, size_t bytes) {
  reading_ = false;
  server_.resp_traffic.Received(bytes);
  if (closed_) return;
  if (error) {
    Close(error == asio::error::eof ? "closed by the client" : "read failed");
    return;
  }
  in_len_ += bytes;
  last_active_ms_ = kv::NowMillis();
  RunBuffered();
}

namespace {

// The keys (second words) of up to kPrefetchBatch complete multibulk requests at the start of
// `in`: a quick scan without checks (the parser checks everything afterwards), stopping at the
// first request it does not understand.
constexpr size_t kPrefetchBatch = 32;

size_t ScanKeys(std::string_view in, std::array<std::string_view, kPrefetchBatch>& keys) {
  size_t n = 0, p = 0;
  auto number = [&](size_t& at, int64_t& value) {
    size_t end = in.find('\r', at);
    if (end == std::string_view::npos || end + 1 >= in.size()) return false;
    if (!kv::ParseInt64(in.substr(at, end - at), &value)) return false;
    at = end + 2;
    return true;
  };
  while (n < kPrefetchBatch && p < in.size() && in[p] == '*') {
    size_t at = p + 1;
    int64_t count, length;
    if (!number(at, count) || count < 1 || count > 64) break;
    std::string_view key;
    for (int64_t i = 0; i < count; ++i) {
      if (at >= in.size() || in[at] != '$') return n;
      ++at;
      if (!number(at, length) || length < 0 || at + static_cast<size_t>(length) + 2 > in.size()) return n;
      if (i == 1) key = in.substr(at, static_cast<size_t>(length));
      at += static_cast<size_t>(length) + 2;
    }
    if (count >= 2) keys[n++] = key;
    p = at;
  }
  return n;
}

}  // namespace

void RespConnection::RunBuffered() {
  if (held_back()) return;
  // Pipelined data commands: fetch the memory their lookups will touch before running them, so
  // that the cache misses of a batch overlap instead of following one another.
  if (authenticated_ && in_len_ - in_start_ > 64) {
    std::array<std::string_view, kPrefetchBatch> keys;
    size_t n = ScanKeys(std::string_view(in_.data() + in_start_, in_len_ - in_start_), keys);
    if (n > 1 && HoldKeyspace()) held_keyspace_->Prefetch(std::span<const std::string_view>(keys.data(), n));
  }
  batch_now_ms_ = kv::NowMillis();
  privilege_ = authenticated_ ? server_.engine.users().PrivilegeOn(user_, database_) : auth::Privilege::None;
  std::string_view first_command;
  while (!closed_ && !close_after_flush_ && !blocked_ && !waiting_login_) {
    size_t consumed = 0;
    std::string_view rest(in_.data() + in_start_, in_len_ - in_start_);
    parser_.set_auth_required(!authenticated_);
    resp::RequestParser::Result r = parser_.Parse(rest, &consumed);
    if (r == resp::RequestParser::Result::kNeedMore) {
      in_start_ += consumed;  // empty requests skipped
      break;
    }
    if (r == resp::RequestParser::Result::kError) {
      server_.log.info("{}: protocol error: {}", Describe(), parser_.error());
      EndKeyspaceHold();
      reply_.Error("ERR " + parser_.error());
      close_after_flush_ = true;
      break;
    }
    const auto& args = parser_.args();
    in_start_ += consumed;
    if (args.empty()) continue;
    if (first_command.empty()) first_command = args[0];
    ++commands_;
    if (!RunCommand(args)) break;
  }
  EndKeyspaceHold();
  // A reply must not show another connection's change that is still staged (a crash would take
  // it back): the batch waits for the log up to there, as for its own changes.
  if (authenticated_) pending_ticket_ = std::max(pending_ticket_, server_.engine.UnwrittenLogEnd());
  server_.resp.commands.fetch_add(commands_, std::memory_order_relaxed);
  commands_ = 0;
  Publish(first_command);
  // Drop what was run (the parser sees the same incomplete request at a new address).
  if (in_start_ > 0) {
    std::memmove(in_.data(), in_.data() + in_start_, in_len_ - in_start_);
    in_len_ -= in_start_;
    in_start_ = 0;
  }
  if (in_len_ == 0 && in_.size() > 4 * kReadChunk) std::string().swap(in_);  // a big request's buffer goes back
  if (pending_ticket_ != 0) {
    // Replies wait until the batch's changes are as durable as the fsync policy asks.
    waiting_durable_ = true;
    uint64_t ticket = std::exchange(pending_ticket_, 0);
    server_.engine.WhenDurable(ticket, [self = shared_from_this()](Status status) {
      asio::dispatch(self->strand_, [self, status] {
        self->waiting_durable_ = false;
        if (!status.ok()) {
          self->server_.log.error("{}: write-ahead log flush failed: {}", self->Describe(), status.message());
          self->FailAndClose("ERR write-ahead log flush failed: " + status.message());
          return;
        }
        self->Flush();
      });
    });
    loop_.WriteStagedLogSoon(server_.engine);
    return;
  }
  Flush();
}

bool RespConnection::RunCommand(std::span<const std::string_view> args) {
  std::string_view name = args[0];
  const kv::CommandSpec* spec = kv::FindCommand(name);
  const ConnectionCommand* connection = spec ? nullptr : FindConnectionCommand(name);
  if (!spec && !connection) {
    if (in_multi_) multi_failed_ = true;
    reply_.Error(UnknownCommand(args));
    return true;
  }
  int arity = spec ? spec->arity : connection->arity;
  uint32_t flags = spec ? spec->flags : connection->flags;
  if (!ArityOk(arity, args.size())) {
    if (in_multi_) multi_failed_ = true;
    reply_.Error(WrongArity(name));
    return true;
  }
  if (!authenticated_ && !(flags & kv::kNoAuth)) {
    reply_.Error("NOAUTH Authentication required.");
    return true;
  }
  if (in_multi_ && !(flags & kv::kNoMulti)) {
    if (queued_.size() >= kMaxMultiQueue) {
      multi_failed_ = true;
      reply_.Error("ERR too many commands queued in this transaction");
      return true;
    }
    queued_.emplace_back(args.begin(), args.end());
    reply_.Simple("QUEUED");
    return true;
  }
  if (spec) {
    if (!CheckPrivilege(*spec, name)) return true;
    RunData(*spec, args);
    return !blocked_;
  }
  EndKeyspaceHold();
  return RunConnectionCommand(args);
}

bool RespConnection::CheckPrivilege(const kv::CommandSpec& spec, std::string_view name) {
  auth::Privilege needed = spec.flags & kv::kAdminCommand ? auth::Privilege::Admin
                           : spec.flags & kv::kWrite      ? auth::Privilege::Write
                                                          : auth::Privilege::Read;
  if (privilege_ >= needed) return true;
  server_.log.warn("{}: user \"{}\" refused '{}' on database \"{}\" (needs {})", Describe(), user_, Lower(name), database_,
                   auth::PrivilegeName(needed));
  reply_.Error("NOPERM permission denied for database \"" + database_ + "\": '" + Lower(name) + "' needs " +
               auth::PrivilegeName(needed));
  return false;
}

std::shared_ptr<kv::Keyspace> RespConnection::CurrentKeyspace() {
  if (!keyspace_) {
    // Under the catalog lock, so that the database cannot be dropped between the check and the
    // keyspace's creation (DROP DATABASE drops the keyspace under that lock, held exclusively).
    std::shared_lock lock(server_.engine.catalog_lock());
    if (!server_.engine.catalog().FindDatabase(database_)) return nullptr;
    keyspace_ = server_.engine.kv().Get(database_);
  }
  return keyspace_;
}

bool RespConnection::HoldKeyspace() {
  if (held_lock_.owns_lock()) return true;
  for (int attempt = 0; attempt < 3; ++attempt) {
    held_keyspace_ = CurrentKeyspace();
    if (!held_keyspace_) break;
    held_lock_ = std::unique_lock(held_keyspace_->mutex);
    if (!held_keyspace_->dropped) return true;
    // The database was dropped (and maybe made again): look it up afresh.
    held_lock_.unlock();
    keyspace_.reset();
  }
  held_keyspace_.reset();
  return false;
}

void RespConnection::ReplyDatabaseGone() { reply_.Error("ERR database \"" + database_ + "\" does not exist (it was dropped)"); }

void RespConnection::RunData(const kv::CommandSpec& spec, std::span<const std::string_view> args) {
  if (!HoldKeyspace()) return ReplyDatabaseGone();
  if (RunOnHeldKeyspace(spec, args)) Block(args);
}

bool RespConnection::RunOnHeldKeyspace(const kv::CommandSpec& spec, std::span<const std::string_view> args) {
  kv::CommandContext ctx(server_.engine.kv(), *held_keyspace_, reply_, batch_now_ms_);
  ctx.args = args;
  if (server_.engine.store()) ctx.log = &log_;
  kv::Execute(spec, ctx);
  return ctx.would_block;
}

void RespConnection::EndKeyspaceHold() {
  if (!log_.empty()) {
    try {
      pending_ticket_ = std::max(pending_ticket_, server_.engine.StageKv(*held_keyspace_, log_));
    } catch (const Error& e) {
      // The changes are made (the log is now broken until a checkpoint writes them out), but
      // they are not durable: the client gets no replies for the batch, only a closed connection,
      // so it cannot take them as acknowledged.
      server_.log.error("{}: write-ahead log append failed: {}; closing without the batch's replies", Describe(), e.what());
      out_.clear();
      Close("write-ahead log append failed");
    }
    log_.clear();
  }
  if (held_lock_.owns_lock()) held_lock_.unlock();
  held_keyspace_.reset();
}

// ---------------------------------------------------------------------------------------------
// Connection and server commands

void RespConnection::Publish(std::string_view command) {
  std::lock_guard lock(info_mutex_);
  Published& p = published_;
  p.id = id_;
  p.name = name_;
  p.user = user_;
  p.db = kv::IndexForDatabase(database_);
  p.flags = blocked_ ? 'b' : in_multi_ ? 'x' : 'N';
  p.multi = in_multi_ ? static_cast<int64_t>(queued_.size()) : -1;
  p.qbuf = in_len_;
  p.resp = reply_.protocol() == resp::Protocol::kResp3 ? 3 : 2;
  if (!command.empty()) p.last_command = Lower(command.substr(0, 32));
  p.last_active_ms = last_active_ms_;
}

std::string RespConnection::ClientListLine(int64_t now_ms) const {
  // peer_, local_ and connected_ms_ never change after construction.
  std::lock_guard lock(info_mutex_);
  const Published& p = published_;
  return "id=" + std::to_string(p.id) + " addr=" + peer_ + " laddr=" + local_ + " name=" + p.name +
         " age=" + std::to_string((now_ms - connected_ms_) / 1000) + " idle=" + std::to_string((now_ms - p.last_active_ms) / 1000) +
         " flags=" + p.flags + " db=" + std::to_string(p.db) + " multi=" + std::to_string(p.multi) + " qbuf=" + std::to_string(p.qbuf) +
         " user=" + p.user + " resp=" + std::to_string(p.resp) + " cmd=" + p.last_command + "\n";
}

void RespConnection::Flush() {
  if (writing_ || closed_) return;
  if (out_.empty()) {
    if (close_after_flush_) {
      Close("closed");
      return;
    }
    ReadMore();
    return;
  }
  writing_ = true;
  in_flight_.swap(out_);
  out_.clear();
  asio::async_write(socket_, asio::buffer(in_flight_),
                    asio::bind_executor(strand_, [self = shared_from_this()](const boost::system::error_code& error, size_t bytes) {
                      self->OnWrite(error, bytes);
                    }));
}

void RespConnection::OnWrite(const boost::system::error_code& error, size_t bytes) {
  writing_ = false;
  server_.resp_traffic.Sent(bytes);
  if (in_flight_.capacity() > (1u << 20)) std::string().swap(in_flight_);  // a big reply's buffer goes back
  else in_flight_.clear();
  if (closed_) return;
  if (error) {
    Close("write failed (the client went away)");
    return;
  }
  // Requests that arrived with the last batch but were not run yet (a pause) run now.
  if (!out_.empty() || close_after_flush_) {
    Flush();
    return;
  }
  if (in_len_ > 0) RunBuffered();
  else ReadMore();
}

void RespConnection::FailAndClose(std::string_view error) {
  if (closed_) return;
  reply_.Error(error);
  close_after_flush_ = true;
  Flush();
}

void RespConnection::Close(const char* reason) {
  if (closed_) return;
  closed_ = true;
  if (blocked_) Unblock();
  Unwatch();
  if (authenticated_) server_.log.info("{}: closed ({})", Describe(), reason);
  else server_.log.debug("{}: closed ({})", Describe(), reason);
  boost::system::error_code ignored;
  timer_.cancel();
  block_timer_.cancel();
  socket_.shutdown(Socket::shutdown_both, ignored);
  socket_.close(ignored);
}

void RespConnection::ArmIdleTimer() {
  // One timer for both limits: before login, auth_timeout_ms from the connection's start; after,
  // idle_timeout_ms since the last request (checked when it fires, so requests never touch it).
  uint32_t limit = authenticated_ ? server_.options.idle_timeout_ms : server_.options.auth_timeout_ms;
  if (limit == 0) return;
  int64_t since = authenticated_ ? last_active_ms_ : connected_ms_;
  int64_t left = since + limit - kv::NowMillis();
  timer_.expires_after(std::chrono::milliseconds(std::max<int64_t>(left, 1)));
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (error == asio::error::operation_aborted || self->closed_) return;
    const net::ServerOptions& o = self->server_.options;
    int64_t now = kv::NowMillis();
    if (!self->authenticated_) {
      if (now < self->connected_ms_ + o.auth_timeout_ms) return self->ArmIdleTimer();
      self->server_.log.info("{}: closed: no AUTH within {} ms (auth_timeout_ms)", self->Describe(), o.auth_timeout_ms);
      self->FailAndClose("ERR authentication timed out (auth_timeout_ms)");
      return;
    }
    if (o.idle_timeout_ms == 0) return;  // logged in, and idle connections may stay
    if (self->blocked_ || now < self->last_active_ms_ + o.idle_timeout_ms) return self->ArmIdleTimer();
    self->server_.log.info("{}: closed after {} ms without a request", self->Describe(), o.idle_timeout_ms);
    self->Close("idle timeout");
  });
}

void RespConnection::BeginShutdown() {
  asio::dispatch(strand_, [self = shared_from_this()] {
    if (self->closed_) return;
    if (self->writing_ || self->waiting_durable_) {
      self->close_after_flush_ = true;
      return;
    }
    self->Close("server shutdown");
  });
}

void RespConnection::ForceShutdown() {
  asio::dispatch(strand_, [self = shared_from_this()] { self->Close("server shutdown"); });
}

}  // namespace lyt::frontend
