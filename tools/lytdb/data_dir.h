// The server's data directory: created on first start, locked against a second server, and
// initialized once (user admin, --init-sql). Until the write-ahead log exists (issue 5) it holds
// only the admin credentials, the lock/pid file, the log and TLS files: tables live in memory.
#pragma once

#include <string>

#include "lyt/status.h"

namespace spdlog {
class logger;
}

namespace lyt {
class Engine;
}

namespace lyt::server {

class DataDirectory {
 public:
  explicit DataDirectory(std::string path) : path_(std::move(path)) {}
  ~DataDirectory();
  DataDirectory(const DataDirectory&) = delete;
  DataDirectory& operator=(const DataDirectory&) = delete;

  // Creates the directory (mode 0700) when missing and takes its lock file (lytdb.pid); fails
  // when another lytdb holds it.
  Status OpenAndLock();
  // First start (no LYTDB_VERSION file yet): creates user admin (password from
  // LYT_ADMIN_PASSWORD, or generated, printed once and stored in admin.password, mode 0600),
  // runs `init_sql` (a file, or a directory of *.sql files in name order) and only then marks
  // the directory initialized; a failure undoes the files it wrote. Later starts restore admin
  // from the stored verifier.
  Status Initialize(Engine& engine, const std::string& init_sql, spdlog::logger& log);
  // Records the server's pid and port in the lock file.
  void WritePid(uint16_t port);

 private:
  std::string File(const char* name) const;
  Status FirstStart(Engine& engine, const std::string& init_sql, spdlog::logger& log);

  std::string path_;
  int lock_fd_ = -1;
};

// Runs the SQL of `path` (a file, or every *.sql file of a directory in name order) as the
// embedded superuser. Errors name the file and the line of the failing statement.
Status RunInitSql(Engine& engine, const std::string& path);

}  // namespace lyt::server
