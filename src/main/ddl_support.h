// Pieces shared by CREATE/DROP (execute_ddl.cc) and ALTER TABLE (execute_alter.cc).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "main/statement_context.h"

namespace lyt {

// The database an existing relation's possibly qualified name refers to: the session's temporary
// tables first (Catalog::RelationDatabase); throws 3D000 for an unknown database.
DatabaseEntry& TargetDatabase(StatementContext& ctx, const ast::QualifiedName& name);
// The database CREATE puts a new relation in: the session's temporary tables for TEMPORARY or a
// "pg_temp." name, else the named or current database (3D000 when unknown).
DatabaseEntry& CreationDatabase(StatementContext& ctx, const ast::QualifiedName& name, bool temporary);

// Binds a column's DEFAULT expression and casts it to the column's type, the way CREATE TABLE and
// ALTER TABLE accept one. Throws lyt::Error (0A000) for subqueries and column references, and
// the binder's errors (42804 ...) when the value cannot be assigned to `type`.
BoundExprPtr BindNewDefault(Binder& binder, const ast::Expr& expr, const LogicalType& type, const std::string& column);

// The name PostgreSQL generates for a key constraint: <table>_pkey or <table>_<col>_..._key.
std::string KeyConstraintName(const std::string& table, const std::vector<std::string>& columns, bool primary);

// Adds a PRIMARY KEY / UNIQUE constraint over `columns` (positions) with an empty index; the
// caller fills the index (UniqueIndex::Rebuild) when the table holds rows.
UniqueConstraint& AddUniqueConstraint(TableEntry& table, std::vector<idx_t> columns, bool primary, std::string name);

// The views of `db` that bind now but, while `apply` is in effect, fail to bind or produce other
// column names or types (a view on such a view counts too). `revert` must undo `apply` exactly;
// it runs before this returns, also when binding throws something other than lyt::Error. Views
// already broken before `apply` are not listed: there is nothing left to protect.
std::vector<std::string> ViewsBrokenBy(StatementContext& ctx, DatabaseEntry& db, const std::function<void()>& apply,
                                       const std::function<void()>& revert);

}  // namespace lyt
