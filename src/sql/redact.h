// Statement text safe to log or show: the value after every PASSWORD keyword (CREATE USER,
// ALTER USER) replaced by '***'. Used for lyt_query_log, lyt_sessions and the server's logs.
#pragma once

#include <string>
#include <string_view>

namespace lyt::sql {

std::string RedactPasswords(std::string_view sql);

}  // namespace lyt::sql
