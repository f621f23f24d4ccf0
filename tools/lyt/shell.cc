#include "shell.h"

#include <cstdio>
#include <utility>
#include <vector>

#include "error_report.h"
#include "result_printer.h"

namespace lyt::shell {

Shell::Shell(Backend& backend, ShellSettings settings, std::ostream& out, std::ostream& err)
    : backend_(backend),
      settings_(settings),
      out_(out),
      err_(err),
      writer_(MakeResultWriter(settings.format, out, settings.expanded)) {}

bool Shell::RunSql(std::string_view sql) {
  for (const std::string& statement : SplitStatements(sql)) {
    if (!RunStatement(statement)) return false;
  }
  return true;
}

bool Shell::RunStatement(const std::string& statement) {
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<QueryResult> result = backend_.Query(statement);
  auto elapsed = std::chrono::steady_clock::now() - start;
  bool ok = result->ok();
  if (ok) {
    PrintResult(*result, *writer_);
  } else {
    ReportFailure(result->status(), statement);
  }
  PrintTiming(elapsed);
  out_.flush();  // each statement's output as it completes, also into a pipe
  return ok;
}

void Shell::ReportFailure(const Status& status, std::string_view statement) {
  out_.flush();  // keep results and the error in order on a shared terminal
  err_ << FormatError(status, statement) << std::flush;
  if (backend_.is_broken()) ReconnectAfterLoss();
}

void Shell::ReconnectAfterLoss() {
  err_ << "connection to server lost; reconnecting... (the failed statement was not retried)\n"
       << std::flush;
  Status status = backend_.Reconnect();
  if (status.ok()) {
    err_ << "reconnected to database \"" << backend_.current_database()
         << "\" (a new session: transaction and session state were lost)\n";
  } else {
    err_ << "could not reconnect: " << status.sqlstate() << ": " << status.message() << '\n';
  }
  err_.flush();
}

void Shell::PrintTiming(std::chrono::steady_clock::duration elapsed) {
  if (!settings_.timing) return;
  double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  char text[64];
  std::snprintf(text, sizeof text, "Time: %.3f ms\n", ms);
  out_ << text;
}

bool Shell::RunInternal(const std::string& sql, bool print_rows) {
  std::unique_ptr<QueryResult> result = backend_.Query(sql);
  if (!result->ok()) {
    ReportFailure(result->status(), sql);
    return false;
  }
  if (print_rows && result->returns_rows()) PrintResult(*result, *writer_);
  return true;
}

bool Shell::RunCommand(std::string_view text) {
  if (IsMetaCommand(text)) return RunMetaCommand(text);
  return RunSql(text);
}

bool Shell::RunScript(std::istream& in) {
  std::string line;
  while (!quit_requested_ && std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!FeedLine(line)) return false;
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
  return backend_.current_database() + (buffer_.empty() ? "=> " : "-> ");
}

std::vector<std::string> Shell::TableNames() {
  std::vector<std::string> names;
  std::unique_ptr<QueryResult> result = backend_.Query("SHOW TABLES");
  if (!result->ok() || !result->returns_rows()) return names;
  while (const ResultBatch* batch = result->NextBatch()) {
    for (size_t row = 0; row < batch->row_count(); ++row) {
      if (!batch->IsNull(0, row)) names.emplace_back(batch->GetString(0, row));
    }
  }
  return names;
}

}  // namespace lyt::shell
