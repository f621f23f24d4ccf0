// The physical operators. Each class's contract: what Next() produces from its children.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "exec/operators/row_compare.h"
#include "exec/physical_operator.h"
#include "plan/index_selection.h"
#include "plan/logical_plan.h"

namespace lyt {

// The segments of one table, handed out in ranges to the table scans of a parallel plan's copies
// (ParallelOp): each segment goes to exactly one scan. Thread-safe.
class ScanMorsels {
 public:
  explicit ScanMorsels(const DataTable& table) : table_(table) {}
  // Starts handing out the segments the table has now (rows appended later are invisible to the
  // statement's snapshot), in ranges sized so that each of `scans` scans gets many.
  void Reset(size_t scans);
  // Points `state` at the next range of segments; false once all are handed out, or after Stop.
  bool Next(DataTable::ScanState& state);
  // Hands out nothing more (a copy failed: the others finish early).
  void Stop() { next_.store(end_); }

 private:
  const DataTable& table_;
  idx_t end_ = 0;        // segments to hand out (Reset)
  idx_t range_ = 1;      // segments per range
  std::atomic<idx_t> next_{0};
};

// Live rows of a table (selected columns), filtered by pushed-down conjuncts; with
// `emit_row_ids` an extra last BigInt column holds each row's id (for UPDATE/DELETE). After
// SplitWith, only the segments the shared ScanMorsels hands this scan.
class TableScanOp : public PhysicalOperator {
 public:
  TableScanOp(const TableEntry& table, std::vector<idx_t> column_ids, std::vector<BoundExprPtr> filters,
              bool emit_row_ids, std::vector<LogicalType> types);
  void Open(ExecContext& ctx) override;
  bool Next(ExecContext& ctx, DataChunk& out) override;
  std::string Name() const override { return morsels_ ? "PARALLEL_TABLE_SCAN" : "TABLE_SCAN"; }
  std::string Details() const override;
  const TableEntry& table() const { return table_; }
  void SplitWith(std::shared_ptr<ScanMorsels> morsels) { morsels_ = std::move(morsels); }

 private:
  const TableEntry& table_;
  std::vector<idx_t> column_ids_;
  std::vector<BoundExprPtr> filters_;
  bool emit_row_ids_;
  std::shared_ptr<ScanMorsels> morsels_;
  DataTable::ScanState state_;
  std::vector<ZoneCondition> zones_;  // what the filters comparing a column with a value require (Open)
  DataChunk scan_chunk_;
  std::vector<row_t> row_ids_;
};

// The expressions as SQL, `sep` between them (EXPLAIN details).
std::string JoinExprs(const std::vector<BoundExprPtr>& exprs, const char* sep);

// Filters `chunk` (selected columns of rows `row_ids`) by `filters` into `out`: references to
// the surviving rows' values, then their row ids when `emit_row_ids`. Returns the rows emitted.
// Counts `chunk`'s rows as scanned (ExecContext::CountRowsScanned).
idx_t EmitFilteredRows(const std::vector<BoundExprPtr>& filters, DataChunk& chunk, const row_t* row_ids, bool emit_row_ids,
                       DataChunk& out, ExecContext& ctx);

// What TableScanOp produces when its conjuncts bound key ranges of an ordered index
// (plan/index_selection.h IndexRange): the row versions in the ranges that the statement's
// snapshot sees, in key order, fetched a batch at a time and filtered by every conjunct. When
// the ranges hold more than a fraction of the table's rows (reading them one by one would be
// slower than the scan), or the snapshot is older than the index can answer, it runs the
// equivalent TableScanOp instead.
class IndexScanOp : public PhysicalOperator {
 public:
  IndexScanOp(const TableEntry& table, IndexRange range, std::vector<idx_t> column_ids, bool emit_row_ids,
              std::vector<LogicalType> types);
  void Open(ExecContext& ctx) override;
  bool Next(ExecContext& ctx, DataChunk& out) override;
  std::string Name() const override { return "INDEX_SCAN"; }
  std::string Details() const override;

