// One client connection speaking the Redis protocol, RESP2 or RESP3 (docs/redis-compatibility.md).
//
// Threads: every handler runs on the connection's strand, on its event loop's thread. Commands
// are quick (no SQL): they run right there. The complete commands a read brought in run as one
// batch: consecutive data commands share one hold of their keyspace's mutex and one write-ahead
// log commit, and their replies go out in one write once the commit is durable (fsync policy).
// So pipelining costs one lock, one log commit and one write per batch, not per command. The
// commit is staged (Engine::StageKv), not written under the keyspace's mutex: the event loop
// writes the staged commits of all its connections once per pass (EventLoop::WriteStagedLogSoon).
//
// A client is never read while its replies wait to be written or while it is blocked (BLPOP),
// so a client that does not read its replies is held back by TCP rather than by server memory.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "auth/user_store.h"
#include "kv/keyspace.h"
#include "net/server_context.h"
#include "protocol/resp.h"

namespace lyt::kv {
struct CommandSpec;
class CommandContext;
}  // namespace lyt::kv

namespace lyt::frontend {

class RespConnection final : public net::RegisteredConnection, public std::enable_shared_from_this<RespConnection> {
 public:
  using Socket = boost::asio::ip::tcp::socket;

  RespConnection(net::ServerContext& server, net::EventLoop& loop, Socket socket);
  ~RespConnection() override;

  // Registers the connection (refusing it when the server is full) and starts reading.
  void Start();

  void CancelStatement(uint64_t) override {}  // commands are short: nothing to cancel
  void BeginShutdown() override;
  void ForceShutdown() override;

  // The CLIENT LIST line of this connection (thread-safe).
  std::string ClientListLine(int64_t now_ms) const;

 private:
  // Reading and the batch loop.
  void ReadMore();
  void OnRead(const boost::system::error_code& error, size_t bytes);
  // Runs the complete commands buffered in in_ (unless blocked or waiting for a write), then
  // writes the replies (after the batch's commit is durable) or reads more.
  void RunBuffered();
  // Runs one command; false when the batch must stop here (blocked, closing).
  bool RunCommand(std::span<const std::string_view> args);
  // A data command of the key-value store, under the keyspace's mutex (taken and kept for the batch).
  void RunData(const kv::CommandSpec& spec, std::span<const std::string_view> args);
  // Runs `spec` on held_keyspace_ (whose mutex is held), replying into out_ and logging into
  // log_; true when it would block (nothing replied).
  bool RunOnHeldKeyspace(const kv::CommandSpec& spec, std::span<const std::string_view> args);
  bool RunConnectionCommand(std::span<const std::string_view> args);
  // Stages the commit of what the data commands of the batch changed (raising pending_ticket_ to
  // its durability ticket; the loop writes it after the pass) and releases the keyspace.
  void EndKeyspaceHold();
  // Holds the current database's keyspace (its mutex) for the batch, unless held already; false
  // when the database no longer exists.
  bool HoldKeyspace();
  void ReplyDatabaseGone();
  // Whether the connection must not run input now.
  bool held_back() const { return closed_ || waiting_login_ || waiting_durable_ || blocked_ || writing_; }
  bool CheckPrivilege(const kv::CommandSpec& spec, std::string_view name);

  // Connection and server commands.
  void Auth(std::span<const std::string_view> args);
  void Hello(std::span<const std::string_view> args);
  // Checks `password` for `user`: replies and logs a failure, or logs the user in. The throttle's
  // delay, when there is one, postpones the answer (the connection pauses meanwhile).
  void Login(const std::string& user, const std::string& password, bool hello, int64_t protocol, std::string client_name);
  void FinishLogin(const std::string& user, bool ok, bool hello, int64_t protocol, const std::string& client_name);
  void ReplyHello();
  void Select(std::string_view which);
  void Client(std::span<const std::string_view> args);
  void Info(std::span<const std::string_view> args);
  void CommandInfo(std::span<const std::string_view> args);
  void Config(std::span<const std::string_view> args);
  void FlushAll(std::span<const std::string_view> args);
  void Multi();
  void Exec();
  void Discard();
  void Watch(std::span<const std::string_view> args);
  void Unwatch();
  // Blocking (BLPOP / BRPOP that found nothing): parks the client until a key changes or the
  // timeout passes.
  void Block(std::span<const std::string_view> args);
  void RetryBlocked();
  void Unblock();
  // Takes this connection's watchers (WATCH, a blocked pop) out of their keyspaces.
  void ForgetWatchers();
  void ForgetBlockWatcher();

