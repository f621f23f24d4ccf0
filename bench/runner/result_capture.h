// Cell visitors used by the timing loop: one that only consumes, one that keeps the result.
#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>

#include "runner/bench_engine.h"

namespace lyt::bench {

// Folds every cell into a running value so the compiler cannot drop the reads. Used for timed
// runs: it costs a few instructions per cell.
class ConsumingVisitor final : public CellVisitor {
 public:
  void Null() override { fold_ += 1; }
  void Int(int64_t value) override { fold_ += static_cast<uint64_t>(value); }
  void Double(double value) override { fold_ += std::bit_cast<uint64_t>(value); }
  void Text(std::string_view value) override { fold_ += value.size(); }
  void EndRow() override { fold_ += 1; }
  uint64_t fold() const { return fold_; }

 private:
  uint64_t fold_ = 0;
};

// Keeps a result as a JSON array of rows, so the driver can check that engines agree. Cells:
// null; integers as numbers (as strings beyond +-2^53); doubles as numbers with 17 significant
// digits (NaN and infinities as strings); text as strings. Results of more than kMaxCells cells
// are not kept (truncated() is then true): comparing them is left to other tools.
class CapturingVisitor final : public CellVisitor {
 public:
  static constexpr int64_t kMaxCells = 10000;

  void Null() override;
  void Int(int64_t value) override;
  void Double(double value) override;
  void Text(std::string_view value) override;
  void EndRow() override;

  bool truncated() const { return cells_ > kMaxCells; }
  // The rows as "[[...],[...]]"; meaningful only when !truncated().
  std::string Json() const { return "[" + json_ + "]"; }

 private:
  void Cell(const std::string& json);
  void OpenRow();

  std::string json_;
  int64_t cells_ = 0;
  bool row_open_ = false;
};

}  // namespace lyt::bench
