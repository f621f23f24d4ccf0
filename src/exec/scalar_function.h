// Scalar functions: their signatures (for the binder's overload resolution) and their vectorized
// implementations (for the expression executor).
#pragma once

#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/vector.h"

namespace lyt {

// Per-statement facts a function may read.
class InterruptFlag;
namespace metrics {
class Counter;
}  // namespace metrics

struct FunctionContext {
  int64_t statement_time_us = 0;  // now() / current_timestamp: fixed for the statement
  std::mt19937_64* rng = nullptr;  // random()
  const InterruptFlag* interrupt = nullptr;  // the session's; null: never interrupted
  size_t threads = 0;  // SET threads: the most threads a parallel operator uses (0: no limit)
  // The engine's count of rows read by table and index scans (lytdb_rows_scanned_total); null:
  // not counted.
  metrics::Counter* rows_scanned = nullptr;
};

// Arguments of one vectorized call. `args[i]` holds argument i for every row; the function must
// compute out for rows sel[0..count) (or 0..count when sel is null) and only those. For functions
// with `null_in_null_out`, the caller has already removed rows where any argument is NULL from the
// selection and marked them NULL in `out`; the function sets out's null byte for rows it computes
// (normally 0). Errors (overflow, bad input) are thrown as lyt::Error.
struct FunctionArgs {
  const std::vector<const Vector*>& args;
  const sel_t* sel;
  idx_t count;
  FunctionContext& context;

  idx_t row(idx_t i) const { return sel ? sel[i] : i; }
};

using ScalarFn = std::function<void(const FunctionArgs& args, Vector& out)>;

// Decides the result type of a polymorphic function from the argument types, and may rewrite
// `arg_types` to the types the arguments must be cast to. Returns nullopt when the arguments do
// not fit (the binder then reports "function f(types) does not exist").
using BindFn = std::function<std::optional<LogicalType>(std::vector<LogicalType>& arg_types)>;

struct ScalarFunction {
  std::string name;                        // lower-case
  std::vector<LogicalType> args;           // fixed parameters (ignored when `bind` is set)
  std::optional<LogicalType> varargs;      // type of any further arguments
  LogicalType result;                      // ignored when `bind` is set
  ScalarFn fn;
  BindFn bind;                             // optional: polymorphic signature
  bool null_in_null_out = true;            // NULL in any argument gives NULL without calling fn
  bool is_volatile = false;                // random(), now(): never constant-folded
};

// All scalar functions by name. Filled once at start-up; read-only afterwards (thread-safe).
class FunctionRegistry {
 public:
  static const FunctionRegistry& Global();

  void Add(ScalarFunction function);
  // Every overload of `name` (lower-case), or nullptr.
  const std::vector<ScalarFunction>* Find(std::string_view name) const;
  std::vector<std::string> Names() const;

 private:
  std::unordered_map<std::string, std::vector<ScalarFunction>> functions_;
};

// Each group of functions registers itself from one file of src/exec/functions/.
void RegisterMathFunctions(FunctionRegistry& registry);
void RegisterStringFunctions(FunctionRegistry& registry);
void RegisterDateFunctions(FunctionRegistry& registry);
void RegisterMiscFunctions(FunctionRegistry& registry);

}  // namespace lyt