 private:
  const TableEntry& table_;
  IndexRange range_;
  std::vector<idx_t> column_ids_;
  bool emit_row_ids_;
  std::vector<row_t> rows_;  // the row versions found (Open)
  size_t next_ = 0;
  DataChunk fetched_;
  std::unique_ptr<TableScanOp> scan_;  // the fallback, when Open found the index unusable
};

// What TableScanOp produces when its filters pin down one key of a unique constraint
// (plan/index_selection.h): the row versions holding the key that the statement's snapshot sees
// (found by probing the constraint's hash index when the operator opens; usually 0 or 1), their
// selected columns, filtered by the other conjuncts, one row per batch. For a snapshot the index
// cannot answer (UniqueIndex::Lookup) it runs the equivalent TableScanOp instead.
class IndexLookupOp : public PhysicalOperator {
 public:
  IndexLookupOp(const TableEntry& table, KeyLookup lookup, std::vector<idx_t> column_ids, bool emit_row_ids,
                std::vector<LogicalType> types);
  void Open(ExecContext& ctx) override;
  bool Next(ExecContext& ctx, DataChunk& out) override;
  std::string Name() const override { return "INDEX_LOOKUP"; }
  std::string Details() const override;

 private:
  const TableEntry& table_;
  KeyLookup lookup_;
  std::vector<idx_t> column_ids_;
  bool emit_row_ids_;
  std::vector<row_t> rows_;  // the matching row versions (Open)
  size_t next_ = 0;
  DataChunk row_;            // the current row's selected columns (views of storage)
  std::unique_ptr<TableScanOp> scan_;  // the fallback, when Open found the index unusable
};

// Rows of the child for which the predicate is true.
class FilterOp : public PhysicalOperator {
 public:
  FilterOp(std::unique_ptr<PhysicalOperator> child, BoundExprPtr predicate);
  bool Next(ExecContext& ctx, DataChunk& out) override;
  PhysicalOperator* StreamingInput() override { return children_[0].get(); }
  std::string Name() const override { return "FILTER"; }
  std::string Details() const override { return predicate_->ToString(); }

 private:
  BoundExprPtr predicate_;
  DataChunk input_;
};

// One output column per expression.
class ProjectionOp : public PhysicalOperator {
 public:
  ProjectionOp(std::unique_ptr<PhysicalOperator> child, std::vector<BoundExprPtr> exprs, std::vector<LogicalType> types);
  bool Next(ExecContext& ctx, DataChunk& out) override;
  PhysicalOperator* StreamingInput() override { return children_[0].get(); }
  std::string Name() const override { return "PROJECTION"; }
  std::string Details() const override;

 private:
  std::vector<BoundExprPtr> exprs_;
  DataChunk input_;
};

// Rows offset .. offset+limit of the child (limit < 0: no limit). A non-null `limit_expr` /
// `offset_expr` (reading no columns) is evaluated at Open and replaces `limit` / `offset`.
class LimitOp : public PhysicalOperator {
 public:
  LimitOp(std::unique_ptr<PhysicalOperator> child, int64_t limit, int64_t offset, BoundExprPtr limit_expr = nullptr,
          BoundExprPtr offset_expr = nullptr);
  void Open(ExecContext& ctx) override;
  bool Next(ExecContext& ctx, DataChunk& out) override;
  std::string Name() const override { return "LIMIT"; }
  std::string Details() const override;

 private:
  int64_t limit_, offset_;
  BoundExprPtr limit_expr_, offset_expr_;
  int64_t skipped_ = 0, emitted_ = 0;
  DataChunk input_;
};

// Constant rows.
class ValuesOp : public PhysicalOperator {
 public:
  ValuesOp(std::vector<std::vector<BoundExprPtr>> rows, std::vector<LogicalType> types);
  void Open(ExecContext& ctx) override { next_row_ = 0; }
  bool Next(ExecContext& ctx, DataChunk& out) override;
  std::string Name() const override { return "VALUES"; }
  std::string Details() const override { return std::to_string(rows_.size()) + " rows"; }

 private:
  std::vector<std::vector<BoundExprPtr>> rows_;
  size_t next_row_ = 0;
};

// GROUP BY / aggregates / DISTINCT: groups first, then aggregates. With no groups, exactly one
// output row (also for empty input).
class HashAggregateOp : public PhysicalOperator {
 public:
  HashAggregateOp(std::unique_ptr<PhysicalOperator> child, std::vector<BoundExprPtr> groups,
                  std::vector<AggregateCall> aggregates, std::vector<LogicalType> types);
  ~HashAggregateOp() override;
  void Open(ExecContext& ctx) override;
  bool Next(ExecContext& ctx, DataChunk& out) override;
  std::string Name() const override { return groups_.empty() ? "AGGREGATE" : "HASH_GROUP_BY"; }
  std::string Details() const override;

  // Whether Absorb can combine the states of these aggregates (not string_agg, DISTINCT or
  // ORDER BY inside the call, whose results depend on seeing all rows in order).
  static bool Mergeable(const std::vector<AggregateCall>& aggregates);
  // Reads the whole input into the groups (done by the first Next otherwise).
  void Consume(ExecContext& ctx);
  // Adds the groups and aggregate states `other` (the same aggregation over other rows, after
  // its Consume) collected to this one's, as if this one had read its rows too.
  void Absorb(const HashAggregateOp& other);

