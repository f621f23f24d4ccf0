// Order-preserving key encoding for ordered indexes: the bytes of encoded keys compare (as
// unsigned bytes, std::string's order) as the SQL values do, column after column, with NULL
// after every value (PostgreSQL's ascending order, NULLS LAST).
//
// Per value: a marker byte (kValueMarker, or kNullMarker and nothing more), then
//   integers of every width, BOOLEAN, DATE, TIMESTAMP: 8 bytes big-endian, sign bit flipped (so
//     an INTEGER column and a BIGINT bound encode alike);
//   REAL, DOUBLE: the double's bits, all flipped when negative, else the sign bit flipped; -0.0
//     as 0.0, every NaN as one NaN above +Infinity (as the comparisons order them);
//   INTERVAL: its normalized total (interval.h), 16 bytes, sign flipped;
//   VARCHAR, BLOB: the bytes with 0x00 written 0x00 0xFF, ended by 0x00 0x01.
// Each value is self-delimiting, so a key's prefix of whole values orders its continuations.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/vector.h"

namespace lyt {

inline constexpr char kValueMarker = 0x01;
inline constexpr char kNullMarker = 0x02;

// Appends the encoding of row `row` of `column`.
void EncodeOrderedValue(const Vector& column, idx_t row, std::string& out);

// Appends the encoding of row `row` of every column in `columns`.
void EncodeOrderedKey(const std::vector<const Vector*>& columns, idx_t row, std::string& out);

// The smallest string greater than every key that starts with `prefix` (a whole number of
// encoded values): `prefix` followed by 0xFF, which no marker byte reaches.
std::string PastPrefix(std::string prefix);

// Appends the start of a VARCHAR value's encoding whose first bytes are `prefix`, without the
// terminator: the encodings of exactly the values starting with `prefix` start with the result.
void EncodeTextPrefix(std::string_view prefix, std::string& out);

// The smallest string greater than every string that starts with `prefix` (empty, no upper
// bound, when `prefix` is all 0xFF bytes). Unlike PastPrefix, `prefix` may end anywhere.
std::string PrefixEnd(std::string prefix);

}  // namespace lyt
