// Where the shell's statements go: an embedded database in this process, or a LytDB server over
// the lyt protocol (lyt::client). Both return the same lyt::QueryResult, so the printers and the
// rest of the shell see only this interface.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "lyt/client.h"
#include "lyt/database.h"
#include "lyt/status.h"
#include "lyt/uri.h"

namespace lyt::shell {

class Backend {
 public:
  virtual ~Backend() = default;

  // Runs `sql` (the shell passes one statement at a time). Never null; a failure is the
  // result's status.
  virtual std::unique_ptr<QueryResult> Query(std::string_view sql) = 0;

  // The database statements run in; changes with USE and \c.
  virtual const std::string& current_database() const = 0;

  // \c NAME: makes NAME (an SQL identifier as typed: folded to lower case unless double-quoted)
  // the current database. Embedded: USE NAME. Remote: a new connection to the same server with
  // the same user and password; on failure the old connection is kept. Returns the error.
  virtual Status SwitchDatabase(const std::string& name) = 0;

  // True when the connection to the server is lost (SQLSTATE 08006); never for embedded.
  virtual bool is_broken() const = 0;
  // Opens a new connection with the same settings, in the current database. On failure the
  // backend stays broken and the error is returned. Embedded: nothing to do, OK.
  virtual Status Reconnect() = 0;

  // The \conninfo line (with '\n'). Never contains a password.
  virtual std::string Describe() const = 0;
  // What the interactive banner says is open: "in-memory database", "server host:port (...)".
  virtual std::string Summary() const = 0;
};

// A lyt::Database in this process: on data directory `data_dir` (recovered, then logged), or a
// fresh in-memory one when it is empty.
Status OpenEmbeddedBackend(const std::string& data_dir, std::unique_ptr<Backend>* out);

// The operating system's name for this process's user: the user when a URI names none, as the
// client does. Empty when the system does not know it.
std::string LoginName();

// Settings of a remote connection, kept for \c and for reconnecting.
struct RemoteSettings {
  ConnectionUri uri;  // with the user filled in (LoginName() when the URI names none)
  client::ConnectOptions options;  // options.password: from LYT_PASSWORD or the prompt, if any
};

// Connects to the server `settings` name. Errors are the client's (08001, 28P01, 3D000, ...).
Status ConnectRemoteBackend(RemoteSettings settings, std::unique_ptr<Backend>* out);

}  // namespace lyt::shell
