// The one integer a query returns (its first column of its first row), for the concurrency tests;
// -1, with a test failure, when it fails.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "lyt/database.h"

namespace lyt {

inline int64_t QueryInt(Connection& c, const std::string& sql) {
  auto r = c.Query(sql);
  EXPECT_TRUE(r->ok()) << sql << ": " << r->status().ToString();
  const ResultBatch* b = r->ok() ? r->NextBatch() : nullptr;
  EXPECT_TRUE(b && b->row_count() >= 1) << sql;
  return b && b->row_count() >= 1 ? b->GetInt64(0, 0) : -1;
}

}  // namespace lyt
