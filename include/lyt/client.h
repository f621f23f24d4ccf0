// The C++ client of a LytDB server: connects with a lyt:// URI (docs/connecting.md), speaks the lyt
// protocol (docs/protocol.md) and returns results as the same lyt::QueryResult the embedded engine
// gives, so code that prints or reads results works for both. Guide: docs/client.md.
//
//   std::unique_ptr<lyt::client::Connection> conn;
//   lyt::Status s = lyt::client::Connection::Connect("lyt://alice:secret@localhost/main", &conn);
//   if (!s.ok()) { ... s.sqlstate(), s.message() ... }
//   auto result = conn->Query("SELECT $1::INTEGER + 1", {lyt::Value::Integer(41)});
//   while (const lyt::ResultBatch* batch = result->NextBatch()) { ... }
//
// Two kinds of failure: an error the server reports for a statement (a QueryResult whose status
// carries the server's SQLSTATE, message and line:column; the connection stays usable), and a
// failure of the connection itself (SQLSTATE 08001 while connecting, 08006 when the connection is
// lost or times out, 08P01 when the server breaks the protocol). After the second kind the
// connection is broken: is_broken() is true and every later call fails at once with 08006.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lyt/database.h"
#include "lyt/status.h"
#include "lyt/uri.h"
#include "lyt/value.h"

namespace lyt::client {

// Settings that do not belong in a URI. Every field has a usable default.
struct ConnectOptions {
  // Used instead of the URI's password (the shell fills it from a prompt). Without either, an
  // empty password is sent and the server decides.
  std::optional<std::string> password;
  // The user when the URI names none; empty: the operating system's login name.
  std::string user;
  // tls=verify-full: PEM file of the trusted roots; empty: the system's trust store.
  std::string tls_ca_file;
  // A client certificate and its key (PEM), sent when the server asks for one; empty: none.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Per host tried: TCP connect, TLS and authentication together. Zero: the URI's
  // connect_timeout, and without one the operating system's limits.
  std::chrono::milliseconds connect_timeout{0};
  // Per request, from the call that waits for its response: when it passes, the client sends a
  // CANCEL, and the statement's error (57014) names the timeout. Zero: wait as long as it takes.
  std::chrono::milliseconds query_timeout{0};
  // Largest response frame accepted; a larger one breaks the connection (08P01). The whole
  // result of a statement is held in memory, so this also bounds one batch's size.
  uint32_t max_frame_bytes = 64u << 20;
  // Sent in HELLO as `client`.
  std::string client_name = "lyt-client 0.1";
};

// What the server said about a prepared statement.
struct PreparedInfo {
  std::vector<LogicalType> param_types;  // TypeId::Null where the server leaves a type open
  std::vector<ColumnInfo> columns;       // empty for statements without rows
};

// A message the server sent besides results (NOTICE).
struct Notice {
  std::string sqlstate;
  std::string message;
};

class Channel;  // internal: frames over a socket, with or without TLS
}  // namespace lyt::client
namespace lyt::protocol {
struct Frame;
enum class TransactionStatus : uint8_t;
}  // namespace lyt::protocol
namespace lyt::client {

// One session on a LytDB server.
//
// Thread safety: not thread-safe; use a Connection from one thread at a time (a ConnectionPool
// hands them out). The one exception is Cancel(), which any thread may call at any time.
class Connection {
 public:
  // Connects to the first host of `uri` that answers: opens TCP (and TLS per the URI's `tls`
  // option), says HELLO and authenticates with SCRAM-SHA-256, checking the server's signature
  // too. A host that cannot be reached, fails TLS or breaks the protocol is skipped for the next
  // one; an error the server sends (wrong password 28P01, unknown database 3D000, too many
  // connections 53300, ...) is returned at once. On success sets *out and returns OK. Failures:
  // 22023 for a malformed URI; 08001 naming "host:port" and the reason when every host failed
  // (one reason per host tried); 08P01 / 08006 when the only host broke the protocol or closed.
  static Status Connect(std::string_view uri, std::unique_ptr<Connection>* out,
                        const ConnectOptions& options = {});

  // Sends TERMINATE (best effort) and closes the socket.
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs every statement in `sql` in order on the server, each atomically unless a transaction
  // block is open; stops at the first failing statement and returns its error; otherwise the last
  // statement's result (an empty command result for text without statements). `params` bind to
  // $1, $2, ... Never null; never throws.
  std::unique_ptr<QueryResult> Query(std::string_view sql, const std::vector<Value>& params = {});
  // Query() for statements whose rows are not needed.
  Status Execute(std::string_view sql, const std::vector<Value>& params = {});

  // Prepared statements, named per session. Prepare fails with the server's error (a syntax
  // error, a duplicate name, ...); *info, when given, receives the parameter and column types.
  Status Prepare(std::string_view name, std::string_view sql, PreparedInfo* info = nullptr);
  std::unique_ptr<QueryResult> ExecutePrepared(std::string_view name, const std::vector<Value>& params = {});
  Status ClosePrepared(std::string_view name);

  // A round trip that runs nothing: OK when the server answers.
  Status Ping();

  // Asks the server to stop the statement this connection is running: opens a second connection
  // to the same host (TLS as this one) and sends CANCEL with this session's id and key. The
  // statement, if one was running, then fails with 57014; if none was, nothing happens. OK once
  // the request was delivered (the server never says whether it matched). Thread-safe.
  Status Cancel();

  // Transaction blocks (thin: BEGIN, COMMIT, ROLLBACK). COMMIT of a failed block rolls back and
  // reports OK, as PostgreSQL does (the tag says ROLLBACK).
  Status Begin();
  Status Commit();
  Status Rollback();

