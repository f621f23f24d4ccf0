// The data commands of the key-value store (strings, keys, hashes, lists, sets, sorted sets,
// FLUSHDB, DBSIZE ...): a table of CommandSpec by name, each run against one keyspace with its
// mutex held. Connection and server commands (AUTH, SELECT, MULTI, CLIENT, INFO ...) belong to the
// front end (src/frontend/resp), which also checks privileges from the flags.
//
// Replies, errors included, are written exactly as Redis writes them (clients match on the
// strings). A command that changes data records it for the write-ahead log through Log(): as it
// came when replaying it reproduces the change, or rewritten into a deterministic form (relative
// expiry times become absolute, SPOP becomes SREM of the members it chose, INCRBYFLOAT becomes
// SET of the result). Replay runs the same code with `replaying` set: nothing expires by the
// clock then (the log records every expiry as a DEL), and replies go nowhere.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kv/entry.h"
#include "kv/keyspace.h"

namespace lyt::resp {
class ReplyWriter;
}

namespace lyt::kv {

class Store;

enum CommandFlag : uint32_t {
  kWrite = 1,          // changes data: WRITE on the database
  kReadOnly = 2,       // reads data: READ on the database
  kAdminCommand = 4,   // ADMIN on the database (FLUSHDB)
  kSuperuser = 8,      // superusers only (FLUSHALL, CONFIG SET)
  kNoAuth = 16,        // allowed before authentication (AUTH, HELLO, QUIT)
  kConnection = 32,    // about the connection or the server: no keyspace lock taken
  kNoMulti = 64,       // runs at once inside MULTI instead of being queued
  kBlocking = 128,     // may wait (BLPOP)
  kDenyInScript = 256,
};

// Deletes `entry`, whose time has passed, from `ks`: logs it as DEL into `log` (when not null),
// touches its watchers and counts it in ks.expired_keys. Lazy expiry, active expiry and the purge
// after recovery all go through here.
void DeleteExpired(Keyspace& ks, Entry* entry, std::string* log);

class CommandContext {
 public:
  CommandContext(Store& store, Keyspace& keyspace, resp::ReplyWriter& reply, int64_t now_ms)
      : store(store), ks(keyspace), reply(reply), now_ms(now_ms) {}

  Store& store;
  Keyspace& ks;
  resp::ReplyWriter& reply;
  std::span<const std::string_view> args;
  int64_t now_ms;
  // Where changes are logged (null: an engine without a data directory).
  std::string* log = nullptr;
  bool replaying = false;
  // Set by commands that could not finish and want the front end to block the client (BLPOP):
  // nothing was replied.
  bool would_block = false;

  // The live entry of `key`: null when absent, and when expired (which deletes it, logged as DEL).
  Entry* Lookup(std::string_view key);
  // Lookup, expecting `type`: null when absent; on another type replies WRONGTYPE and sets
  // *wrong_type.
  Entry* LookupTyped(std::string_view key, Type type, bool* wrong_type);
  // The entry of `key` of `type`, created empty when absent (aggregate types only). Null, with
  // WRONGTYPE replied, when the key holds another type.
  Entry* LookupOrCreate(std::string_view key, Type type);

  // Deletes a live entry (touching watchers).
  void Delete(Entry* entry);
  // Deletes an aggregate left empty (Redis never keeps empty lists, sets, hashes, sorted sets).
  void DeleteIfEmpty(Entry* entry);
  // Stores a string value for `key` (replacing whatever is there); expire_at_ms 0: no TTL.
  void SetString(std::string_view key, std::string_view value, int64_t expire_at_ms);

  // Logs the command as it came / as `args`. Also touches the command's changed key for WATCH
  // and blocked clients: call it once per change.
  void Log();
  void Log(std::initializer_list<std::string_view> args);
  void LogArgs(std::span<const std::string_view> args);
  // Marks `key` changed for WATCH and blocked clients (Log does this for args[1]).
  void Touch(std::string_view key) { ks.Touch(key); }

  // Replies.
  void WrongType();
  void SyntaxError();
  void Error(std::string_view message);  // "ERR ..." and the like, as given
  void NotInteger();                      // ERR value is not an integer or out of range
  void NotFloat();                        // ERR value is not a valid float

