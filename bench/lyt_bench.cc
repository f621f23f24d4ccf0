// lyt_bench: runs the shared analytics workload (../shared/bench) on LytDB (embedded, or over the
// wire: a lytdb server it starts and stops) or SQLite, and prints one line per measured step.
// bench.mjs drives it; see bench/README.md.
//
//   lyt_bench --engine lytdb|lytwire|sqlite --data DIR --queries FILE [--queries FILE ...]
//             --schema FILE [--reps N] [--min-ms M] [--threads N] [--timeout S]
//             [--lytdb PATH] [--lytdb-dir DIR] [--skip NAME,...] [--json]
//
// Exit status: 0 when the workload ran (steps the engine failed are reported as error records),
// 2 on bad usage or unreadable input files, 1 when the engine could not be opened.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "runner/lytdb_engine.h"
#include "runner/lytdb_server.h"
#include "runner/lytwire_engine.h"
#include "runner/report.h"
#include "runner/sqlite_engine.h"
#include "runner/timing.h"
#include "runner/workload.h"

namespace lyt::bench {
namespace {

// Tables loaded from DIR/<table>.csv, in this order.
constexpr const char* kTables[] = {"events", "users"};

struct Options {
  std::string engine;
  std::string data_dir;
  std::vector<std::string> queries_paths;  // workloads, run in this order
  std::string schema_path;
  TimingRules rules;
  unsigned threads = 0;  // LytDB workers (lytwire: the server's --worker-threads); 0 = one per core
  int timeout_s = 0;     // SQLite: interrupt a query after this many seconds; 0 = never
  std::string lytdb_binary = DefaultLytdbBinary();  // lytwire: the server to start
  std::string lytdb_dir;  // lytwire: the server's directory; empty = a temporary one
  std::set<std::string> skip;
  bool json = false;
};

constexpr const char* kUsage =
    "usage: lyt_bench --engine lytdb|lytwire|sqlite --data DIR --queries FILE --schema FILE\n"
    "                 [--queries FILE ...] [--reps N] [--min-ms M] [--threads N]\n"
    "                 [--timeout S] [--lytdb PATH] [--lytdb-dir DIR] [--skip NAME,...] [--json]\n"
    "  --engine E    lytdb: embedded (lyt/database.h); lytwire: a lytdb server started for the\n"
    "                run on a free loopback port, through the C++ client; sqlite: SQLite\n"
    "  --queries F   a workload file; repeat to run several, in order (resets first)\n"
    "  --reps N      timed runs per query, at least (default 5)\n"
    "  --min-ms M    keep running a query until its timed runs total M ms (default 500)\n"
    "  --threads N   lytdb: threads one query may use (DatabaseOptions::threads); lytwire: lytdb\n"
    "                --worker-threads (default 0: one per core)\n"
    "  --timeout S   SQLite only: a query still running after S seconds fails (default 0: never)\n"
    "  --lytdb PATH  lytwire: the lytdb binary (default: ../tools/lytdb beside lyt_bench)\n"
    "  --lytdb-dir D lytwire: an existing directory for the server's data and output, left for\n"
    "                the caller to remove (default: a temporary one, removed at exit)\n"
    "  --skip LIST   step names not to run (comma-separated)\n"
    "  --json        one JSON object per line instead of text\n";

[[noreturn]] void UsageError(const std::string& message) {
  std::fprintf(stderr, "lyt_bench: %s\n%s", message.c_str(), kUsage);
  std::exit(2);
}

std::set<std::string> SplitNames(const std::string& list) {
  std::set<std::string> names;
  std::stringstream in(list);
  for (std::string name; std::getline(in, name, ',');) {
    if (!name.empty()) names.insert(name);
  }
  return names;
}

long ParseCount(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < 0) {
    UsageError(flag + " needs a count, got '" + text + "'");
  }
  return value;
}

// Applies one "--flag value" pair; false when the flag is unknown.
bool ApplyValueFlag(const std::string& flag, const std::string& value, Options* o) {
  if (flag == "--engine") {
    o->engine = value;
  } else if (flag == "--data") {
    o->data_dir = value;
  } else if (flag == "--queries") {
    o->queries_paths.push_back(value);
  } else if (flag == "--schema") {
    o->schema_path = value;
  } else if (flag == "--reps") {
    o->rules.min_runs = static_cast<int>(ParseCount(flag, value));
  } else if (flag == "--min-ms") {
    o->rules.min_total_ms = static_cast<double>(ParseCount(flag, value));
  } else if (flag == "--threads") {
    o->threads = static_cast<unsigned>(ParseCount(flag, value));
  } else if (flag == "--timeout") {
    o->timeout_s = static_cast<int>(ParseCount(flag, value));
  } else if (flag == "--lytdb") {
    o->lytdb_binary = value;
  } else if (flag == "--lytdb-dir") {
    o->lytdb_dir = value;
  } else if (flag == "--skip") {
    o->skip = SplitNames(value);
  } else {
    return false;
  }
  return true;
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (flag == "--json") {
      o.json = true;
    } else if (i + 1 >= argc || !ApplyValueFlag(flag, argv[i + 1], &o)) {
      UsageError(i + 1 >= argc ? flag + " needs a value" : "unknown argument '" + flag + "'");
    } else {
      ++i;
    }
  }
  if (o.engine != "lytdb" && o.engine != "lytwire" && o.engine != "sqlite") {
    UsageError("--engine must be lytdb, lytwire or sqlite");
  }
  if (o.data_dir.empty() || o.queries_paths.empty() || o.schema_path.empty()) {
    UsageError("--data, --queries and --schema are required");
  }
  if (o.rules.min_runs < 1) o.rules.min_runs = 1;
  return o;
}

