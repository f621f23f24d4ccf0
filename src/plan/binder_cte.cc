// Binding of common table expressions: a CTE is bound anew at each reference (inlined); a
// WITH RECURSIVE query that refers to itself becomes a RecursiveCte node whose recursive term
// reads the previous round's rows through a WorkTable node. The shape rules and SQLSTATEs
// (42P19, 42804, 0A000) follow PostgreSQL's parse_cte.c.
#include "common/error.h"
#include "plan/binder.h"
#include "plan/coercion.h"

namespace lyt {

// The state of a recursive CTE while its own query is bound.
struct Binder::RecursiveTerm {
  int id = 0;
  std::string name;
  const Scope* outer = nullptr;  // scope of the CTE's query: a reference elsewhere is in a subquery
  bool union_form = true;        // false: the query is not `non-recursive UNION [ALL] recursive`
  std::vector<LogicalType> types;
  std::vector<std::string> names;
  int references = 0;
};

namespace {

constexpr const char* kInvalidRecursion = "42P19";


bool ReadsWorkTable(const LogicalOp& op, int id) {
  if (op.kind == LogicalKind::WorkTable && op.cte_id == id) return true;
  for (const auto& c : op.children) {
    if (ReadsWorkTable(*c, id)) return true;
  }
  return false;
}

// PostgreSQL evaluates a recursive term one round at a time, so it may not aggregate over the
// work table.
void CheckNoAggregate(const LogicalOp& op, int id, int pos) {
  if (op.kind == LogicalKind::Aggregate && ReadsWorkTable(op, id)) {
    throw Error(kInvalidRecursion, "aggregate functions are not allowed in a recursive query's recursive term", pos);
  }
  for (const auto& c : op.children) CheckNoAggregate(*c, id, pos);
}

void CheckNoOrderLimit(const ast::QueryNode& query) {
  const char* what = !query.order_by.empty() ? "ORDER BY" : query.offset ? "OFFSET" : query.limit ? "LIMIT" : nullptr;
  if (what) {
    throw Error(sqlstate::kFeatureNotSupported, std::string(what) + " in a recursive query is not implemented", query.pos);
  }
}

LogicalOpPtr CoerceColumns(LogicalOpPtr plan, const std::vector<LogicalType>& types) {
  if (plan->types == types) return plan;
  auto proj = std::make_unique<LogicalOp>(LogicalKind::Projection);
  for (size_t i = 0; i < types.size(); ++i) proj->exprs.push_back(Coerce(MakeColumn(i, plan->types[i]), types[i]));
  proj->types = types;
  proj->names = plan->names;
  proj->children.push_back(std::move(plan));
  return proj;
}

}  // namespace

void Binder::PushCtes(const ast::QueryNode& query, const Scope* outer) {
  for (const auto& cte : query.ctes) ctes_.push_back({cte.name, &cte, outer, query.recursive_ctes});
}

LogicalOpPtr Binder::BindCte(size_t index) {
  if (ctes_[index].recursive) return BindRecursiveCte(index);
  // A CTE sees the CTEs defined before it, not itself or later ones.
  RestoreOnExit restore_ctes(ctes_);
  RestoreOnExit restore_context(recursion_context_);
  CteBinding binding = ctes_[index];
  ctes_.resize(index);
  recursion_context_ = nullptr;
  return BindQuery(*binding.cte->query, binding.outer);
}

// A CTE of WITH RECURSIVE sees itself (and the CTEs before it). When its query does not refer
// to itself it is an ordinary CTE.
LogicalOpPtr Binder::BindRecursiveCte(size_t index) {
  RestoreOnExit restore_ctes(ctes_);
  RestoreOnExit restore_context(recursion_context_);
  const ast::CommonTableExpr& cte = *ctes_[index].cte;
  const Scope* outer = ctes_[index].outer;
  ctes_.resize(index + 1);
  RecursiveTerm term;
  term.id = next_cte_id_++;
  term.name = cte.name;
  term.outer = outer;
  ctes_[index].term = &term;
  recursion_context_ = nullptr;
  const ast::QueryNode& query = *cte.query;
  if (query.kind != ast::QueryKind::SetOp || query.As<ast::SetOpNode>().op != ast::SetOpType::Union) {
    term.union_form = false;
    return BindQuery(query, outer);  // throws at a self-reference
  }
  const auto& node = query.As<ast::SetOpNode>();
  PushCtes(query, outer);
  recursion_context_ = "its non-recursive term";
  LogicalOpPtr anchor = BindQuery(*node.left, outer);
  recursion_context_ = nullptr;
  for (LogicalType& t : anchor->types) {
    if (t.id == TypeId::Null) t = TypeId::Varchar;  // an untyped NULL column is text, as in PostgreSQL
  }
  term.types = anchor->types;
  term.names = anchor->names;
  for (size_t c = 0; c < cte.column_names.size() && c < term.names.size(); ++c) term.names[c] = cte.column_names[c];
  LogicalOpPtr recursive = BindQuery(*node.right, outer);
  if (term.references == 0) {
    ctes_.resize(index);  // not recursive after all
    return BindQuery(query, outer);
  }
  CheckNoOrderLimit(query);
  CheckNoOrderLimit(*node.right);
  CheckNoAggregate(*recursive, term.id, node.right->pos);
  if (recursive->types.size() != term.types.size()) {
    throw Error(sqlstate::kSyntaxError, "each UNION query must have the same number of columns", node.right->pos);
  }
  // The non-recursive term fixes the column types; the recursive term must fit them.
  for (size_t i = 0; i < term.types.size(); ++i) {
    LogicalType overall = UnifyTypes(std::vector<LogicalType>{term.types[i], recursive->types[i]}, "UNION", node.pos);
    if (overall != term.types[i]) {
      throw Error(sqlstate::kDatatypeMismatch, "recursive query \"" + cte.name + "\" column " + std::to_string(i + 1) +
                                                   " has type " + term.types[i].SqlName() +
                                                   " in non-recursive term but type " + overall.SqlName() + " overall",
                  node.left->pos);
    }
  }
  auto op = std::make_unique<LogicalOp>(LogicalKind::RecursiveCte);
  op->types = term.types;
  op->names = term.names;
  op->set_all = node.all;
  op->cte_id = term.id;
  op->cte_name = cte.name;
  op->children.push_back(CoerceColumns(std::move(anchor), term.types));
  op->children.push_back(CoerceColumns(std::move(recursive), term.types));
  return op;
}

LogicalOpPtr Binder::BindWorkTableRef(RecursiveTerm& term, const ast::BaseTable& ref, Scope& scope) {
  const std::string quoted = "\"" + term.name + "\"";
  if (!term.union_form) {
    throw Error(kInvalidRecursion, "recursive query " + quoted + " does not have the form non-recursive-term UNION [ALL] recursive-term",
                ref.pos);
  }
  const char* context = recursion_context_ ? recursion_context_ : scope.outer != term.outer ? "a subquery" : nullptr;
  if (context) {
    throw Error(kInvalidRecursion, "recursive reference to query " + quoted + " must not appear within " + context, ref.pos);
  }
  if (++term.references > 1) {
    throw Error(kInvalidRecursion, "recursive reference to query " + quoted + " must not appear more than once", ref.pos);
  }
  auto op = std::make_unique<LogicalOp>(LogicalKind::WorkTable);
  op->types = term.types;
  op->names = term.names;
  op->cte_id = term.id;
  op->cte_name = term.name;
  AddFromColumns(ref, term.name, term.types, term.names, scope);
  return op;
}

}  // namespace lyt
