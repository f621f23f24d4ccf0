#include "runner/lytdb_engine.h"

#include "runner/lyt_result_engine.h"

namespace lyt::bench {
namespace {

class LytdbEngine final : public LytResultEngine {
 public:
  LytdbEngine(std::unique_ptr<Database> db, unsigned threads)
      : db_(std::move(db)), connection_(db_->Connect()), threads_(threads) {}

  std::string Version() const override {
    return "LytDB (threads per query: " + (threads_ ? std::to_string(threads_) : std::string("one per core")) + ")";
  }

 protected:
  std::unique_ptr<QueryResult> Query(const std::string& sql) override { return connection_->Query(sql); }

 private:
  std::unique_ptr<Database> db_;  // outlives connection_ (declared first, destroyed last)
  std::unique_ptr<Connection> connection_;
  unsigned threads_;
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
  return std::make_unique<LytdbEngine>(std::move(db), threads);
}

}  // namespace lyt::bench
