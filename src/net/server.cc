#include "net/server.h"

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/thread_pool.hpp>
#include <algorithm>
#include <csignal>
#include <shared_mutex>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "auth/authorize.h"
#include "auth/crypto.h"
#include "common/error.h"
#include "common/process_memory.h"
#include "main/engine.h"
#include "durability/store.h"
#include "frontend/http/http_connection.h"
#include "frontend/lyt/lyt_connection.h"
#include "frontend/resp/resp_connection.h"
#include "kv/store.h"
#include "net/poll_budget.h"
#include "net/server_context.h"
#include "net/tls.h"

namespace lyt::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string Endpoint::ToString() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

void EventLoop::WriteStagedLogSoon(Engine& engine) {
  if (log_write_posted_.exchange(true, std::memory_order_acq_rel)) return;
  // Posted handlers run after the ones already queued: the completions of the loop's last poll.
  asio::post(io_, [this, &engine] {
    log_write_posted_.store(false, std::memory_order_release);  // commits staged from now on post again
    engine.WriteStagedLog();
  });
}

namespace {

// A sched_yield that took longer than this let another thread run.
constexpr int64_t kYieldedToAnother = 5'000;  // ns

}  // namespace

void EventLoop::Run(uint32_t poll_us) {
  PollBudget budget(int64_t{poll_us} * 1000);
  for (;;) {
    while (io_.poll() > 0) {
    }
    if (io_.stopped()) return;
    // The work ran out: poll for more for the budget, then sleep.
    int64_t idle_since = NowNanos();
    int64_t until = idle_since + budget.budget_ns();
    bool found = false, contended = false;
    for (int64_t now = idle_since; !found && !contended && now < until && !io_.stopped();) {
      // A thread that wants this CPU (a client on the same machine, a worker) runs first; when
      // one did, the CPU is contended and polling would only delay it: sleep instead.
      sched_yield();
      contended = NowNanos() - now > kYieldedToAnother;
      found = io_.poll() > 0;
      now = NowNanos();
    }
    if (found) continue;
    if (contended) budget.Contended();
    else budget.FoundNothing();
    if (io_.run_one() == 0) return;  // stopped
    budget.AfterWait(NowNanos() - idle_since);
  }
}

ServerContext::ServerContext(Engine& e, const ServerOptions& o, spdlog::logger& l, asio::thread_pool& w, asio::any_io_executor c)
    : engine(e),
      options(o),
      log(l),
      workers(w),
      control(std::move(c)),
      tokens(auth::TokenStore::Options{std::chrono::seconds(o.http_token_ttl_seconds), static_cast<double>(o.http_rate_limit)}),
      basic_logins(auth::TokenStore::Options{std::min(std::chrono::seconds(300), std::chrono::seconds(o.http_token_ttl_seconds)),
                                             static_cast<double>(o.http_rate_limit)}),
      verified_passwords(auth::TokenStore::Options{std::chrono::seconds(300), 0, 10000}),
      registry(o.max_connections),
      metrics(e.metrics().registry()) {}

namespace {

// The key of verified_passwords for `user` and `password`.
std::string VerifiedPasswordKey(const std::string& secret, const std::string& user, const std::string& password) {
  std::string text = "verified password:" + user;
  text.push_back('\0');
  text += password;
  return auth::HexEncode(auth::Hmac(secret, text));
}

}  // namespace

bool ServerContext::TryRememberedPassword(const std::string& user, const std::string& password, const std::string& host) {
  std::string key = VerifiedPasswordKey(scram_secret, user, password);
  auth::TokenStore::Grant grant;
  std::chrono::milliseconds retry_after{0};
  if (verified_passwords.Use(key, &grant, &retry_after) != auth::TokenStore::Outcome::kOk) return false;
  // A changed password or a dropped user ends what was remembered.
  auto verifier = engine.users().Verifier(user);
  if (!verifier || grant.user != user || verifier->stored_key != grant.credential) {
    verified_passwords.Revoke(key);
    return false;
  }
  throttle.RecordSuccess(user, host);
  return true;
}

