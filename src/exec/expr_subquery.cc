// Subqueries inside expressions: scalar, EXISTS, IN, ANY and ALL. An uncorrelated subquery runs
// once per statement; a correlated one runs once per distinct outer row (results are cached).
#include <unordered_map>
#include <unordered_set>

#include "common/error.h"
#include "common/metrics.h"
#include "exec/expr_internal.h"
#include "exec/physical_operator.h"
#include "plan/logical_plan.h"
#include "storage/unique_index.h"

namespace lyt {

namespace {

// The rows a subquery produced, as far as its use needs them.
struct SubqueryRows {
  std::vector<Value> values;  // first column (all rows, or at most 2 for scalar use)
  idx_t row_count = 0;
  bool has_null = false;
  std::unordered_set<std::string> keys;  // encoded non-NULL values, for IN
};

using RowsPtr = std::shared_ptr<const SubqueryRows>;

RowsPtr Run(const BoundExpr& expr, ExecContext& ctx) {
  PhysicalOperator& op = ctx.SubqueryOperator(*expr.subplan);
  op.Open(ctx);
  auto rows = std::make_shared<SubqueryRows>();
  DataChunk chunk(op.types());
  idx_t stop_after = expr.subquery_kind == SubqueryKind::Exists ? 1 : (expr.subquery_kind == SubqueryKind::Scalar ? 2 : ~idx_t(0));
  std::vector<const Vector*> cols;
  std::string key;
  while (rows->row_count < stop_after && op.Next(ctx, chunk)) {
    for (idx_t r = 0; r < chunk.size() && rows->row_count < stop_after; ++r) {
      ++rows->row_count;
      if (expr.subquery_kind == SubqueryKind::Exists) continue;
      const Vector& v = chunk.column(0);
      if (v.IsNull(r)) {
        rows->has_null = true;
        if (expr.subquery_kind == SubqueryKind::Scalar) rows->values.push_back(Value::Null(v.type()));
        continue;
      }
      if (expr.subquery_kind == SubqueryKind::In) {
        key.clear();
        cols = {&v};
        EncodeKey(cols, r, key);
        rows->keys.insert(key);
      } else {
        rows->values.push_back(v.GetValue(r));
      }
    }
  }
  if (expr.subquery_kind == SubqueryKind::Scalar && rows->row_count > 1) {
    throw Error(sqlstate::kCardinalityViolation, "more than one row returned by a subquery used as an expression");
  }
  return rows;
}

// Result of "operand op ANY/ALL rows" in three-valued logic: 1 true, 0 false, -1 NULL.
int Quantify(const BoundExpr& expr, const Vector& operand, idx_t r, const SubqueryRows& rows) {
  bool all = expr.subquery_kind == SubqueryKind::All;
  if (rows.row_count == 0) return all ? 1 : 0;
  if (operand.IsNull(r)) return -1;
  bool saw_null = rows.has_null;
  Vector one(operand.type(), 1);
  Vector res(TypeId::Boolean, 1);
  for (const Value& v : rows.values) {
    one.SetValue(0, v);
    int c = CompareValues(operand, r, one, 0);
    bool t = false;
    switch (expr.compare) {
      case CompareOp::Equal: t = c == 0; break;
      case CompareOp::NotEqual: t = c != 0; break;
      case CompareOp::Less: t = c < 0; break;
      case CompareOp::LessEqual: t = c <= 0; break;
      case CompareOp::Greater: t = c > 0; break;
      case CompareOp::GreaterEqual: t = c >= 0; break;
    }
    if (all && !t) return 0;
    if (!all && t) return 1;
  }
  if (saw_null) return -1;
  return all ? 1 : 0;
}

void SetResult(const BoundExpr& expr, const Vector& operand, idx_t r, const SubqueryRows& rows, Vector& out) {
  switch (expr.subquery_kind) {
    case SubqueryKind::Scalar:
      if (rows.values.empty()) {
        out.SetNull(r);
      } else {
        out.SetValue(r, rows.values[0]);
      }
      return;
    case SubqueryKind::Exists:
      out.SetNull(r, false);
      out.data<uint8_t>()[r] = (rows.row_count > 0) != expr.negated;
      return;
    case SubqueryKind::In: {
      int result;
      if (rows.row_count == 0) {
        result = 0;
      } else if (operand.IsNull(r)) {
        result = -1;
      } else {
        std::string key;
        std::vector<const Vector*> cols{&operand};
        EncodeKey(cols, r, key);
        result = rows.keys.count(key) ? 1 : (rows.has_null ? -1 : 0);
      }
      if (result < 0) {
        out.SetNull(r);
      } else {
        out.SetNull(r, false);
        out.data<uint8_t>()[r] = (result == 1) != expr.negated;
      }
      return;
    }
    case SubqueryKind::Any:
    case SubqueryKind::All: {
      int result = Quantify(expr, operand, r, rows);
      if (result < 0) {
        out.SetNull(r);
      } else {
        out.SetNull(r, false);
        out.data<uint8_t>()[r] = result == 1;
      }
      return;
    }
  }
}

// Identifies an outer row for the cache: every column's null flag and bytes.
std::string OuterRowKey(const DataChunk& input, idx_t r) {
  std::string key;
  for (idx_t c = 0; c < input.ColumnCount(); ++c) {
    const Vector& v = input.column(c);
    if (v.IsNull(r)) {
      key.push_back('\0');
      continue;
    }
    key.push_back('\1');
    std::vector<const Vector*> cols{&v};
    EncodeKey(cols, r, key);
  }
  return key;
}

}  // namespace

void ExecuteSubquery(const BoundExpr& expr, const DataChunk& input, const sel_t* sel, idx_t count, Vector& out,
                     ExecContext& ctx) {
  Vector operand(expr.children.empty() ? LogicalType(TypeId::Null) : expr.children[0]->type, input.capacity() ? std::max<idx_t>(input.capacity(), kVectorSize) : kVectorSize);
  if (!expr.children.empty()) ExpressionExecutor::Execute(*expr.children[0], input, sel, count, operand, ctx);

  if (!expr.subplan->correlated) {
    std::shared_ptr<const void>& cached = ctx.CachedSubqueryResult(*expr.subplan);
    if (!cached) cached = Run(expr, ctx);
    auto rows = std::static_pointer_cast<const SubqueryRows>(cached);
    ForRows(sel, count, [&](idx_t r) { SetResult(expr, operand, r, *rows, out); });
    return;
  }
  std::unordered_map<std::string, RowsPtr> cache;
  std::vector<Value> outer(input.ColumnCount());
  ForRows(sel, count, [&](idx_t r) {
    std::string key = OuterRowKey(input, r);
    auto it = cache.find(key);
    if (it == cache.end()) {
      for (idx_t c = 0; c < input.ColumnCount(); ++c) outer[c] = input.column(c).GetValue(r);
      ctx.outer_rows().push_back(&outer);
      RowsPtr rows;
      try {
        rows = Run(expr, ctx);
      } catch (...) {
        ctx.outer_rows().pop_back();
        throw;
      }
      ctx.outer_rows().pop_back();
      it = cache.emplace(std::move(key), std::move(rows)).first;
    }
    SetResult(expr, operand, r, *it->second, out);
  });
}

ExecContext::ExecContext(FunctionContext& functions, MemoryTracker& memory, const Snapshot& snapshot)
    : functions_(functions), memory_(memory), snapshot_(snapshot) {}
ExecContext::~ExecContext() = default;

void ExecContext::CountRowsScanned(uint64_t rows) const {
  if (functions_.rows_scanned) functions_.rows_scanned->Inc(rows);
}

PhysicalOperator& ExecContext::SubqueryOperator(const SubqueryPlan& plan) {
  auto& slot = subqueries_[&plan];
  if (!slot) slot = PlanPhysical(*plan.plan);
  return *slot;
}

}  // namespace lyt
