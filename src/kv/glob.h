// Glob-style patterns of KEYS, SCAN MATCH and the *SCAN commands, as Redis reads them:
//   *      any run of bytes (also empty)      ?      one byte
//   [abc]  one of the bytes; [^abc] none of them; [a-z] a range; inside, \x is x
//   \x     the byte x itself
// Matching is byte-wise and case-sensitive. Worst case O(pattern x text) time: one backtrack
// point (the last '*'), never recursion.
#pragma once

#include <string_view>

namespace lyt::kv {

bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace lyt::kv