bool ServerContext::CheckPassword(const std::string& user, const std::string& password, const std::string& host) {
  auto verifier = engine.users().Verifier(user);
  bool ok = false;
  if (verifier) ok = verifier->Matches(password);
  else (void)auth::ScramVerifier::ForUnknownUser(user, scram_secret).Matches(password);  // the same cost, never a match
  if (ok) {
    // Not kept (only slower next time) when the store refuses it.
    (void)verified_passwords.Remember(VerifiedPasswordKey(scram_secret, user, password), {user, verifier->stored_key});
    throttle.RecordSuccess(user, host);
  } else {
    throttle.RecordFailure(user, host);
  }
  return ok;
}

Status ServerContext::CheckCanConnect(const std::string& user, const std::string& database) {
  try {
    std::shared_lock lock(engine.catalog_lock());
    auth::CheckCanConnect(engine.users(), engine.catalog(), user, database);
  } catch (const Error& e) {
    return ToStatus(e, "");
  }
  return Status::OK();
}

bool ConnectionRegistry::Add(uint64_t id, std::weak_ptr<RegisteredConnection> connection) {
  std::lock_guard lock(mutex_);
  if (connections_.size() >= max_) return false;
  connections_.emplace(id, std::move(connection));
  return true;
}

void ConnectionRegistry::Remove(uint64_t id) {
  std::lock_guard lock(mutex_);
  connections_.erase(id);
}

std::shared_ptr<RegisteredConnection> ConnectionRegistry::Find(uint64_t id) {
  std::lock_guard lock(mutex_);
  auto it = connections_.find(id);
  return it == connections_.end() ? nullptr : it->second.lock();
}

void ConnectionRegistry::ForEach(const std::function<void(RegisteredConnection&)>& fn) {
  std::vector<std::shared_ptr<RegisteredConnection>> live;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, weak] : connections_) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
  }
  for (auto& c : live) fn(*c);
}

