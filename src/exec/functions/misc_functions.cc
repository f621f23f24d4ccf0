// Miscellaneous functions: nullif, typeof, pg_typeof, version. (coalesce is evaluated lazily by
// the expression executor and is not a registered function.)
#include "exec/functions/function_util.h"

namespace lyt {

namespace {

using namespace fnutil;

// nullif(a, b): NULL when a equals b, else a (both already cast to their common type).
void NullIf(const FunctionArgs& a, Vector& out) {
  const Vector& x = *a.args[0];
  const Vector& y = *a.args[1];
  WithPhysicalType(out.type().id, [&](auto tag) {
    using T = decltype(tag);
    const T* xs = x.data<T>();
    const T* ys = y.data<T>();
    T* o = out.data<T>();
    for (idx_t i = 0; i < a.count; ++i) {
      idx_t r = a.row(i);
      bool null = x.IsNull(r) || (!y.IsNull(r) && CompareValues(xs[r], ys[r]) == 0);
      out.SetNull(r, null);
      if (null) continue;
      if constexpr (std::is_same_v<T, StringRef>) o[r] = out.AddString(xs[r].view());
      else o[r] = xs[r];
    }
  });
}

// Fills every selected row with the same text.
void FillText(const FunctionArgs& a, Vector& out, std::string_view text) {
  StringRef s = out.AddString(text);
  Nullary<StringRef>(a, out, [s] { return s; });
}

// A function of one argument of any type that is not cast, returning text.
void AddTypeFunction(FunctionRegistry& r, std::string name, ScalarFn fn) {
  ScalarFunction f;
  f.name = std::move(name);
  f.result = kText;
  f.bind = [](std::vector<LogicalType>& types) -> std::optional<LogicalType> {
    if (types.size() != 1) return std::nullopt;
    return kText;
  };
  f.fn = std::move(fn);
  f.null_in_null_out = false;
  r.Add(std::move(f));
}

}  // namespace

void RegisterMiscFunctions(FunctionRegistry& r) {
  ScalarFunction nullif;
  nullif.name = "nullif";
  nullif.bind = [](std::vector<LogicalType>& types) -> std::optional<LogicalType> {
    if (types.size() != 2) return std::nullopt;
    // Both sides are compared in their common type, which is then also the result type.
    return BindCommonType(types);
  };
  nullif.fn = NullIf;
  nullif.null_in_null_out = false;
  r.Add(std::move(nullif));

  // typeof: LytDB's own spelling (LogicalType::ToString, e.g. "INTEGER", "VARCHAR(10)").
  AddTypeFunction(r, "typeof", [](const FunctionArgs& a, Vector& out) { FillText(a, out, a.args[0]->type().ToString()); });
  AddTypeFunction(r, "pg_typeof", [](const FunctionArgs& a, Vector& out) { FillText(a, out, a.args[0]->type().SqlName()); });

  AddFunction(r, "version", {}, kText, [](const FunctionArgs& a, Vector& out) { FillText(a, out, "LytDB 0.1.0"); });
}

}  // namespace lyt
