#include "shell.h"

#include <cstdio>
#include <utility>
#include <vector>

#include "error_report.h"
#include "result_printer.h"

namespace lyt::shell {

namespace {

constexpr const char* kMetaHelp =
    "Backslash commands (each on a line of its own):\n"
    "  \\q                     quit\n"
    "  \\? or \\help            show this help\n"
    "  \\timing [on|off]       print how long each statement takes (no argument: toggle)\n"
    "  \\format [table|csv|json]\n"
    "                         set the output format (no argument: show it)\n"
    "  \\c NAME, \\connect NAME  switch to database NAME (USE NAME)\n"
    "  \\d                     list tables (SHOW TABLES)\n"
    "  \\d NAME                describe table NAME (DESCRIBE NAME)\n"
    "  \\l                     list databases (SHOW DATABASES)\n"
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

}  // namespace

Shell::Shell(Connection& connection, ShellSettings settings, std::ostream& out,
             std::ostream& err)
    : connection_(connection),
      settings_(settings),
      out_(out),
      err_(err),
      writer_(MakeResultWriter(settings.format, out)) {}

bool Shell::RunSql(std::string_view sql) {
  for (const std::string& statement : SplitStatements(sql)) {
    if (!RunStatement(statement)) return false;
  }
  return true;
}

bool Shell::RunStatement(const std::string& statement) {
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<QueryResult> result = connection_.Query(statement);
  auto elapsed = std::chrono::steady_clock::now() - start;
  bool ok = result->ok();
  if (ok) {
    PrintResult(*result, *writer_);
  } else {
    out_.flush();  // keep results and the error in order on a shared terminal
    err_ << FormatError(result->status(), statement) << std::flush;
  }
  PrintTiming(elapsed);
  return ok;
}

void Shell::PrintTiming(std::chrono::steady_clock::duration elapsed) {
  if (!settings_.timing) return;
  double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  char text[64];
  std::snprintf(text, sizeof text, "Time: %.3f ms\n", ms);
  out_ << text;
}

bool Shell::RunInternal(const std::string& sql, bool print_rows) {
  std::unique_ptr<QueryResult> result = connection_.Query(sql);
  if (!result->ok()) {
    out_.flush();
    err_ << FormatError(result->status(), sql) << std::flush;
    return false;
  }
  if (print_rows && result->returns_rows()) PrintResult(*result, *writer_);
  return true;
}

bool Shell::RunCommand(std::string_view text) {
  if (IsMetaCommand(text)) return RunMetaCommand(text);
  return RunSql(text);
}

bool Shell::RunScript(std::string_view text) {
  size_t start = 0;
  while (start < text.size() && !quit_requested_) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!FeedLine(line)) return false;
    start = end + 1;
  }
  return quit_requested_ || Finish();
}

bool Shell::StartsMetaCommand(std::string_view line) const {
  if (!IsMetaCommand(line)) return false;
  if (buffer_.empty()) return true;
  // Inside an unterminated quote or block comment the line is statement text. Ending the
  // buffer with a new line holding a statement completes it exactly when we are outside both.
  return IsCompleteStatement(buffer_.text() + "\nx;");
}

bool Shell::FeedLine(std::string_view line) {
  if (StartsMetaCommand(line)) return RunMetaCommand(line);
  buffer_.AddLine(line);
  if (!buffer_.complete()) return true;
  return RunSql(buffer_.Take());
}

bool Shell::Finish() {
  if (buffer_.empty()) return true;
  return RunSql(buffer_.Take());
}

std::string Shell::Prompt() const {
  return connection_.current_database() + (buffer_.empty() ? "=> " : "-> ");
}

bool Shell::RunMetaCommand(std::string_view line) {
  MetaCommand command = ParseMetaCommand(line);
  switch (command.kind) {
    case MetaCommandKind::kQuit:
      quit_requested_ = true;
      return true;
    case MetaCommandKind::kHelp:
      out_ << kMetaHelp;
      return true;
    case MetaCommandKind::kTiming: return RunTiming(command);
    case MetaCommandKind::kFormat: return RunFormat(command);
    case MetaCommandKind::kConnect: return RunConnect(command);
    case MetaCommandKind::kDescribe: return RunDescribe(command);
    case MetaCommandKind::kListDatabases:
      if (!command.args.empty()) return MetaError(command.name, "takes no argument");
      return RunInternal("SHOW DATABASES", true);
    case MetaCommandKind::kUnknown:
      break;
  }
  out_.flush();
  err_ << "invalid command " << command.name << "\nTry \\? for help.\n" << std::flush;
  return false;
}

bool Shell::RunTiming(const MetaCommand& command) {
  if (command.args.size() > 1) return MetaError(command.name, "too many arguments");
  if (command.args.empty()) {
    settings_.timing = !settings_.timing;
  } else if (command.args[0] == "on") {
    settings_.timing = true;
  } else if (command.args[0] == "off") {
    settings_.timing = false;
  } else {
    return MetaError(command.name,
                     "unrecognized value \"" + command.args[0] + "\" (use on or off)");
  }
  out_ << (settings_.timing ? "Timing is on.\n" : "Timing is off.\n");
  return true;
}

bool Shell::RunFormat(const MetaCommand& command) {
  if (command.args.size() > 1) return MetaError(command.name, "too many arguments");
  if (!command.args.empty()) {
    if (!ParseOutputFormat(command.args[0], &settings_.format)) {
      return MetaError(command.name,
                       "unknown format \"" + command.args[0] + "\" (use table, csv or json)");
    }
    writer_ = MakeResultWriter(settings_.format, out_);
  }
  out_ << "Output format is " << OutputFormatName(settings_.format) << ".\n";
  return true;
}

bool Shell::RunConnect(const MetaCommand& command) {
  if (command.args.empty()) return MetaError(command.name, "database name required");
  if (command.args.size() > 1) return MetaError(command.name, "too many arguments");
  if (!RunInternal("USE " + command.args[0], false)) return false;
  out_ << "You are now connected to database \"" << connection_.current_database() << "\".\n";
  return true;
}

bool Shell::RunDescribe(const MetaCommand& command) {
  if (command.args.size() > 1) return MetaError(command.name, "too many arguments");
  if (command.args.empty()) return RunInternal("SHOW TABLES", true);
  return RunInternal("DESCRIBE " + command.args[0], true);
}

bool Shell::MetaError(const std::string& command, const std::string& message) {
  out_.flush();
  err_ << command << ": " << message << '\n' << std::flush;
  return false;
}

}  // namespace lyt::shell
