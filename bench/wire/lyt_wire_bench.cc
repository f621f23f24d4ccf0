// lyt_wire_bench: the wire benchmark's LytDB client (bench/run_wire.sh drives it; see
// bench/README.md, "Wire protocol"). Each result is one JSON object on stdout.
//
//   lyt_wire_bench sql accounts|events [--rows N]        print the schema/data SQL (for psql)
//   lyt_wire_bench load --uri URI [--rows N]             create both tables and load accounts
//   lyt_wire_bench run --uri URI --workload select|insert --connections N
//                      [--warmup S] [--duration S] [--rows N] [--seed N]
//   lyt_wire_bench scale --uri URI --idle N --busy N [--pid PID] [--warmup S] [--duration S]
//
// `run --workload insert` empties events first (DROP + CREATE, untimed).
// Exit status: 0 when the measurement ran (failed queries are counted in the output), 1 when
// the server could not be reached or the set-up failed, 2 on bad usage.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "runner/json_text.h"
#include "wire/connection_scale.h"
#include "wire/schema.h"
#include "wire/timed_run.h"

namespace lyt::bench::wire {
namespace {

struct Options {
  std::string command;
  std::string what;  // sql: accounts | events
  std::string uri;
  std::string workload = "select";
  int connections = 1;
  int idle = 2000;
  int busy = 100;
  int pid = 0;
  RunSpec run;
};

constexpr const char* kUsage =
    "usage: lyt_wire_bench sql accounts|events [--rows N]\n"
    "       lyt_wire_bench load --uri URI [--rows N]\n"
    "       lyt_wire_bench run --uri URI --workload select|insert --connections N\n"
    "                          [--warmup S] [--duration S] [--rows N] [--seed N]\n"
    "       lyt_wire_bench scale --uri URI [--idle N] [--busy N] [--pid PID]\n"
    "                          [--warmup S] [--duration S] [--rows N] [--seed N]\n"
    "  --rows N       accounts rows (default 100000)\n"
    "  --warmup S     seconds of warm-up before the measured window (default 2)\n"
    "  --duration S   seconds measured (default 10)\n"
    "  --idle N       scale: idle logged-in connections to open (default 2000)\n"
    "  --busy N       scale: connections running point SELECTs (default 100)\n"
    "  --pid PID      scale: the server's pid, for its VmRSS\n";

[[noreturn]] void UsageError(const std::string& message) {
  std::fprintf(stderr, "lyt_wire_bench: %s\n%s", message.c_str(), kUsage);
  std::exit(2);
}

double ParseNumber(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || value < 0) UsageError(flag + " needs a number, got '" + text + "'");
  return value;
}

int ParseInt(const std::string& flag, const std::string& text) { return static_cast<int>(ParseNumber(flag, text)); }

// Applies one "--flag value" pair; false when the flag is unknown.
bool ApplyValueFlag(const std::string& flag, const std::string& value, Options* o) {
  if (flag == "--uri") o->uri = value;
  else if (flag == "--workload") o->workload = value;
  else if (flag == "--connections") o->connections = ParseInt(flag, value);
  else if (flag == "--idle") o->idle = ParseInt(flag, value);
  else if (flag == "--busy") o->busy = ParseInt(flag, value);
  else if (flag == "--pid") o->pid = ParseInt(flag, value);
  else if (flag == "--rows") o->run.rows = static_cast<int64_t>(ParseNumber(flag, value));
  else if (flag == "--seed") o->run.seed = static_cast<uint64_t>(ParseNumber(flag, value));
  else if (flag == "--warmup") o->run.warmup_s = ParseNumber(flag, value);
  else if (flag == "--duration") o->run.duration_s = ParseNumber(flag, value);
  else return false;
  return true;
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  int i = 1;
  if (i < argc) o.command = argv[i++];
  if (o.command == "--help" || o.command == "-h") {
    std::fputs(kUsage, stdout);
    std::exit(0);
  }
  if (o.command == "sql" && i < argc) o.what = argv[i++];
  for (; i < argc; i += 2) {
    std::string flag = argv[i];
    if (i + 1 >= argc) UsageError(flag + " needs a value");
    if (!ApplyValueFlag(flag, argv[i + 1], &o)) UsageError("unknown argument '" + flag + "'");
  }
  if (o.command == "sql") {
    if (o.what != "accounts" && o.what != "events") UsageError("sql needs accounts or events");
  } else if (o.command == "load" || o.command == "run" || o.command == "scale") {
    if (o.uri.empty()) UsageError(o.command + " needs --uri");
  } else {
    UsageError(o.command.empty() ? "a command is required" : "unknown command '" + o.command + "'");
  }
  if (o.command == "run" && !ParseWorkload(o.workload, &o.run.kind)) UsageError("--workload must be select or insert");
  if (o.connections < 1 || o.busy < 1) UsageError("--connections and --busy must be at least 1");
  return o;
}

// Thousands of connections need as many descriptors: raise the soft limit to the hard one.
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  limit.rlim_cur = limit.rlim_max;
  (void)setrlimit(RLIMIT_NOFILE, &limit);
}

