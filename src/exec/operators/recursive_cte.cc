// WITH RECURSIVE by rounds over a work table, as PostgreSQL's RecursiveUnion: the non-recursive
// term's rows form round 0; each later round runs the recursive term over the previous round's
// rows. Every produced row is copied into the next round's table (memory reserved against the
// session limit) and streamed out at once.
#include "common/error.h"
#include "exec/group_hash_table.h"
#include "exec/operators/operators.h"

namespace lyt {

namespace {

// Hands `table` to every scan of work table `cte_id` in the operator tree (subqueries in
// expressions cannot refer to it: the binder forbids that).
void AttachWorkTable(PhysicalOperator& op, int cte_id, const std::shared_ptr<WorkTable>& table) {
  if (auto* scan = dynamic_cast<WorkTableScanOp*>(&op); scan && scan->cte_id() == cte_id) scan->Attach(table);
  for (auto& c : op.children()) AttachWorkTable(*c, cte_id, table);
}

}  // namespace

WorkTableScanOp::WorkTableScanOp(std::vector<LogicalType> types, int cte_id, std::string cte_name)
    : PhysicalOperator(std::move(types)), cte_id_(cte_id), cte_name_(std::move(cte_name)) {}

bool WorkTableScanOp::Next(ExecContext&, DataChunk& out) {
  if (!table_) ThrowInternal("work table of \"" + cte_name_ + "\" is not attached");
  if (next_chunk_ >= table_->chunks.size()) return false;
  out.Reference(*table_->chunks[next_chunk_++]);
  return true;
}

struct RecursiveCteOp::State {
  State(const std::vector<LogicalType>& types, MemoryTracker& memory)
      : seen(types, memory), next_reservation(memory), work_reservation(memory), input(types) {}
  GroupHashTable seen;  // UNION: every row emitted so far
  std::vector<std::unique_ptr<DataChunk>> next;  // rows of the round being produced
  uint64_t next_bytes = 0;
  MemoryReservation next_reservation, work_reservation;
  bool recursing = false;
  int64_t rounds = 0;
  DataChunk input;
};

RecursiveCteOp::RecursiveCteOp(std::unique_ptr<PhysicalOperator> anchor, std::unique_ptr<PhysicalOperator> recursive,
                               bool all, int cte_id, std::string cte_name)
    : PhysicalOperator(anchor->types()),
      all_(all),
      cte_name_(std::move(cte_name)),
      work_(std::make_shared<WorkTable>()) {
  AttachWorkTable(*recursive, cte_id, work_);
  children_.push_back(std::move(anchor));
  children_.push_back(std::move(recursive));
}

RecursiveCteOp::~RecursiveCteOp() = default;

void RecursiveCteOp::Open(ExecContext& ctx) {
  work_->chunks.clear();
  state_.reset();  // releases the previous run's reservations before new ones are taken
  state_ = std::make_unique<State>(types_, ctx.memory());
  PhysicalOperator::Open(ctx);
}

bool RecursiveCteOp::Accept(DataChunk& input, DataChunk& out) {
  State& st = *state_;
  idx_t n = input.size();
  sel_t keep[kVectorSize];
  const sel_t* sel = nullptr;
  if (!all_) {
    // New group ids are the rows not seen before; the first row of each is kept.
    std::vector<const Vector*> cols;
    for (idx_t c = 0; c < input.ColumnCount(); ++c) cols.push_back(&input.column(c));
    uint32_t groups[kVectorSize];
    idx_t known = st.seen.group_count();
    st.seen.FindOrCreate(cols, n, groups);
    std::vector<uint8_t> taken(st.seen.group_count() - known, 0);
    idx_t m = 0;
    for (idx_t r = 0; r < n; ++r) {
      if (groups[r] < known || taken[groups[r] - known]) continue;
      taken[groups[r] - known] = 1;
      keep[m++] = static_cast<sel_t>(r);
    }
    n = m;
    sel = keep;
  }
  if (n == 0) return false;
  auto copy = std::make_unique<DataChunk>(types_, n);  // sized to its rows: rounds may be small
  copy->Append(input, sel, n);
  uint64_t bytes = OwnedBytes(*copy);
  st.next_reservation.Add(bytes);
  st.next_bytes += bytes;
  out.Reference(*copy);
  st.next.push_back(std::move(copy));
  return true;
}

bool RecursiveCteOp::StartRound(ExecContext& ctx) {
  State& st = *state_;
  ctx.CheckInterrupt();
  if (st.next.empty()) return false;
  if (++st.rounds > kMaxRounds) {
    throw Error(sqlstate::kProgramLimitExceeded, "recursive query \"" + cte_name_ + "\" did not finish after " +
                                                     std::to_string(kMaxRounds) + " rounds (endless recursion?)");
  }
  work_->chunks = std::move(st.next);
  st.next.clear();
  st.work_reservation.Resize(0);
  st.next_reservation.Resize(0);
  st.work_reservation.Resize(st.next_bytes);
  st.next_bytes = 0;
  st.recursing = true;
  children_[1]->Open(ctx);
  return true;
}

bool RecursiveCteOp::Next(ExecContext& ctx, DataChunk& out) {
  State& st = *state_;
  while (true) {
    if (children_[st.recursing ? 1 : 0]->Next(ctx, st.input)) {
      if (Accept(st.input, out)) return true;
      continue;
    }
    if (!StartRound(ctx)) return false;
  }
}

}  // namespace lyt
