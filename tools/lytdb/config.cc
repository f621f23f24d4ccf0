#include "config.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <optional>
#include <thread>
#include <toml++/toml.h>

#include "common/error.h"
#include "lyt/version.h"

namespace lyt::server {

namespace {

// How one setting is read and shown.
struct Apply {
  // Parses `text` into the setting; returns "" or what was expected.
  std::function<std::string(ServerConfig&, const std::string& text)> parse;
  // The setting's value as text (for --help's defaults).
  std::function<std::string(ServerConfig&)> show;
  std::string operator()(ServerConfig& c, const std::string& text) const { return parse(c, text); }
};

struct Setting {
  const char* name;  // TOML key; flag --name-with-dashes; environment LYT_NAME
  const char* help;
  Apply apply;
};

std::string FlagName(const char* name) {
  std::string flag = std::string("--") + name;
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

std::string EnvName(const char* name) {
  std::string env = std::string("LYT_") + name;
  for (char& c : env) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return env;
}

template <class T>
Apply Number(std::function<T&(ServerConfig&)> field, uint64_t min, uint64_t max) {
  return Apply{[=](ServerConfig& c, const std::string& text) -> std::string {
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
      return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    }
    field(c) = static_cast<T>(value);
    return "";
  }, [=](ServerConfig& c) { return std::to_string(field(c)); }};
}

// Integer settings of the network layer.
template <class T>
Apply NetInteger(T net::ServerOptions::*member, uint64_t min, uint64_t max) {
  return Number<T>([member](ServerConfig& c) -> T& { return c.net.*member; }, min, max);
}

std::optional<bool> ParseBool(const std::string& text) {
  if (text == "true" || text == "on" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "off" || text == "0" || text == "no") return false;
  return std::nullopt;
}

Apply Bool(std::function<bool&(ServerConfig&)> field) {
  return Apply{[=](ServerConfig& c, const std::string& text) -> std::string {
    auto value = ParseBool(text);
    if (!value) return "true or false";
    field(c) = *value;
    return "";
  }, [=](ServerConfig& c) { return std::string(field(c) ? "true" : "false"); }};
}

Apply Text(std::function<std::string&(ServerConfig&)> field, bool allow_empty) {
  return Apply{[=](ServerConfig& c, const std::string& text) -> std::string {
    if (text.empty() && !allow_empty) return "a non-empty value";
    field(c) = text;
    return "";
  }, [=](ServerConfig& c) { return "\"" + field(c) + "\""; }};
}

// "HOST:PORT" or "[IPv6]:PORT"; the host must be an IP address.
Apply Address(std::function<net::Endpoint&(ServerConfig&)> field) {
  return Apply{[=](ServerConfig& c, const std::string& text) -> std::string {
    const char* expected = "HOST:PORT with an IP address and a port from 0 to 65535 (IPv6 in brackets)";
    size_t colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return expected;
    std::string host = text.substr(0, colon);
    if (host.front() == '[') {
      if (host.back() != ']' || host.size() < 3) return expected;
      host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string::npos) {
      return expected;
    }
    if (host == "localhost") host = "127.0.0.1";
    unsigned char address[sizeof(in6_addr)];
    if (inet_pton(AF_INET, host.c_str(), address) != 1 && inet_pton(AF_INET6, host.c_str(), address) != 1) return expected;
    std::string port_text = text.substr(colon + 1);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) return expected;
    field(c) = net::Endpoint{host, static_cast<uint16_t>(port)};
    return "";
  }, [=](ServerConfig& c) { return field(c).ToString(); }};
}

// Bytes with an optional unit: 1073741824, 512MB, 2GB (powers of 1024), 0; at least `min`.
Apply Bytes(uint64_t ServerConfig::*field, uint64_t min = 0) {
  return Apply{[=](ServerConfig& c, const std::string& text) -> std::string {
    std::string expected = "a size in bytes, optionally with kB, MB, GB or TB (powers of 1024)";
    if (min > 0) expected += ", of at least " + std::to_string(min);
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end == text.data()) return expected;
    std::string unit(end, text.data() + text.size());
    for (char& ch : unit) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    int shift = unit.empty() || unit == "B" ? 0 : unit == "KB" ? 10 : unit == "MB" ? 20 : unit == "GB" ? 30 : unit == "TB" ? 40 : -1;
    if (shift < 0 || (shift && value > (UINT64_MAX >> shift)) || (value << shift) < min) return expected;
    c.*field = value << shift;
    return "";
  }, [=](ServerConfig& c) { return std::to_string(c.*field); }};
}

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> settings = {
      {"data_dir", "Data directory (created on first start; holds admin.password, the log, TLS files)",
       Text([](ServerConfig& c) -> std::string& { return c.data_dir; }, false)},
      {"listen", "Address of the lyt protocol (HOST:PORT; loopback by default)",
       Address([](ServerConfig& c) -> net::Endpoint& { return c.net.listen; })},
      {"resp", "Address of the Redis protocol (HOST:PORT; loopback by default)",
       Address([](ServerConfig& c) -> net::Endpoint& { return c.net.resp_listen; })},
      {"resp_enabled", "Serve the Redis protocol", Bool([](ServerConfig& c) -> bool& { return c.net.resp_enabled; })},
      {"resp_default_user", "The user a Redis client's one-argument AUTH <password> logs in as",
       Text([](ServerConfig& c) -> std::string& { return c.net.resp_default_user; }, false)},
      {"resp_max_bulk_bytes", "Largest string a Redis client may send (bytes)",
       NetInteger(&net::ServerOptions::resp_max_bulk_bytes, 1024, 512u << 20)},
      {"http", "Address of the HTTP API, dashboard and metrics (HOST:PORT; loopback by default)",
       Address([](ServerConfig& c) -> net::Endpoint& { return c.net.http_listen; })},
      {"http_enabled", "Serve the HTTP API, the dashboard and /metrics", Bool([](ServerConfig& c) -> bool& { return c.net.http_enabled; })},
      {"http_max_body_bytes", "Largest HTTP request body (bytes; larger: 413)",
       NetInteger(&net::ServerOptions::http_max_body_bytes, 1024, 1u << 30)},
      {"http_max_header_bytes", "Largest HTTP request header (bytes; larger: 431)",
       NetInteger(&net::ServerOptions::http_max_header_bytes, 1024, 1u << 20)},
      {"http_token_ttl_seconds", "Lifetime of a token from POST /v1/login (seconds)",
       NetInteger(&net::ServerOptions::http_token_ttl_seconds, 1, 365u * 86400)},
      {"http_rate_limit", "Requests per second each HTTP token may make, in bursts of twice that (0: no limit)",
       NetInteger(&net::ServerOptions::http_rate_limit, 0, 1000000)},
      {"metrics_require_auth", "/metrics needs credentials like the /v1 endpoints",
       Bool([](ServerConfig& c) -> bool& { return c.net.metrics_require_auth; })},
      {"io_threads", "Event loops (one thread each) for network I/O and quick statements; connections are spread over them (one per core but one, 1 to 8)", NetInteger(&net::ServerOptions::io_threads, 1, 64)},
      {"io_poll_us", "How long an event loop polls for more work before it sleeps, while polling finds work (microseconds; 0: never)",
       NetInteger(&net::ServerOptions::io_poll_us, 0, 10000)},
      {"worker_threads", "Threads that run statements (one per core)", NetInteger(&net::ServerOptions::worker_threads, 1, 1024)},
      {"quick_statement_us", "A statement whose SQL text last ran within this many microseconds runs on an I/O thread (0: never)",
       NetInteger(&net::ServerOptions::quick_statement_us, 0, 60000000)},
      {"max_connections", "Connections open at once; more are refused with 53300", NetInteger(&net::ServerOptions::max_connections, 1, 1000000)},
      {"max_frame_bytes", "Largest protocol frame a client may send (bytes)", NetInteger(&net::ServerOptions::max_frame_bytes, 1024, 1u << 30)},
      {"max_pipelined_requests", "Requests a connection may queue before the server stops reading it",
       NetInteger(&net::ServerOptions::max_pipelined_requests, 1, 65536)},
      {"auth_timeout_ms", "Time a new connection has to log in", NetInteger(&net::ServerOptions::auth_timeout_ms, 100, 600000)},
      {"idle_timeout_ms", "Close sessions idle this long (0: never)", NetInteger(&net::ServerOptions::idle_timeout_ms, 0, UINT32_MAX)},
      {"statement_timeout_ms", "Cancel requests running longer (57014; 0: never)",
       NetInteger(&net::ServerOptions::statement_timeout_ms, 0, UINT32_MAX)},
      {"shutdown_grace_ms", "On SIGTERM/SIGINT, how long running statements may finish before they are canceled",
       NetInteger(&net::ServerOptions::shutdown_grace_ms, 0, 3600000)},
      {"memory_limit", "Memory one query may hold (e.g. 2GB; 0: 80% of RAM); 53200 beyond", Bytes(&ServerConfig::memory_limit)},
      {"tls_cert_file", "TLS certificate chain (PEM); with tls_key_file, TLS is offered",
       Text([](ServerConfig& c) -> std::string& { return c.net.tls_cert_file; }, true)},
      {"tls_key_file", "TLS private key (PEM)", Text([](ServerConfig& c) -> std::string& { return c.net.tls_key_file; }, true)},
      {"tls_self_signed", "Without tls_cert_file: generate DATA_DIR/tls/server.crt and .key (self-signed, for development) and offer TLS",
       Bool([](ServerConfig& c) -> bool& { return c.tls_self_signed; })},
      {"tls_required", "Refuse sessions that do not use TLS", Bool([](ServerConfig& c) -> bool& { return c.net.tls_required; })},
      {"init_sql", "SQL file, or directory of *.sql files run in name order, run once when the data directory is created",
       Text([](ServerConfig& c) -> std::string& { return c.init_sql; }, true)},
      {"log_level", "trace, debug, info, warn, error or off",
       Apply{[](ServerConfig& c, const std::string& text) -> std::string {
               static const char* levels[] = {"trace", "debug", "info", "warn", "error", "off"};
               if (std::find(std::begin(levels), std::end(levels), text) == std::end(levels)) return "trace, debug, info, warn, error or off";
               c.log_level = text;
               return "";
             },
             [](ServerConfig& c) { return c.log_level; }}},
      {"log_file", "Log file (relative paths are inside data_dir; empty: console only)",
       Text([](ServerConfig& c) -> std::string& { return c.log_file; }, true)},
      {"log_max_bytes", "Size at which the log file rotates", Bytes(&ServerConfig::log_max_bytes, 4096)},
      {"log_max_files", "Rotated log files kept", Number<uint32_t>([](ServerConfig& c) -> uint32_t& { return c.log_max_files; }, 1, 1000)},
      {"log_queries", "Log every statement (user, database, duration, rows)",
       Bool([](ServerConfig& c) -> bool& { return c.net.log_queries; })},
      {"slow_query_ms", "Log statements slower than this (0: off)", NetInteger(&net::ServerOptions::slow_query_ms, 0, UINT32_MAX)},
      {"query_log_capacity", "Recent statements kept for the lyt_query_log view", Number<uint32_t>([](ServerConfig& c) -> uint32_t& { return c.query_log_capacity; }, 0, 10000000)},
      {"fsync", "When a commit is acknowledged: always (once its log record is on disk), batch (the log is flushed every fsync_batch_ms), off (flushed at checkpoints only)",
       Apply{[](ServerConfig& c, const std::string& text) -> std::string {
               using F = DatabaseOptions::Fsync;
               if (text == "always") c.fsync = F::kAlways;
               else if (text == "batch") c.fsync = F::kBatch;
               else if (text == "off") c.fsync = F::kOff;
               else return "always, batch or off";
               return "";
             },
             [](ServerConfig& c) -> std::string {
               using F = DatabaseOptions::Fsync;
               return c.fsync == F::kAlways ? "always" : c.fsync == F::kBatch ? "batch" : "off";
             }}},
      {"fsync_batch_ms", "With fsync = batch: the longest a commit waits to be flushed (ms)",
       Number<uint32_t>([](ServerConfig& c) -> uint32_t& { return c.fsync_batch_ms; }, 1, 10000)},
      {"checkpoint_wal_bytes", "Write a checkpoint once the log has grown this much since the last one (0: never by size)",
       Bytes(&ServerConfig::checkpoint_wal_bytes)},
      {"checkpoint_interval_s", "Write a checkpoint when the last one is this old and something changed (0: never by time)",
       Number<uint32_t>([](ServerConfig& c) -> uint32_t& { return c.checkpoint_interval_s; }, 0, 86400 * 7)},
  };
  return settings;
}

