// SQL LIKE / ILIKE pattern matching.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lyt {

// Whether `text` matches the LIKE `pattern`: '%' matches any run of characters, '_' exactly one
// UTF-8 character, and the `escape` byte (-1 for none) makes the character after it literal.
// `case_insensitive` (ILIKE) folds ASCII letters only. Runs in O(|text| * |pattern|) at worst.
// Throws lyt::Error 22025 when the pattern ends with the escape character.
bool LikeMatch(std::string_view text, std::string_view pattern, int escape, bool case_insensitive);

// The text every match of the LIKE `pattern` starts with: its characters before the first '%'
// or '_' that is not escaped, escapes removed. nullopt when the pattern ends with the escape
// character (LikeMatch throws for it).
std::optional<std::string> LikePrefix(std::string_view pattern, int escape);

}  // namespace lyt
