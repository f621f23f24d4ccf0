// Unit test helper: a query's first column as one string.
#pragma once

#include <string>
#include <vector>

#include "lyt/database.h"

namespace lyt {

// The first column of every result row of `sql` run with `params`, as text ("NULL" for NULL),
// comma-separated; "error <SQLSTATE>" when it fails.
inline std::string FirstColumn(Connection& conn, const std::string& sql, const std::vector<Value>& params = {}) {
  auto r = conn.Query(sql, params);
  if (!r->ok()) return "error " + r->status().sqlstate();
  std::string out;
  while (const ResultBatch* b = r->NextBatch()) {
    for (size_t i = 0; i < b->row_count(); ++i) {
      out += (out.empty() ? "" : ",") + (b->IsNull(0, i) ? std::string("NULL") : b->GetValue(0, i).ToString());
    }
  }
  return out;
}

}  // namespace lyt