size_t ConnectionRegistry::size() {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

struct Server::Impl {
  Impl(Engine& engine, ServerOptions o, std::shared_ptr<spdlog::logger> l)
      : options(std::move(o)),
        log(std::move(l)),
        workers(options.worker_threads),
        control(1),
        context(engine, options, *log, workers, control.get_executor()),
        acceptor(control),
        resp_acceptor(control),
        http_acceptor(control),
        signals(control, SIGINT, SIGTERM, SIGHUP),
        shutdown_timer(control),
        watchdog_timer(control),
        expiry_timer(control),
        helpers(std::max(1u, options.io_threads)) {
    for (unsigned i = 0; i < std::max(1u, options.io_threads); ++i) {
      loops.push_back(std::make_unique<EventLoop>());
      loop_guards.emplace_back(loops.back()->io().get_executor());
    }
  }

  enum class Protocol { kLyt, kResp, kHttp };
  // Accepts on `listener`, which serves `protocol`.
  void Accept(tcp::acceptor& listener, Protocol protocol);
  void OnAccept(tcp::acceptor& listener, Protocol protocol, const boost::system::error_code& error, tcp::socket accepted);
  // The server's families in the engine's metrics registry (docs/metrics.md).
  void RegisterMetrics();
  // Every kExpiryPeriod: the key-value store's active expiry (kv::Store::ActiveExpire).
  void ExpireKeys();
  void WaitForSignal();
  void BeginStop();
  void PollStopped(std::chrono::steady_clock::time_point force_at, bool forced);
  void StopAll();
  // Every kWatchdogPeriod: lends a helper thread to each loop whose inline statement has run for
  // longer than that (EventLoop).
  void Watchdog();

  // Declaration order is destruction order in reverse: the event loops (whose queued handlers
  // own connections) go before the context the connections point to.
  ServerOptions options;
  std::shared_ptr<spdlog::logger> log;
  asio::thread_pool workers;
  // Accepting, signals, shutdown and the statement timers: one thread (the one calling Run()).
  asio::io_context control;
  ServerContext context;
  std::vector<std::unique_ptr<EventLoop>> loops;  // each run by a thread of Run()
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> loop_guards;  // keep them running when idle
  size_t next_loop = 0;  // round robin over `loops` for new connections; touched on `control` only
  tcp::acceptor acceptor;
  tcp::acceptor resp_acceptor;  // open when the Redis protocol is served
  tcp::acceptor http_acceptor;  // open when the HTTP API is served
  asio::signal_set signals;
  asio::steady_timer shutdown_timer;
  asio::steady_timer watchdog_timer;
  asio::steady_timer expiry_timer;
  asio::thread_pool helpers;  // the watchdog's helper threads, at most one per loop
  bool stopping = false;  // touched on `control` only (the signal handler and Stop())
};

namespace {

// The query log (log_queries) and the slow-query log (slow_query_ms): one line per statement, from
// the engine's query log observer. Statement texts arrive with passwords already redacted.
void InstallQueryLogger(Server::Impl& s) {
  const ServerOptions& o = s.options;
  if (!o.log_queries && o.slow_query_ms == 0) return;
  s.context.engine.query_log().set_query_observer(
      [log = s.log, all = o.log_queries, slow_ms = o.slow_query_ms](const QueryLogEntry& e) {
        bool slow = slow_ms != 0 && e.duration_ms >= slow_ms;
        if (!all && !slow) return;
        std::string outcome = e.sqlstate.empty() ? std::to_string(e.rows) + " rows" : "ERROR " + e.sqlstate + ": " + e.error;
        log->log(slow ? spdlog::level::warn : spdlog::level::info, "{}query: session {} user \"{}\" database \"{}\" {:.3f} ms, {}: {}",
                 slow ? "slow " : "", e.session_id, e.user, e.database, e.duration_ms, outcome, e.query);
      });
}

}  // namespace

namespace {

// Opens `acceptor` on `where` (the setting `setting`).
Status Listen(tcp::acceptor& acceptor, const Endpoint& where, const char* setting) {
  boost::system::error_code error;
  auto address = asio::ip::make_address(where.host, error);
  if (error) return Status::Error(sqlstate::kInvalidParameterValue, std::string(setting) + ": \"" + where.host + "\" is not an IP address");
  tcp::endpoint endpoint(address, where.port);
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return Status::Error(sqlstate::kConnectionException, "cannot listen on " + where.ToString() + " (" + setting + "): " + error.message());
  }
  return Status::OK();
}

}  // namespace

Server::Server(Engine& engine, ServerOptions options, std::shared_ptr<spdlog::logger> log)
    : impl_(std::make_unique<Impl>(engine, std::move(options), std::move(log))) {}

Server::~Server() {
  impl_->context.engine.query_log().set_query_observer(nullptr);
  impl_->StopAll();
  impl_->workers.join();
}

Status CheckTlsSettings(const ServerOptions& o, bool self_signed) {
  if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
    return Status::Error(sqlstate::kInvalidParameterValue, "tls_cert_file and tls_key_file must be set together");
  }
  if (o.tls_required && o.tls_cert_file.empty() && !self_signed) {
    return Status::Error(sqlstate::kInvalidParameterValue, "tls_required needs tls_cert_file and tls_key_file (or tls_self_signed)");
  }
  return Status::OK();
}

Status Server::Start() {
  Impl& s = *impl_;
  const ServerOptions& o = s.options;
  if (Status checked = CheckTlsSettings(o); !checked.ok()) return checked;
  if (!o.tls_cert_file.empty()) {
    Status status = MakeServerTlsContext(o.tls_cert_file, o.tls_key_file, &s.context.tls);
    if (!status.ok()) return status;
  }
  Status drawn = auth::RandomBytes(32, &s.context.scram_secret);
  if (!drawn.ok()) return drawn;
  InstallQueryLogger(s);
  // Thousands of connections need thousands of descriptors: take what the hard limit allows.
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  Status status = Listen(s.acceptor, o.listen, "listen");
  if (status.ok() && o.resp_enabled) status = Listen(s.resp_acceptor, o.resp_listen, "resp");
  if (status.ok() && o.http_enabled) status = Listen(s.http_acceptor, o.http_listen, "http");
  if (status.ok()) s.RegisterMetrics();
  return status;
}

