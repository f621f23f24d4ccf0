#include "data_dir.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "auth/base64.h"
#include "auth/user_store.h"
#include "common/error.h"
#include "durability/store.h"
#include "main/engine.h"
#include "main/session.h"

namespace lyt::server {

namespace fs = std::filesystem;

namespace {

constexpr const char* kAdminUser = "admin";

Status DirError(std::string message) { return Status::Error(sqlstate::kIoError, std::move(message)); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes `text` to `path` with mode 0600 (the file is created with it, never readable by others).
bool WritePrivateFile(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  bool ok = fchmod(fd, 0600) == 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// 24 characters from 18 random bytes, base64 with '+' and '/' swapped for URI-safe '-' and '_'.
std::string GeneratePassword() {
  unsigned char bytes[18];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return "";
  std::string password = auth::Base64Encode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
  std::replace(password.begin(), password.end(), '+', '-');
  std::replace(password.begin(), password.end(), '/', '_');
  return password;
}

std::string Trim(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

Status RunSqlFile(Engine& engine, const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return DirError("init_sql: cannot read " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  std::string sql = text.str();
  Session session(engine);  // no user: the embedded superuser
  Status failure;
  session.RunEach(sql, {}, [&](std::unique_ptr<QueryResult> result) {
    if (!result->ok()) failure = result->status();
  });
  if (failure.ok()) return Status::OK();
  std::string where = file.string() + (failure.line() ? ":" + std::to_string(failure.line()) + ":" + std::to_string(failure.column()) : "");
  return Status::Error(failure.sqlstate(), "init_sql " + where + ": ERROR " + failure.sqlstate() + ": " + failure.message());
}

size_t CountUsers(Engine& engine) {
  size_t n = 0;
  engine.users().ForEachUser([&](const auth::UserRecord&) { ++n; });
  return n;
}

}  // namespace

DataDirectory::~DataDirectory() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the lock
}

std::string DataDirectory::File(const char* name) const { return (fs::path(path_) / name).string(); }

Status DataDirectory::OpenAndLock() {
  std::error_code error;
  if (!fs::exists(path_, error)) {
    fs::create_directories(path_, error);
    if (error) return DirError("data_dir \"" + path_ + "\": cannot create it: " + error.message());
    ::chmod(path_.c_str(), 0700);
  } else if (!fs::is_directory(path_, error)) {
    return DirError("data_dir \"" + path_ + "\" is not a directory");
  }
  lock_fd_ = ::open(File("lytdb.pid").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) return DirError("data_dir \"" + path_ + "\": cannot create lytdb.pid (is the directory writable?)");
  if (flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    std::string other = Trim(ReadFile(File("lytdb.pid")));
    other = other.substr(0, other.find('\n'));
    return DirError("data_dir \"" + path_ + "\" is in use by another lytdb" + (other.empty() ? "" : " (pid " + other + ")"));
  }
  return Status::OK();
}

void DataDirectory::WritePid(uint16_t port, uint16_t resp_port, uint16_t http_port) {
  std::string text = std::to_string(getpid()) + "\n" + std::to_string(port) + "\n" + std::to_string(resp_port) + "\n" +
                     std::to_string(http_port) + "\n";
  if (ftruncate(lock_fd_, 0) == 0 && pwrite(lock_fd_, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size())) fsync(lock_fd_);
}

bool DataDirectory::initialized() const { return fs::exists(File("LYTDB_VERSION")); }

// What the engine keeps in a data directory (durability/store.h).
static bool IsEngineFile(const std::string& name) {
  return name == "wal" || name == "lytdb.lock" || name.rfind("checkpoint-", 0) == 0;
}

Status DataDirectory::PrepareFirstStart(bool* adopting) {
  *adopting = false;
  std::string engine_file;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(path_, error)) {
    std::string name = entry.path().filename().string();
    if (IsEngineFile(name) && name != "lytdb.lock") engine_file = name;
  }
  bool interrupted = fs::exists(File(kInitializingFile), error);
  if (!engine_file.empty() && interrupted) {
    return DirError("data_dir \"" + path_ + "\" holds database files (" + engine_file + ") from a first start that did not " +
                    "complete (" + kInitializingFile + " is still there). Remove the directory to start afresh");
  }
  if (!engine_file.empty()) {
    *adopting = true;  // made by `lyt PATH` or BACKUP TO
    return Status::OK();
  }
  if (!WritePrivateFile(File(kInitializingFile), "first start in progress\n")) {
    return DirError("cannot write " + File(kInitializingFile));
  }
  return Status::OK();
}

void DataDirectory::RemoveEngineFiles() {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(path_, error)) {
    if (IsEngineFile(entry.path().filename().string())) fs::remove_all(entry.path(), error);
  }
}

Status DataDirectory::Initialize(Engine& engine, const std::string& init_sql, bool adopting, spdlog::logger& log) {
  if (!initialized()) return adopting ? Adopt(engine, init_sql, log) : FirstStart(engine, init_sql, log);
  if (!engine.users().Exists(kAdminUser) && fs::exists(File("admin.verifier"))) {
    // A directory from a version that kept only admin's verifier, outside the log.
    Status status = engine.users().CreateUser(kAdminUser, Trim(ReadFile(File("admin.verifier"))), true);
    if (status.ok()) status = engine.PersistCatalog();
    if (!status.ok()) return DirError("data_dir \"" + path_ + "\": admin.verifier: " + status.message());
    log.info("user admin restored from admin.verifier");
  }
  if (!init_sql.empty()) log.info("init_sql ignored: the data directory is already initialized");
  return Status::OK();
}

// Creates user admin with the password of LYT_ADMIN_PASSWORD, or a generated one, stored in
// admin.password (`*generated` then holds it, to be printed once the start succeeds).
Status DataDirectory::CreateAdmin(Engine& engine, std::string* generated) {
  const char* env_password = std::getenv("LYT_ADMIN_PASSWORD");
  bool generate = env_password == nullptr || *env_password == '\0';
  std::string password = generate ? GeneratePassword() : env_password;
  if (password.empty()) return DirError("cannot draw random bytes for the admin password");
  Status status = engine.users().CreateUser(kAdminUser, password, true);
  if (!status.ok()) return Status::Error(status.sqlstate(), "LYT_ADMIN_PASSWORD: " + status.message());
  status = engine.PersistCatalog();  // admin goes to the log like every user
  if (!status.ok()) return status;
  if (generate && !WritePrivateFile(File("admin.password"), password + "\n")) {
    return DirError("cannot write " + File("admin.password"));
  }
  if (generate) *generated = password;
  return Status::OK();
}

void DataDirectory::AnnounceAdmin(const std::string& generated, spdlog::logger& log) const {
  if (!generated.empty()) {
    // Printed once, on stdout, so that it can be captured; never logged.
    std::cout << "lytdb: created user admin with password " << generated << " (also stored in " << File("admin.password")
              << ", readable only by you)" << std::endl;
  } else {
    log.info("created user admin with the password from LYT_ADMIN_PASSWORD");
  }
}

Status DataDirectory::MarkInitialized() {
  if (!WritePrivateFile(File("LYTDB_VERSION"), "1\n")) return DirError("cannot write " + File("LYTDB_VERSION"));
  std::error_code ignored;
  fs::remove(File(kInitializingFile), ignored);
  return Status::OK();
}

Status DataDirectory::FirstStart(Engine& engine, const std::string& init_sql, spdlog::logger& log) {
  std::string generated;
  Status status = CreateAdmin(engine, &generated);
  auto undo = [&] {
    std::error_code ignored;
    fs::remove(File("admin.password"), ignored);
  };
  if (status.ok() && !init_sql.empty()) {
    status = RunInitSql(engine, init_sql);
    if (status.ok()) log.info("init_sql {} ran", init_sql);
  }
  if (status.ok()) status = MarkInitialized();
  if (!status.ok()) {
    undo();
    return status;
  }
  AnnounceAdmin(generated, log);
  return Status::OK();
}

// A database directory that no lytdb initialized (made by `lyt PATH` or BACKUP TO): its data is
// kept as it is; admin is created only when no superuser exists, and init_sql does not run (the
// directory is not new).
Status DataDirectory::Adopt(Engine& engine, const std::string& init_sql, spdlog::logger& log) {
  std::string generated;
  bool has_superuser = false;
  engine.users().ForEachUser([&](const auth::UserRecord& user) { has_superuser |= user.superuser; });
  Status status = has_superuser ? Status::OK() : CreateAdmin(engine, &generated);
  if (status.ok()) status = MarkInitialized();
  if (!status.ok()) return status;
  log.info("data_dir {}: adopted a database directory made by lyt or BACKUP TO", path_);
  if (!init_sql.empty()) log.info("init_sql ignored: the data directory already holds a database");
  if (!has_superuser) AnnounceAdmin(generated, log);
  return Status::OK();
}

Status RunInitSql(Engine& engine, const std::string& path) {
  std::error_code error;
  if (fs::is_directory(path, error)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path, error)) {
      if (entry.is_regular_file() && entry.path().extension() == ".sql") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      Status status = RunSqlFile(engine, file);
      if (!status.ok()) return status;
    }
    return Status::OK();
  }
  if (!fs::exists(path, error)) return DirError("init_sql \"" + path + "\" does not exist");
  return RunSqlFile(engine, path);
}