  // The keyspace of the current database (created on first use; null when the database was
  // dropped). keyspace_ caches it; reset it to look the database up again.
  std::shared_ptr<kv::Keyspace> CurrentKeyspace();
  void Reset();

  // Writing.
  void Flush();
  void OnWrite(const boost::system::error_code& error, size_t bytes);
  void FailAndClose(std::string_view error);
  void Close(const char* reason);
  void ArmIdleTimer();

  std::string Describe() const;
  std::string ClientHost() const;

  net::ServerContext& server_;
  net::EventLoop& loop_;  // the socket's: writes the log for the batches it stages
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  Socket socket_;
  uint64_t id_ = 0;
  std::string peer_;
  std::string local_;
  int64_t connected_ms_ = 0;

  std::string in_;          // in_[0, in_len_) was received; the rest is room for the next read
  size_t in_len_ = 0;
  size_t in_start_ = 0;     // in_[in_start_, in_len_) is not run yet
  resp::RequestParser parser_;
  std::string out_;         // replies of the current batch
  std::string in_flight_;   // being written
  resp::ReplyWriter reply_;
  bool reading_ = false;
  bool writing_ = false;
  bool waiting_login_ = false;    // a failed-login delay runs
  bool waiting_durable_ = false;  // the batch's replies wait for its commit's flush
  bool closed_ = false;
  bool close_after_flush_ = false;

  // The current batch's hold of the keyspace and its log entries.
  std::shared_ptr<kv::Keyspace> held_keyspace_;
  std::unique_lock<std::mutex> held_lock_;
  std::string log_;
  uint64_t pending_ticket_ = 0;
  int64_t batch_now_ms_ = 0;
  auth::Privilege privilege_ = auth::Privilege::None;  // on database_, read at each batch's start

  // Session state.
  bool authenticated_ = false;
  std::string user_;
  std::string database_ = "main";
  std::shared_ptr<kv::Keyspace> keyspace_;

  // MULTI / WATCH.
  bool in_multi_ = false;
  bool multi_failed_ = false;  // a command could not be queued: EXEC aborts
  std::vector<std::vector<std::string>> queued_;
  kv::KeyWatcher watch_;
  std::vector<std::pair<std::shared_ptr<kv::Keyspace>, std::string>> watched_;

  // Blocking.
  bool blocked_ = false;
  std::vector<std::string> blocked_args_;
  std::shared_ptr<kv::Keyspace> blocked_keyspace_;
  kv::KeyWatcher block_watch_;
  boost::asio::steady_timer block_timer_;

  boost::asio::steady_timer timer_;  // authentication, then idle timeout
  int64_t last_active_ms_ = 0;

  // What CLIENT LIST shows of this connection: a copy of its state, published at the end of each
  // batch (Publish) under `info_mutex_`, which other connections read.
  struct Published {
    uint64_t id = 0;
    std::string name;
    std::string user;
    int64_t db = 0;
    char flags = 'N';
    int64_t multi = -1;
    size_t qbuf = 0;
    int resp = 2;
    std::string last_command;
    int64_t last_active_ms = 0;
  };
  void Publish(std::string_view command);
  mutable std::mutex info_mutex_;
  Published published_;
  std::string name_;  // CLIENT SETNAME (on the strand)

  uint64_t commands_ = 0;
};

}  // namespace lyt::frontend
