// The in-process database instance behind lyt::Database: catalog, data and settings.
#pragma once

#include <shared_mutex>

#include "catalog/catalog.h"
#include "lyt/database.h"

namespace lyt {

class Engine {
 public:
  explicit Engine(const DatabaseOptions& options);

  Catalog& catalog() { return catalog_; }
  // Guards catalog_ and every table's data: held shared by statements that only read, exclusive
  // by statements that write or change the schema, for the whole statement. (MVCC replaces this
  // with snapshots in a later step.)
  std::shared_mutex& statement_lock() { return statement_lock_; }
  uint64_t memory_limit() const { return memory_limit_; }

 private:
  Catalog catalog_;
  std::shared_mutex statement_lock_;
  uint64_t memory_limit_;
};

}  // namespace lyt
