#include "frontend/resp/resp_connection.h"

#include <malloc.h>
#include <array>
#include <unistd.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <shared_mutex>

#include <spdlog/spdlog.h>

#include "auth/authorize.h"
#include "catalog/catalog.h"
#include "common/error.h"
#include "kv/command.h"
#include "kv/glob.h"
#include "kv/store.h"
#include "lyt/version.h"
#include "main/engine.h"

namespace lyt::frontend {

namespace asio = boost::asio;

namespace {

constexpr const char* kRedisVersion = "7.0.15";  // the Redis whose commands and replies LytDB follows
constexpr size_t kReadChunk = 16 * 1024;
constexpr size_t kMaxMultiQueue = 100000;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string EndpointText(const asio::ip::tcp::endpoint& e) {
  std::string host = e.address().to_string();
  if (e.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(e.port());
}

// Connection and server commands: handled by RespConnection itself.
struct ConnectionCommand {
  std::string_view name;
  int arity;
  uint32_t flags;
};

constexpr ConnectionCommand kConnectionCommands[] = {
    {"auth", -2, kv::kConnection | kv::kNoAuth | kv::kNoMulti},
    {"hello", -1, kv::kConnection | kv::kNoAuth | kv::kNoMulti},
    {"quit", -1, kv::kConnection | kv::kNoAuth | kv::kNoMulti},
    {"ping", -1, kv::kConnection},
    {"echo", 2, kv::kConnection},
    {"select", 2, kv::kConnection},
    {"client", -2, kv::kConnection},
    {"info", -1, kv::kConnection},
    {"command", -1, kv::kConnection},
    {"config", -2, kv::kConnection},
    {"time", 1, kv::kConnection},
    {"flushall", -1, kv::kConnection | kv::kSuperuser},
    {"multi", 1, kv::kConnection | kv::kNoMulti},
    {"exec", 1, kv::kConnection | kv::kNoMulti},
    {"discard", 1, kv::kConnection | kv::kNoMulti},
    {"watch", -2, kv::kConnection | kv::kNoMulti},
    {"unwatch", 1, kv::kConnection | kv::kNoMulti},
    {"reset", 1, kv::kConnection | kv::kNoAuth | kv::kNoMulti},
};

const ConnectionCommand* FindConnectionCommand(std::string_view name) {
  for (const auto& c : kConnectionCommands) {
    if (kv::EqualsIgnoreCase(c.name, name)) return &c;
  }
  return nullptr;
}

bool ArityOk(int arity, size_t words) {
  return arity > 0 ? words == static_cast<size_t>(arity) : words >= static_cast<size_t>(-arity);
}

std::string WrongArity(std::string_view name) { return "ERR wrong number of arguments for '" + Lower(name) + "' command"; }

std::string UnknownCommand(std::span<const std::string_view> args) {
  std::string message = "ERR unknown command '" + std::string(args[0].substr(0, 128)) + "', with args beginning with: ";
  for (size_t i = 1; i < args.size() && message.size() < 512; ++i) message += "'" + std::string(args[i].substr(0, 128)) + "' ";
  return message;
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
    if (n > 1) {
      HoldKeyspace();
      held_keyspace_->Prefetch(std::span<const std::string_view>(keys.data(), n));
    }
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
  // `dropped` is read without the keyspace's mutex only as a hint: HoldKeyspace checks it again.
  if (!keyspace_) keyspace_ = server_.engine.kv().Get(database_);
  return keyspace_;
}

void RespConnection::HoldKeyspace() {
  if (held_lock_.owns_lock()) return;
  for (int attempt = 0; attempt < 3; ++attempt) {
    held_keyspace_ = CurrentKeyspace();
    held_lock_ = std::unique_lock(held_keyspace_->mutex);
    if (!held_keyspace_->dropped) return;
    // The database was dropped (and maybe made again): look it up afresh.
    held_lock_.unlock();
    keyspace_.reset();
  }
  held_keyspace_ = CurrentKeyspace();
  held_lock_ = std::unique_lock(held_keyspace_->mutex);
}

void RespConnection::RunData(const kv::CommandSpec& spec, std::span<const std::string_view> args) {
  HoldKeyspace();
  kv::CommandContext ctx(server_.engine.kv(), *held_keyspace_, reply_, batch_now_ms_);
  ctx.args = args;
  if (server_.engine.store()) ctx.log = &log_;
  spec.run(ctx);
  if (ctx.would_block) Block(args);
}

void RespConnection::EndKeyspaceHold() {
  if (!log_.empty()) {
    try {
      pending_ticket_ = std::max(pending_ticket_, server_.engine.LogKv(*held_keyspace_, log_));
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

bool RespConnection::RunConnectionCommand(std::span<const std::string_view> args) {
  std::string_view name = args[0];
  auto is = [&](std::string_view n) { return kv::EqualsIgnoreCase(name, n); };
  if (is("ping")) {
    if (args.size() > 2) reply_.Error(WrongArity(name));
    else if (args.size() == 2) reply_.Bulk(args[1]);
    else reply_.Simple("PONG");
  } else if (is("echo")) {
    reply_.Bulk(args[1]);
  } else if (is("auth")) {
    Auth(args);
  } else if (is("hello")) {
    Hello(args);
  } else if (is("quit")) {
    reply_.Ok();
    close_after_flush_ = true;
    return false;
  } else if (is("reset")) {
    Reset();
    reply_.Simple("RESET");
  } else if (is("select")) {
    Select(args[1]);
  } else if (is("client")) {
    Client(args);
  } else if (is("info")) {
    Info(args);
  } else if (is("command")) {
    CommandInfo(args);
  } else if (is("config")) {
    Config(args);
  } else if (is("time")) {
    int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    reply_.Array(2);
    reply_.Bulk(std::to_string(us / 1000000));
    reply_.Bulk(std::to_string(us % 1000000));
  } else if (is("flushall")) {
    FlushAll(args);
  } else if (is("multi")) {
    Multi();
  } else if (is("exec")) {
    Exec();
  } else if (is("discard")) {
    Discard();
  } else if (is("watch")) {
    Watch(args);
  } else if (is("unwatch")) {
    Unwatch();
    reply_.Ok();
  }
  return !close_after_flush_ && !waiting_login_;
}

void RespConnection::Reset() {
  // As Redis's RESET: out of MULTI, no watches, RESP2, database 0, no name, and logged out.
  in_multi_ = false;
  queued_.clear();
  Unwatch();
  reply_.set_protocol(resp::Protocol::kResp2);
  database_ = "main";
  keyspace_.reset();
  authenticated_ = false;
  privilege_ = auth::Privilege::None;
  name_.clear();
}

void RespConnection::Auth(std::span<const std::string_view> args) {
  if (args.size() > 3) {
    reply_.Error("ERR syntax error");
    return;
  }
  std::string user = args.size() == 3 ? std::string(args[1]) : server_.options.resp_default_user;
  Login(user, std::string(args.back()), false, 0, "");
}

void RespConnection::Hello(std::span<const std::string_view> args) {
  int64_t protocol = 0;
  size_t i = 1;
  if (args.size() > 1) {
    if (!kv::ParseInt64(args[1], &protocol)) {
      reply_.Error("ERR Protocol version is not an integer or out of range");
      return;
    }
    ++i;
    if (protocol < 2 || protocol > 3) {
      reply_.Error("NOPROTO unsupported protocol version");
      return;
    }
  }
  std::string user, password, client_name;
  bool auth = false;
  for (; i < args.size(); ++i) {
    if (kv::IsOption(args[i], "AUTH") && i + 2 < args.size()) {
      user = args[i + 1];
      password = args[i + 2];
      auth = true;
      i += 2;
    } else if (kv::IsOption(args[i], "SETNAME") && i + 1 < args.size()) {
      client_name = args[++i];
    } else {
      reply_.Error("ERR Syntax error in HELLO option '" + std::string(args[i].substr(0, 64)) + "'");
      return;
    }
  }
  if (auth) {
    Login(user, password, true, protocol, client_name);
    return;
  }
  if (!authenticated_) {
    reply_.Error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option "
        "can be used to authenticate the client and select the RESP protocol version at the same time");
    return;
  }
  FinishLogin(user_, true, true, protocol, client_name);
}

void RespConnection::Login(const std::string& user, const std::string& password, bool hello, int64_t protocol,
                           std::string client_name) {
  std::string host = ClientHost();
  std::chrono::milliseconds delay = server_.throttle.DelayFor(user, host);
  auto check = [this, user, password, host] {
    auto verifier = server_.engine.users().Verifier(user);
    bool ok = verifier && verifier->Matches(password);
    if (ok) server_.throttle.RecordSuccess(user, host);
    else server_.throttle.RecordFailure(user, host);
    return ok;
  };
  if (delay.count() == 0) {
    FinishLogin(user, check(), hello, protocol, client_name);
    return;
  }
  // Guessing is slowed down: the answer comes after the delay; nothing else runs meanwhile.
  waiting_login_ = true;
  auto timer = std::make_shared<asio::steady_timer>(strand_, delay);
  timer->async_wait([self = shared_from_this(), timer, check, user, hello, protocol, client_name](const boost::system::error_code&) {
    self->waiting_login_ = false;
    if (self->closed_) return;
    self->FinishLogin(user, check(), hello, protocol, client_name);
    if (!self->writing_) self->Flush();
  });
}

void RespConnection::FinishLogin(const std::string& user, bool ok, bool hello, int64_t protocol, const std::string& client_name) {
  if (!ok) {
    server_.resp.rejected_auth.fetch_add(1, std::memory_order_relaxed);
    server_.log.warn("{}: login failed for user \"{}\"", Describe(), user);
    reply_.Error("WRONGPASS invalid username-password pair or user is disabled.");
    return;
  }
  if (user != user_ || !authenticated_) {
    // The session starts in "main" (db 0), which needs READ like a lyt session's database.
    try {
      std::shared_lock lock(server_.engine.catalog_lock());
      auth::CheckCanConnect(server_.engine.users(), server_.engine.catalog(), user, "main");
    } catch (const Error& e) {
      server_.log.warn("{}: user \"{}\" may not use database \"main\": {}", Describe(), user, e.what());
      reply_.Error(std::string("NOPERM ") + e.what());
      return;
    }
    bool first = !authenticated_;
    authenticated_ = true;
    user_ = user;
    database_ = "main";
    keyspace_.reset();
    privilege_ = server_.engine.users().PrivilegeOn(user_, database_);
    if (first) server_.log.info("{}: user \"{}\" logged in", Describe(), user);
  }
  if (protocol != 0) reply_.set_protocol(protocol == 3 ? resp::Protocol::kResp3 : resp::Protocol::kResp2);
  if (!client_name.empty()) name_ = client_name;
  if (hello) ReplyHello();
  else reply_.Ok();
}

void RespConnection::ReplyHello() {
  reply_.Map(7);
  reply_.Bulk("server");
  reply_.Bulk("redis");
  reply_.Bulk("version");
  reply_.Bulk(kRedisVersion);
  reply_.Bulk("proto");
  reply_.Integer(reply_.protocol() == resp::Protocol::kResp3 ? 3 : 2);
  reply_.Bulk("id");
  reply_.Integer(static_cast<int64_t>(id_));
  reply_.Bulk("mode");
  reply_.Bulk("standalone");
  reply_.Bulk("role");
  reply_.Bulk("master");
  reply_.Bulk("modules");
  reply_.Array(0);
}

void RespConnection::Select(std::string_view which) {
  int64_t index;
  std::string database;
  if (kv::ParseInt64(which, &index)) {
    if (index < 0) {
      reply_.Error("ERR DB index is out of range");
      return;
    }
    database = kv::DatabaseForIndex(index);
  } else {
    database = which;  // LytDB's extension: a database by name
  }
  bool exists;
  {
    std::shared_lock lock(server_.engine.catalog_lock());
    exists = server_.engine.catalog().FindDatabase(database) != nullptr;
  }
  if (!exists) {
    reply_.Error(kv::ParseInt64(which, &index) ? "ERR DB index is out of range" : "ERR database \"" + database + "\" does not exist");
    return;
  }
  auth::Privilege privilege = server_.engine.users().PrivilegeOn(user_, database);
  if (privilege < auth::Privilege::Read) {
    server_.log.warn("{}: user \"{}\" refused SELECT of database \"{}\"", Describe(), user_, database);
    reply_.Error("NOPERM permission denied for database \"" + database + "\"");
    return;
  }
  database_ = database;
  keyspace_.reset();
  privilege_ = privilege;
  reply_.Ok();
}

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

void RespConnection::Client(std::span<const std::string_view> args) {
  std::string_view sub = args[1];
  if (kv::IsOption(sub, "ID") && args.size() == 2) {
    reply_.Integer(static_cast<int64_t>(id_));
  } else if (kv::IsOption(sub, "SETNAME") && args.size() == 3) {
    for (char c : args[2]) {
      if (c <= ' ' || c > '~') {
        reply_.Error("ERR Client names cannot contain spaces, newlines or special characters.");
        return;
      }
    }
    name_ = args[2];
    reply_.Ok();
  } else if (kv::IsOption(sub, "GETNAME") && args.size() == 2) {
    name_.empty() ? reply_.Null() : reply_.Bulk(name_);
  } else if ((kv::IsOption(sub, "LIST") || kv::IsOption(sub, "INFO")) && (args.size() == 2 || kv::IsOption(sub, "LIST"))) {
    int64_t now = kv::NowMillis();
    Publish("client");
    if (kv::IsOption(sub, "INFO")) {
      std::string line = ClientListLine(now);
      reply_.Verbatim("txt", line);
      return;
    }
    std::string text;
    server_.registry.ForEach([&](net::RegisteredConnection& c) {
      if (auto* r = dynamic_cast<RespConnection*>(&c)) text += r->ClientListLine(now);
    });
    reply_.Verbatim("txt", text);
  } else if (kv::IsOption(sub, "SETINFO") && args.size() == 4) {
    reply_.Ok();
  } else {
    reply_.Error("ERR unknown subcommand or wrong number of arguments for '" + std::string(sub.substr(0, 64)) + "'. Try CLIENT HELP.");
  }
}

void RespConnection::Info(std::span<const std::string_view> args) {
  auto wanted = [&](std::string_view section) {
    if (args.size() == 1) return true;
    for (size_t i = 1; i < args.size(); ++i) {
      if (kv::EqualsIgnoreCase(args[i], section) || kv::IsOption(args[i], "ALL") || kv::IsOption(args[i], "EVERYTHING") ||
          kv::IsOption(args[i], "DEFAULT")) {
        return true;
      }
    }
    return false;
  };
  int64_t now = kv::NowMillis();
  std::string text;
  if (wanted("server")) {
    text += "# Server\r\nredis_version:" + std::string(kRedisVersion) + "\r\nlytdb_version:" LYT_VERSION "\r\nredis_mode:standalone\r\n";
    text += "os:Linux\r\narch_bits:64\r\nprocess_id:" + std::to_string(getpid()) + "\r\ntcp_port:" +
            std::to_string(server_.options.resp_listen.port) + "\r\nuptime_in_seconds:" +
            std::to_string((now - server_.started_ms) / 1000) + "\r\nuptime_in_days:" +
            std::to_string((now - server_.started_ms) / 86400000) + "\r\n\r\n";
  }
  if (wanted("clients")) {
    text += "# Clients\r\nconnected_clients:" + std::to_string(server_.resp.clients.load()) + "\r\nmaxclients:" +
            std::to_string(server_.options.max_connections) + "\r\nblocked_clients:" + std::to_string(server_.resp.blocked.load()) +
            "\r\n\r\n";
  }
  if (wanted("memory")) {
    struct mallinfo2 m = mallinfo2();
    uint64_t used = m.uordblks + m.hblkhd;
    char human[32];
    std::snprintf(human, sizeof human, "%.2fM", static_cast<double>(used) / (1 << 20));
    text += "# Memory\r\nused_memory:" + std::to_string(used) + "\r\nused_memory_human:" + human +
            "\r\nmaxmemory:0\r\nmaxmemory_human:0B\r\nmaxmemory_policy:noeviction\r\nmem_allocator:libc\r\n\r\n";
  }
  if (wanted("persistence")) {
    bool durable = server_.engine.store() != nullptr;
    text += "# Persistence\r\nloading:0\r\nasync_loading:0\r\nrdb_bgsave_in_progress:0\r\naof_enabled:" +
            std::string(durable ? "1" : "0") + "\r\naof_rewrite_in_progress:0\r\nlytdb_wal:" + (durable ? "on" : "off") + "\r\n\r\n";
  }
  if (wanted("stats")) {
    uint64_t hits = 0, misses = 0;
    for (auto& ks : server_.engine.kv().All()) {
      std::lock_guard lock(ks->mutex);
      hits += ks->hits;
      misses += ks->misses;
    }
    text += "# Stats\r\ntotal_connections_received:" + std::to_string(server_.resp.connections.load()) +
            "\r\ntotal_commands_processed:" + std::to_string(server_.resp.commands.load()) +
            "\r\nrejected_auth:" + std::to_string(server_.resp.rejected_auth.load()) +
            "\r\nexpired_keys:" + std::to_string(server_.engine.kv().expired_keys()) + "\r\nkeyspace_hits:" + std::to_string(hits) +
            "\r\nkeyspace_misses:" + std::to_string(misses) + "\r\n\r\n";
  }
  if (wanted("replication")) text += "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n\r\n";
  if (wanted("keyspace")) {
    text += "# Keyspace\r\n";
    for (auto& ks : server_.engine.kv().All()) {
      int64_t index = kv::IndexForDatabase(ks->database());
      std::lock_guard lock(ks->mutex);
      if (ks->size() == 0 || ks->dropped) continue;
      std::string label = index >= 0 ? "db" + std::to_string(index) : ks->database();
      text += label + ":keys=" + std::to_string(ks->size()) + ",expires=" + std::to_string(ks->expires()) + ",avg_ttl=0\r\n";
    }
  }
  reply_.Verbatim("txt", text);
}

void RespConnection::CommandInfo(std::span<const std::string_view> args) {
  auto describe = [&](std::string_view name, int arity, uint32_t flags, int first, int last, int step) {
    reply_.Array(10);
    reply_.Bulk(name);
    reply_.Integer(arity);
    std::vector<const char*> names;
    if (flags & kv::kWrite) names.push_back("write");
    if (flags & kv::kReadOnly) names.push_back("readonly");
    if (flags & kv::kAdminCommand || flags & kv::kSuperuser) names.push_back("admin");
    if (flags & kv::kNoAuth) names.push_back("no_auth");
    if (flags & kv::kBlocking) names.push_back("blocking");
    reply_.Set(names.size());
    for (const char* n : names) reply_.Simple(n);
    reply_.Integer(first);
    reply_.Integer(last);
    reply_.Integer(step);
    reply_.Set(0);
    reply_.Set(0);
    reply_.Array(0);
    reply_.Array(0);
  };
  auto describe_name = [&](std::string_view name) {
    if (const kv::CommandSpec* s = kv::FindCommand(name)) {
      describe(s->name, s->arity, s->flags, s->first_key, s->last_key, s->key_step);
    } else if (const ConnectionCommand* c = FindConnectionCommand(name)) {
      describe(c->name, c->arity, c->flags, 0, 0, 0);
    } else {
      reply_.NullArray();
    }
  };
  size_t total = kv::AllCommands().size() + std::size(kConnectionCommands);
  if (args.size() == 1) {
    reply_.Array(total);
    for (const kv::CommandSpec* s : kv::AllCommands()) describe(s->name, s->arity, s->flags, s->first_key, s->last_key, s->key_step);
    for (const auto& c : kConnectionCommands) describe(c.name, c.arity, c.flags, 0, 0, 0);
  } else if (kv::IsOption(args[1], "COUNT")) {
    reply_.Integer(static_cast<int64_t>(total));
  } else if (kv::IsOption(args[1], "INFO")) {
    reply_.Array(args.size() - 2);
    for (size_t i = 2; i < args.size(); ++i) describe_name(args[i]);
  } else if (kv::IsOption(args[1], "DOCS")) {
    reply_.Map(0);
  } else {
    reply_.Error("ERR unknown subcommand '" + std::string(args[1].substr(0, 64)) + "'. Try COMMAND HELP.");
  }
}

void RespConnection::Config(std::span<const std::string_view> args) {
  if (kv::IsOption(args[1], "GET") && args.size() >= 3) {
    bool durable = server_.engine.store() != nullptr;
    const std::pair<const char*, std::string> settings[] = {
        {"databases", "16"},
        {"save", ""},
        {"appendonly", durable ? "yes" : "no"},
        {"appendfsync", "everysec"},
        {"maxmemory", "0"},
        {"maxmemory-policy", "noeviction"},
        {"maxclients", std::to_string(server_.options.max_connections)},
        {"timeout", std::to_string(server_.options.idle_timeout_ms / 1000)},
        {"port", std::to_string(server_.options.resp_listen.port)},
        {"bind", server_.options.resp_listen.host},
        {"proto-max-bulk-len", std::to_string(server_.options.resp_max_bulk_bytes)},
    };
    std::vector<const std::pair<const char*, std::string>*> found;
    for (const auto& s : settings) {
      for (size_t i = 2; i < args.size(); ++i) {
        if (kv::GlobMatch(Lower(args[i]), s.first)) {
          found.push_back(&s);
          break;
        }
      }
    }
    reply_.Map(found.size());
    for (const auto* s : found) {
      reply_.Bulk(s->first);
      reply_.Bulk(s->second);
    }
  } else if (kv::IsOption(args[1], "SET") || kv::IsOption(args[1], "RESETSTAT") || kv::IsOption(args[1], "REWRITE")) {
    reply_.Error("ERR CONFIG " + Lower(args[1]) + " is not supported: LytDB's settings come from lytdb's configuration (lytdb --help)");
  } else {
    reply_.Error("ERR unknown subcommand or wrong number of arguments for '" + std::string(args[1].substr(0, 64)) + "'. Try CONFIG HELP.");
  }
}

void RespConnection::FlushAll(std::span<const std::string_view> args) {
  if (args.size() > 2 || (args.size() == 2 && !kv::IsOption(args[1], "ASYNC") && !kv::IsOption(args[1], "SYNC"))) {
    reply_.Error("ERR syntax error");
    return;
  }
  if (!server_.engine.users().IsSuperuser(user_)) {
    server_.log.warn("{}: user \"{}\" refused FLUSHALL (superusers only)", Describe(), user_);
    reply_.Error("NOPERM permission denied: FLUSHALL needs a superuser");
    return;
  }
  std::string_view words[] = {"FLUSHDB"};
  for (auto& ks : server_.engine.kv().All()) {
    std::lock_guard lock(ks->mutex);
    if (ks->dropped || ks->size() == 0) continue;
    std::string scratch;
    resp::ReplyWriter ignored(scratch);
    kv::CommandContext ctx(server_.engine.kv(), *ks, ignored, kv::NowMillis());
    ctx.args = words;
    std::string log;
    if (server_.engine.store()) ctx.log = &log;
    kv::FindCommand("flushdb")->run(ctx);
    if (!log.empty()) pending_ticket_ = std::max(pending_ticket_, server_.engine.LogKv(*ks, log));
  }
  reply_.Ok();
}

// ---------------------------------------------------------------------------------------------
// MULTI / EXEC / WATCH

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
  HoldKeyspace();
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
    HoldKeyspace();
    kv::CommandContext ctx(server_.engine.kv(), *held_keyspace_, reply_, batch_now_ms_);
    ctx.args = args;
    if (server_.engine.store()) ctx.log = &log_;
    spec->run(ctx);
    if (ctx.would_block) reply_.NullArray();  // blocking commands do not block inside MULTI
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
  blocked_ = false;
  server_.resp.blocked.fetch_sub(1, std::memory_order_relaxed);
  {
    std::lock_guard lock(blocked_keyspace_->mutex);
    for (size_t i = 1; i + 1 < blocked_args_.size(); ++i) blocked_keyspace_->RemoveWatcher(blocked_args_[i], &block_watch_);
  }
  block_timer_.cancel();
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
  kv::CommandContext ctx(server_.engine.kv(), *held_keyspace_, reply_, batch_now_ms_);
  ctx.args = args;
  if (server_.engine.store()) ctx.log = &log_;
  spec->run(ctx);
  EndKeyspaceHold();
  if (ctx.would_block) return;  // another client took the element first: wait on
  Unblock();
  // The reply goes out with the rest of the buffered input's (after its commit's flush).
  blocked_ = false;
  RunBuffered();
}

// ---------------------------------------------------------------------------------------------
// Writing, closing, timers

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
                    asio::bind_executor(strand_, [self = shared_from_this()](const boost::system::error_code& error, size_t) {
                      self->OnWrite(error);
                    }));
}

void RespConnection::OnWrite(const boost::system::error_code& error) {
  writing_ = false;
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
