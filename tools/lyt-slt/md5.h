// sqllogictest's result hash.
#pragma once

#include <string>
#include <vector>

namespace lyt::slt {

// Lower-case hex MD5 of the values, each followed by "\n": the `N values hashing to <md5>`
// digest of SQLite's sqllogictest.
std::string HashValues(const std::vector<std::string>& values);

}  // namespace lyt::slt
