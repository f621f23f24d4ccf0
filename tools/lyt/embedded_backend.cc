// The embedded backend: a lyt::Database in this process (lyt PATH, or lyt without a target).
#include <utility>

#include <iostream>

#include "backend.h"

namespace lyt::shell {

namespace {

class EmbeddedBackend : public Backend {
 public:
  EmbeddedBackend(std::unique_ptr<Database> database, std::string data_dir)
      : database_(std::move(database)), connection_(database_->Connect()), data_dir_(std::move(data_dir)) {}

  std::unique_ptr<QueryResult> Query(std::string_view sql) override {
    return connection_->Query(sql);
  }

  const std::string& current_database() const override {
    return connection_->current_database();
  }

  Status SwitchDatabase(const std::string& name) override {
    Status status = connection_->Execute("USE " + name);
    // The position would point into "USE name", text the user did not type.
    return status.ok() ? status : Status::Error(status.sqlstate(), status.message());
  }

  bool is_broken() const override { return false; }
  Status Reconnect() override { return Status::OK(); }

  std::string Describe() const override {
    return "You are connected to database \"" + current_database() + "\" of " + Summary() + " in this process (no server).\n";
  }

  std::string Summary() const override { return data_dir_.empty() ? "an in-memory database" : "data directory " + data_dir_; }

 private:
  std::unique_ptr<Database> database_;
  std::unique_ptr<Connection> connection_;
  std::string data_dir_;  // empty: in memory
};

}  // namespace

Status OpenEmbeddedBackend(const std::string& data_dir, std::unique_ptr<Backend>* out) {
  std::unique_ptr<Database> database;
  DatabaseOptions options;
  options.data_dir = data_dir;
  options.notice = [](const std::string& message) { std::cerr << "lyt: " << message << "\n"; };
  Status status = Database::Open(options, &database);
  if (!status.ok()) return status;
  *out = std::make_unique<EmbeddedBackend>(std::move(database), data_dir);
  return Status::OK();
}

}  // namespace lyt::shell
