// The server's data directory: created on first start, locked against a second server, and
// initialized once (user admin, --init-sql). Beside the engine's files (the write-ahead log,
// checkpoints and their lock: durability/store.h) it holds LYTDB_VERSION (written when the first
// start completed), lytdb.pid, admin.password (when generated), the server log and TLS files.
#pragma once

#include <ostream>
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
  // Whether a first start completed here (LYTDB_VERSION exists).
  bool initialized() const;
  // Before a first start (no LYTDB_VERSION). An empty directory gets the marker
  // lytdb.initializing for the length of the first start. Database files without the marker
  // are a directory made by `lyt PATH` or BACKUP TO: `*adopting` is set, and the server takes
  // it over. Database files beside the marker are an interrupted first start: refused, rather
  // than mixed with new ones.
  Status PrepareFirstStart(bool* adopting);
  // After a failed first start (not an adoption): removes what the engine wrote, so the next
  // start begins afresh.
  void RemoveEngineFiles();
  // First start: creates user admin (password from LYT_ADMIN_PASSWORD, or generated, printed
  // once and stored in admin.password, mode 0600), runs `init_sql` (a file, or a directory of
  // *.sql files in name order) and only then marks the directory initialized (LYTDB_VERSION);
  // a failure undoes the files it wrote. Adopting: keeps the data, creates admin only when no
  // superuser exists, skips `init_sql`. User admin, like every user, lives in the engine's log.
  Status Initialize(Engine& engine, const std::string& init_sql, bool adopting, spdlog::logger& log);
  // Records the server's pid, its lyt port and its Redis port (0: not served) in the lock file,
  // one per line.
  void WritePid(uint16_t port, uint16_t resp_port, uint16_t http_port);

 private:
  std::string File(const char* name) const;
  Status FirstStart(Engine& engine, const std::string& init_sql, spdlog::logger& log);
  Status Adopt(Engine& engine, const std::string& init_sql, spdlog::logger& log);
  Status CreateAdmin(Engine& engine, std::string* generated);
  void AnnounceAdmin(const std::string& generated, spdlog::logger& log) const;
  Status MarkInitialized();

  static constexpr const char* kInitializingFile = "lytdb.initializing";

  std::string path_;
  int lock_fd_ = -1;
};

// Runs the SQL of `path` (a file, or every *.sql file of a directory in name order) as the
// embedded superuser. Errors name the file and the line of the failing statement.
Status RunInitSql(Engine& engine, const std::string& path);

// lytdb --check DIR: recovers DIR into a scratch engine without changing it and prints what it
// found to `out`. Returns the process exit status (0 consistent, 1 damaged or unreadable).
int CheckDataDirectory(const std::string& dir, std::ostream& out);

}  // namespace lyt::server
