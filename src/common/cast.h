// Conversions between types: implicit-cast rules for the binder, and value and vector casts.
#pragma once

#include <optional>
#include <string_view>

#include "common/vector.h"

namespace lyt {

// Cost of an implicit conversion from `from` to `to` (0 = same type, larger = less preferred),
// or -1 when PostgreSQL would not convert implicitly. Widening numeric casts (smallint ->
// integer -> bigint -> real -> double) are implicit; NULL converts to anything; an untyped string
// literal is handled by the binder, not here.
int ImplicitCastCost(const LogicalType& from, const LogicalType& to);

// The common type two operands are converted to for comparison, arithmetic, UNION, CASE and
// COALESCE; nullopt when there is none (e.g. INTEGER and DATE).
std::optional<LogicalType> CommonType(const LogicalType& a, const LogicalType& b);

// Whether an explicit CAST from `from` to `to` exists (it may still fail at run time on a bad
// value).
bool CanCastExplicitly(const LogicalType& from, const LogicalType& to);

// Casts rows of `src` into `dst` (dst.type() is the target type), rows sel[0..count) or
// 0..count, writing each result at the same row position. NULL stays NULL. A value that cannot be
// converted throws lyt::Error: 22P02 (bad text for the target type), 22003 (out of range),
// 22007/22008 (bad date or timestamp), 22001 (too long for VARCHAR(n)).
void CastVector(const Vector& src, Vector& dst, const sel_t* sel, idx_t count);

// Casts one value (same rules and errors as CastVector).
Value CastValue(const Value& value, const LogicalType& to);

// Text forms shared by casts, results and COPY.
std::string FormatDouble(double d);                 // shortest text that reads back exactly
std::string FormatReal(float f);                    // the same for REAL
std::string FormatBlob(std::string_view bytes);      // \x0a1b...

// Explicit CAST to VARCHAR(n): cuts every selected non-NULL string of `v` (which must be owned
// and writable) to at most `max_chars` UTF-8 characters, silently (PostgreSQL's explicit-cast
// behaviour; CastVector implements the assignment behaviour, which fails instead).
void TruncateToLength(Vector& v, const sel_t* sel, idx_t count, int32_t max_chars);
}  // namespace lyt