uint16_t Server::port() const {
  boost::system::error_code error;
  auto endpoint = impl_->acceptor.local_endpoint(error);
  return error ? 0 : endpoint.port();
}

namespace {

uint16_t BoundPort(const tcp::acceptor& acceptor) {
  if (!acceptor.is_open()) return 0;
  boost::system::error_code error;
  auto endpoint = acceptor.local_endpoint(error);
  return error ? 0 : endpoint.port();
}

}  // namespace

uint16_t Server::resp_port() const { return BoundPort(impl_->resp_acceptor); }

uint16_t Server::http_port() const { return BoundPort(impl_->http_acceptor); }

void Server::Run() {
  Impl& s = *impl_;
  s.Accept(s.acceptor, Impl::Protocol::kLyt);
  if (s.resp_acceptor.is_open()) s.Accept(s.resp_acceptor, Impl::Protocol::kResp);
  if (s.http_acceptor.is_open()) s.Accept(s.http_acceptor, Impl::Protocol::kHttp);
  s.WaitForSignal();
  std::vector<std::thread> threads;
  for (auto& loop : s.loops) threads.emplace_back([&loop = *loop, poll_us = s.options.io_poll_us] { loop.Run(poll_us); });
  s.Watchdog();
  s.ExpireKeys();
  s.control.run();
  s.StopAll();
  for (auto& t : threads) t.join();
  s.helpers.join();
  s.workers.join();
}

void Server::Stop() {
  asio::post(impl_->control, [impl = impl_.get()] { impl->BeginStop(); });
}

void Server::Impl::StopAll() {
  control.stop();
  for (auto& loop : loops) loop->io().stop();
}

constexpr auto kWatchdogPeriod = std::chrono::milliseconds(10);

void Server::Impl::Watchdog() {
  int64_t stalled_before = EventLoop::NowNanos() - std::chrono::nanoseconds(kWatchdogPeriod).count();
  for (auto& loop_ptr : loops) {
    EventLoop& loop = *loop_ptr;
    int64_t since = loop.inline_since();
    if (since == 0 || since > stalled_before || loop.helped.exchange(true)) continue;
    // The helper runs the loop's other handlers until that statement ends; inline statements wait
    // for the slot meanwhile (they go to the workers), so the helper is never held up itself.
    asio::post(helpers, [&loop, since] {
      while (loop.inline_since() == since && !loop.io().stopped()) loop.io().run_one_for(kWatchdogPeriod);
      loop.helped.store(false);
    });
  }
  watchdog_timer.expires_after(kWatchdogPeriod);
  watchdog_timer.async_wait([this](const boost::system::error_code& error) {
    if (!error) Watchdog();
  });
}

constexpr auto kExpiryPeriod = std::chrono::milliseconds(100);

void Server::Impl::ExpireKeys() {
  Engine& engine = context.engine;
  engine.kv().ActiveExpire(kv::NowMillis(), 25, [this, &engine](kv::Keyspace& ks, std::string_view entries) {
    try {
      engine.LogKv(ks, entries);
    } catch (const Error& e) {
      log->error("logging expired keys failed: {}", e.what());
    }
  });
  expiry_timer.expires_after(kExpiryPeriod);
  expiry_timer.async_wait([this](const boost::system::error_code& error) {
    if (!error) ExpireKeys();
  });
}

