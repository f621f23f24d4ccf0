#include "plan/selectivity.h"

#include <algorithm>

#include "catalog/catalog.h"
#include "plan/statistics.h"

namespace lyt {

namespace {

// The join's output column `column` as a position in left ++ right.
idx_t JoinInputPosition(const LogicalOp& join, idx_t column) {
  return join.join_output.empty() ? column : join.join_output[column];
}

// Position `pos` of a join's left ++ right input.
std::optional<ColumnOrigin> OriginInPair(const LogicalOp& join, idx_t pos) {
  idx_t left_width = join.children[0]->types.size();
  if (pos < left_width) return OriginOf(*join.children[0], pos);
  return OriginOf(*join.children[1], pos - left_width);
}

const BoundExpr* StripNumericCasts(const BoundExpr* e) {
  while (e->kind == BoundKind::Cast && e->type.IsNumeric() && e->children[0]->type.IsNumeric()) e = e->children[0].get();
  return e;
}

// The depth-0 column `e` reads (under numeric casts), or nullopt.
std::optional<idx_t> ColumnOf(const BoundExpr& e) {
  const BoundExpr* x = StripNumericCasts(&e);
  if (x->kind == BoundKind::Column && x->depth == 0) return x->column;
  return std::nullopt;
}

std::optional<double> NumberOf(const BoundExpr& e) {
  if (e.kind != BoundKind::Constant || e.value.is_null()) return std::nullopt;
  const LogicalType& t = e.value.type();
  if (t.IsInteger() || t.IsTemporal()) return static_cast<double>(e.value.AsInt64());
  if (t.IsFloat()) return e.value.AsDouble();
  return std::nullopt;
}

double Distinct(const ColumnStats& s, double rows) { return std::max(1.0, std::min(s.distinct, std::max(rows, 1.0))); }

// Share of the non-NULL values `op` c, by linear interpolation within [min, max].
std::optional<double> RangeShare(const ColumnStats& s, CompareOp op, double c) {
  if (!s.has_range) return std::nullopt;
  double below;  // share of values < c (<= c for LessEqual / Greater)
  if (s.max <= s.min) {
    bool inclusive = op == CompareOp::LessEqual || op == CompareOp::Greater;
    below = c > s.min || (inclusive && c == s.min) ? 1 : 0;
  } else {
    below = std::clamp((c - s.min) / (s.max - s.min), 0.0, 1.0);
  }
  return op == CompareOp::Less || op == CompareOp::LessEqual ? below : 1 - below;
}

std::optional<double> CompareWithConstant(const ColumnStats& s, CompareOp op, const BoundExpr& constant, double rows) {
  double present = 1 - s.null_fraction;
  if (constant.kind != BoundKind::Constant) return std::nullopt;
  if (constant.value.is_null()) return 0.0;
  switch (op) {
    case CompareOp::Equal: return present / Distinct(s, rows);
    case CompareOp::NotEqual: return present * (1 - 1 / Distinct(s, rows));
    default: break;
  }
  std::optional<double> c = NumberOf(constant);
  if (!c) return std::nullopt;
  std::optional<double> share = RangeShare(s, op, *c);
  if (!share) return std::nullopt;
  return present * *share;
}

std::optional<double> CompareSelectivity(const BoundExpr& e, const LogicalOp& input, double rows) {
  std::optional<idx_t> left = ColumnOf(*e.children[0]), right = ColumnOf(*e.children[1]);
  if (left && right) {
    if (e.compare != CompareOp::Equal) return std::nullopt;
    auto dl = DistinctValues(input, *left, rows), dr = DistinctValues(input, *right, rows);
    if (!dl && !dr) return std::nullopt;
    return 1 / std::max(dl.value_or(1), dr.value_or(1));
  }
  CompareOp op = e.compare;
  const BoundExpr* constant = e.children[1].get();
  if (!left) {
    if (!right) return std::nullopt;
    left = right;
    op = FlipCompare(op);
    constant = e.children[0].get();
  }
  auto origin = OriginOf(input, *left);
  if (!origin) return std::nullopt;
  return CompareWithConstant(origin->stats(), op, *constant, rows);
}

std::optional<double> InListSelectivity(const BoundExpr& e, const LogicalOp& input, double rows) {
  std::optional<idx_t> column = ColumnOf(*e.children[0]);
  if (!column) return std::nullopt;
  auto origin = OriginOf(input, *column);
  if (!origin) return std::nullopt;
  double k = 0;
  for (size_t i = 1; i < e.children.size(); ++i) {
    if (e.children[i]->kind != BoundKind::Constant) return std::nullopt;
    k += !e.children[i]->value.is_null();
  }
  const ColumnStats& s = origin->stats();
  double share = std::min(1.0, k / Distinct(s, rows));
  return (1 - s.null_fraction) * (e.negated ? 1 - share : share);
}

}  // namespace

std::optional<ColumnOrigin> OriginOf(const LogicalOp& op, idx_t column) {
  switch (op.kind) {
    case LogicalKind::Get: {
      if (!op.table || column >= op.column_ids.size()) return std::nullopt;
      auto stats = PlannerStats(*op.table);
      if (!stats) return std::nullopt;
      return ColumnOrigin{std::move(stats), op.column_ids[column]};
    }
    case LogicalKind::Filter:
    case LogicalKind::Order:
    case LogicalKind::Limit:
    case LogicalKind::Distinct: return OriginOf(*op.children[0], column);
    case LogicalKind::Window:
      if (column >= op.children[0]->types.size()) return std::nullopt;
      return OriginOf(*op.children[0], column);
    case LogicalKind::Projection: {
      if (column >= op.exprs.size()) return std::nullopt;
      const BoundExpr& e = *op.exprs[column];
      if (e.kind != BoundKind::Column || e.depth != 0) return std::nullopt;
      return OriginOf(*op.children[0], e.column);
    }
    case LogicalKind::Aggregate: {
      if (column >= op.groups.size()) return std::nullopt;
      const BoundExpr& e = *op.groups[column];
      if (e.kind != BoundKind::Column || e.depth != 0) return std::nullopt;
      return OriginOf(*op.children[0], e.column);
    }
    case LogicalKind::Join: return OriginInPair(op, JoinInputPosition(op, column));
    default: return std::nullopt;
  }
}

std::optional<double> DistinctValues(const LogicalOp& op, idx_t column, double rows) {
  auto origin = OriginOf(op, column);
  if (!origin) return std::nullopt;
  return Distinct(origin->stats(), rows);
}

std::optional<double> Selectivity(const BoundExpr& e, const LogicalOp& input, double rows) {
  switch (e.kind) {
    case BoundKind::And: {
      double s = 1;
      for (const auto& c : e.children) s *= Selectivity(*c, input, rows).value_or(kConjunctSelectivity);
      return s;
    }
    case BoundKind::Or: {
      double none = 1;
      for (const auto& c : e.children) {
        auto s = Selectivity(*c, input, rows);
        if (!s) return std::nullopt;
        none *= 1 - *s;
      }
      return 1 - none;
    }
    case BoundKind::Not: {
      auto s = Selectivity(*e.children[0], input, rows);
      if (!s) return std::nullopt;
      return 1 - *s;
    }
    case BoundKind::IsNull: {
      std::optional<idx_t> column = ColumnOf(*e.children[0]);
      auto origin = column ? OriginOf(input, *column) : std::nullopt;
      if (!origin) return std::nullopt;
      double nulls = origin->stats().null_fraction;
      return e.negated ? 1 - nulls : nulls;
    }
    case BoundKind::Compare: return CompareSelectivity(e, input, rows);
    case BoundKind::InList: return InListSelectivity(e, input, rows);
    default: return std::nullopt;
  }
}

std::optional<double> JoinSelectivity(const LogicalOp& join, double left_rows, double right_rows) {
  if (!join.condition) return std::nullopt;
  std::vector<BoundExprPtr> conjuncts;
  SplitConjuncts(join.condition->Copy(), conjuncts);
  idx_t left_width = join.children[0]->types.size();
  double s = 1;
  bool known = false;
  for (const auto& c : conjuncts) {
    std::optional<idx_t> a, b;
    if (c->kind == BoundKind::Compare && c->compare == CompareOp::Equal) {
      a = ColumnOf(*c->children[0]);
      b = ColumnOf(*c->children[1]);
    }
    if (!a || !b || (*a < left_width) == (*b < left_width)) {
      s *= kConjunctSelectivity;
      continue;
    }
    if (*a > *b) std::swap(a, b);  // a: left, b: right
    auto dl = DistinctValues(*join.children[0], *a, left_rows);
    auto dr = DistinctValues(*join.children[1], *b - left_width, right_rows);
    if (!dl && !dr) {
      s *= kConjunctSelectivity;
      continue;
    }
    known = true;
    s /= std::max(dl.value_or(1), dr.value_or(1));
  }
  if (!known) return std::nullopt;
  return s;
}

}  // namespace lyt
