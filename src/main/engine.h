// The in-process database instance behind lyt::Database: catalog, data, transactions, settings.
#pragma once

#include <shared_mutex>

#include "auth/user_store.h"
#include "catalog/catalog.h"
#include "lyt/database.h"
#include "txn/transaction_manager.h"

namespace lyt {

class Engine {
 public:
  explicit Engine(const DatabaseOptions& options);

  Catalog& catalog() { return catalog_; }
  // Guards the catalog (the set of databases, tables, views and indexes and their definitions):
  // held shared by every statement that only uses it (queries, DML, COPY), for the whole
  // statement including its commit; exclusively by DDL and TRUNCATE. Row data is not guarded by
  // it: concurrent statements read and write rows under multi-version concurrency control.
  std::shared_mutex& catalog_lock() { return catalog_lock_; }
  TransactionManager& transactions() { return transactions_; }
  uint64_t memory_limit() const { return memory_limit_; }
  // The users and their privileges (thread-safe on its own; see auth/user_store.h). Empty at
  // start: the server creates its first superuser.
  auth::UserStore& users() { return users_; }

 private:
  Catalog catalog_;
  auth::UserStore users_;
  std::shared_mutex catalog_lock_;
  TransactionManager transactions_;
  uint64_t memory_limit_;
};

}  // namespace lyt