Status Invalid(const Setting& setting, const std::string& value, const std::string& source, const std::string& expected) {
  return Status::Error(sqlstate::kInvalidParameterValue,
                       "invalid setting " + std::string(setting.name) + " = \"" + value + "\" (from " + source + "): expected " + expected);
}

// A TOML value as the text a flag would carry.
std::optional<std::string> TomlText(const toml::node& node) {
  if (auto s = node.value<std::string>()) return *s;
  if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
  if (auto i = node.value<int64_t>()) return std::to_string(*i);
  return std::nullopt;
}

Status ApplyFile(const std::string& path, ServerConfig* config) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return Status::Error(sqlstate::kInvalidParameterValue, "config file " + path + ":" + std::to_string(where.line) + ":" +
                                                               std::to_string(where.column) + ": " + std::string(e.description()));
  }
  for (const auto& [key, node] : table) {
    std::string name(key.str());
    auto it = std::find_if(Settings().begin(), Settings().end(), [&](const Setting& s) { return name == s.name; });
    if (it == Settings().end()) {
      return Status::Error(sqlstate::kInvalidParameterValue, "config file " + path + ": unknown setting \"" + name + "\" (lytdb --help lists them)");
    }
    auto text = TomlText(node);
    if (!text) return Invalid(*it, "?", "config file " + path, "a string, integer or boolean");
    std::string expected = it->apply(*config, *text);
    if (!expected.empty()) return Invalid(*it, *text, "config file " + path, expected);
  }
  return Status::OK();
}

}  // namespace