std::string ReadOrDie(const std::string& path) {
  std::string error;
  std::string text = ReadFile(path, &error);
  if (!error.empty()) UsageError(error);
  return text;
}

std::unique_ptr<BenchEngine> OpenEngine(const Options& o) {
  std::string error;
  std::unique_ptr<BenchEngine> engine;
  if (o.engine == "lytdb") engine = OpenLytdbEngine(o.threads, &error);
  else if (o.engine == "lytwire") engine = OpenLytwireEngine(o.lytdb_binary, o.lytdb_dir, o.threads, &error);
  else engine = OpenSqliteEngine(o.timeout_s, &error);
  if (!engine) {
    std::fprintf(stderr, "lyt_bench: cannot open %s: %s\n", o.engine.c_str(), error.c_str());
    std::exit(1);
  }
  return engine;
}

class Printer {
 public:
  Printer(std::string engine, bool json) : engine_(std::move(engine)), json_(json) {}
  void operator()(Record record) const {
    record.engine = engine_;
    PrintRecord(record, json_);
  }

 private:
  std::string engine_;
  bool json_;
};

void LoadData(BenchEngine& engine, const Options& o, const Printer& print) {
  for (const char* table : kTables) {
    std::filesystem::path csv = std::filesystem::absolute(o.data_dir) / (std::string(table) + ".csv");
    print(TimeLoad(engine, table, csv.lexically_normal().string()));
  }
}

// The steps of every workload file in order, with all @reset steps first.
std::vector<Step> ReadWorkloads(const std::vector<std::string>& paths) {
  std::vector<Step> steps;
  for (const std::string& path : paths) {
    std::string parse_error;
    std::vector<Step> more = ParseWorkload(ReadOrDie(path), &parse_error);
    if (!parse_error.empty()) UsageError(path + ": " + parse_error);
    steps.insert(steps.end(), more.begin(), more.end());
  }
  std::stable_partition(steps.begin(), steps.end(), [](const Step& s) { return s.kind == StepKind::kReset; });
  return steps;
}

int Main(int argc, char** argv) {
  Options o = ParseOptions(argc, argv);
  std::string schema = ReadOrDie(o.schema_path);
  std::vector<Step> steps = ReadWorkloads(o.queries_paths);

  std::unique_ptr<BenchEngine> engine = OpenEngine(o);
  Printer print(o.engine, o.json);
  Record meta;
  meta.name = "version";
  meta.kind = "meta";
  meta.version = engine->Version();
  print(meta);
  print(TimeSchema(*engine, schema));
  LoadData(*engine, o, print);
  for (const Step& step : steps) {
    if (o.skip.count(step.name) == 0) print(RunStep(*engine, step, o.rules));
  }
  return 0;
}

}  // namespace
}  // namespace lyt::bench

int main(int argc, char** argv) { return lyt::bench::Main(argc, argv); }
