// Point lookups through a unique constraint's hash index.
#include <cstdint>

#include "exec/expression_executor.h"
#include "exec/operators/operators.h"

namespace lyt {

namespace {

// Whether integer `v` is a value of integer type `type`.
bool FitsInteger(int64_t v, TypeId type) {
  switch (type) {
    case TypeId::SmallInt: return v >= INT16_MIN && v <= INT16_MAX;
    case TypeId::Integer: return v >= INT32_MIN && v <= INT32_MAX;
    default: return true;
  }
}

// The index key of the lookup's values (evaluated now), or false when no row can hold them: one
// is NULL (`col = NULL` holds for no row, and NULL keys are not indexed anyway) or, compared
// with a widened integer column, out of the column's range.
bool EncodeLookupKey(const TableEntry& table, const KeyLookup& lookup, ExecContext& ctx, std::string& key) {
  const std::vector<idx_t>& columns = lookup.constraint->index->columns();
  std::vector<Vector> values;
  std::vector<const Vector*> refs;
  values.reserve(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    const LogicalType& type = table.columns()[columns[i]].type;
    Value v = ExpressionExecutor::EvaluateScalar(*lookup.values[i], ctx);
    if (!v.is_null() && type.IsInteger() && !FitsInteger(v.AsInt64(), type.id)) return false;
    values.emplace_back(type, 1);
    values.back().SetValue(0, v);
    refs.push_back(&values.back());
  }
  return EncodeKey(refs, 0, key);
}

}  // namespace

IndexLookupOp::IndexLookupOp(const TableEntry& table, KeyLookup lookup, std::vector<idx_t> column_ids, bool emit_row_ids,
                             std::vector<LogicalType> types)
    : PhysicalOperator(std::move(types)),
      table_(table),
      lookup_(std::move(lookup)),
      column_ids_(std::move(column_ids)),
      emit_row_ids_(emit_row_ids) {
  row_.Initialize(table_.Types(column_ids_), 1);
}

void IndexLookupOp::Open(ExecContext& ctx) {
  rows_.clear();
  next_ = 0;
  scan_.reset();
  std::string key;
  if (!EncodeLookupKey(table_, lookup_, ctx, key)) return;
  if (lookup_.constraint->index->Lookup(table_.storage(), ctx.snapshot(), key, rows_)) return;
  std::vector<BoundExprPtr> filters;
  for (const auto& f : lookup_.keys) filters.push_back(f->Copy());
  for (const auto& f : lookup_.residual) filters.push_back(f->Copy());
  scan_ = std::make_unique<TableScanOp>(table_, column_ids_, std::move(filters), emit_row_ids_, types_);
  scan_->Open(ctx);
}

bool IndexLookupOp::Next(ExecContext& ctx, DataChunk& out) {
  if (scan_) return scan_->Next(ctx, out);
  while (next_ < rows_.size()) {
    row_t id = rows_[next_++];
    table_.storage().FetchRow(id, column_ids_, row_);
    ctx.CountRowsScanned(1);
    sel_t sel[1];
    bool pass = true;
    for (const auto& f : lookup_.residual) pass = pass && ExpressionExecutor::Select(*f, row_, nullptr, 1, sel, ctx) == 1;
    if (!pass) continue;
    out.Reset();
    for (size_t c = 0; c < column_ids_.size(); ++c) out.column(c).Reference(row_.column(c));
    if (emit_row_ids_) {
      Vector& ids = out.column(column_ids_.size());
      ids.MakeOwned();
      ids.data<int64_t>()[0] = id;
      ids.nulls()[0] = 0;
    }
    out.SetSize(1);
    return true;
  }
  return false;
}

std::string IndexLookupOp::Details() const {
  std::string out = table_.name() + " USING " + lookup_.constraint->name + " (";
  const std::vector<idx_t>& columns = lookup_.constraint->index->columns();
  for (size_t i = 0; i < columns.size(); ++i) {
    out += (i ? ", " : "") + table_.name() + "." + table_.columns()[columns[i]].name + " = " + lookup_.values[i]->ToString();
  }
  out += ")";
  for (size_t i = 0; i < lookup_.residual.size(); ++i) out += (i ? " AND " : " WHERE ") + lookup_.residual[i]->ToString();
  return out;
}

}  // namespace lyt