void Server::Impl::RegisterMetrics() {
  metrics::Registry& registry = context.metrics;
  ServerContext& c = context;
  using metrics::Type;
  registry.AddCollector("lytdb_connections", "Open connections, by front end.", Type::kGauge, {"frontend"},
                        [&c](metrics::Emitter& out) {
                          out.Sample({"lyt"}, static_cast<double>(c.lyt_connections.load()));
                          out.Sample({"redis"}, static_cast<double>(c.resp.clients.load()));
                          out.Sample({"http"}, static_cast<double>(c.http.connections.load()));
                        });
  auto traffic = [&c](bool in) {
    return [&c, in](metrics::Emitter& out) {
      auto bytes = [in](const ServerContext::Traffic& t) { return static_cast<double>((in ? t.bytes_in : t.bytes_out).load()); };
      out.Sample({"lyt"}, bytes(c.lyt_traffic));
      out.Sample({"redis"}, bytes(c.resp_traffic));
      out.Sample({"http"}, bytes(c.http_traffic));
    };
  };
  registry.AddCollector("lytdb_network_received_bytes_total", "Bytes read from clients, by front end.", Type::kCounter,
                        {"frontend"}, traffic(true));
  registry.AddCollector("lytdb_network_sent_bytes_total", "Bytes written to clients, by front end.", Type::kCounter,
                        {"frontend"}, traffic(false));
  registry.AddCollector("lytdb_login_failures_total", "Failed logins, by front end.", Type::kCounter, {"frontend"},
                        [&c](metrics::Emitter& out) {
                          out.Sample({"lyt"}, static_cast<double>(c.lyt_login_failures.load()));
                          out.Sample({"redis"}, static_cast<double>(c.resp.rejected_auth.load()));
                          out.Sample({"http"}, static_cast<double>(c.http.login_failures.load()));
                        });
  registry.AddCollector("lytdb_http_requests_total", "HTTP requests received.", Type::kCounter, {},
                        [&c](metrics::Emitter& out) { out.Sample({}, static_cast<double>(c.http.requests.load())); });
  registry.AddCollector("lytdb_redis_commands_total", "Redis commands run.", Type::kCounter, {},
                        [&c](metrics::Emitter& out) { out.Sample({}, static_cast<double>(c.resp.commands.load())); });
  registry.AddCollector("lytdb_wal_bytes_since_checkpoint", "Bytes written to the write-ahead log since the last checkpoint.",
                        Type::kGauge, {}, [&c](metrics::Emitter& out) {
                          durability::Store* store = c.engine.store();
                          out.Sample({}, store ? static_cast<double>(store->wal_bytes_since_checkpoint()) : 0);
                        });
  registry.AddCollector("lytdb_memory_bytes",
                        "Memory: the resident set, what the heap has handed out, and what the tables' row data, "
                        "their indexes and the key-value store take.",
                        Type::kGauge, {"kind"}, [&c](metrics::Emitter& out) {
                          Engine::MemoryUse use = c.engine.MemoryByComponent();
                          out.Sample({"resident"}, static_cast<double>(ResidentBytes()));
                          out.Sample({"heap"}, static_cast<double>(HeapBytes()));
                          out.Sample({"tables"}, static_cast<double>(use.tables));
                          out.Sample({"indexes"}, static_cast<double>(use.indexes));
                          out.Sample({"kv"}, static_cast<double>(use.kv));
                        });
}

void Server::Impl::Accept(tcp::acceptor& listener, Protocol protocol) {
  // Accepted on the control thread's io_context, then handed to a loop (OnAccept): nothing queued
  // on `control` ever holds an object of a loop, which is destroyed first.
  listener.async_accept([this, &listener, protocol](const boost::system::error_code& error, tcp::socket socket) {
    OnAccept(listener, protocol, error, std::move(socket));
  });
}

