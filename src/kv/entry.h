// One key of the key-value store and its value, laid out for memory: a string key with a short
// string value costs one allocation of 16 + key + value bytes, plus its bucket pointer.
//
//   Entry header (next, key length with type and flags, value_len)
//   [expire_at_ms: int64][ttl_slot: uint32]   only when kHasTtl
//   key bytes
//   value: the string's bytes (kString), or a pointer to the container (the other types)
//
// Entries never change size in place: a new value of another length, or a TTL added or removed,
// makes a new entry that replaces the old one in the keyspace (Keyspace::Rebuild).
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>

#include "kv/chained_table.h"

namespace lyt::kv {

class SortedSet;

// The value types, numbered as Redis's TYPE names them.
enum class Type : uint8_t { kString, kList, kSet, kZSet, kHash };

// "string", "list", "set", "zset", "hash".
const char* TypeName(Type type);

// 16 bytes of header: the type and flags share a word with the key's length, whose limit is
// therefore kMaxKeyBytes.
struct Entry {
  static constexpr uint32_t kMaxKeyBytes = (1u << 27) - 1;  // 128 MiB

  Entry* next;
  uint32_t key_word;   // key length (27 bits), type (4 bits), kHasTtl (1 bit)
  uint32_t value_len;  // kString: the value's bytes; otherwise 0

  uint32_t key_len() const { return key_word & kMaxKeyBytes; }
  Type type() const { return static_cast<Type>((key_word >> 27) & 15); }
  bool has_ttl() const { return key_word >> 31; }
  void set_header(Type type, uint32_t key_len, bool ttl) {
    key_word = key_len | (static_cast<uint32_t>(type) << 27) | (ttl ? 1u << 31 : 0);
  }

  char* body() { return reinterpret_cast<char*>(this) + sizeof(Entry); }
  const char* body() const { return reinterpret_cast<const char*>(this) + sizeof(Entry); }
  size_t ttl_bytes() const { return has_ttl() ? kTtlBytes : 0; }

  int64_t expire_at() const {
    int64_t v = 0;
    if (has_ttl()) std::memcpy(&v, body(), 8);
    return v;
  }
  void set_expire_at(int64_t ms) { std::memcpy(body(), &ms, 8); }
  uint32_t ttl_slot() const {
    uint32_t v;
    std::memcpy(&v, body() + 8, 4);
    return v;
  }
  void set_ttl_slot(uint32_t slot) { std::memcpy(body() + 8, &slot, 4); }

  std::string_view key() const { return {body() + ttl_bytes(), key_len()}; }
  char* value_bytes() { return body() + ttl_bytes() + key_len(); }
  const char* value_bytes() const { return body() + ttl_bytes() + key_len(); }
  std::string_view string_value() const { return {value_bytes(), value_len}; }
  template <class T>
  T* container() const {
    T* p;
    std::memcpy(&p, value_bytes(), sizeof p);
    return p;
  }

  static constexpr size_t kTtlBytes = 12;
};
static_assert(sizeof(Entry) == 16);

// Allocates an entry for `key` with room for a string of `value_len` bytes (or, for the other
// types, a container pointer), a TTL block when `expire_at_ms` is not 0. The value is not written.
Entry* AllocateEntry(Type type, std::string_view key, size_t value_len, int64_t expire_at_ms);
Entry* MakeStringEntry(std::string_view key, std::string_view value, int64_t expire_at_ms);
// A copy of `entry` under `key` with `expire_at_ms` (0: none) that takes over its value (the
// string's bytes, or the container). Free the original with FreeEntryHeader.
Entry* MoveEntry(const Entry* entry, std::string_view key, int64_t expire_at_ms);
// The bytes of the entry's allocation as AllocateEntry sizes it (its container, if any, not
// included).
inline size_t EntryBytes(const Entry* e) {
  return sizeof(Entry) + e->ttl_bytes() + e->key_len() + (e->type() == Type::kString ? e->value_len : sizeof(void*));
}
// Frees the entry and its container.
void FreeEntry(Entry* entry);
// Frees the entry but not its container (after MoveEntry).
void FreeEntryHeader(Entry* entry);
// The value's length as Redis's STRLEN / LLEN / SCARD / ZCARD / HLEN give it.
size_t EntryLength(const Entry* entry);

struct EntryTraits {
  static Entry*& Next(Entry* e) { return e->next; }
  static std::string_view Key(const Entry* e) { return e->key(); }
  static void Free(Entry* e) { FreeEntry(e); }
};

// A byte string node of a hash (field and value) or a set (member only): one allocation each.
struct FieldNode {
  FieldNode* next;
  uint32_t field_len;
  uint32_t value_len;
  char* bytes() { return reinterpret_cast<char*>(this) + sizeof(FieldNode); }
  const char* bytes() const { return reinterpret_cast<const char*>(this) + sizeof(FieldNode); }
  std::string_view field() const { return {bytes(), field_len}; }
  std::string_view value() const { return {bytes() + field_len, value_len}; }

  static FieldNode* Make(std::string_view field, std::string_view value);
};

struct FieldTraits {
  static FieldNode*& Next(FieldNode* n) { return n->next; }
  static std::string_view Key(const FieldNode* n) { return n->field(); }
  static void Free(FieldNode* n);
};

using FieldTable = ChainedTable<FieldNode, FieldTraits>;

// The containers behind the aggregate types.
struct HashValue {
  FieldTable fields;
};
struct SetValue {
  FieldTable members;  // value_len 0
};
struct ListValue {
  std::deque<std::string> items;
};

}  // namespace lyt::kv