Status LoadConfig(int argc, char** argv, ServerConfig* config, bool* exit_now) {
  *exit_now = false;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  // One core is left to the rest (workers, the log's flusher, clients on the same machine), as
  // Redis advises for its I/O threads: docs/configuration.md.
  config->net.io_threads = std::min(std::max(cores, 2u) - 1, 8u);
  config->net.worker_threads = cores;

  CLI::App app("lytdb " LYT_VERSION " — the LytDB server.\n\nSettings come from the config file (TOML, keys as below with '_'), then the "
               "environment (LYT_<SETTING>, e.g. LYT_MAX_CONNECTIONS), then these flags; each overrides the one before. "
               "First start on an empty data directory creates user admin with the password in LYT_ADMIN_PASSWORD, or a "
               "generated one printed once and stored in DATA_DIR/admin.password.",
               "lytdb");
  app.set_version_flag("--version", "lytdb " LYT_VERSION);
  std::string config_flag;
  app.add_option("--config", config_flag, "TOML config file (or LYT_CONFIG); see config/lytdb.example.toml");
  app.add_option("--check", config->check_dir,
                 "Verify the data directory DIR offline (every checksum, then a full recovery in memory), print what it holds and exit "
                 "(status 0: consistent, 1: damaged); the directory is not changed")
      ->type_name("DIR");
  std::vector<std::string> flag_values(Settings().size());
  std::vector<CLI::Option*> flags;
  ServerConfig defaults = *config;
  for (size_t i = 0; i < Settings().size(); ++i) {
    const Setting& setting = Settings()[i];
    std::string help = std::string(setting.help) + " [default: " + setting.apply.show(defaults) + "; " + EnvName(setting.name) + "]";
    flags.push_back(app.add_option(FlagName(setting.name), flag_values[i], help)->type_name("VALUE"));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    std::cout << app.help();
    *exit_now = true;
    return Status::OK();
  } catch (const CLI::CallForVersion&) {
    std::cout << "lytdb " LYT_VERSION "\n";
    *exit_now = true;
    return Status::OK();
  } catch (const CLI::ParseError& e) {
    return Status::Error(sqlstate::kInvalidParameterValue, e.what());
  }

  const char* env_config = std::getenv("LYT_CONFIG");
  config->config_file = !config_flag.empty() ? config_flag : env_config ? env_config : "";
  if (!config->config_file.empty()) {
    Status status = ApplyFile(config->config_file, config);
    if (!status.ok()) return status;
  }
  for (const Setting& setting : Settings()) {
    std::string env = EnvName(setting.name);
    if (const char* value = std::getenv(env.c_str())) {
      std::string expected = setting.apply(*config, value);
      if (!expected.empty()) return Invalid(setting, value, "environment " + env, expected);
    }
  }
  for (size_t i = 0; i < Settings().size(); ++i) {
    if (flags[i]->count() == 0) continue;
    std::string expected = Settings()[i].apply(*config, flag_values[i]);
    if (!expected.empty()) return Invalid(Settings()[i], flag_values[i], "flag " + FlagName(Settings()[i].name), expected);
  }
  // Settings valid one by one that cannot be used together stop start-up here too, before the
  // data directory is touched.
  return net::CheckTlsSettings(config->net, config->tls_self_signed);
}

}  // namespace lyt::server
