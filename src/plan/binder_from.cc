// Binding of FROM clauses: tables, views, common table expressions, derived tables, VALUES and
// joins; and the catalog look-ups shared by the statement binders.
#include <cmath>
#include "common/cast.h"
#include "common/error.h"
#include "common/interval.h"
#include "exec/expression_executor.h"
#include "plan/binder.h"
#include "plan/coercion.h"
#include "sql/parser.h"

namespace lyt {

DatabaseEntry& Binder::RelationDatabase(const ast::QualifiedName& name) {
  DatabaseEntry& db = catalog_.RelationDatabase(database_, session_.temp_tables, name);
  if (&db == session_.temp_tables) used_temp_tables_ = true;
  else if (!name.database.empty() && database_check_) database_check_(name.database, name.pos);
  return db;
}

LogicalOpPtr Binder::BindChangeJoin(LogicalOpPtr target, const ast::TableRef& from, const ast::Expr* where, Scope& scope) {
  size_t target_columns = scope.columns.size();
  scope.columns.push_back(ScopeColumn{"", "", TypeId::BigInt, true});  // the row id
  auto others = BindTableRef(from, scope);
  for (size_t t = 0; t < target_columns; ++t) {
    for (size_t f = target_columns + 1; f < scope.columns.size(); ++f) {
      if (scope.columns[t].table == scope.columns[f].table) {
        throw Error("42712", "table name \"" + scope.columns[t].table + "\" specified more than once", from.pos);
      }
    }
  }
  auto join = std::make_unique<LogicalOp>(LogicalKind::Join);
  join->join_type = ast::JoinType::Cross;
  join->types = target->types;
  join->types.insert(join->types.end(), others->types.begin(), others->types.end());
  join->children.push_back(std::move(target));
  join->children.push_back(std::move(others));
  if (!where) return join;
  auto filter = std::make_unique<LogicalOp>(LogicalKind::Filter);
  filter->types = join->types;
  filter->exprs.push_back(BindCondition(*where, ExprContext{&scope, nullptr, "WHERE"}));
  filter->children.push_back(std::move(join));
  return filter;
}

// An unqualified system view's name comes before the session's relations, as in BindBaseTable.
bool Binder::NamesSystemView(const ast::QualifiedName& name) {
  return name.database.empty() && session_.system_tables && session_.system_tables->IsSystemView(name.name);
}

bool Binder::NamesView(const ast::QualifiedName& name) {
  DatabaseEntry& db = RelationDatabase(name);
  return NamesSystemView(name) || (!db.FindTable(name.name) && db.FindView(name.name));
}

TableEntry& Binder::ResolveTable(const ast::QualifiedName& name) {
  TableEntry* table = RelationDatabase(name).FindTable(name.name);
  if (!table) {
    if (NamesView(name)) {
      throw Error(sqlstate::kFeatureNotSupported,
                  std::string("cannot change ") + (NamesSystemView(name) ? "system " : "") + "view \"" + name.name + "\"", name.pos);
    }
    throw Error(sqlstate::kUndefinedTable, "relation \"" + name.name + "\" does not exist", name.pos);
  }
  return *table;
}

Value Binder::EvaluateConstant(const BoundExpr& expr) { return ExpressionExecutor::EvaluateScalar(expr, function_context_); }

void AddFromColumns(const ast::TableRef& ref, const std::string& default_table, const std::vector<LogicalType>& types,
                    const std::vector<std::string>& names, Scope& scope) {
  const std::string& table = ref.alias.empty() ? default_table : ref.alias;
  if (ref.column_aliases.size() > types.size()) {
    throw Error(sqlstate::kInvalidColumnReference,
                "table \"" + table + "\" has " + std::to_string(types.size()) + " columns available but " +
                    std::to_string(ref.column_aliases.size()) + " columns specified",
                ref.pos);
  }
  const std::string& relation = ref.alias.empty() ? ref.alias : default_table;
  scope.columns.reserve(scope.columns.size() + types.size());
  for (size_t i = 0; i < types.size(); ++i) {
    std::string name = i < ref.column_aliases.size() ? ref.column_aliases[i]
                       : i < names.size()            ? names[i]
                                                     : "column" + std::to_string(i + 1);
    scope.columns.push_back({table, std::move(name), types[i], false, relation});
  }
}

LogicalOpPtr Binder::BindTableRef(const ast::TableRef& ref, Scope& scope) {
  switch (ref.kind) {
    case ast::TableRefKind::BaseTable: return BindBaseTable(ref.As<ast::BaseTable>(), scope);
    case ast::TableRefKind::Join: return BindJoin(ref.As<ast::Join>(), scope);
    case ast::TableRefKind::Subquery: return BindSubqueryRef(ref.As<ast::SubqueryRef>(), scope);
    case ast::TableRefKind::Values: return BindValuesRef(ref.As<ast::ValuesRef>(), scope);
    case ast::TableRefKind::Function: return BindFunctionRef(ref.As<ast::FunctionRef>(), scope);
  }
  ThrowInternal("unknown table reference");
}

LogicalOpPtr Binder::BindBaseTable(const ast::BaseTable& ref, Scope& scope) {
  const std::string& name = ref.name.name;
  if (ref.name.database.empty()) {
    for (size_t i = ctes_.size(); i-- > 0;) {
      if (ctes_[i].name != name) continue;
      if (ctes_[i].term) return BindWorkTableRef(*ctes_[i].term, ref, scope);
      const ast::CommonTableExpr& cte = *ctes_[i].cte;
      LogicalOpPtr plan = BindCte(i);
      std::vector<std::string> names = plan->names;
      for (size_t c = 0; c < cte.column_names.size() && c < names.size(); ++c) names[c] = cte.column_names[c];
      AddFromColumns(ref, name, plan->types, names, scope);
      return plan;
    }
  }
  // System views come before the session's relations, as pg_catalog does in PostgreSQL.
  if (ref.name.database.empty() && session_.system_tables) {
    if (auto snapshot = session_.system_tables->Snapshot(name)) return BindSystemTable(std::move(*snapshot), ref, scope);
  }
  DatabaseEntry& db = RelationDatabase(ref.name);
  if (const ViewEntry* view = db.FindView(name)) return BindView(*view, ref, scope);
  TableEntry* table = db.FindTable(name);
  if (!table) throw Error(sqlstate::kUndefinedTable, "relation \"" + name + "\" does not exist", ref.name.pos);
  auto get = std::make_unique<LogicalOp>(LogicalKind::Get);
  get->table = table;
  size_t width = table->columns().size();
  get->column_ids.reserve(width);
  get->types.reserve(width);
  get->names.reserve(width);
  for (size_t i = 0; i < width; ++i) {
    const ColumnEntry& c = table->columns()[i];
    get->column_ids.push_back(i);
    get->types.push_back(c.type);
    get->names.push_back(c.name);
  }
  AddFromColumns(ref, name, get->types, get->names, scope);
  return get;
}

LogicalOpPtr Binder::BindView(const ViewEntry& view, const ast::BaseTable& ref, Scope& scope) {
  if (++view_depth_ > 32) {
    view_depth_ = 0;
    throw Error(sqlstate::kProgramLimitExceeded, "views nested too deeply (is a view defined in terms of itself?)", ref.pos);
  }
  auto statements = ParseSql(view.sql);
  if (statements.size() != 1 || statements[0]->kind != ast::StmtKind::Select) {
    ThrowInternal("view \"" + view.name + "\" does not hold a query");
  }
  // Views see no enclosing query, no CTEs of the query using them and no temporary tables (as in
  // PostgreSQL, where a view refers to the relations it was created over).
  RestoreOnExit restore_temp(session_.temp_tables);
  session_.temp_tables = nullptr;
  std::vector<CteBinding> saved;
  saved.swap(ctes_);
  LogicalOpPtr plan;
  try {
    plan = BindQuery(*statements[0]->As<ast::SelectStmt>().query, nullptr);
  } catch (...) {
    ctes_.swap(saved);
    --view_depth_;
    throw;
  }
  ctes_.swap(saved);
  --view_depth_;
  std::vector<std::string> names = plan->names;
  for (size_t i = 0; i < view.column_names.size() && i < names.size(); ++i) names[i] = view.column_names[i];
  AddFromColumns(ref, view.name, plan->types, names, scope);
  return plan;
}

LogicalOpPtr Binder::BindSystemTable(SystemTableSnapshot snapshot, const ast::BaseTable& ref, Scope& scope) {
  auto values = std::make_unique<LogicalOp>(LogicalKind::Values);
  for (auto& row : snapshot.rows) {
    std::vector<BoundExprPtr> exprs;
    for (auto& value : row) exprs.push_back(MakeConstant(std::move(value)));
    values->rows.push_back(std::move(exprs));
  }
  values->types = snapshot.types;
  values->names = snapshot.names;
  AddFromColumns(ref, ref.name.name, values->types, values->names, scope);
  return values;
}

LogicalOpPtr Binder::BindSubqueryRef(const ast::SubqueryRef& ref, Scope& scope) {
  // A derived table does not see the other FROM items (no LATERAL), but sees enclosing queries.
  auto plan = BindQuery(*ref.query, scope.outer);
  AddFromColumns(ref, ref.alias, plan->types, plan->names, scope);
  return plan;
}

LogicalOpPtr Binder::BindValuesRef(const ast::ValuesRef& ref, Scope& scope) {
  std::vector<std::string> names;
  auto plan = BindValues(ref.rows, scope.outer, ref.pos, names);
  AddFromColumns(ref, ref.alias.empty() ? "values" : ref.alias, plan->types, names, scope);
  return plan;
}

// generate_series(start, stop [, step]), PostgreSQL's: integers (INTEGER, or BIGINT when an
// argument is one) or DOUBLE PRECISION with a numeric step (default 1); TIMESTAMP from DATE or
// TIMESTAMP bounds with an INTERVAL step. The arguments are constants ($n included), evaluated now.
LogicalOpPtr Binder::BindFunctionRef(const ast::FunctionRef& ref, Scope& scope) {
  if (ref.name != "generate_series") {
    throw Error(sqlstate::kUndefinedFunction, "function " + ref.name + " does not exist as a table function (LytDB has generate_series)", ref.pos);
  }
  Scope none;
  std::vector<BoundExprPtr> args;
  for (const auto& a : ref.args) args.push_back(BindExpr(*a, ExprContext{&none, nullptr, "functions in FROM"}));
  std::string signature = "generate_series(";
  for (size_t i = 0; i < args.size(); ++i) {
    signature += (i ? ", " : "") + (IsUntyped(*args[i]) ? std::string("unknown") : args[i]->type.SqlName());
  }
  signature += ")";
  auto no_such = [&] { return Error(sqlstate::kUndefinedFunction, "function " + signature + " does not exist", ref.pos); };
  if (args.size() < 2 || args.size() > 3) throw no_such();
  bool time = false, floating = false, big = false;
  for (const auto& a : args) {
    TypeId id = a->type.id;
    time |= id == TypeId::Timestamp || id == TypeId::Date;
    floating |= id == TypeId::Double || id == TypeId::Real;
    big |= id == TypeId::BigInt;
  }
  LogicalType type = time ? TypeId::Timestamp : floating ? TypeId::Double : big ? TypeId::BigInt : TypeId::Integer;
  std::vector<Value> values;
  for (size_t i = 0; i < args.size(); ++i) {
    LogicalType target = time && i == 2 ? LogicalType(TypeId::Interval) : type;
    bool fits = IsUntyped(*args[i]) || args[i]->type == target || (!time && args[i]->type.IsNumeric()) ||
                (time && i < 2 && args[i]->type.id == TypeId::Date);
    if (!fits) throw no_such();
    values.push_back(EvaluateConstant(*Coerce(std::move(args[i]), target)));
  }
  if (time && values.size() == 2) throw no_such();  // a time series needs its step
  if (values.size() == 2) values.push_back(type.id == TypeId::Double ? Value::Double(1) : Value::BigInt(1));
  const Value& step = values[2];
  bool zero = !step.is_null() && (time ? IntervalTotal(step.AsInterval()) == 0
                                       : type.id == TypeId::Double ? step.AsDouble() == 0 : step.AsInt64() == 0);
  if (zero) throw Error(sqlstate::kInvalidParameterValue, "step size cannot equal zero", ref.pos);
  if (type.id == TypeId::Double) {
    for (const Value& v : values) {
      if (!v.is_null() && !std::isfinite(v.AsDouble())) {
        throw Error(sqlstate::kInvalidParameterValue, "generate_series arguments cannot be infinite or NaN", ref.pos);
      }
    }
  }
  auto series = std::make_unique<LogicalOp>(LogicalKind::Series);
  series->types = {type};
  series->names = {ref.alias.empty() ? "generate_series" : ref.alias};
  series->series = std::move(values);
  AddFromColumns(ref, "generate_series", series->types, series->names, scope);
  return series;
}

LogicalOpPtr Binder::BindJoin(const ast::Join& join, Scope& scope) {
  // A recursive term may not refer to its query on the NULL-padded side of an outer join.
  auto bind_side = [&](const ast::TableRef& side, bool nullable) {
    RestoreOnExit restore_context(recursion_context_);
    if (nullable && !recursion_context_) recursion_context_ = "an outer join";
    return BindTableRef(side, scope);
  };
  bool full = join.type == ast::JoinType::Full;
  size_t left_start = scope.columns.size();
  auto left = bind_side(*join.left, full || join.type == ast::JoinType::Right);
  size_t right_start = scope.columns.size();
  auto right = bind_side(*join.right, full || join.type == ast::JoinType::Left);
  auto op = std::make_unique<LogicalOp>(LogicalKind::Join);
  op->join_type = join.type;
  op->types = left->types;
  op->types.insert(op->types.end(), right->types.begin(), right->types.end());
  // Expressions of this join see exactly its own columns.
  Scope local;
  local.outer = scope.outer;
  local.columns.assign(scope.columns.begin() + left_start, scope.columns.end());
  size_t right_offset = right_start - left_start;

  std::vector<std::string> using_columns = join.using_columns;
  if (join.natural) {
    for (size_t l = 0; l < right_offset; ++l) {
      if (local.columns[l].qualified_only) continue;
      for (size_t r = right_offset; r < local.columns.size(); ++r) {
        if (!local.columns[r].qualified_only && local.columns[l].name == local.columns[r].name) {
          using_columns.push_back(local.columns[l].name);
        }
      }
    }
  }
  BoundExprPtr condition;
  // The same table name (or alias) may appear only once in one FROM clause.
  for (size_t l = 0; l < right_offset; ++l) {
    for (size_t r = right_offset; r < local.columns.size(); ++r) {
      const std::string& name = local.columns[l].table;
      if (!name.empty() && name == local.columns[r].table) {
        throw Error("42712", "table name \"" + name + "\" specified more than once", join.right->pos);
      }
    }
  }
  if (join.on) condition = BindCondition(*join.on, ExprContext{&local, nullptr, "JOIN conditions"});
  std::vector<std::pair<idx_t, idx_t>> pairs;  // (left, right) positions of each USING column
  for (const auto& name : using_columns) {
    int l = -1, r = -1;
    for (size_t i = 0; i < local.columns.size(); ++i) {
      if (local.columns[i].qualified_only || local.columns[i].name != name) continue;
      int& side = i < right_offset ? l : r;
      if (side >= 0) {
        throw Error(sqlstate::kAmbiguousColumn, "common column name \"" + name + "\" appears more than once in " +
                                                    (i < right_offset ? "left" : "right") + " table", join.pos);
      }
      side = static_cast<int>(i);
    }
    if (l < 0 || r < 0) {
      throw Error(sqlstate::kUndefinedColumn, "column \"" + name + "\" specified in USING clause does not exist in " +
                                                  (l < 0 ? "left" : "right") + " table", join.pos);
    }
    auto lhs = MakeColumn(l, local.columns[l].type, name);
    auto rhs = MakeColumn(r, local.columns[r].type, name);
    auto eq = std::make_unique<BoundExpr>(BoundKind::Compare, TypeId::Boolean);
    auto type = CommonType(lhs->type, rhs->type);
    if (!type) throw Error(sqlstate::kDatatypeMismatch, "JOIN/USING types do not match for column \"" + name + "\"", join.pos);
    eq->children.push_back(Coerce(std::move(lhs), *type));
    eq->children.push_back(Coerce(std::move(rhs), *type));
    condition = condition ? [&] {
      auto both = std::make_unique<BoundExpr>(BoundKind::And, TypeId::Boolean);
      both->children.push_back(std::move(condition));
      both->children.push_back(std::move(eq));
      return both;
    }() : std::move(eq);
    pairs.emplace_back(l, r);
  }
  op->condition = std::move(condition);
  op->children.push_back(std::move(left));
  op->children.push_back(std::move(right));
  if (pairs.empty()) return op;
  return MergeUsingColumns(std::move(op), pairs, scope, left_start);
}

// The output of a join with USING columns, as PostgreSQL lays it out: each merged USING column
// first (the left value; the right one for RIGHT JOIN; COALESCE of both for FULL JOIN), then
// every column of the join, where the two joined copies stay reachable by qualified name only.
LogicalOpPtr Binder::MergeUsingColumns(LogicalOpPtr join, const std::vector<std::pair<idx_t, idx_t>>& pairs,
                                       Scope& scope, size_t left_start) {
  auto proj = std::make_unique<LogicalOp>(LogicalKind::Projection);
  std::vector<ScopeColumn> columns(scope.columns.begin() + left_start, scope.columns.end());
  std::vector<ScopeColumn> merged;
  auto column = [&](idx_t i) {
    const ScopeColumn& c = columns[i];
    return MakeColumn(i, c.type, c.table.empty() ? c.name : c.table + "." + c.name);
  };
  for (auto [l, r] : pairs) {
    LogicalType type = *CommonType(columns[l].type, columns[r].type);
    auto lhs = Coerce(column(l), type);
    auto rhs = Coerce(column(r), type);
    BoundExprPtr value;
    switch (join->join_type) {
      case ast::JoinType::Right: value = std::move(rhs); break;
      case ast::JoinType::Full:
        value = std::make_unique<BoundExpr>(BoundKind::Coalesce, type);
        value->children.push_back(std::move(lhs));
        value->children.push_back(std::move(rhs));
        break;
      default: value = std::move(lhs); break;
    }
    value->name = columns[l].name;
    proj->exprs.push_back(std::move(value));
    proj->types.push_back(type);
    merged.push_back({"", columns[l].name, type});
    columns[l].qualified_only = columns[r].qualified_only = true;
  }
  for (size_t i = 0; i < join->types.size(); ++i) {
    proj->exprs.push_back(column(i));
    proj->types.push_back(join->types[i]);
  }
  merged.insert(merged.end(), columns.begin(), columns.end());
  scope.columns.resize(left_start);
  scope.columns.insert(scope.columns.end(), merged.begin(), merged.end());
  proj->children.push_back(std::move(join));
  return proj;
}

}  // namespace lyt
