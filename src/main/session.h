// Per-connection state and the statement loop: parse, lock, dispatch, turn errors into results.
#pragma once

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "lyt/database.h"
#include "main/engine.h"
#include "sql/ast.h"

namespace lyt {

class Session {
 public:
  explicit Session(Engine& engine);

  // Runs the statements of `sql` in order; see Connection::Query.
  std::unique_ptr<QueryResult> Run(std::string_view sql, const std::vector<Value>& params);

  Engine& engine() { return engine_; }
  const std::string& current_database() const { return current_database_; }
  void set_current_database(std::string name) { current_database_ = std::move(name); }
  std::mt19937_64& rng() { return rng_; }

  // Session settings (SET / SHOW): memory_limit in bytes.
  uint64_t memory_limit() const { return memory_limit_; }
  void set_memory_limit(uint64_t bytes) { memory_limit_ = bytes; }

 private:
  std::unique_ptr<QueryResult> RunStatement(ast::Statement& statement, const std::vector<Value>& params);

  Engine& engine_;
  std::string current_database_;
  std::mt19937_64 rng_;
  uint64_t memory_limit_;
};

}  // namespace lyt