void Server::Impl::OnAccept(tcp::acceptor& listener, Protocol protocol, const boost::system::error_code& error, tcp::socket accepted) {
  if (!listener.is_open()) return;  // stopping
  if (error) {
    // Out of descriptors or memory: back off briefly instead of spinning.
    log->warn("accept failed: {}", error.message());
    auto retry = std::make_shared<asio::steady_timer>(control, std::chrono::milliseconds(100));
    retry->async_wait([this, retry, &listener, protocol](const boost::system::error_code&) { Accept(listener, protocol); });
    return;
  }
  // The connection belongs to the next event loop, which runs all of its handlers.
  EventLoop& loop = *loops[next_loop++ % loops.size()];
  boost::system::error_code failed;
  tcp::endpoint local = accepted.local_endpoint(failed);
  tcp::socket socket(loop.io());
  if (!failed) {
    tcp::socket::native_handle_type fd = accepted.release(failed);
    if (!failed) {
      socket.assign(local.protocol(), fd, failed);
      if (failed) ::close(fd);
    }
  }
  if (failed) {
    log->warn("accept failed: {}", failed.message());  // the peer went away meanwhile
    Accept(listener, protocol);
    return;
  }
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  switch (protocol) {
    case Protocol::kLyt: std::make_shared<frontend::LytConnection>(context, loop, std::move(socket))->Start(); break;
    case Protocol::kResp: std::make_shared<frontend::RespConnection>(context, loop, std::move(socket))->Start(); break;
    case Protocol::kHttp: frontend::http::StartConnection(context, loop, std::move(socket)); break;
  }
  Accept(listener, protocol);
}

void Server::Impl::WaitForSignal() {
  signals.async_wait([this](const boost::system::error_code& error, int signal) {
    if (error) return;
    // Daemons reload on SIGHUP; lytdb reads its settings once, so SIGHUP (a closed terminal, a
    // reload by a service manager) must not end it.
    if (signal == SIGHUP) {
      log->info("SIGHUP received: ignored (settings are read at start; restart lytdb to change them)");
      WaitForSignal();
      return;
    }
    if (stopping) {
      log->warn("second signal ({}): exiting at once", signal == SIGINT ? "SIGINT" : "SIGTERM");
      log->flush();
      std::_Exit(1);
    }
    log->info("{} received: shutting down (a second signal exits at once)", signal == SIGINT ? "SIGINT" : "SIGTERM");
    BeginStop();
    WaitForSignal();
  });
}

// Stop accepting; idle connections close now, busy ones after their response; statements still
// running after shutdown_grace_ms are interrupted; Run returns when every connection is gone.
void Server::Impl::BeginStop() {
  if (stopping) return;
  stopping = true;
  context.shutting_down = true;
  boost::system::error_code ignored;
  acceptor.close(ignored);
  resp_acceptor.close(ignored);
  http_acceptor.close(ignored);
  expiry_timer.cancel();
  context.registry.ForEach([](RegisteredConnection& c) { c.BeginShutdown(); });
  PollStopped(std::chrono::steady_clock::now() + std::chrono::milliseconds(options.shutdown_grace_ms), false);
}

void Server::Impl::PollStopped(std::chrono::steady_clock::time_point force_at, bool forced) {
  if (context.registry.size() == 0) {
    log->info("all connections closed; stopped");
    signals.cancel();
    watchdog_timer.cancel();
    StopAll();
    return;
  }
  if (!forced && std::chrono::steady_clock::now() >= force_at) {
    log->warn("{} connection(s) still busy after shutdown_grace_ms: interrupting them", context.registry.size());
    context.registry.ForEach([](RegisteredConnection& c) { c.ForceShutdown(); });
    forced = true;
    force_at = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  } else if (forced && std::chrono::steady_clock::now() >= force_at) {
    log->warn("{} connection(s) did not close: stopping anyway", context.registry.size());
    signals.cancel();
    watchdog_timer.cancel();
    StopAll();
    return;
  }
  shutdown_timer.expires_after(std::chrono::milliseconds(20));
  shutdown_timer.async_wait([this, force_at, forced](const boost::system::error_code&) { PollStopped(force_at, forced); });
}

}  // namespace lyt::net
