#include "wire/connection_scale.h"

#include <chrono>
#include <fstream>
#include <sstream>

namespace lyt::bench::wire {

void OpenConnections(const std::string& uri, int count, std::vector<std::unique_ptr<client::Connection>>* out,
                     int* failed, std::string* first_error) {
  client::ConnectOptions options;
  options.connect_timeout = std::chrono::seconds(30);
  for (int i = 0; i < count; ++i) {
    std::unique_ptr<client::Connection> conn;
    Status s = client::Connection::Connect(uri, &conn, options);
    if (s.ok()) {
      out->push_back(std::move(conn));
      continue;
    }
    ++*failed;
    if (first_error->empty()) *first_error = s.ToString();
  }
}

int64_t ResidentKiB(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) != 0) continue;
    std::istringstream fields(line.substr(6));
    int64_t kib = -1;
    fields >> kib;
    return kib;
  }
  return -1;
}

ScaleStats RunConnectionScale(const ScaleSpec& spec) {
  ScaleStats stats;
  std::vector<std::unique_ptr<client::Connection>> busy;
  OpenConnections(spec.uri, spec.busy, &busy, &stats.busy_failed, &stats.first_error);
  stats.without_idle = RunTimed(busy, spec.run);

  if (spec.server_pid > 0) stats.rss_before_kib = ResidentKiB(spec.server_pid);
  std::vector<std::unique_ptr<client::Connection>> idle;
  auto begin = std::chrono::steady_clock::now();
  OpenConnections(spec.uri, spec.idle, &idle, &stats.idle_failed, &stats.first_error);
  stats.open_idle_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  stats.idle_opened = static_cast<int>(idle.size());
  if (spec.server_pid > 0) stats.rss_after_kib = ResidentKiB(spec.server_pid);

  stats.with_idle = RunTimed(busy, spec.run);
  if (spec.server_pid > 0) stats.rss_end_kib = ResidentKiB(spec.server_pid);
  for (const auto& conn : idle) {
    Status s = conn->Ping();
    if (s.ok()) ++stats.idle_alive;
    else if (stats.first_error.empty()) stats.first_error = s.ToString();
  }
  return stats;
}

}  // namespace lyt::bench::wire
