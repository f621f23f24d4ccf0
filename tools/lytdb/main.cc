// lytdb: the LytDB server. Reads its settings (config.h), prepares the data directory
// (data_dir.h), then serves the lyt protocol until SIGTERM / SIGINT.
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

#include "config.h"
#include "data_dir.h"
#include "durability/store.h"
#include "lyt/version.h"
#include "main/engine.h"
#include "net/server.h"
#include "net/tls.h"

namespace {

using lyt::Status;
using lyt::server::ServerConfig;

std::shared_ptr<spdlog::logger> MakeLogger(const ServerConfig& config) {
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (!config.log_file.empty()) {
    std::filesystem::path path = config.log_file;
    if (path.is_relative()) path = std::filesystem::path(config.data_dir) / path;
    sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(path.string(), config.log_max_bytes, config.log_max_files));
  }
  auto log = std::make_shared<spdlog::logger>("lytdb", sinks.begin(), sinks.end());
  log->set_level(spdlog::level::from_str(config.log_level));
  log->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
  log->flush_on(spdlog::level::info);
  return log;
}

// tls_self_signed without a configured certificate: DATA_DIR/tls/server.{crt,key}, made once.
Status PrepareSelfSignedTls(ServerConfig& config, spdlog::logger& log) {
  if (!config.tls_self_signed || !config.net.tls_cert_file.empty()) return Status::OK();
  std::filesystem::path dir = std::filesystem::path(config.data_dir) / "tls";
  config.net.tls_cert_file = (dir / "server.crt").string();
  config.net.tls_key_file = (dir / "server.key").string();
  if (std::filesystem::exists(config.net.tls_cert_file) && std::filesystem::exists(config.net.tls_key_file)) return Status::OK();
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  Status status = lyt::net::GenerateSelfSignedCertificate(config.net.tls_cert_file, config.net.tls_key_file);
  if (status.ok()) log.info("generated a self-signed TLS certificate: {} (clients verify it with tls=verify-full only when given it as CA)", config.net.tls_cert_file);
  return status;
}

void LogRecovery(const lyt::durability::Store& store, spdlog::logger& log) {
  const auto& r = store.recovery();
  if (!r.had_checkpoint && r.commits_replayed == 0) return;
  log.info("recovered in {:.3f} s: checkpoint at commit {} ({} bytes), {} commits replayed from {} log segment(s)", r.seconds,
           r.checkpoint.timestamp, r.checkpoint.bytes, r.commits_replayed, r.segments);
}

int Fail(const Status& status) {
  std::cerr << "lytdb: " << status.message() << "\n";
  return 1;
}

lyt::DatabaseOptions EngineOptions(const ServerConfig& config, spdlog::logger* log) {
  lyt::DatabaseOptions options;
  options.memory_limit_bytes = config.memory_limit;
  options.query_log_capacity = config.query_log_capacity;
  options.data_dir = config.data_dir;
  options.fsync = config.fsync;
  options.fsync_batch_ms = config.fsync_batch_ms;
  options.checkpoint_wal_bytes = config.checkpoint_wal_bytes;
  options.checkpoint_interval_seconds = config.checkpoint_interval_s;
  if (log) options.notice = [log](const std::string& message) { log->warn("{}", message); };
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  ServerConfig config;
  bool exit_now = false;
  Status status = lyt::server::LoadConfig(argc, argv, &config, &exit_now);
  if (!status.ok()) {
    std::cerr << "lytdb: " << status.message() << "\n";
    return 2;
  }
  if (exit_now) return 0;
  if (!config.check_dir.empty()) return lyt::server::CheckDataDirectory(config.check_dir, std::cout);

  lyt::server::DataDirectory data_dir(config.data_dir);
  status = data_dir.OpenAndLock();
  if (!status.ok()) return Fail(status);
  auto log = MakeLogger(config);
  status = PrepareSelfSignedTls(config, *log);
  if (!status.ok()) return Fail(status);

  bool first_start = !data_dir.initialized();
  bool adopting = false;
  if (first_start) {
    status = data_dir.PrepareFirstStart(&adopting);
    if (!status.ok()) return Fail(status);
  }
  lyt::DatabaseOptions options = EngineOptions(config, log.get());
  auto engine = std::make_unique<lyt::Engine>(options);
  status = engine->OpenStorage(options);
  if (!status.ok()) return Fail(status);
  status = data_dir.Initialize(*engine, config.init_sql, adopting, *log);
  if (!status.ok()) {
    if (first_start && !adopting) {
      engine.reset();
      data_dir.RemoveEngineFiles();  // the next start begins afresh
    }
    return Fail(status);
  }
  if (const auto* store = engine->store()) LogRecovery(*store, *log);

  lyt::net::Server server(*engine, config.net, log);
  status = server.Start();
  if (!status.ok()) return Fail(status);
  data_dir.WritePid(server.port(), server.resp_port(), server.http_port());
  lyt::net::Endpoint bound{config.net.listen.host, server.port()};
  log->info("lytdb {} listening on {} (lyt protocol{}), data directory {}", LYT_VERSION, bound.ToString(),
            config.net.tls_cert_file.empty() ? "" : ", TLS offered", config.data_dir);
  if (server.http_port() != 0) {
    lyt::net::Endpoint http{config.net.http_listen.host, server.http_port()};
    log->info("HTTP API and dashboard on http://{}/ (metrics at /metrics)", http.ToString());
  }
  if (server.resp_port() != 0) {
    lyt::net::Endpoint resp{config.net.resp_listen.host, server.resp_port()};
    log->info("Redis protocol on {} (redis-cli -h {} -p {} --user admin --askpass)", resp.ToString(), resp.host, resp.port);
  }
  log->info("connect with: lyt lyt://admin@{}/main", bound.ToString());
  server.Run();
  log->info("lytdb stopped");
  return 0;
}
