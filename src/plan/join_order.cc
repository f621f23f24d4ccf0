#include "plan/join_order.h"

#include <algorithm>
#include <cstdint>

#include "plan/cardinality.h"

namespace lyt {

namespace {

constexpr idx_t kMaxRelations = 64;  // relation sets are bit masks
using Mask = uint64_t;

bool IsInnerJoin(const LogicalOp& op) {
  return op.kind == LogicalKind::Join && op.join_output.empty() &&
         (op.join_type == ast::JoinType::Inner || op.join_type == ast::JoinType::Cross);
}

// Counts the relations of the inner-join tree at `op`; false when a condition must stay put.
bool CountRelations(const LogicalOp& op, idx_t& count) {
  if (!IsInnerJoin(op)) {
    ++count;
    return true;
  }
  if (op.condition && SideOf(*op.condition, op.children[0]->types.size()) == ExprSide::Pinned) return false;
  return CountRelations(*op.children[0], count) && CountRelations(*op.children[1], count);
}

struct Relation {
  LogicalOpPtr op;
  idx_t offset = 0;  // its first column in the written order of all relations' columns
  double rows = 0;
};

// A condition conjunct over all relations' columns in their written order.
struct Conjunct {
  BoundExprPtr expr;
  Mask reads = 0;
  bool placed = false;
};

void AddToColumns(BoundExpr& e, idx_t shift) {
  if (e.kind == BoundKind::Column && e.depth == 0) e.column += shift;
  for (auto& c : e.children) AddToColumns(*c, shift);
}

void Reorder(LogicalOpPtr& op);

class JoinOrderer {
 public:
  // Takes the inner-join tree `root` apart into relations and conjuncts.
  explicit JoinOrderer(LogicalOpPtr root) : types_(root->types), names_(root->names) { Flatten(std::move(root), 0); }

  // The tree rebuilt in the greedy order, its output columns in the written order.
  LogicalOpPtr Build() {
    for (auto& c : conjuncts_) c.reads = ReadMask(*c.expr);
    for (auto& r : relations_) {
      Reorder(r.op);  // joins inside a relation first: its estimate depends on them
      r.rows = EstimateRows(*r.op);
    }
    idx_t first = 0;
    for (idx_t i = 1; i < relations_.size(); ++i) {
      if (relations_[i].rows < relations_[first].rows) first = i;
    }
    Take(first);
    while (order_.size() < relations_.size()) Join(Next());
    return RestoreColumnOrder();
  }

 private:
  void Flatten(LogicalOpPtr op, idx_t offset) {
    if (!IsInnerJoin(*op)) {
      relations_.push_back({std::move(op), offset});
      return;
    }
    idx_t left_width = op->children[0]->types.size();
    if (op->condition) {
      std::vector<BoundExprPtr> parts;
      SplitConjuncts(std::move(op->condition), parts);
      for (auto& p : parts) {
        AddToColumns(*p, offset);
        conjuncts_.push_back({std::move(p)});
      }
    }
    Flatten(std::move(op->children[0]), offset);
    Flatten(std::move(op->children[1]), offset + left_width);
  }

  idx_t RelationOf(idx_t column) const {
    idx_t r = 0;
    while (r + 1 < relations_.size() && relations_[r + 1].offset <= column) ++r;
    return r;
  }

  Mask ReadMask(const BoundExpr& e) const {
    std::vector<bool> used(types_.size(), false);
    MarkColumns(e, used);
    Mask m = 0;
    for (idx_t c = 0; c < used.size(); ++c) {
      if (used[c]) m |= Mask(1) << RelationOf(c);
    }
    return m;
  }

  // Whether `e` is an equality between a column expression of the joined set and one of `r`.
  bool Connects(const Conjunct& c, idx_t r) const {
    const BoundExpr& e = *c.expr;
    if (e.kind != BoundKind::Compare || e.compare != CompareOp::Equal) return false;
    Mask a = ReadMask(*e.children[0]), b = ReadMask(*e.children[1]), bit = Mask(1) << r;
    auto in_set = [&](Mask m) { return m != 0 && (m & ~joined_) == 0; };
    return (in_set(a) && b == bit) || (in_set(b) && a == bit);
  }

  bool Connected(idx_t r) const {
    for (const auto& c : conjuncts_) {
      if (!c.placed && Connects(c, r)) return true;
    }
    return false;
  }

