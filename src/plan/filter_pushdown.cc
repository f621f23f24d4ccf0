#include "plan/filter_pushdown.h"

namespace lyt {

namespace {

using ast::JoinType;

// Adds `conjunct` (over slot's output columns) as a filter on top of `slot`, merging it into a
// filter already there.
void AddFilter(LogicalOpPtr& slot, BoundExprPtr conjunct) {
  if (slot->kind == LogicalKind::Filter) {
    std::vector<BoundExprPtr> conjuncts;
    SplitConjuncts(std::move(slot->exprs[0]), conjuncts);
    conjuncts.push_back(std::move(conjunct));
    slot->exprs[0] = MakeAnd(std::move(conjuncts));
    return;
  }
  auto filter = std::make_unique<LogicalOp>(LogicalKind::Filter);
  filter->types = slot->types;
  filter->names = slot->names;
  filter->exprs.push_back(std::move(conjunct));
  filter->children.push_back(std::move(slot));
  slot = std::move(filter);
}

// Whether a join keeps every row of its left (right) input that a filter lets through, so a
// filter over the join's output reading only that input may as well run below the join.
bool FilterMayPassLeft(JoinType t) {
  return t == JoinType::Inner || t == JoinType::Cross || t == JoinType::Left || t == JoinType::Semi || t == JoinType::Anti;
}
bool FilterMayPassRight(JoinType t) { return t == JoinType::Inner || t == JoinType::Cross || t == JoinType::Right; }

// Whether an ON conjunct reading only the left (right) input may filter that input instead: a
// row it rejects can pair with nothing, and the join would not keep it unpaired either.
bool OnMayPassLeft(JoinType t) { return t == JoinType::Inner || t == JoinType::Right || t == JoinType::Semi; }
bool OnMayPassRight(JoinType t) {
  return t == JoinType::Inner || t == JoinType::Left || t == JoinType::Semi || t == JoinType::Anti;
}

// Sends `conjunct` into the join input its side names; false when it stays.
bool PassToInput(LogicalOp& join, BoundExprPtr& conjunct, ExprSide side, bool may_left, bool may_right) {
  idx_t left_width = join.children[0]->types.size();
  if (side == ExprSide::Left && may_left) {
    AddFilter(join.children[0], std::move(conjunct));
    return true;
  }
  if (side == ExprSide::Right && may_right) {
    ShiftColumns(*conjunct, left_width);
    AddFilter(join.children[1], std::move(conjunct));
    return true;
  }
  return false;
}

// Moves the single-input conjuncts of the join's ON condition into its inputs.
void PushJoinCondition(LogicalOp& join) {
  if (!join.condition) return;
  idx_t left_width = join.children[0]->types.size();
  std::vector<BoundExprPtr> conjuncts, kept;
  SplitConjuncts(std::move(join.condition), conjuncts);
  for (auto& c : conjuncts) {
    ExprSide side = SideOf(*c, left_width);
    if (!PassToInput(join, c, side, OnMayPassLeft(join.join_type), OnMayPassRight(join.join_type))) {
      kept.push_back(std::move(c));
    }
  }
  join.condition = MakeAnd(std::move(kept));
}

// Moves what it can of the filter's conjuncts into `child` (the filter's input); returns the rest.
std::vector<BoundExprPtr> PassFilter(LogicalOpPtr& child, std::vector<BoundExprPtr> conjuncts) {
  if (child->kind == LogicalKind::Filter) {
    for (auto& c : conjuncts) AddFilter(child, std::move(c));
    return {};
  }
  if (child->kind != LogicalKind::Join) return conjuncts;
  LogicalOp& join = *child;
  idx_t left_width = join.children[0]->types.size();
  std::vector<BoundExprPtr> kept, into_condition;
  for (auto& c : conjuncts) {
    ExprSide side = SideOf(*c, left_width);
    if (PassToInput(join, c, side, FilterMayPassLeft(join.join_type), FilterMayPassRight(join.join_type))) continue;
    if (side == ExprSide::Both && (join.join_type == JoinType::Inner || join.join_type == JoinType::Cross)) {
      into_condition.push_back(std::move(c));
    } else {
      kept.push_back(std::move(c));
    }
  }
  if (!into_condition.empty()) {
    std::vector<BoundExprPtr> all;
    if (join.condition) SplitConjuncts(std::move(join.condition), all);
    for (auto& c : into_condition) all.push_back(std::move(c));
    join.condition = MakeAnd(std::move(all));
    join.join_type = JoinType::Inner;
  }
  return kept;
}

// Whether Push changes the filter: its input takes conjuncts, or its AND tree is flattened.
bool MayPushFilter(const LogicalOp& filter) {
  LogicalKind input = filter.children[0]->kind;
  return input == LogicalKind::Filter || input == LogicalKind::Join || filter.exprs[0]->kind == BoundKind::And;
}

void Push(LogicalOpPtr& op) {
  if (op->kind == LogicalKind::Filter && MayPushFilter(*op)) {
    std::vector<BoundExprPtr> conjuncts;
    SplitConjuncts(std::move(op->exprs[0]), conjuncts);
    std::vector<BoundExprPtr> kept = PassFilter(op->children[0], std::move(conjuncts));
    if (kept.empty()) {
      LogicalOpPtr child = std::move(op->children[0]);
      op = std::move(child);
      return Push(op);
    }
    op->exprs[0] = MakeAnd(std::move(kept));
  }
  if (op->kind == LogicalKind::Join) PushJoinCondition(*op);
  for (auto& c : op->children) Push(c);
}

}  // namespace

void PushDownFilters(LogicalOpPtr& plan) { Push(plan); }

}  // namespace lyt
