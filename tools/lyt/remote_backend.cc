// The remote backend: a lyt::client::Connection to a LytDB server (lyt lyt://...).
#include <pwd.h>
#include <unistd.h>

#include <utility>

#include "backend.h"
#include "meta_command.h"

namespace lyt::shell {

namespace {

// A connection with `settings`, to `database` (empty: the user's default).
Status Open(const RemoteSettings& settings, const std::string& database,
            std::unique_ptr<client::Connection>* out) {
  ConnectionUri uri = settings.uri;
  uri.database = database;
  return client::Connection::Connect(FormatConnectionUri(uri, /*with_password=*/true), out,
                                     settings.options);
}

// Statements whose success may change the session's database.
bool MayChangeDatabase(const std::string& tag) {
  return tag == "USE" || tag == "SET" || tag == "RESET";
}

class RemoteBackend : public Backend {
 public:
  RemoteBackend(RemoteSettings settings, std::unique_ptr<client::Connection> connection)
      : settings_(std::move(settings)),
        connection_(std::move(connection)),
        database_(connection_->database()) {}

  std::unique_ptr<QueryResult> Query(std::string_view sql) override {
    std::unique_ptr<QueryResult> result = connection_->Query(sql);
    if (result->ok() && MayChangeDatabase(result->command_tag())) RefreshDatabase();
    return result;
  }

  const std::string& current_database() const override { return database_; }

  Status SwitchDatabase(const std::string& name) override {
    std::unique_ptr<client::Connection> connection;
    Status status = Open(settings_, IdentifierFromArgument(name), &connection);
    if (!status.ok()) {
      return Status::Error(status.sqlstate(), status.message() + "\nPrevious connection kept.");
    }
    Adopt(std::move(connection));
    return status;
  }

  bool is_broken() const override { return connection_->is_broken(); }

  Status Reconnect() override {
    std::unique_ptr<client::Connection> connection;
    Status status = Open(settings_, database_, &connection);
    if (status.ok()) Adopt(std::move(connection));
    return status;
  }

  std::string Describe() const override {
    ConnectionUri shown = settings_.uri;
    shown.database = database_;
    return "You are connected to database \"" + database_ + "\" as user \"" + shown.user +
           "\" on server \"" + connection_->server_address() + "\" (" +
           FormatConnectionUri(shown, /*with_password=*/false) + ").\n";
  }

  std::string Summary() const override {
    return "server " + connection_->server_address() + " (LytDB " + connection_->server_version() + ")";
  }

 private:
  void Adopt(std::unique_ptr<client::Connection> connection) {
    connection_ = std::move(connection);
    database_ = connection_->database();
    settings_.uri.database = database_;
  }

  // Asks the server which database the session is in now (after USE or SET database).
  void RefreshDatabase() {
    std::unique_ptr<QueryResult> result = connection_->Query("SHOW database");
    if (!result->ok() || !result->returns_rows()) return;
    const ResultBatch* batch = result->NextBatch();
    if (batch != nullptr && batch->row_count() == 1 && !batch->IsNull(0, 0)) {
      database_ = std::string(batch->GetString(0, 0));
    }
  }

  RemoteSettings settings_;
  std::unique_ptr<client::Connection> connection_;
  std::string database_;
};

}  // namespace

std::string LoginName() {
  if (const passwd* entry = getpwuid(geteuid()); entry != nullptr && entry->pw_name != nullptr) {
    return entry->pw_name;
  }
  return {};
}

Status ConnectRemoteBackend(RemoteSettings settings, std::unique_ptr<Backend>* out) {
  std::unique_ptr<client::Connection> connection;
  Status status = Open(settings, settings.uri.database, &connection);
  if (!status.ok()) return status;
  *out = std::make_unique<RemoteBackend>(std::move(settings), std::move(connection));
  return Status::OK();
}

}  // namespace lyt::shell
