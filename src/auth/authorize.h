// TEMPORARY SHIM
#pragma once
#include "auth/user_store.h"
namespace lyt::auth {
inline void CheckCanConnect(const UserStore&, const std::string&, const std::string&) {}
}
