// The shell's backslash commands (the table of them is in meta_command.h).
#include <utility>

#include "error_report.h"
#include "read_input.h"
#include "shell.h"

namespace lyt::shell {

namespace {

constexpr const char* kSqlHelp =
    "\n"
    "SQL statements end with ';' and may span several lines. A short overview:\n"
    "  SELECT ... FROM ... [WHERE ...] [GROUP BY ...] [ORDER BY ...] [LIMIT n]\n"
    "  INSERT INTO t [(cols)] VALUES (...), ... | SELECT ...\n"
    "  UPDATE t SET col = expr [WHERE ...];  DELETE FROM t [WHERE ...]\n"
    "  CREATE TABLE t (col TYPE [constraints], ...);  DROP TABLE t;  ALTER TABLE ...\n"
    "  CREATE INDEX ...;  CREATE VIEW v AS SELECT ...;  TRUNCATE t\n"
    "  CREATE DATABASE name;  USE name;  SHOW TABLES;  SHOW DATABASES;  DESCRIBE t\n"
    "  BEGIN; COMMIT; ROLLBACK;  EXPLAIN SELECT ...;  COPY ...;  SET name = value\n"
    "Types: BOOLEAN, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE PRECISION, VARCHAR(n), TEXT,\n"
    "BLOB, DATE, TIMESTAMP.\n";

// \i inside \i files: deep enough for real use, shallow enough to stop a file including itself.
constexpr int kMaxIncludeDepth = 16;

}  // namespace

bool Shell::RunMetaCommand(std::string_view line) {
  MetaCommand command = ParseMetaCommand(line);
  switch (command.kind) {
    case MetaCommandKind::kQuit:
      quit_requested_ = true;
      return true;
    case MetaCommandKind::kHelp:
      out_ << "Backslash commands (each on a line of its own):\n" << MetaCommandHelp() << kSqlHelp;
      return true;
    case MetaCommandKind::kTiming: return RunToggle(command, &settings_.timing, "Timing");
    case MetaCommandKind::kExpanded: return RunToggle(command, &settings_.expanded, "Expanded display");
    case MetaCommandKind::kFormat: return RunFormat(command);
    case MetaCommandKind::kConnect: return RunConnect(command);
    case MetaCommandKind::kConnInfo:
      if (!command.args.empty()) return MetaError(command.name, "takes no argument");
      out_ << backend_.Describe();
      return true;
    case MetaCommandKind::kListDatabases: return RunListing(command, "SHOW DATABASES");
    case MetaCommandKind::kListTables: return RunListing(command, "SHOW TABLES");
    case MetaCommandKind::kListUsers: return RunListing(command, "SHOW USERS");
    case MetaCommandKind::kDescribe: return RunDescribe(command);
    case MetaCommandKind::kInclude: return RunInclude(command);
    case MetaCommandKind::kUnknown:
      break;
  }
  out_.flush();
  err_ << "invalid command " << command.name << "\nTry \\? for help.\n" << std::flush;
  return false;
}

bool Shell::RunToggle(const MetaCommand& command, bool* setting, const char* what) {
  if (command.args.size() > 1) return MetaError(command.name, "too many arguments");
  if (command.args.empty()) {
    *setting = !*setting;
  } else if (command.args[0] == "on") {
    *setting = true;
  } else if (command.args[0] == "off") {
    *setting = false;
  } else {
    return MetaError(command.name,
                     "unrecognized value \"" + command.args[0] + "\" (use on or off)");
  }
  UpdateWriter();
  out_ << what << (*setting ? " is on.\n" : " is off.\n");
  return true;
}

bool Shell::RunFormat(const MetaCommand& command) {
  if (command.args.size() > 1) return MetaError(command.name, "too many arguments");
  if (!command.args.empty()) {
    if (!ParseOutputFormat(command.args[0], &settings_.format)) {
      return MetaError(command.name,
                       "unknown format \"" + command.args[0] + "\" (use table, csv or json)");
    }
    UpdateWriter();
  }
  out_ << "Output format is " << OutputFormatName(settings_.format) << ".\n";
  return true;
}

bool Shell::RunConnect(const MetaCommand& command) {
  if (command.args.empty()) return MetaError(command.name, "database name required");
  if (command.args.size() > 1) return MetaError(command.name, "too many arguments");
  Status status = backend_.SwitchDatabase(command.args[0]);
  if (!status.ok()) {
    out_.flush();
    err_ << FormatError(status, {}) << std::flush;
    return false;
  }
  out_ << "You are now connected to database \"" << backend_.current_database() << "\".\n";
  return true;
}

bool Shell::RunListing(const MetaCommand& command, const std::string& sql) {
  if (!command.args.empty()) return MetaError(command.name, "takes no argument");
  return RunInternal(sql, true);
}

bool Shell::RunDescribe(const MetaCommand& command) {
  if (command.args.size() > 1) return MetaError(command.name, "too many arguments");
  if (command.args.empty()) return RunInternal("SHOW TABLES", true);
  return RunInternal("DESCRIBE " + command.args[0], true);
}

bool Shell::RunInclude(const MetaCommand& command) {
  if (command.args.size() != 1) return MetaError(command.name, "exactly one file name required");
  if (include_depth_ >= kMaxIncludeDepth) {
    return MetaError(command.name, "files included more than " +
                                       std::to_string(kMaxIncludeDepth) + " deep");
  }
  ScriptInput input;
  std::string error;
  if (!input.Open(command.args[0], &error)) return MetaError(command.name, error);
  // The file's statements have a buffer of their own: what was typed before \i waits for it.
  StatementBuffer outer = std::exchange(buffer_, StatementBuffer());
  ++include_depth_;
  bool ok = RunScript(input.stream());
  --include_depth_;
  buffer_ = std::move(outer);
  return ok;
}

bool Shell::MetaError(const std::string& command, const std::string& message) {
  out_.flush();
  err_ << command << ": " << message << '\n' << std::flush;
  return false;
}

}  // namespace lyt::shell