[[noreturn]] void Fail(const std::string& what, const Status& status) {
  std::fprintf(stderr, "lyt_wire_bench: %s: %s\n", what.c_str(), status.ToString().c_str());
  std::exit(1);
}

std::unique_ptr<client::Connection> ConnectOrDie(const std::string& uri) {
  std::unique_ptr<client::Connection> conn;
  Status s = client::Connection::Connect(uri, &conn);
  if (!s.ok()) Fail("cannot connect", s);
  return conn;
}

// The fields of a RunStats, with `prefix` before each name, as JSON members (no braces).
std::string StatsJson(const RunStats& s, const std::string& prefix) {
  char text[512];
  std::snprintf(text, sizeof text,
                "\"%sseconds\": %.3f, \"%squeries\": %llu, \"%sqps\": %.1f, \"%sp50_us\": %.1f, "
                "\"%sp99_us\": %.1f, \"%smean_us\": %.1f, \"%smax_us\": %.1f, \"%serrors\": %llu",
                prefix.c_str(), s.seconds, prefix.c_str(), static_cast<unsigned long long>(s.latency.count),
                prefix.c_str(), s.qps, prefix.c_str(), s.latency.p50_us, prefix.c_str(), s.latency.p99_us,
                prefix.c_str(), s.latency.mean_us, prefix.c_str(), s.latency.max_us, prefix.c_str(),
                static_cast<unsigned long long>(s.errors));
  std::string json = text;
  if (!s.first_error.empty()) json += ", \"" + prefix + "first_error\": " + JsonString(s.first_error);
  return json;
}

int RunCommand(const Options& o) {
  std::vector<std::unique_ptr<client::Connection>> connections;
  for (int i = 0; i < o.connections; ++i) connections.push_back(ConnectOrDie(o.uri));
  if (o.run.kind == WorkloadKind::Insert) {
    Status s = RunStatements(*connections[0], EventsSql());
    if (!s.ok()) Fail("cannot reset events", s);
  }
  RunStats stats = RunTimed(connections, o.run);
  std::printf("{\"system\": \"lytdb\", \"workload\": \"%s\", \"connections\": %d, %s}\n", WorkloadName(o.run.kind),
              o.connections, StatsJson(stats, "").c_str());
  return 0;
}

int ScaleCommand(const Options& o) {
  ScaleSpec spec;
  spec.uri = o.uri;
  spec.idle = o.idle;
  spec.busy = o.busy;
  spec.server_pid = o.pid;
  spec.run = o.run;
  spec.run.kind = WorkloadKind::PointSelect;
  ScaleStats s = RunConnectionScale(spec);
  std::printf(
      "{\"system\": \"lytdb\", \"workload\": \"scale\", \"busy\": %d, \"idle\": %d, \"busy_failed\": %d, "
      "\"idle_opened\": %d, \"idle_failed\": %d, \"idle_alive\": %d, \"open_idle_s\": %.2f, "
      "\"rss_before_kib\": %lld, \"rss_after_kib\": %lld, \"rss_end_kib\": %lld, %s, %s%s%s}\n",
      o.busy, o.idle, s.busy_failed, s.idle_opened, s.idle_failed, s.idle_alive, s.open_idle_s,
      static_cast<long long>(s.rss_before_kib), static_cast<long long>(s.rss_after_kib),
      static_cast<long long>(s.rss_end_kib), StatsJson(s.without_idle, "without_idle_").c_str(),
      StatsJson(s.with_idle, "with_idle_").c_str(), s.first_error.empty() ? "" : ", \"first_error\": ",
      s.first_error.empty() ? "" : JsonString(s.first_error).c_str());
  return 0;
}

int Main(int argc, char** argv) {
  Options o = ParseOptions(argc, argv);
  RaiseFileLimit();
  if (o.command == "sql") {
    for (const std::string& sql : o.what == "accounts" ? AccountsSql(o.run.rows) : EventsSql()) {
      std::printf("%s;\n", sql.c_str());
    }
    return 0;
  }
  if (o.command == "load") {
    auto conn = ConnectOrDie(o.uri);
    Status s = RunStatements(*conn, AccountsSql(o.run.rows));
    if (s.ok()) s = RunStatements(*conn, EventsSql());
    if (!s.ok()) Fail("load failed", s);
    return 0;
  }
  return o.command == "run" ? RunCommand(o) : ScaleCommand(o);
}

}  // namespace
}  // namespace lyt::bench::wire

int main(int argc, char** argv) { return lyt::bench::wire::Main(argc, argv); }
