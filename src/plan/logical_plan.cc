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
