#include "plan/logical_plan.h"

#include "catalog/catalog.h"
#include "common/error.h"

namespace lyt {

AggregateCall AggregateCall::Copy() const {
  AggregateCall c;
  c.kind = kind;
  c.distinct = distinct;
  c.arg = arg ? arg->Copy() : nullptr;
  c.separator = separator ? separator->Copy() : nullptr;
  for (const auto& o : order_by) c.order_by.push_back(AggregateOrder{o.expr->Copy(), o.descending, o.nulls_first});
  c.filter = filter ? filter->Copy() : nullptr;
  c.type = type;
  c.name = name;
  return c;
}

std::string AggregateCall::ToString() const {
  if (kind == AggregateKind::CountStar) return "count(*)";
  std::string out = name + "(" + (distinct ? "DISTINCT " : "") + (arg ? arg->ToString() : "");
  for (size_t i = 0; i < order_by.size(); ++i) {
    out += (i ? ", " : " ORDER BY ") + order_by[i].expr->ToString() + (order_by[i].descending ? " DESC" : "");
  }
  return out + ")";
}

int64_t LimitCount(const Value& value, bool is_offset, int pos) {
  if (value.is_null()) return is_offset ? 0 : -1;
  int64_t n = value.AsInt64();
  if (n < 0) {
    throw Error(is_offset ? "2201X" : "2201W", std::string(is_offset ? "OFFSET" : "LIMIT") + " must not be negative", pos);
  }
  return n;
}

namespace {

bool SameExprs(const std::vector<BoundExprPtr>& a, const std::vector<BoundExprPtr>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i]->Equals(*b[i])) return false;
  }
  return true;
}

std::string FrameEdgeText(const FrameEdge& edge) {
  switch (edge.kind) {
    case ast::FrameBoundKind::UnboundedPreceding: return "UNBOUNDED PRECEDING";
    case ast::FrameBoundKind::Preceding: return std::to_string(edge.offset) + " PRECEDING";
    case ast::FrameBoundKind::CurrentRow: return "CURRENT ROW";
    case ast::FrameBoundKind::Following: return std::to_string(edge.offset) + " FOLLOWING";
    case ast::FrameBoundKind::UnboundedFollowing: return "UNBOUNDED FOLLOWING";
  }
  return "?";
}

}  // namespace

WindowCall WindowCall::Copy() const {
  WindowCall c;
  c.kind = kind;
  c.aggregate = aggregate.Copy();
  c.args = CopyExprs(args);
  c.partitions = CopyExprs(partitions);
  c.order_exprs = CopyExprs(order_exprs);
  c.order = order;
  c.rows_frame = rows_frame;
  c.frame_start = frame_start;
  c.frame_end = frame_end;
  c.type = type;
  c.name = name;
  return c;
}

void WindowCall::ForEachExpr(const std::function<void(BoundExprPtr&)>& fn) {
  if (aggregate.arg) fn(aggregate.arg);
  if (aggregate.filter) fn(aggregate.filter);
  for (auto& e : args) fn(e);
  for (auto& e : partitions) fn(e);
  for (auto& e : order_exprs) fn(e);
}

bool WindowCall::SameOrdering(const WindowCall& other) const {
  if (!SameExprs(partitions, other.partitions) || !SameExprs(order_exprs, other.order_exprs)) return false;
  for (size_t i = 0; i < order.size(); ++i) {
    if (order[i].descending != other.order[i].descending || order[i].nulls_first != other.order[i].nulls_first) return false;
  }
  return true;
}

std::string WindowCall::ToString() const {
  std::string out;
  if (kind == WindowKind::Aggregate) {
    out = aggregate.ToString();
  } else {
    out = name + "(";
    for (size_t i = 0; i < args.size(); ++i) out += (i ? ", " : "") + args[i]->ToString();
    out += ")";
  }
  out += " OVER (";
  std::string spec;
  for (size_t i = 0; i < partitions.size(); ++i) spec += (i ? ", " : "PARTITION BY ") + partitions[i]->ToString();
  for (size_t i = 0; i < order_exprs.size(); ++i) {
    spec += (i ? ", " : (spec.empty() ? "ORDER BY " : " ORDER BY ")) + order_exprs[i]->ToString() +
            (order[i].descending ? " DESC" : "") + (order[i].nulls_first ? " NULLS FIRST" : " NULLS LAST");
  }
  bool default_frame = !rows_frame && frame_start.kind == ast::FrameBoundKind::UnboundedPreceding &&
                       frame_end.kind == ast::FrameBoundKind::CurrentRow;
  if (!default_frame) {
    spec += std::string(spec.empty() ? "" : " ") + (rows_frame ? "ROWS" : "RANGE") + " BETWEEN " +
            FrameEdgeText(frame_start) + " AND " + FrameEdgeText(frame_end);
  }
  return out + spec + ")";
}

static const char* KindName(LogicalKind k) {
  switch (k) {
    case LogicalKind::Get: return "GET";
    case LogicalKind::Filter: return "FILTER";
    case LogicalKind::Projection: return "PROJECTION";
    case LogicalKind::Aggregate: return "AGGREGATE";
    case LogicalKind::Order: return "ORDER";
    case LogicalKind::Limit: return "LIMIT";
    case LogicalKind::Distinct: return "DISTINCT";
    case LogicalKind::Join: return "JOIN";
    case LogicalKind::Values: return "VALUES";
    case LogicalKind::SetOp: return "SET_OP";
    case LogicalKind::RecursiveCte: return "RECURSIVE_CTE";
    case LogicalKind::WorkTable: return "WORK_TABLE";
    case LogicalKind::Series: return "GENERATE_SERIES";
    case LogicalKind::Window: return "WINDOW";
  }
  return "?";
}

std::string LogicalOp::ToString(int indent) const {
  std::string out(indent * 2, ' ');
  out += KindName(kind);
  if (kind == LogicalKind::Get && table) out += " " + table->name();
  out += "\n";
  for (const auto& c : children) out += c->ToString(indent + 1);
  return out;
}

}  // namespace lyt