 private:
  void Build(ExecContext& ctx);
  std::vector<BoundExprPtr> groups_;
  std::vector<AggregateCall> aggregates_;
  struct State;
  std::unique_ptr<State> state_;
};

// ORDER BY: all rows sorted; with limit >= 0 keeps only the first offset+limit (top-N).
class SortOp : public PhysicalOperator {
 public:
  SortOp(std::unique_ptr<PhysicalOperator> child, std::vector<OrderKey> keys, int64_t limit);
  ~SortOp() override;
  void Open(ExecContext& ctx) override;
  bool Next(ExecContext& ctx, DataChunk& out) override;
  std::string Name() const override { return limit_ >= 0 ? "TOP_N" : "ORDER_BY"; }
  std::string Details() const override;
  const std::vector<OrderKey>& keys() const { return keys_; }
  int64_t limit() const { return limit_; }

  // For sorting several copies' rows together (ParallelSortOp), instead of Next: moves out the
  // child's rows — the batches, and into `ids` the rows' ids (row_compare.h): every row unsorted,
  // or for a top-N its best offset+limit rows. Their memory stays counted until the next Open.
  Batches TakeRows(ExecContext& ctx, std::vector<RowId>& ids);

 private:
  // Reads the child's rows; `sort` false leaves them unsorted (a full sort only).
  void Build(ExecContext& ctx, bool sort = true);
  std::vector<OrderKey> keys_;
  int64_t limit_;
  struct State;
  std::unique_ptr<State> state_;
};

// Window functions: every row of the child followed by one column per call, in the order of the
// last call's partitioning and ordering (input order when it has neither). The calls' expressions
// are all plain columns of the child (the physical planner computes the others below);
// `description` is the calls as written, for EXPLAIN.
class WindowOp : public PhysicalOperator {
 public:
  WindowOp(std::unique_ptr<PhysicalOperator> child, std::vector<WindowCall> calls, std::vector<LogicalType> types,
           std::string description);
  ~WindowOp() override;
  void Open(ExecContext& ctx) override;
  bool Next(ExecContext& ctx, DataChunk& out) override;
  std::string Name() const override { return "WINDOW"; }
  std::string Details() const override { return description_; }

 private:
  struct State;
  void Build(ExecContext& ctx);
  void EvaluateOrdering(State& st, const std::vector<size_t>& calls, ExecContext& ctx);
  std::vector<WindowCall> calls_;
  std::string description_;
  std::unique_ptr<State> state_;
};

// Joins: hash join on equality keys when there are any, else nested loops; the right input is
// the build side. INNER, CROSS, LEFT, FULL, SEMI and ANTI (RIGHT is planned as a swapped LEFT).
// `condition` is over left ++ right columns. FULL emits the right rows that matched nothing,
// padded with NULLs, after the left input ends.
// `build_left`: the planner swapped the query's inputs so that the hash table goes on the query's
// left input, which is now this operator's right input (EXPLAIN says "(build left)"). For SEMI
// and ANTI that changes what is emitted: the right (build) rows that did (SEMI) or did not (ANTI)
// match a left row, after the left input ends; the output is the right input's columns.
class JoinOp : public PhysicalOperator {
 public:
  // `output`: the columns produced, as positions in left ++ right (the physical planner spells
  // out LogicalOp::join_output).
  JoinOp(std::unique_ptr<PhysicalOperator> left, std::unique_ptr<PhysicalOperator> right, ast::JoinType type,
         BoundExprPtr condition, std::vector<idx_t> output, bool build_left = false);
  ~JoinOp() override;
  // Whether `condition` (over left ++ right, left_width left columns) has an equality conjunct
  // between the two sides, i.e. the join runs as a hash join.
  static bool HasEquiKey(const BoundExpr& condition, idx_t left_width);
  void Open(ExecContext& ctx) override;
  bool Next(ExecContext& ctx, DataChunk& out) override;
  // The left (probe) input, unless right rows are emitted after it ends (FULL, build-left SEMI /
  // ANTI), which needs all of it.
  PhysicalOperator* StreamingInput() override { return TracksRight() ? nullptr : children_[0].get(); }
  std::string Name() const override;
  std::string Details() const override;

