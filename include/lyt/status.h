// The one error value of LytDB's public API.
#pragma once

#include <string>
#include <utility>

namespace lyt {

// Outcome of an operation: ok, or an error with a SQLSTATE code (five characters, as in
// PostgreSQL: "42601" syntax error, "22012" division by zero, ...), a message, and for errors
// located in SQL text a 1-based line and column (0 when unknown).
class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status OK() { return Status(); }
  static Status Error(std::string sqlstate, std::string message, int line = 0, int column = 0) {
    Status s;
    s.sqlstate_ = std::move(sqlstate);
    s.message_ = std::move(message);
    s.line_ = line;
    s.column_ = column;
    return s;
  }

  bool ok() const { return sqlstate_.empty(); }
  const std::string& sqlstate() const { return sqlstate_; }
  const std::string& message() const { return message_; }
  int line() const { return line_; }
  int column() const { return column_; }

  // "ERROR 42601: syntax error at 1:8: expected FROM, found 'FORM'"-style one-liner.
  std::string ToString() const;

 private:
  std::string sqlstate_;  // empty when ok
  std::string message_;
  int line_ = 0;
  int column_ = 0;
};

}  // namespace lyt
