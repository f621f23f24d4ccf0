// SQL LIKE / ILIKE pattern matching.
#pragma once

#include <string_view>

namespace lyt {

// Whether `text` matches the LIKE `pattern`: '%' matches any run of characters, '_' exactly one
// UTF-8 character, and the `escape` byte (-1 for none) makes the character after it literal.
// `case_insensitive` (ILIKE) folds ASCII letters only. Runs in O(|text| * |pattern|) at worst.
// Throws lyt::Error 22025 when the pattern ends with the escape character.
bool LikeMatch(std::string_view text, std::string_view pattern, int escape, bool case_insensitive);

}  // namespace lyt
