// Cardinality estimates from planner statistics (plan/statistics.h, plan/selectivity.h): a table
// of 1000 rows, a = i % 10 (10 distinct), b = i (0 .. 999, NULL for every 4th row).
#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "plan/cardinality.h"
#include "plan/statistics.h"

namespace lyt {
namespace {

class Estimates : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<ColumnEntry> columns(2);
    columns[0].name = "a";
    columns[0].type = TypeId::Integer;
    columns[1].name = "b";
    columns[1].type = TypeId::Integer;
    table_ = std::make_unique<TableEntry>("t", std::move(columns), 1);
    DataChunk chunk(table_->Types());
    for (int i = 0; i < 1000; ++i) {
      chunk.column(0).SetValue(i % 500, Value::Integer(i % 10));
      chunk.column(1).SetValue(i % 500, i % 4 == 0 ? Value::Null(TypeId::Integer) : Value::Integer(i));
      if (i % 500 == 499) {
        chunk.SetSize(500);
        table_->storage().Append(chunk, 1);
      }
    }
  }

  LogicalOpPtr Get() {
    auto get = std::make_unique<LogicalOp>(LogicalKind::Get);
    get->table = table_.get();
    get->column_ids = {0, 1};
    get->types = {TypeId::Integer, TypeId::Integer};
    return get;
  }

  static BoundExprPtr Compare(idx_t column, CompareOp op, int value) {
    auto e = std::make_unique<BoundExpr>(BoundKind::Compare, TypeId::Boolean);
    e->compare = op;
    e->children.push_back(MakeColumn(column, TypeId::Integer));
    e->children.push_back(MakeConstant(Value::Integer(value)));
    return e;
  }

  double Filtered(BoundExprPtr condition) {
    auto filter = std::make_unique<LogicalOp>(LogicalKind::Filter);
    filter->types = {TypeId::Integer, TypeId::Integer};
    filter->exprs.push_back(std::move(condition));
    filter->children.push_back(Get());
    return EstimateRows(*filter);
  }

  void Analyze() { AnalyzeTable(*table_, Snapshot::Latest()); }

  std::unique_ptr<TableEntry> table_;
};

TEST_F(Estimates, CollectsExactStatisticsOfASmallTable) {
  auto stats = CollectTableStats(*table_, Snapshot::Latest());
  EXPECT_EQ(stats->rows, 1000);
  EXPECT_FALSE(stats->sampled);
  EXPECT_EQ(stats->columns[0].distinct, 10);
  EXPECT_EQ(stats->columns[0].null_fraction, 0);
  EXPECT_EQ(stats->columns[1].distinct, 750);
  EXPECT_DOUBLE_EQ(stats->columns[1].null_fraction, 0.25);
  EXPECT_TRUE(stats->columns[1].has_range);
  EXPECT_EQ(stats->columns[1].min, 1);
  EXPECT_EQ(stats->columns[1].max, 999);
}

TEST_F(Estimates, WithoutStatisticsHeuristicsApply) {
  EXPECT_DOUBLE_EQ(Filtered(Compare(0, CompareOp::Equal, 3)), 250);
}

TEST_F(Estimates, EqualityUsesDistinctValues) {
  Analyze();
  EXPECT_DOUBLE_EQ(Filtered(Compare(0, CompareOp::Equal, 3)), 100);
  EXPECT_DOUBLE_EQ(Filtered(Compare(0, CompareOp::NotEqual, 3)), 900);
}

TEST_F(Estimates, RangesInterpolateBetweenMinAndMax) {
  Analyze();
  // 75% of the rows are not NULL; 500 lies about half way in [1, 999].
  EXPECT_NEAR(Filtered(Compare(1, CompareOp::Less, 500)), 375, 1);
  EXPECT_NEAR(Filtered(Compare(1, CompareOp::GreaterEqual, 500)), 375, 1);
  EXPECT_DOUBLE_EQ(Filtered(Compare(1, CompareOp::Greater, 5000)), 0);
}

TEST_F(Estimates, IsNullUsesTheNullFraction) {
  Analyze();
  auto is_null = std::make_unique<BoundExpr>(BoundKind::IsNull, TypeId::Boolean);
  is_null->children.push_back(MakeColumn(1, TypeId::Integer));
  EXPECT_DOUBLE_EQ(Filtered(std::move(is_null)), 250);
}

TEST_F(Estimates, AndMultipliesAndOrAdds) {
  Analyze();
  std::vector<BoundExprPtr> both;
  both.push_back(Compare(0, CompareOp::Equal, 3));
  both.push_back(Compare(0, CompareOp::Equal, 4));
  EXPECT_DOUBLE_EQ(Filtered(MakeAnd(std::move(both))), 10);
  auto either = std::make_unique<BoundExpr>(BoundKind::Or, TypeId::Boolean);
  either->children.push_back(Compare(0, CompareOp::Equal, 3));
  either->children.push_back(Compare(0, CompareOp::Equal, 4));
  EXPECT_DOUBLE_EQ(Filtered(std::move(either)), 190);  // 1 - 0.9 * 0.9
}

TEST_F(Estimates, EquiJoinDividesByTheLargerDistinctCount) {
  Analyze();
  auto join = std::make_unique<LogicalOp>(LogicalKind::Join);
  join->children.push_back(Get());
  join->children.push_back(Get());
  join->types = {TypeId::Integer, TypeId::Integer, TypeId::Integer, TypeId::Integer};
  auto eq = std::make_unique<BoundExpr>(BoundKind::Compare, TypeId::Boolean);
  eq->children.push_back(MakeColumn(0, TypeId::Integer));
  eq->children.push_back(MakeColumn(2, TypeId::Integer));
  join->condition = std::move(eq);
  EXPECT_DOUBLE_EQ(EstimateRows(*join), 1000.0 * 1000 / 10);
}

TEST_F(Estimates, GroupByMultipliesDistinctCounts) {
  Analyze();
  auto agg = std::make_unique<LogicalOp>(LogicalKind::Aggregate);
  agg->groups.push_back(MakeColumn(0, TypeId::Integer));
  agg->children.push_back(Get());
  EXPECT_DOUBLE_EQ(EstimateRows(*agg), 10);
  agg->groups.push_back(MakeColumn(1, TypeId::Integer));
  EXPECT_DOUBLE_EQ(EstimateRows(*agg), 1000);  // 10 * 750, capped by the input
}

TEST_F(Estimates, StaleStatisticsAreCollectedAgain) {
  Analyze();
  DataChunk chunk(table_->Types());
  for (idx_t i = 0; i < 500; ++i) {
    chunk.column(0).SetValue(i, Value::Integer(static_cast<int32_t>(100 + i)));
    chunk.column(1).SetValue(i, Value::Integer(1));
  }
  chunk.SetSize(500);
  table_->storage().Append(chunk, 2);
  auto stats = PlannerStats(*table_);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->rows, 1500);
  EXPECT_EQ(stats->columns[0].distinct, 510);
}

}  // namespace
}  // namespace lyt
