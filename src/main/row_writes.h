// Writing row versions in a statement's transaction, shared by INSERT, UPDATE, DELETE, TRUNCATE,
// COPY and INSERT ... ON CONFLICT (execute_dml.cc, upsert.cc). The caller holds the table's writer
// mutex (StatementContext::LockForWrite).
#pragma once

#include <optional>
#include <string>

#include "main/statement_context.h"

namespace lyt {

using Batches = std::vector<std::unique_ptr<DataChunk>>;

// Encoded keys of `uc` for every row of `rows` (columns offset by first_column); rows with a NULL
// key get an empty optional.
std::vector<std::optional<std::string>> KeysOf(const UniqueConstraint& uc, const Batches& rows, idx_t first_column);

// Appends `rows` (the table's columns first; extra trailing columns are ignored) as new row
// versions of ctx's transaction after checking NOT NULL and UNIQUE for all of them. Returns the
// number of rows.
int64_t AppendVersions(StatementContext& ctx, TableEntry& table, const Batches& rows);

// Deletes the row versions `ids` (or those whose ids are in column `id_column` of `rows`), in
// ctx's transaction.
void DeleteVersions(StatementContext& ctx, TableEntry& table, std::vector<row_t> ids);
void DeleteVersions(StatementContext& ctx, TableEntry& table, const Batches& rows, idx_t id_column);

// A scan of every column of `table` followed by each row's id (an extra BIGINT column).
// execute_dml.cc.
LogicalOpPtr ScanWithRowIds(TableEntry& table);

// The columns of `table` under the name `alias` (or the table's own name). returning.cc.
Scope TableScope(const TableEntry& table, const std::string& alias);

// The result of a statement that wrote `rows` (`count` of them): its tag when the RETURNING list
// `items` is empty, else `items` evaluated over `rows`, whose leading columns `scope` names
// (TableScope: the table's), tagged `tag`. returning.cc.
ResultPtr ChangeResult(StatementContext& ctx, Binder& binder, const Scope& scope, const std::vector<ast::SelectItem>& items,
                       const Batches& rows, std::string tag, int64_t count);

// INSERT ... ON CONFLICT: inserts the proposed `rows` (complete rows of the table) that do not
// conflict on the arbiter key, and skips (DO NOTHING) or updates (DO UPDATE) the existing rows
// the others conflict with; for INSERT OR REPLACE (ConflictAction::Replace) deletes every row
// conflicting with a proposed row on any unique constraint and inserts them all. upsert.cc.
ResultPtr ExecuteUpsert(StatementContext& ctx, Binder& binder, TableEntry& table, const ast::InsertStmt& stmt,
                        const Batches& rows);

}  // namespace lyt
