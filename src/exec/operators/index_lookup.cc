// Point lookups through a unique constraint's hash index.
#include "exec/expression_executor.h"
#include "exec/operators/operators.h"

namespace lyt {

namespace {

// The index key of the lookup's values (evaluated now), or false when one is NULL: `col = NULL`
// holds for no row, and NULL keys are not indexed anyway.
bool EncodeLookupKey(const TableEntry& table, const KeyLookup& lookup, ExecContext& ctx, std::string& key) {
  const std::vector<idx_t>& columns = lookup.constraint->index->columns();
  std::vector<Vector> values;
  std::vector<const Vector*> refs;
  values.reserve(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    values.emplace_back(table.columns()[columns[i]].type, 1);
    values.back().SetValue(0, ExpressionExecutor::EvaluateScalar(*lookup.values[i], ctx));
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
  std::vector<LogicalType> row_types;
  for (idx_t c : column_ids_) row_types.push_back(table_.columns()[c].type);
  row_.Initialize(row_types, 1);
}

void IndexLookupOp::Open(ExecContext& ctx) {
  rows_.clear();
  next_ = 0;
  std::string key;
  if (EncodeLookupKey(table_, lookup_, ctx, key)) lookup_.constraint->index->Lookup(table_.storage(), ctx.snapshot(), key, rows_);
}

bool IndexLookupOp::Next(ExecContext& ctx, DataChunk& out) {
  while (next_ < rows_.size()) {
    row_t id = rows_[next_++];
    table_.storage().Fetch(&id, 1, column_ids_, row_);
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