 private:
  void Build(ExecContext& ctx);
  // Stores each key's chain contiguously, in chain order: probing then reads right_rows and next
  // sequentially instead of chasing links scattered over the whole build side.
  void GroupChains();
  // After the left input ended: the next batch of right rows whose matched flag equals `matched`
  // (FULL JOIN: the unmatched ones, with NULL left columns; SEMI / ANTI with build_left: the
  // wanted ones); false when none remain.
  bool EmitRight(DataChunk& out, bool matched);
  // out = the output columns of the rows pairing left_rows[i] with right_rows[i], i < n; a null
  // list stands for NULL columns of that side.
  void EmitRows(DataChunk& out, const sel_t* left_rows, const sel_t* right_rows, idx_t n);
  // Whether left_rows lists each row of the current left batch once, in order (a key join where
  // every row has one partner): its columns then pass on without a copy.
  bool IsLeftBatch(const sel_t* left_rows, idx_t n) const;
  // dst = column p (a position in left ++ right) of the n pairs; NULLs for a side whose row list
  // is null.
  void PairColumn(Vector& dst, idx_t p, const sel_t* left_rows, const sel_t* right_rows, idx_t n, bool left_as_is) const;
  // Whether the right rows' matched flags are kept (FULL, and SEMI / ANTI with build_left).
  bool TracksRight() const;
  // Evaluates the left batch's keys and finds their build-side groups; clears left_matched.
  void ProbeLeft(ExecContext& ctx);
  // The first / next right-row chain index a left row is paired with; -1 when none is left.
  int64_t FirstCandidate(idx_t left_row) const;
  int64_t NextCandidate(int64_t cursor) const;
  // Keeps the pairs passing the residual condition (`sel` over them, null when all pass), for
  // which it gathers the columns the condition reads into the joined batch, and marks their rows
  // matched; returns how many passed.
  idx_t FilterPairs(ExecContext& ctx, const sel_t* pair_left, const sel_t* pair_right, idx_t npairs, sel_t* passed,
                    const sel_t*& sel);
  void MarkMatches(ExecContext& ctx);
  // Null-aware key: with any right row, a left row with a NULL key matches, and every left row
  // matches when a right row has a NULL key.
  void MarkNullMatches();
  // Semi / anti join: the left batch's rows that have (semi) or lack (anti) a match.
  bool NextSemiAnti(ExecContext& ctx, DataChunk& out);
  ast::JoinType type_;
  bool build_left_;
  // The condition was `l = r OR l IS NULL OR r IS NULL` (semi / anti, not build_left): hashed on
  // l = r, the NULL cases by MarkNullMatches.
  bool null_aware_ = false;
  BoundExprPtr condition_;                 // what remains after the equality keys
  std::vector<idx_t> output_;              // output columns as positions in left ++ right
  std::vector<bool> condition_columns_;    // positions in left ++ right that condition_ reads
  std::vector<BoundExprPtr> left_keys_;    // over left columns
  std::vector<BoundExprPtr> right_keys_;   // over right columns
  struct State;
  std::unique_ptr<State> state_;
};

// UNION [ALL], INTERSECT [ALL], EXCEPT [ALL].
class SetOpOp : public PhysicalOperator {
 public:
  SetOpOp(std::unique_ptr<PhysicalOperator> left, std::unique_ptr<PhysicalOperator> right, ast::SetOpType op, bool all);
  ~SetOpOp() override;
  void Open(ExecContext& ctx) override;
  bool Next(ExecContext& ctx, DataChunk& out) override;
  std::string Name() const override;

 private:
  ast::SetOpType op_;
  bool all_;
  struct State;
  std::unique_ptr<State> state_;
};

// The rows of one round of a recursive CTE, shared by its RecursiveCteOp (which fills it) and the
// WorkTableScanOp of its recursive term (which reads it).
struct WorkTable {
  std::vector<std::unique_ptr<DataChunk>> chunks;
};

// The rows of the previous round of the recursive CTE `cte_id` (attached by RecursiveCteOp).
class WorkTableScanOp : public PhysicalOperator {
 public:
  WorkTableScanOp(std::vector<LogicalType> types, int cte_id, std::string cte_name);
  void Open(ExecContext& ctx) override { next_chunk_ = 0; }
  bool Next(ExecContext& ctx, DataChunk& out) override;
  std::string Name() const override { return "WORK_TABLE_SCAN"; }
  std::string Details() const override { return cte_name_; }
  int cte_id() const { return cte_id_; }
  void Attach(std::shared_ptr<WorkTable> table) { table_ = std::move(table); }

