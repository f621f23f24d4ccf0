// The connection and server commands of the Redis front end: AUTH, HELLO, SELECT, CLIENT, INFO,
// COMMAND, CONFIG, FLUSHALL, PING and the like (RespConnection's, on its strand).
#include "frontend/resp/resp_connection.h"

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
#include "common/process_memory.h"
#include "frontend/resp/resp_internal.h"
#include "kv/command.h"
#include "kv/glob.h"
#include "kv/store.h"
#include "lyt/version.h"
#include "main/engine.h"

namespace lyt::frontend {

namespace asio = boost::asio;

namespace resp_internal {

std::span<const ConnectionCommand> ConnectionCommands() {
  static constexpr ConnectionCommand kCommands[] = {
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
  return kCommands;
}

const ConnectionCommand* FindConnectionCommand(std::string_view name) {
  for (const auto& c : ConnectionCommands()) {
    if (kv::EqualsIgnoreCase(c.name, name)) return &c;
  }
  return nullptr;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
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

}  // namespace resp_internal

using namespace resp_internal;

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
  if (delay.count() == 0 && server_.TryRememberedPassword(user, password, host)) {
    FinishLogin(user, true, hello, protocol, client_name);
    return;
  }
  // The check runs PBKDF2 (milliseconds): on a worker, after the throttle's delay (guessing is
  // slowed down), so that the event loop goes on serving other connections. This connection
  // runs nothing meanwhile; its answer and the requests behind it follow when the check is done.
  waiting_login_ = true;
  auto check = [self = shared_from_this(), user, password, host, hello, protocol, client_name] {
    asio::post(self->server_.workers, [self, user, password, host, hello, protocol, client_name] {
      bool ok = self->server_.CheckPassword(user, password, host);
      asio::dispatch(self->strand_, [self, ok, user, hello, protocol, client_name] {
        self->waiting_login_ = false;
        if (self->closed_) return;
        self->FinishLogin(user, ok, hello, protocol, client_name);
        self->Flush();
      });
    });
  };
  if (delay.count() == 0) return check();
  auto timer = std::make_shared<asio::steady_timer>(strand_, delay);
  timer->async_wait([timer, check](const boost::system::error_code&) { check(); });
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
    if (Status allowed = server_.CheckCanConnect(user, "main"); !allowed.ok()) {
      server_.log.warn("{}: user \"{}\" may not use database \"main\": {}", Describe(), user, allowed.message());
      reply_.Error("NOPERM " + allowed.message());
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
    uint64_t used = HeapBytes();
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
    uint64_t hits = 0, misses = 0, expired = 0;
    for (auto& ks : server_.engine.kv().All()) {
      std::lock_guard lock(ks->mutex);
      hits += ks->hits;
      misses += ks->misses;
      expired += ks->expired_keys;
    }
    text += "# Stats\r\ntotal_connections_received:" + std::to_string(server_.resp.connections.load()) +
            "\r\ntotal_commands_processed:" + std::to_string(server_.resp.commands.load()) +
            "\r\nrejected_auth:" + std::to_string(server_.resp.rejected_auth.load()) +
            "\r\nexpired_keys:" + std::to_string(expired) + "\r\nkeyspace_hits:" + std::to_string(hits) +
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
  size_t total = kv::AllCommands().size() + ConnectionCommands().size();
  if (args.size() == 1) {
    reply_.Array(total);
    for (const kv::CommandSpec* s : kv::AllCommands()) describe(s->name, s->arity, s->flags, s->first_key, s->last_key, s->key_step);
    for (const auto& c : ConnectionCommands()) describe(c.name, c.arity, c.flags, 0, 0, 0);
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
    kv::Execute(*kv::FindCommand("flushdb"), ctx);
    if (!log.empty()) pending_ticket_ = std::max(pending_ticket_, server_.engine.LogKv(*ks, log));
  }
  reply_.Ok();
}

// ---------------------------------------------------------------------------------------------
// MULTI / EXEC / WATCH

}  // namespace lyt::frontend
