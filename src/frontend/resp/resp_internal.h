// What the Redis front end's files share (frontend/resp/*.cc only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace lyt::frontend::resp_internal {

inline constexpr const char* kRedisVersion = "7.0.15";  // the Redis whose commands and replies LytDB follows

// A connection or server command: handled by RespConnection itself, not by the key-value store.
struct ConnectionCommand {
  std::string_view name;  // lower case
  int arity;              // as kv::CommandSpec's
  uint32_t flags;         // kv::CommandFlag
};

std::span<const ConnectionCommand> ConnectionCommands();
const ConnectionCommand* FindConnectionCommand(std::string_view name);

std::string Lower(std::string_view s);
bool ArityOk(int arity, size_t words);
// "ERR wrong number of arguments for 'get' command"
std::string WrongArity(std::string_view name);
// "ERR unknown command 'foo', with args beginning with: 'a' 'b' "
std::string UnknownCommand(std::span<const std::string_view> args);

}  // namespace lyt::frontend::resp_internal
