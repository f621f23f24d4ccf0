// The shell's core: runs SQL and backslash commands on one backend (embedded or a server) and
// prints the outcome. Input comes from main.cc (-c, -f, standard input) or interactive.cc (a
// terminal).
#pragma once

#include <chrono>
#include <memory>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "backend.h"
#include "meta_command.h"
#include "output_format.h"
#include "statement_buffer.h"

namespace lyt::shell {

struct ShellSettings {
  OutputFormat format = OutputFormat::kTable;
  bool timing = false;    // print "Time: 1.234 ms" after each statement
  bool expanded = false;  // \x: a "column | value" block per row (table format)
};

class Shell {
 public:
  // Results go to `out`, errors to `err`; the backend must outlive the shell.
  Shell(Backend& backend, ShellSettings settings, std::ostream& out, std::ostream& err);

  // Runs the statements in `sql` one by one (split by lyt::SplitStatements), printing each
  // result. Stops at the first failing statement, prints its error, and returns false.
  bool RunSql(std::string_view sql);

  // Runs one backslash command line (see meta_command.h). Returns false when it failed.
  bool RunMetaCommand(std::string_view line);

  // Runs a -c argument: one backslash command, or SQL.
  bool RunCommand(std::string_view text);

  // Runs a whole script (a -f file or piped standard input) line by line, each line as soon as
  // it is read; SQL and backslash commands may be mixed. Stops at the first failure (returns
  // false) or at \q.
  bool RunScript(std::istream& in);

  // Line-at-a-time input, for scripts and the terminal: a backslash command outside a quoted
  // string runs at once; SQL lines are buffered until they complete a statement, which then
  // runs. Returns false when something failed.
  bool FeedLine(std::string_view line);
  // End of input: runs what is left in the buffer (a last statement without ';').
  bool Finish();

  // Drops a partly typed statement (Ctrl-C at the prompt).
  void DiscardStatement() { buffer_.Take(); }

  bool quit_requested() const { return quit_requested_; }
  // True while a statement has been started but not completed.
  bool in_statement() const { return !buffer_.empty(); }
  // "main=> ", or "main-> " on a continuation line; "main" is the current database.
  std::string Prompt() const;

  // The tables and views of the current database (SHOW TABLES), for tab completion; empty
  // when they cannot be listed. Runs a statement, so only between statements.
  std::vector<std::string> TableNames();

  const Backend& backend() const { return backend_; }

 private:
  bool RunStatement(const std::string& statement);
  // Runs SQL on behalf of a backslash command; prints its rows (if print_rows) but no tag.
  bool RunInternal(const std::string& sql, bool print_rows);
  // Prints a failed statement's error; when the connection to the server was lost, says so and
  // reconnects once (the statement is not run again).
  void ReportFailure(const Status& status, std::string_view statement);
  void ReconnectAfterLoss();
  // Backslash commands (meta_commands.cc).
  bool RunToggle(const MetaCommand& command, bool* setting, const char* what);
  bool RunFormat(const MetaCommand& command);
  bool RunConnect(const MetaCommand& command);
  bool RunDescribe(const MetaCommand& command);
  bool RunInclude(const MetaCommand& command);
  // Runs `sql` for a command that takes no arguments.
  bool RunListing(const MetaCommand& command, const std::string& sql);
  bool StartsMetaCommand(std::string_view line) const;
  void PrintTiming(std::chrono::steady_clock::duration elapsed);
  // Prints "<command>: <message>" on err; returns false for callers to return.
  bool MetaError(const std::string& command, const std::string& message);
  void UpdateWriter() { writer_ = MakeResultWriter(settings_.format, out_, settings_.expanded); }

  Backend& backend_;
  ShellSettings settings_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<ResultWriter> writer_;
  StatementBuffer buffer_;
  bool quit_requested_ = false;
  int include_depth_ = 0;  // \i files being run, one inside another
};

}  // namespace lyt::shell