 private:
  int cte_id_;
  std::string cte_name_;
  std::shared_ptr<WorkTable> table_;
  size_t next_chunk_ = 0;
};

// WITH RECURSIVE: the rows of `anchor`, then of `recursive` run again and again over the rows the
// previous round produced (its WorkTableScanOp), until a round produces none. Without `all`,
// rows seen before are dropped (UNION). Rows stream out as they are produced, so a LIMIT above
// can stop an endless recursion; otherwise the session's memory limit (53200) or a cap on the
// number of rounds (54000) ends it.
class RecursiveCteOp : public PhysicalOperator {
 public:
  static constexpr int64_t kMaxRounds = 10'000'000;

  RecursiveCteOp(std::unique_ptr<PhysicalOperator> anchor, std::unique_ptr<PhysicalOperator> recursive, bool all,
                 int cte_id, std::string cte_name);
  ~RecursiveCteOp() override;
  void Open(ExecContext& ctx) override;
  bool Next(ExecContext& ctx, DataChunk& out) override;
  std::string Name() const override { return all_ ? "RECURSIVE_CTE UNION ALL" : "RECURSIVE_CTE UNION"; }
  std::string Details() const override { return cte_name_; }

 private:
  // Keeps the new rows of `input` for the next round and makes `out` show them; false if none.
  bool Accept(DataChunk& input, DataChunk& out);
  // Makes the rows of the finished round the work table and restarts the recursive term; false
  // when that round produced no rows.
  bool StartRound(ExecContext& ctx);
  bool all_;
  std::string cte_name_;
  std::shared_ptr<WorkTable> work_;
  struct State;
  std::unique_ptr<State> state_;
};

// Runs copies of one plan (PlanPipelineCopies in exec/parallel_plan.h) on several threads at
// once: the copies' table scans share `morsels`, so together they read the table once. The
// first Next runs every copy on the WorkerPool (at most the statement's thread setting, copy 0
// on the calling thread); subclasses say what runs and how the results combine. EXPLAIN shows
// the first copy only.
class ParallelOp : public PhysicalOperator {
 public:
  // The copies all produce the same columns: the operator's.
  ParallelOp(std::vector<std::unique_ptr<PhysicalOperator>> copies, std::shared_ptr<ScanMorsels> morsels);
  void Open(ExecContext& ctx) override;
  std::vector<std::vector<const PhysicalOperator*>> ExplainedChildren() const override;

 protected:
  // Calls work(i, context) for copies 0 .. k-1, each on its own thread with an ExecContext of
  // its own sharing ctx's functions, memory tracker and snapshot; k is the number of copies or
  // the statement's thread limit if lower. Rethrows the first error once all have stopped.
  void RunCopies(ExecContext& ctx, const std::function<void(size_t, ExecContext&)>& work);
  bool started_ = false;  // RunCopies ran since Open

 private:
  std::shared_ptr<ScanMorsels> morsels_;
};

// ORDER BY over copies of a plan: each copy collects its rows on its own thread (a SortOp per
// copy, which for a top-N keeps only its best rows), then all of them are sorted together, on
// several threads when they are many; a top-N returns only its first `limit` rows, as a SortOp. Rows with equal keys come in no set order (which copy read
// which rows depends on timing).
class ParallelSortOp : public ParallelOp {
 public:
  ParallelSortOp(std::vector<std::unique_ptr<SortOp>> sorts, std::shared_ptr<ScanMorsels> morsels);
  ~ParallelSortOp() override;
  void Open(ExecContext& ctx) override;
  bool Next(ExecContext& ctx, DataChunk& out) override;
  std::string Name() const override { return "PARALLEL_" + sorts_[0]->Name(); }
  std::string Details() const override { return sorts_[0]->Details(); }
  std::vector<std::vector<const PhysicalOperator*>> ExplainedChildren() const override;

 private:
  void SortAll(ExecContext& ctx);
  // The copies, owned as children_ (EXPLAIN ANALYZE may wrap those in measuring operators).
  std::vector<SortOp*> sorts_;
  struct State;
  std::unique_ptr<State> state_;
};

class ParallelAggregateOp : public ParallelOp {
 public:
  ParallelAggregateOp(std::vector<std::unique_ptr<HashAggregateOp>> copies, std::shared_ptr<ScanMorsels> morsels);
  bool Next(ExecContext& ctx, DataChunk& out) override;
  std::string Name() const override { return "PARALLEL_" + copies_[0]->Name(); }
  std::string Details() const override { return copies_[0]->Details(); }
  std::vector<std::vector<const PhysicalOperator*>> ExplainedChildren() const override;

 private:
  // The copies, owned as children_ (EXPLAIN ANALYZE may wrap those in measuring operators).
  std::vector<HashAggregateOp*> copies_;
};

}  // namespace lyt
