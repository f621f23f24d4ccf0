// lytdb's settings: defaults, then the TOML config file, then LYT_* environment variables, then
// command-line flags (each overrides the one before). One table of settings drives all four and
// `lytdb --help`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lyt/database.h"
#include "lyt/status.h"
#include "net/server_options.h"

namespace lyt::server {

struct ServerConfig {
  std::string config_file;  // --config / LYT_CONFIG; empty: none
  std::string data_dir = "./lytdb-data";
  net::ServerOptions net;
  uint64_t memory_limit = 0;              // per query, bytes; 0: 80% of RAM
  bool tls_self_signed = false;
  std::string init_sql;
  std::string log_level = "info";
  std::string log_file = "lytdb.log";  // relative to data_dir; empty: console only
  uint64_t log_max_bytes = 10u << 20;
  uint32_t log_max_files = 5;
  uint32_t query_log_capacity = 1000;
  // Durability (DatabaseOptions has the meanings).
  DatabaseOptions::Fsync fsync = DatabaseOptions::Fsync::kAlways;
  uint32_t fsync_batch_ms = 10;
  uint64_t checkpoint_wal_bytes = 256ull << 20;
  uint32_t checkpoint_interval_s = 300;
  std::string check_dir;  // --check DIR: verify DIR offline and exit
};

// Reads the settings from argv, the environment and the config file. On --help or --version
// sets *exit_now and prints to stdout. An invalid setting is an error naming the setting, the
// value and where it came from.
Status LoadConfig(int argc, char** argv, ServerConfig* config, bool* exit_now);

}  // namespace lyt::server
