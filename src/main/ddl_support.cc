#include "main/ddl_support.h"

#include <optional>

#include "common/error.h"
#include "sql/parser.h"

namespace lyt {

namespace {

// DEFAULT expressions may not hold subqueries (PostgreSQL's rule; they run per inserted row).
void RejectDefaultSubquery(const ast::Expr& e) {
  using K = ast::ExprKind;
  if (e.kind == K::ScalarSubquery || e.kind == K::Exists || e.kind == K::InSubquery || e.kind == K::Quantified) {
    throw Error(sqlstate::kFeatureNotSupported, "cannot use subquery in DEFAULT expression", e.pos);
  }
  if (e.kind == K::ColumnRef) {
    throw Error(sqlstate::kFeatureNotSupported, "cannot use column reference in DEFAULT expression", e.pos);
  }
  switch (e.kind) {
    case K::Unary: RejectDefaultSubquery(*e.As<ast::Unary>().operand); break;
    case K::Binary:
      RejectDefaultSubquery(*e.As<ast::Binary>().left);
      RejectDefaultSubquery(*e.As<ast::Binary>().right);
      break;
    case K::Cast: RejectDefaultSubquery(*e.As<ast::Cast>().operand); break;
    case K::Function:
      for (const auto& a : e.As<ast::Function>().args) RejectDefaultSubquery(*a);
      break;
    default: break;
  }
}

// The output columns of view `view` bound against the current catalog; nullopt when it fails.
std::optional<std::vector<ScopeColumn>> ViewShape(StatementContext& ctx, DatabaseEntry& db, const ViewEntry& view) {
  try {
    Binder binder(ctx.catalog(), db, ctx.params, ctx.functions);
    auto statements = ParseSql(view.sql);
    auto plan = binder.BindQuery(*statements[0]->As<ast::SelectStmt>().query);
    std::vector<ScopeColumn> shape;
    for (size_t i = 0; i < plan->types.size(); ++i) shape.push_back({"", plan->names[i], plan->types[i]});
    return shape;
  } catch (const Error&) {
    return std::nullopt;
  }
}

bool SameShape(const std::vector<ScopeColumn>& a, const std::vector<ScopeColumn>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].type != b[i].type) return false;
  }
  return true;
}

}  // namespace

DatabaseEntry& TargetDatabase(StatementContext& ctx, const ast::QualifiedName& name) { return ctx.RelationDatabase(name); }

DatabaseEntry& CreationDatabase(StatementContext& ctx, const ast::QualifiedName& name, bool temporary) {
  if (temporary || name.database == Catalog::kTempSchema) return ctx.session.temp_tables();
  // Not a look-up: a permanent relation may take the name of a temporary one.
  return ctx.catalog().RelationDatabase(ctx.database(), nullptr, name);
}

BoundExprPtr BindNewDefault(Binder& binder, const ast::Expr& expr, const LogicalType& type, const std::string& column) {
  RejectDefaultSubquery(expr);
  Scope empty;
  auto e = binder.BindExpr(expr, ExprContext{&empty, nullptr, "DEFAULT"});
  return binder.CoerceForAssignment(std::move(e), type, column, expr.pos);
}

std::string KeyConstraintName(const std::string& table, const std::vector<std::string>& columns, bool primary) {
  if (primary) return table + "_pkey";
  std::string name = table + "_";
  for (const auto& c : columns) name += c + "_";
  return name + "key";
}

UniqueConstraint& AddUniqueConstraint(TableEntry& table, std::vector<idx_t> columns, bool primary, std::string name) {
  UniqueConstraint uc;
  uc.name = std::move(name);
  uc.primary_key = primary;
  uc.index = std::make_unique<UniqueIndex>(std::move(columns));
  table.constraints().push_back(std::move(uc));
  return table.constraints().back();
}

std::vector<std::string> ViewsBrokenBy(StatementContext& ctx, DatabaseEntry& db, const std::function<void()>& apply,
                                       const std::function<void()>& revert) {
  std::vector<std::pair<std::string, std::vector<ScopeColumn>>> before;
  for (const auto& [name, view] : db.views()) {
    if (auto shape = ViewShape(ctx, db, view)) before.emplace_back(name, std::move(*shape));
  }
  std::vector<std::string> broken;
  apply();
  try {
    for (const auto& [name, shape] : before) {
      const ViewEntry* view = db.FindView(name);
      if (!view) continue;  // the change itself removes it
      auto after = ViewShape(ctx, db, *view);
      if (!after || !SameShape(*after, shape)) broken.push_back(name);
    }
  } catch (...) {
    revert();
    throw;
  }
  revert();
  return broken;
}

}  // namespace lyt
