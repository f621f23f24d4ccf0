#include "exec/expression_executor.h"

#include <vector>

#include "common/cast.h"
#include "common/error.h"
#include "exec/expr_internal.h"
#include "exec/like.h"

namespace lyt {

namespace {

// Scratch vector for a child's result, sized like the input.
Vector Scratch(const LogicalType& type, const DataChunk& input) { return Vector(type, std::max<idx_t>(input.capacity(), kVectorSize)); }

void Broadcast(const Value& value, const sel_t* sel, idx_t count, Vector& out) {
  if (value.is_null()) {
    ForRows(sel, count, [&](idx_t i) { out.nulls()[i] = 1; });
    return;
  }
  Vector one(out.type(), 1);
  one.SetValue(0, value);
  size_t width = PhysicalSize(out.type().id);
  if (out.type().IsString()) {
    StringRef s = out.AddString(value.AsString());
    ForRows(sel, count, [&](idx_t i) {
      out.data<StringRef>()[i] = s;
      out.nulls()[i] = 0;
    });
    return;
  }
  const uint8_t* src = one.data<uint8_t>();
  uint8_t* dst = out.data<uint8_t>();
  ForRows(sel, count, [&](idx_t i) {
    std::memcpy(dst + i * width, src, width);
    out.nulls()[i] = 0;
  });
}

// Copies selected rows without copying string bytes (the input outlives the output's use).
void CopyRows(const Vector& src, const sel_t* sel, idx_t count, Vector& out) {
  size_t width = PhysicalSize(src.type().id);
  const uint8_t* in = src.data<uint8_t>();
  uint8_t* dst = out.data<uint8_t>();
  if (!sel) {
    std::memcpy(dst, in, count * width);
    std::memcpy(out.nulls(), src.nulls(), count);
    return;
  }
  for (idx_t i = 0; i < count; ++i) {
    std::memcpy(dst + sel[i] * width, in + sel[i] * width, width);
    out.nulls()[sel[i]] = src.nulls()[sel[i]];
  }
}

// The rows of `sel` (or 0..count) as an explicit list.
std::vector<sel_t> RowList(const sel_t* sel, idx_t count) {
  std::vector<sel_t> rows(count);
  for (idx_t i = 0; i < count; ++i) rows[i] = sel ? sel[i] : static_cast<sel_t>(i);
  return rows;
}

// rows minus taken (both ascending).
std::vector<sel_t> Difference(const std::vector<sel_t>& rows, const sel_t* taken, idx_t n) {
  std::vector<sel_t> rest;
  rest.reserve(rows.size() - n);
  idx_t j = 0;
  for (sel_t r : rows) {
    if (j < n && taken[j] == r) {
      ++j;
    } else {
      rest.push_back(r);
    }
  }
  return rest;
}

void ExecuteLogic(const BoundExpr& expr, const DataChunk& input, const sel_t* sel, idx_t count, Vector& out,
                  ExecContext& ctx) {
  bool is_and = expr.kind == BoundKind::And;
  uint8_t* res = out.data<uint8_t>();
  uint8_t* nulls = out.nulls();
  ForRows(sel, count, [&](idx_t i) {
    res[i] = is_and;
    nulls[i] = 0;
  });
  Vector tmp = Scratch(TypeId::Boolean, input);
  for (const auto& child : expr.children) {
    ExpressionExecutor::Execute(*child, input, sel, count, tmp, ctx);
    const uint8_t* v = tmp.data<uint8_t>();
    const uint8_t* vn = tmp.nulls();
    // AND: false dominates, then NULL; OR: true dominates, then NULL.
    ForRows(sel, count, [&](idx_t i) {
      bool decided = is_and ? (!nulls[i] && !res[i]) : (!nulls[i] && res[i]);
      if (decided) return;
      if (vn[i]) {
        nulls[i] = 1;
      } else if (v[i] != is_and) {
        res[i] = v[i];
        nulls[i] = 0;
      }
    });
  }
}

void ExecuteCase(const BoundExpr& expr, const DataChunk& input, const sel_t* sel, idx_t count, Vector& out,
                 ExecContext& ctx) {
  std::vector<sel_t> remaining = RowList(sel, count);
  std::vector<sel_t> taken(std::max<idx_t>(count, 1));
  size_t whens = expr.children.size() / 2;
  for (size_t w = 0; w < whens && !remaining.empty(); ++w) {
    idx_t n = ExpressionExecutor::Select(*expr.children[2 * w], input, remaining.data(), remaining.size(), taken.data(), ctx);
    if (n > 0) {
      ExpressionExecutor::Execute(*expr.children[2 * w + 1], input, taken.data(), n, out, ctx);
      remaining = Difference(remaining, taken.data(), n);
    }
  }
  if (!remaining.empty()) ExpressionExecutor::Execute(*expr.children.back(), input, remaining.data(), remaining.size(), out, ctx);
}

void ExecuteCoalesce(const BoundExpr& expr, const DataChunk& input, const sel_t* sel, idx_t count, Vector& out,
                     ExecContext& ctx) {
  std::vector<sel_t> remaining = RowList(sel, count);
  for (const auto& child : expr.children) {
    if (remaining.empty()) break;
    ExpressionExecutor::Execute(*child, input, remaining.data(), remaining.size(), out, ctx);
    std::vector<sel_t> still_null;
    for (sel_t r : remaining) {
      if (out.nulls()[r]) still_null.push_back(r);
    }
    remaining.swap(still_null);
  }
}

void ExecuteInList(const BoundExpr& expr, const DataChunk& input, const sel_t* sel, idx_t count, Vector& out,
                   ExecContext& ctx) {
  const LogicalType& type = expr.children[0]->type;
  Vector operand = Scratch(type, input);
  ExpressionExecutor::Execute(*expr.children[0], input, sel, count, operand, ctx);
  uint8_t* found = out.data<uint8_t>();
  uint8_t* nulls = out.nulls();
  ForRows(sel, count, [&](idx_t i) {
    found[i] = 0;
    nulls[i] = operand.nulls()[i];
  });
  Vector item = Scratch(type, input);
  Vector eq = Scratch(TypeId::Boolean, input);
  for (size_t k = 1; k < expr.children.size(); ++k) {
    ExpressionExecutor::Execute(*expr.children[k], input, sel, count, item, ctx);
    ExecuteCompare(CompareOp::Equal, operand, item, sel, count, eq);
    ForRows(sel, count, [&](idx_t i) {
      if (eq.nulls()[i]) {
        nulls[i] = 1;
      } else if (eq.data<uint8_t>()[i]) {
        found[i] = 1;
      }
    });
  }
  ForRows(sel, count, [&](idx_t i) {
    if (found[i]) nulls[i] = 0;
    if (expr.negated) found[i] = !found[i];
  });
}

void ExecuteLike(const BoundExpr& expr, const DataChunk& input, const sel_t* sel, idx_t count, Vector& out,
                 ExecContext& ctx) {
  Vector text = Scratch(TypeId::Varchar, input);
  Vector pattern = Scratch(TypeId::Varchar, input);
  ExpressionExecutor::Execute(*expr.children[0], input, sel, count, text, ctx);
  ExpressionExecutor::Execute(*expr.children[1], input, sel, count, pattern, ctx);
  ForRows(sel, count, [&](idx_t i) {
    out.nulls()[i] = text.nulls()[i] | pattern.nulls()[i];
    if (out.nulls()[i]) return;
    bool m = LikeMatch(text.data<StringRef>()[i].view(), pattern.data<StringRef>()[i].view(), expr.escape,
                       expr.case_insensitive);
    out.data<uint8_t>()[i] = m != expr.negated;
  });
}

void ExecuteConcat(const BoundExpr& expr, const DataChunk& input, const sel_t* sel, idx_t count, Vector& out,
                   ExecContext& ctx) {
  Vector a = Scratch(expr.children[0]->type, input);
  Vector b = Scratch(expr.children[1]->type, input);
  ExpressionExecutor::Execute(*expr.children[0], input, sel, count, a, ctx);
  ExpressionExecutor::Execute(*expr.children[1], input, sel, count, b, ctx);
  ForRows(sel, count, [&](idx_t i) {
    out.nulls()[i] = a.nulls()[i] | b.nulls()[i];
    if (out.nulls()[i]) return;
    StringRef x = a.data<StringRef>()[i], y = b.data<StringRef>()[i];
    char* p = out.heap().Allocate(x.size + y.size);
    std::memcpy(p, x.data, x.size);
    std::memcpy(p + x.size, y.data, y.size);
    out.data<StringRef>()[i] = StringRef{p, x.size + y.size};
  });
}

void ExecuteIsDistinct(const BoundExpr& expr, const DataChunk& input, const sel_t* sel, idx_t count, Vector& out,
                       ExecContext& ctx) {
  Vector a = Scratch(expr.children[0]->type, input);
  Vector b = Scratch(expr.children[1]->type, input);
  ExpressionExecutor::Execute(*expr.children[0], input, sel, count, a, ctx);
  ExpressionExecutor::Execute(*expr.children[1], input, sel, count, b, ctx);
  ForRows(sel, count, [&](idx_t i) {
    bool an = a.nulls()[i], bn = b.nulls()[i];
    bool distinct = (an || bn) ? an != bn : CompareValues(a, i, b, i) != 0;
    out.nulls()[i] = 0;
    out.data<uint8_t>()[i] = distinct != expr.negated;
  });
}

void ExecuteFunction(const BoundExpr& expr, const DataChunk& input, const sel_t* sel, idx_t count, Vector& out,
                     ExecContext& ctx) {
  std::vector<Vector> args;
  args.reserve(expr.children.size());
  for (const auto& c : expr.children) {
    args.push_back(Scratch(c->type, input));
    ExpressionExecutor::Execute(*c, input, sel, count, args.back(), ctx);
  }
  std::vector<const Vector*> arg_ptrs;
  for (const auto& a : args) arg_ptrs.push_back(&a);
  const ScalarFunction& fn = *expr.function;
  if (!fn.null_in_null_out) {
    FunctionArgs fa{arg_ptrs, sel, count, ctx.functions()};
    fn.fn(fa, out);
    return;
  }
  std::vector<sel_t> live;
  live.reserve(count);
  ForRows(sel, count, [&](idx_t i) {
    bool any_null = false;
    for (const auto& a : args) any_null |= a.nulls()[i] != 0;
    out.nulls()[i] = any_null;
    if (!any_null) live.push_back(static_cast<sel_t>(i));
  });
  if (live.empty()) return;
  FunctionArgs fa{arg_ptrs, live.data(), live.size(), ctx.functions()};
  fn.fn(fa, out);
}

void ExecuteOuterColumn(const BoundExpr& expr, const sel_t* sel, idx_t count, Vector& out, ExecContext& ctx) {
  auto& rows = ctx.outer_rows();
  if (static_cast<size_t>(expr.depth) > rows.size()) ThrowInternal("outer reference without an outer row");
  const std::vector<Value>& row = *rows[rows.size() - expr.depth];
  Broadcast(row[expr.column], sel, count, out);
}

}  // namespace

void ExpressionExecutor::Execute(const BoundExpr& expr, const DataChunk& input, const sel_t* sel, idx_t count,
                                 Vector& out, ExecContext& ctx) {
  if (count == 0) return;
  switch (expr.kind) {
    case BoundKind::Constant: return Broadcast(expr.value, sel, count, out);
    case BoundKind::Column:
      if (expr.depth > 0) return ExecuteOuterColumn(expr, sel, count, out, ctx);
      return CopyRows(input.column(expr.column), sel, count, out);
    case BoundKind::Cast: {
      Vector child = Scratch(expr.children[0]->type, input);
      Execute(*expr.children[0], input, sel, count, child, ctx);
      if (expr.children[0]->type.id == TypeId::Null) {
        ForRows(sel, count, [&](idx_t i) { out.nulls()[i] = 1; });
        return;
      }
      if (expr.explicit_cast && expr.type.id == TypeId::Varchar && expr.type.max_length >= 0) {
        Vector text(LogicalType(TypeId::Varchar), child.capacity());
        CastVector(child, text, sel, count);
        TruncateToLength(text, sel, count, expr.type.max_length);
        ForRows(sel, count, [&](idx_t i) {
          out.nulls()[i] = text.nulls()[i];
          if (!text.nulls()[i]) out.data<StringRef>()[i] = out.AddString(text.data<StringRef>()[i].view());
        });
        return;
      }
      CastVector(child, out, sel, count);
      return;
    }
    case BoundKind::Function: return ExecuteFunction(expr, input, sel, count, out, ctx);
    case BoundKind::Arith: {
      Vector a = Scratch(expr.children[0]->type, input);
      Execute(*expr.children[0], input, sel, count, a, ctx);
      if (expr.children.size() == 1) return ExecuteArith(expr, a, nullptr, sel, count, out);
      Vector b = Scratch(expr.children[1]->type, input);
      Execute(*expr.children[1], input, sel, count, b, ctx);
      return ExecuteArith(expr, a, &b, sel, count, out);
    }
    case BoundKind::Compare: {
      Vector a = Scratch(expr.children[0]->type, input);
      Vector b = Scratch(expr.children[1]->type, input);
      Execute(*expr.children[0], input, sel, count, a, ctx);
      Execute(*expr.children[1], input, sel, count, b, ctx);
      return ExecuteCompare(expr.compare, a, b, sel, count, out);
    }
    case BoundKind::And:
    case BoundKind::Or: return ExecuteLogic(expr, input, sel, count, out, ctx);
    case BoundKind::Not: {
      Vector a = Scratch(TypeId::Boolean, input);
      Execute(*expr.children[0], input, sel, count, a, ctx);
      ForRows(sel, count, [&](idx_t i) {
        out.nulls()[i] = a.nulls()[i];
        out.data<uint8_t>()[i] = !a.data<uint8_t>()[i];
      });
      return;
    }
    case BoundKind::IsNull: {
      Vector a = Scratch(expr.children[0]->type, input);
      Execute(*expr.children[0], input, sel, count, a, ctx);
      ForRows(sel, count, [&](idx_t i) {
        out.nulls()[i] = 0;
        out.data<uint8_t>()[i] = (a.nulls()[i] != 0) != expr.negated;
      });
      return;
    }
    case BoundKind::IsDistinct: return ExecuteIsDistinct(expr, input, sel, count, out, ctx);
    case BoundKind::Like: return ExecuteLike(expr, input, sel, count, out, ctx);
    case BoundKind::Case: return ExecuteCase(expr, input, sel, count, out, ctx);
    case BoundKind::InList: return ExecuteInList(expr, input, sel, count, out, ctx);
    case BoundKind::Coalesce: return ExecuteCoalesce(expr, input, sel, count, out, ctx);
    case BoundKind::Concat: return ExecuteConcat(expr, input, sel, count, out, ctx);
    case BoundKind::Subquery: return ExecuteSubquery(expr, input, sel, count, out, ctx);
    case BoundKind::AggregateRef: ThrowInternal("aggregate reference outside an aggregate");
    case BoundKind::WindowRef: ThrowInternal("window reference outside a window");
  }
}

idx_t ExpressionExecutor::Select(const BoundExpr& expr, const DataChunk& input, const sel_t* sel, idx_t count,
                                 sel_t* out_sel, ExecContext& ctx) {
  if (count == 0) return 0;
  switch (expr.kind) {
    case BoundKind::And: {
      // Each conjunct only looks at the rows that passed the previous ones.
      std::vector<sel_t> current = RowList(sel, count);
      idx_t n = count;
      for (const auto& child : expr.children) {
        n = Select(*child, input, current.data(), n, out_sel, ctx);
        if (n == 0) return 0;
        std::copy(out_sel, out_sel + n, current.data());
      }
      return n;
    }
    case BoundKind::Compare: {
      const BoundExpr& l = *expr.children[0];
      const BoundExpr& r = *expr.children[1];
      if (l.kind == BoundKind::Column && l.depth == 0 && r.kind == BoundKind::Constant) {
        if (r.value.is_null()) return 0;
        return SelectCompareConstant(expr.compare, input.column(l.column), r.value, sel, count, out_sel);
      }
      if (r.kind == BoundKind::Column && r.depth == 0 && l.kind == BoundKind::Constant) {
        if (l.value.is_null()) return 0;
        return SelectCompareConstant(FlipCompare(expr.compare), input.column(r.column), l.value, sel, count, out_sel);
      }
      Vector a = Scratch(l.type, input);
      Vector b = Scratch(r.type, input);
      Execute(l, input, sel, count, a, ctx);
      Execute(r, input, sel, count, b, ctx);
      return SelectCompare(expr.compare, a, b, sel, count, out_sel);
    }
    case BoundKind::Constant: {
      bool pass = !expr.value.is_null() && expr.value.AsBool();
      if (!pass) return 0;
      for (idx_t i = 0; i < count; ++i) out_sel[i] = sel ? sel[i] : static_cast<sel_t>(i);
      return count;
    }
    default: {
      Vector v = Scratch(TypeId::Boolean, input);
      Execute(expr, input, sel, count, v, ctx);
      idx_t n = 0;
      ForRows(sel, count, [&](idx_t i) {
        out_sel[n] = static_cast<sel_t>(i);
        n += !v.nulls()[i] && v.data<uint8_t>()[i];
      });
      return n;
    }
  }
}

Value ExpressionExecutor::EvaluateScalar(const BoundExpr& expr, FunctionContext& functions) {
  MemoryTracker memory(0);
  // Constant expressions read no table; a snapshot is required all the same.
  ExecContext ctx(functions, memory, Snapshot::Latest());
  return EvaluateScalar(expr, ctx);
}

Value ExpressionExecutor::EvaluateScalar(const BoundExpr& expr, ExecContext& ctx) {
  // A literal already typed as the expression is its own value (the common key of a lookup).
  if (expr.kind == BoundKind::Constant && !expr.value.is_null() && expr.value.type() == expr.type) return expr.value;
  DataChunk input;
  input.SetSize(1);
  Vector out(expr.type, 1);
  Execute(expr, input, nullptr, 1, out, ctx);
  return out.GetValue(0);
}

}  // namespace lyt
