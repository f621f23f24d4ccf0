// The embedded backend: a lyt::Database in this process (lyt without a target).
#include <utility>

#include "backend.h"

namespace lyt::shell {

namespace {

class EmbeddedBackend : public Backend {
 public:
  explicit EmbeddedBackend(std::unique_ptr<Database> database)
      : database_(std::move(database)), connection_(database_->Connect()) {}

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
    return "You are connected to database \"" + current_database() +
           "\" of an in-memory database in this process (no server).\n";
  }

  std::string Summary() const override { return "in-memory database"; }

 private:
  std::unique_ptr<Database> database_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace

Status OpenEmbeddedBackend(std::unique_ptr<Backend>* out) {
  std::unique_ptr<Database> database;
  Status status = Database::Open({}, &database);
  if (!status.ok()) return status;
  *out = std::make_unique<EmbeddedBackend>(std::move(database));
  return Status::OK();
}

}  // namespace lyt::shell