  // Argument parsing (Redis's rules: decimal, no '+', no spaces, no leading zeros).
  bool ParseInt(std::string_view text, int64_t* out);  // replies NotInteger on failure
  bool ParseDouble(std::string_view text, double* out);  // replies NotFloat on failure (NaN too)
};

// The options of SCAN, HSCAN, SSCAN, ZSCAN after the cursor: MATCH pattern, COUNT n, TYPE t
// (SCAN only).
struct ScanOptions {
  std::string_view pattern;  // empty: no MATCH
  bool has_pattern = false;
  int64_t count = 10;
  bool has_type = false;
  std::string_view type;  // as given (compared with TypeName, case-insensitively)
};
// Parses a cursor (ERR invalid cursor) and the options from args[first] on; replies on failure.
bool ParseScan(CommandContext& c, size_t cursor_arg, bool allow_type, uint64_t* cursor, ScanOptions* options);
// Whether `text` passes the MATCH pattern.
bool ScanMatches(const ScanOptions& options, std::string_view text);
// One SCAN-family call over `table` (a ChainedTable or a Keyspace): like Redis, visits buckets
// from `cursor` until `count` elements were seen (matching or not), at most 10 x count buckets so
// that a sparse table cannot make one call walk everything; returns the next cursor.
template <class Table, class Visit>
uint64_t ScanBuckets(const Table& table, uint64_t cursor, int64_t count, Visit&& visit) {
  int64_t buckets = 0;
  int64_t seen = 0;
  do {
    cursor = table.ScanStep(cursor, [&](auto* element) {
      ++seen;
      visit(element);
    });
  } while (cursor != 0 && seen < count && ++buckets < count * 10);
  return cursor;
}
// HDEL, SREM, ZREM: removes args[2..] from the aggregate at args[1] of `type` with
// `remove(entry, member)` (true when it was there), logs the removed ones as `command`, deletes
// the key when emptied, and replies how many went.
void RemoveMembers(CommandContext& c, Type type, std::string_view command, bool (*remove)(Entry* entry, std::string_view member));
// The optional count of LPOP, RPOP, SPOP, ZPOPMIN, ZPOPMAX at args[2] (1 when absent; *given
// says whether it was); false, with Redis's error replied, when it is not a non-negative integer.
bool ParsePopCount(CommandContext& c, int64_t* count, bool* given);
// Replies [cursor, [items...]].
void ReplyScan(CommandContext& c, uint64_t cursor, const std::vector<std::string_view>& items);
// Case-insensitive comparison of an argument with an upper-case option name.
bool IsOption(std::string_view arg, std::string_view upper);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

struct CommandSpec {
  std::string_view name;  // lower case
  int arity;              // as Redis: n exactly n words (name included), -n at least n
  uint32_t flags;
  int first_key = 0, last_key = 0, key_step = 0;  // COMMAND's key positions (last -1: to the end)
  void (*run)(CommandContext&) = nullptr;
};

// Runs `spec` in `c` (whose args are set): the one way every caller runs a data command. Refuses
// keys longer than Entry::kMaxKeyBytes ("ERR key is too long") before the command sees them.
void Execute(const CommandSpec& spec, CommandContext& c);

// The data command named `name` (any case), or null.
const CommandSpec* FindCommand(std::string_view name);
// Every data command (COMMAND, COMMAND COUNT).
std::span<const CommandSpec* const> AllCommands();

// Strict integer / double parsing shared with the front end (no reply).
bool ParseInt64(std::string_view text, int64_t* out);
bool ParseFiniteOrInfDouble(std::string_view text, double* out);
// INCRBYFLOAT's result text (Redis's ld2string in human mode: "%.17Lf" without trailing zeros).
std::string FormatHumanDouble(long double v);
// Redis's "%lld" for replies built as text.
std::string FormatInt(int64_t v);

// The registration of each family (commands_*.cc).
void AddStringCommands(std::vector<CommandSpec>& table);
void AddKeyCommands(std::vector<CommandSpec>& table);
void AddHashCommands(std::vector<CommandSpec>& table);
void AddListCommands(std::vector<CommandSpec>& table);
void AddSetCommands(std::vector<CommandSpec>& table);
void AddZSetCommands(std::vector<CommandSpec>& table);

}  // namespace lyt::kv
