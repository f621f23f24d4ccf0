// Table scan, filter, projection, limit and constant rows.
#include "common/error.h"
#include "exec/expression_executor.h"
#include "exec/operators/operators.h"

namespace lyt {

std::string JoinExprs(const std::vector<BoundExprPtr>& exprs, const char* sep) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); ++i) out += (i ? sep : "") + exprs[i]->ToString();
  return out;
}

TableScanOp::TableScanOp(const TableEntry& table, std::vector<idx_t> column_ids, std::vector<BoundExprPtr> filters,
                         bool emit_row_ids, std::vector<LogicalType> types)
    : PhysicalOperator(std::move(types)),
      table_(table),
      column_ids_(std::move(column_ids)),
      filters_(std::move(filters)),
      emit_row_ids_(emit_row_ids) {
  scan_chunk_.Initialize(table_.Types(column_ids_));
}

namespace {

// The zone-map condition a `column op value` filter implies (strict bounds taken as inclusive:
// the zone map only has to let every matching segment through); nullopt when the value is NULL
// or of a kind zone maps do not track.
std::optional<ZoneCondition> ZoneConditionOf(const ColumnComparison& c, ExecContext& ctx) {
  Value v = ExpressionExecutor::EvaluateScalar(*c.value, ctx);
  if (v.is_null()) return std::nullopt;
  Vector one(c.value->type, 1);
  one.SetValue(0, v);
  ZoneValue bound;
  if (!ZoneValue::Read(one, 0, &bound)) return std::nullopt;
  ZoneCondition z;
  z.column = c.table_column;
  z.lower = z.upper = bound;
  bool below = c.op == CompareOp::Less || c.op == CompareOp::LessEqual;
  bool above = c.op == CompareOp::Greater || c.op == CompareOp::GreaterEqual;
  ZoneValue& open_side = below ? z.lower : z.upper;
  if (below || above) {
    open_side.i = below ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
    open_side.d = below ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  return z;
}

}  // namespace

void TableScanOp::Open(ExecContext& ctx) {
  state_ = DataTable::ScanState();
  if (morsels_) state_.end_segment = 0;  // nothing until the first range is handed out
  zones_.clear();
  for (const auto& f : filters_) {
    auto c = CompareColumn(*f, table_, column_ids_);
    if (!c) continue;
    if (auto z = ZoneConditionOf(*c, ctx)) zones_.push_back(*z);
  }
  if (!zones_.empty()) state_.zones = &zones_;
}

std::string TableScanOp::Details() const {
  std::string out = table_.name();
  if (!filters_.empty()) out += " WHERE " + JoinExprs(filters_, " AND ");
  return out;
}

idx_t EmitFilteredRows(const std::vector<BoundExprPtr>& filters, DataChunk& chunk, const row_t* row_ids, bool emit_row_ids,
                       DataChunk& out, ExecContext& ctx) {
  ctx.CountRowsScanned(chunk.size());
  sel_t sel[kVectorSize];
  idx_t n = chunk.size();
  const sel_t* selection = nullptr;
  for (const auto& f : filters) {
    n = ExpressionExecutor::Select(*f, chunk, selection, n, sel, ctx);
    selection = sel;
    if (n == 0) return 0;
  }
  size_t ncols = chunk.ColumnCount();
  if (!selection || n == chunk.size()) {
    for (size_t c = 0; c < ncols; ++c) out.column(c).Reference(chunk.column(c));
  } else {
    // Strings stay in storage: copy only the fixed-width parts of the surviving rows.
    for (size_t c = 0; c < ncols; ++c) out.column(c).GatherRefs(chunk.column(c), selection, n);
  }
  if (emit_row_ids) {
    Vector& ids = out.column(ncols);
    ids.MakeOwned();
    for (idx_t i = 0; i < n; ++i) {
      ids.data<int64_t>()[i] = row_ids[selection && n != chunk.size() ? selection[i] : i];
      ids.nulls()[i] = 0;
    }
  }
  out.SetSize(n);
  return n;
}

bool TableScanOp::Next(ExecContext& ctx, DataChunk& out) {
  out.Reset();
  do {
    while (table_.storage().Scan(ctx.snapshot(), state_, column_ids_, scan_chunk_, emit_row_ids_ ? &row_ids_ : nullptr)) {
      ctx.CheckInterrupt();
      if (EmitFilteredRows(filters_, scan_chunk_, row_ids_.data(), emit_row_ids_, out, ctx) > 0) return true;
    }
  } while (morsels_ && morsels_->Next(state_));
  return false;
}

FilterOp::FilterOp(std::unique_ptr<PhysicalOperator> child, BoundExprPtr predicate)
    : PhysicalOperator(child->types()), predicate_(std::move(predicate)) {
  input_.Initialize(child->types());
  children_.push_back(std::move(child));
}

bool FilterOp::Next(ExecContext& ctx, DataChunk& out) {
  sel_t sel[kVectorSize];
  while (children_[0]->Next(ctx, input_)) {
    idx_t n = ExpressionExecutor::Select(*predicate_, input_, nullptr, input_.size(), sel, ctx);
    if (n == 0) continue;
    if (n == input_.size()) {
      out.Reference(input_);
      return true;
    }
    // Like Reference above, the rows stay views of input_ (valid until the next call).
    out.Reset();
    for (idx_t c = 0; c < input_.ColumnCount(); ++c) out.column(c).GatherRefs(input_.column(c), sel, n);
    out.SetSize(n);
    return true;
  }
  return false;
}

ProjectionOp::ProjectionOp(std::unique_ptr<PhysicalOperator> child, std::vector<BoundExprPtr> exprs,
                           std::vector<LogicalType> types)
    : PhysicalOperator(std::move(types)), exprs_(std::move(exprs)) {
  input_.Initialize(child->types());
  children_.push_back(std::move(child));
}

std::string ProjectionOp::Details() const { return JoinExprs(exprs_, ", "); }

bool ProjectionOp::Next(ExecContext& ctx, DataChunk& out) {
  if (!children_[0]->Next(ctx, input_)) return false;
  out.Reset();
  for (size_t i = 0; i < exprs_.size(); ++i) {
    const BoundExpr& e = *exprs_[i];
    if (e.kind == BoundKind::Column && e.depth == 0) {
      out.column(i).Reference(input_.column(e.column));
    } else {
      ExpressionExecutor::Execute(e, input_, nullptr, input_.size(), out.column(i), ctx);
    }
  }
  out.SetSize(input_.size());
  return true;
}

LimitOp::LimitOp(std::unique_ptr<PhysicalOperator> child, int64_t limit, int64_t offset, BoundExprPtr limit_expr,
                 BoundExprPtr offset_expr)
    : PhysicalOperator(child->types()),
      limit_(limit),
      offset_(offset),
      limit_expr_(std::move(limit_expr)),
      offset_expr_(std::move(offset_expr)) {
  input_.Initialize(child->types());
  children_.push_back(std::move(child));
}

void LimitOp::Open(ExecContext& ctx) {
  PhysicalOperator::Open(ctx);
  skipped_ = emitted_ = 0;
  if (limit_expr_) limit_ = LimitCount(ExpressionExecutor::EvaluateScalar(*limit_expr_, ctx), false);
  if (offset_expr_) offset_ = LimitCount(ExpressionExecutor::EvaluateScalar(*offset_expr_, ctx), true);
}

std::string LimitOp::Details() const {
  if (limit_expr_ || offset_expr_) {
    return (limit_expr_ ? "LIMIT " + limit_expr_->ToString() : std::string("no limit")) +
           (offset_expr_ ? " OFFSET " + offset_expr_->ToString() : "");
  }
  return (limit_ >= 0 ? "LIMIT " + std::to_string(limit_) : std::string("no limit")) +
         (offset_ ? " OFFSET " + std::to_string(offset_) : "");
}

bool LimitOp::Next(ExecContext& ctx, DataChunk& out) {
  while (limit_ < 0 || emitted_ < limit_) {
    if (!children_[0]->Next(ctx, input_)) return false;
    idx_t n = input_.size();
    idx_t start = 0;
    if (skipped_ < offset_) {
      idx_t skip = std::min<idx_t>(n, static_cast<idx_t>(offset_ - skipped_));
      skipped_ += static_cast<int64_t>(skip);
      start = skip;
    }
    if (start == n) continue;
    idx_t take = n - start;
    if (limit_ >= 0) take = std::min<idx_t>(take, static_cast<idx_t>(limit_ - emitted_));
    emitted_ += static_cast<int64_t>(take);
    if (start == 0 && take == n) {
      out.Reference(input_);
    } else {
      sel_t sel[kVectorSize];
      for (idx_t i = 0; i < take; ++i) sel[i] = static_cast<sel_t>(start + i);
      out.Reset();
      out.Append(input_, sel, take);
    }
    return true;
  }
  return false;
}

ValuesOp::ValuesOp(std::vector<std::vector<BoundExprPtr>> rows, std::vector<LogicalType> types)
    : PhysicalOperator(std::move(types)), rows_(std::move(rows)) {}

bool ValuesOp::Next(ExecContext& ctx, DataChunk& out) {
  if (next_row_ >= rows_.size()) return false;
  out.Reset();
  DataChunk empty;
  empty.SetSize(1);
  idx_t n = 0;
  while (next_row_ < rows_.size() && n < kVectorSize) {
    const auto& row = rows_[next_row_++];
    for (size_t c = 0; c < row.size(); ++c) {
      const BoundExpr& e = *row[c];
      if (e.kind == BoundKind::Constant && e.value.type() == out.column(c).type()) {  // as is: no evaluation
        out.column(c).SetValue(n, e.value);
        continue;
      }
      Vector tmp(row[c]->type, kVectorSize);
      ExpressionExecutor::Execute(*row[c], empty, nullptr, 1, tmp, ctx);
      out.column(c).SetValue(n, tmp.GetValue(0));
    }
    ++n;
  }
  out.SetSize(n);
  return true;
}

}  // namespace lyt
