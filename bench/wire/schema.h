// The benchmark's tables as SQL text, so that LytDB (through the client) and PostgreSQL (through
// psql, `lyt_wire_bench sql ...`) get the same schema and the same rows:
//   accounts(id INTEGER PRIMARY KEY, balance INTEGER, name TEXT), ids 1..rows,
//     balance = id * 37 % 10000, name = 'account <id>'
//   events(id BIGINT PRIMARY KEY, account INTEGER, amount INTEGER), empty
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lyt/client.h"

namespace lyt::bench::wire {

// DROP + CREATE accounts, then multi-row INSERTs of 1,000 rows each.
std::vector<std::string> AccountsSql(int64_t rows);
// DROP + CREATE events (empty).
std::vector<std::string> EventsSql();

// Runs the statements in order on `conn`; the first error, if any.
Status RunStatements(client::Connection& conn, const std::vector<std::string>& statements);

}  // namespace lyt::bench::wire
