#include "wire/schema.h"

#include <algorithm>

namespace lyt::bench::wire {

std::vector<std::string> AccountsSql(int64_t rows) {
  std::vector<std::string> sql = {
      "DROP TABLE IF EXISTS accounts",
      "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER, name TEXT)",
  };
  constexpr int64_t kRowsPerInsert = 1000;
  for (int64_t first = 1; first <= rows; first += kRowsPerInsert) {
    std::string insert = "INSERT INTO accounts (id, balance, name) VALUES ";
    for (int64_t id = first; id < std::min(first + kRowsPerInsert, rows + 1); ++id) {
      if (id != first) insert += ", ";
      std::string ids = std::to_string(id);
      insert += "(" + ids + ", " + std::to_string(id * 37 % 10000) + ", 'account " + ids + "')";
    }
    sql.push_back(std::move(insert));
  }
  return sql;
}

std::vector<std::string> EventsSql() {
  return {
      "DROP TABLE IF EXISTS events",
      "CREATE TABLE events (id BIGINT PRIMARY KEY, account INTEGER, amount INTEGER)",
  };
}

Status RunStatements(client::Connection& conn, const std::vector<std::string>& statements) {
  for (const std::string& sql : statements) {
    Status s = conn.Execute(sql);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace lyt::bench::wire
