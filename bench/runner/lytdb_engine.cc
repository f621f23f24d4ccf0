#include "runner/lytdb_engine.h"

#include "runner/lyt_result_engine.h"

namespace lyt::bench {
namespace {

class LytdbEngine final : public LytResultEngine {
 public:
  explicit LytdbEngine(std::unique_ptr<Database> db)
      : db_(std::move(db)), connection_(db_->Connect()) {}

  std::string Version() const override {
    // The engine executes each query on one thread today; DatabaseOptions::threads is reserved.
    return "LytDB (threads: one per core)";
  }

 protected:
  std::unique_ptr<QueryResult> Query(const std::string& sql) override { return connection_->Query(sql); }

 private:
  std::unique_ptr<Database> db_;  // outlives connection_ (declared first, destroyed last)
  std::unique_ptr<Connection> connection_;
};

}  // namespace

std::unique_ptr<BenchEngine> OpenLytdbEngine(unsigned threads, std::string* error) {
  DatabaseOptions options;
  options.threads = threads;
  std::unique_ptr<Database> db;
  Status status = Database::Open(options, &db);
  if (!status.ok()) {
    *error = status.ToString();
    return nullptr;
  }
  return std::make_unique<LytdbEngine>(std::move(db));
}

}  // namespace lyt::bench