  // The relation to join next: the connected one with the smallest estimated join, or else the
  // smallest one.
  idx_t Next() {
    idx_t best = relations_.size();
    double best_rows = 0;
    bool any_connected = false;
    for (idx_t r = 0; r < relations_.size(); ++r) {
      if (joined_ & (Mask(1) << r)) continue;
      bool connected = Connected(r);
      if (any_connected && !connected) continue;
      double rows = connected ? TrialRows(r) : relations_[r].rows;
      if (connected && !any_connected) {
        any_connected = true;
        best = relations_.size();
      }
      if (best == relations_.size() || rows < best_rows) {
        best = r;
        best_rows = rows;
      }
    }
    return best;
  }

  // Estimated rows of joining relation `r` to the tree built so far.
  double TrialRows(idx_t r) {
    LogicalOpPtr join = MakeJoin(std::move(tree_), std::move(relations_[r].op), r, /*take_conditions=*/false);
    double rows = EstimateRows(*join);
    tree_ = std::move(join->children[0]);
    relations_[r].op = std::move(join->children[1]);
    return rows;
  }

  void Take(idx_t r) {
    tree_ = std::move(relations_[r].op);
    Place(r);
  }

  void Join(idx_t r) {
    tree_ = MakeJoin(std::move(tree_), std::move(relations_[r].op), r, /*take_conditions=*/true);
    Place(r);
  }

  // Records that relation `r`'s columns follow the tree's current columns.
  void Place(idx_t r) {
    const Relation& rel = relations_[r];
    idx_t width = (r + 1 < relations_.size() ? relations_[r + 1].offset : types_.size()) - rel.offset;
    if (position_.empty()) position_.assign(types_.size(), 0);
    for (idx_t i = 0; i < width; ++i) position_[rel.offset + i] = width_ + i;
    width_ += width;
    joined_ |= Mask(1) << r;
    order_.push_back(r);
  }

  // tree JOIN relation r, with the conjuncts that read nothing outside them (copies for a trial,
  // else moved out and marked placed).
  LogicalOpPtr MakeJoin(LogicalOpPtr left, LogicalOpPtr right, idx_t r, bool take_conditions) {
    Mask both = joined_ | (Mask(1) << r);
    std::vector<idx_t> position = position_;
    for (idx_t i = 0; i < right->types.size(); ++i) position[relations_[r].offset + i] = width_ + i;
    std::vector<BoundExprPtr> conditions;
    for (auto& c : conjuncts_) {
      if (c.placed || (c.reads & ~both) != 0) continue;
      BoundExprPtr e = take_conditions ? std::move(c.expr) : c.expr->Copy();
      c.placed = take_conditions;
      Remap(*e, position);
      conditions.push_back(std::move(e));
    }
    auto join = std::make_unique<LogicalOp>(LogicalKind::Join);
    join->condition = MakeAnd(std::move(conditions));
    join->join_type = join->condition ? ast::JoinType::Inner : ast::JoinType::Cross;
    join->types = left->types;
    join->types.insert(join->types.end(), right->types.begin(), right->types.end());
    join->children.push_back(std::move(left));
    join->children.push_back(std::move(right));
    return join;
  }

  static void Remap(BoundExpr& e, const std::vector<idx_t>& position) {
    if (e.kind == BoundKind::Column && e.depth == 0) e.column = position[e.column];
    for (auto& c : e.children) Remap(*c, position);
  }

  // The top join outputs the columns in their written order (LogicalOp::join_output, which
  // column pruning composes with what is read above).
  LogicalOpPtr RestoreColumnOrder() {
    if (!std::is_sorted(order_.begin(), order_.end())) {
      tree_->join_output = position_;
      tree_->types = types_;
      tree_->names = names_;
    }
    return std::move(tree_);
  }

  std::vector<LogicalType> types_;  // the tree's output, as written
  std::vector<std::string> names_;
  std::vector<Relation> relations_;
  std::vector<Conjunct> conjuncts_;
  LogicalOpPtr tree_;
  std::vector<idx_t> position_;  // written column -> column of tree_
  idx_t width_ = 0;              // tree_'s columns
  Mask joined_ = 0;
  std::vector<idx_t> order_;
};

void Reorder(LogicalOpPtr& op) {
  idx_t count = 0;
  if (IsInnerJoin(*op) && CountRelations(*op, count) && count >= 3 && count <= kMaxRelations) {
    op = JoinOrderer(std::move(op)).Build();
    return;
  }
  for (auto& c : op->children) Reorder(c);
}

}  // namespace

void ReorderJoins(LogicalOpPtr& plan) { Reorder(plan); }

}  // namespace lyt
