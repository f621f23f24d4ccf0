#include "runner/lytwire_engine.h"

#include <vector>

#include "lyt/client.h"
#include "runner/lyt_result_engine.h"
#include "runner/lytdb_server.h"

namespace lyt::bench {
namespace {

class LytwireEngine final : public LytResultEngine {
 public:
  LytwireEngine(std::unique_ptr<LytdbServer> server, std::unique_ptr<client::Connection> connection)
      : server_(std::move(server)), connection_(std::move(connection)) {}

  std::string Version() const override {
    return "LytDB " + connection_->server_version() + " (lytdb server, defaults)";
  }

 protected:
  std::unique_ptr<QueryResult> Query(const std::string& sql) override { return connection_->Query(sql); }

 private:
  std::unique_ptr<LytdbServer> server_;  // outlives connection_ (declared first, destroyed last)
  std::unique_ptr<client::Connection> connection_;
};

}  // namespace

std::unique_ptr<BenchEngine> OpenLytwireEngine(const std::string& lytdb_binary, const std::string& work_dir,
                                               unsigned threads, std::string* error) {
  std::vector<std::string> args;
  if (threads > 0) args = {"--worker-threads", std::to_string(threads)};
  std::unique_ptr<LytdbServer> server = LytdbServer::Start(lytdb_binary, work_dir, args, error);
  if (!server) return nullptr;
  std::unique_ptr<client::Connection> connection;
  Status status = client::Connection::Connect(server->AdminUri(), &connection);
  if (!status.ok()) {
    *error = "cannot connect to lytdb: " + status.ToString();
    return nullptr;
  }
  return std::make_unique<LytwireEngine>(std::move(server), std::move(connection));
}

}  // namespace lyt::bench
