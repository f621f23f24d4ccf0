// SQL text to syntax trees: a hand-written recursive-descent parser with Pratt-style precedence
// climbing for expressions.
#pragma once

#include <string_view>
#include <vector>

#include "sql/ast.h"

namespace lyt {

// Parses every statement in `sql` (separated by ';'; empty statements are skipped). Parameters
// `?` are numbered left to right across the whole text. On the first syntax error throws
// lyt::Error with SQLSTATE 42601, a message of the form
//   syntax error at or near "FORM": expected FROM, a join or the end of the statement
// (or `at end of input`) and the byte offset of the offending token.
std::vector<ast::StatementPtr> ParseSql(std::string_view sql);
// How many parameter values `statements` take: their highest $n (Statement::highest_param).
int HighestParameter(const std::vector<ast::StatementPtr>& statements);

// Parses a single expression (used for DEFAULT values kept as text, and by tests).
ast::ExprPtr ParseExpression(std::string_view sql);

// Parses a type name as written in SQL ("int", "varchar(20)", "double precision", ...).
// Throws lyt::Error 42704 for an unknown type name.
LogicalType ParseTypeName(std::string_view name);

}  // namespace lyt