int CheckDataDirectory(const std::string& dir, std::ostream& out) {
  Engine engine(DatabaseOptions{});
  std::vector<std::string> notices;
  durability::StoreOptions options;
  options.dir = dir;
  options.check_only = true;
  options.notice = [&](const std::string& message) { notices.push_back(message); };
  std::unique_ptr<durability::Store> store;
  Status status = durability::Store::Open(options, engine, &store);
  for (const auto& notice : notices) out << "warning: " << notice << "\n";
  if (!status.ok()) {
    out << "lytdb --check: " << dir << " is damaged: " << status.message() << "\n";
    return 1;
  }
  const durability::RecoveryReport& r = store->recovery();
  uint64_t tables = 0, rows = 0;
  for (auto& [name, db] : engine.catalog().databases()) {
    for (auto& [table_name, table] : db->tables()) {
      ++tables;
      rows += table->storage().live_rows();
    }
  }
  out << "lytdb --check: " << dir << " is consistent\n";
  if (r.had_checkpoint) {
    out << "  checkpoint: commit " << r.checkpoint.timestamp << ", " << r.checkpoint.bytes << " bytes\n";
  } else {
    out << "  checkpoint: none\n";
  }
  out << "  log: " << r.segments << " segment(s), " << r.commits_replayed << " commit(s) after the checkpoint\n";
  out << "  contents: " << engine.catalog().databases().size() << " database(s), " << tables << " table(s), " << rows
      << " row(s), " << CountUsers(engine) << " user(s)\n";
  out << "  recovery took " << r.seconds << " s\n";
  return 0;
}

}  // namespace lyt::server