  // Pipelining: Send and SendPrepared write a request without waiting and return its id;
  // Receive(id) returns its result, reading (and keeping) the results of earlier requests first.
  // Each id can be received once; an unknown id gives a 22023 error result. The requests of one
  // connection run one after another on the server, in the order sent. Keep the number of
  // unanswered requests modest (hundreds): the client reads nothing until Receive is called.
  uint32_t Send(std::string_view sql, const std::vector<Value>& params = {});
  uint32_t SendPrepared(std::string_view name, const std::vector<Value>& params = {});
  std::unique_ptr<QueryResult> Receive(uint32_t id);
  // Requests sent and not yet received.
  size_t pending() const { return pending_.size() + ready_.size(); }

  // Notices the server sent since the last call, oldest first.
  std::vector<Notice> TakeNotices();

  uint64_t session_id() const { return session_id_; }
  // The database the server put the session in (the URI's, or the user's default).
  const std::string& database() const { return database_; }
  const std::string& server_version() const { return server_version_; }
  // "host:port" of the server this connection reached.
  const std::string& server_address() const { return address_; }
  bool is_broken() const { return !broken_.ok(); }
  // Whether the session is inside a transaction block (open or failed), as the server's READY
  // after the last QUERY or EXECUTE said.
  bool in_transaction() const { return in_transaction_; }

 private:
  enum class RequestKind : uint8_t { Query, Execute, Prepare, Close, Ping };
  struct Pending {
    uint32_t id;
    RequestKind kind;
  };
  struct Ready {
    uint32_t id;
    std::unique_ptr<QueryResult> result;
  };
  struct CancelTarget;

  Connection();
  Status Start(const ConnectionUri& uri, size_t host, const ConnectOptions& options, bool* rejected);
  uint32_t NextId();
  // Writes a request (with `encode()` as payload) and queues it for reading; a request that
  // cannot be encoded gets its error result at once.
  template <class Encode>
  uint32_t SendRequest(RequestKind kind, uint8_t type, Encode encode);
  // Sends one request and reads its response (after the responses of requests sent earlier).
  std::unique_ptr<QueryResult> RunSimple(RequestKind kind, uint8_t type, std::string payload,
                                         PreparedInfo* info = nullptr);
  std::unique_ptr<QueryResult> ReadResponse(const Pending& request, PreparedInfo* info);
  std::unique_ptr<QueryResult> ReadStatements(const Pending& request);
  std::unique_ptr<QueryResult> ReadSimple(const Pending& request, PreparedInfo* info);
  // The next frame of `request`'s response, notices set aside.
  Status NextFrame(const Pending& request, protocol::Frame* frame);
  // Marks the connection broken by `status` (the first cause is kept) and returns `status`.
  Status Break(Status status);
  void NoteTransactionStatus(protocol::TransactionStatus status);

  std::unique_ptr<Channel> channel_;
  std::unique_ptr<CancelTarget> cancel_target_;  // immutable once connected: read by Cancel()
  ConnectOptions options_;
  uint32_t next_id_ = 1;
  std::deque<Pending> pending_;
  std::vector<Ready> ready_;
  std::vector<Notice> notices_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;  // of the response being read
  bool timed_out_ = false;
  Status broken_;
  bool in_transaction_ = false;  // from the last READY
  uint64_t session_id_ = 0;
  std::string database_;
  std::string server_version_;
  std::string address_;
};

struct PoolOptions {
  size_t max_size = 8;  // connections open at once, idle or in use
  ConnectOptions connect;
};

class ConnectionPool;
namespace detail {
struct PoolState;
}

// A connection borrowed from a ConnectionPool: use it like a Connection*; on destruction (or
// Release) it goes back to the pool, unless it is broken or has unread pipelined results (then it
// is closed). A connection that may be inside a transaction block is rolled back first. Movable;
// may outlive the pool object (the pool's state lives until the last handle is gone).
class PooledConnection {
 public:
  PooledConnection() = default;
  ~PooledConnection() { Release(); }
  PooledConnection(PooledConnection&& other) noexcept = default;
  PooledConnection& operator=(PooledConnection&& other) noexcept;
  PooledConnection(const PooledConnection&) = delete;
  PooledConnection& operator=(const PooledConnection&) = delete;

  explicit operator bool() const { return conn_ != nullptr; }
  Connection* operator->() const { return conn_.get(); }
  Connection& operator*() const { return *conn_; }
  Connection* get() const { return conn_.get(); }
  // Returns the connection to the pool now; the handle is then empty.
  void Release();

 private:
  friend class ConnectionPool;
  std::shared_ptr<detail::PoolState> pool_;
  std::unique_ptr<Connection> conn_;
};

// A thread-safe pool of connections to one URI, opened on demand up to max_size.
class ConnectionPool {
 public:
  // Checks the URI (22023 when malformed) and the options (22023 for max_size 0); opens nothing.
  static Status Create(std::string_view uri, const PoolOptions& options, std::unique_ptr<ConnectionPool>* out);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Lends an idle connection, or opens a new one while fewer than max_size are open, or waits
  // for one to come back. Fails with Connect()'s error when opening fails, or 53300 when
  // `timeout` passes first (zero: wait forever). Thread-safe.
  Status Acquire(PooledConnection* out, std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

  // Connections open (idle and lent), and idle ones. Thread-safe.
  size_t size() const;
  size_t idle() const;

 private:
  ConnectionPool() = default;
  std::shared_ptr<detail::PoolState> state_;
};

}  // namespace lyt::client
