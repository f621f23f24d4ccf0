#include "kv/entry.h"

#include <xxhash.h>

#include <cstdlib>
#include <new>
#include <random>

#include "kv/sorted_set.h"

namespace lyt::kv {

namespace {

uint64_t ProcessSeed() {
  static const uint64_t seed = [] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }();
  return seed;
}

void* AllocateBytes(size_t n) {
  void* p = std::malloc(n);
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace

uint64_t HashKey(std::string_view key) { return XXH3_64bits_withSeed(key.data(), key.size(), ProcessSeed()); }

uint64_t ReverseBits(uint64_t v) {
  v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
  v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
  v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
  return __builtin_bswap64(v);
}

const char* TypeName(Type type) {
  switch (type) {
    case Type::kString: return "string";
    case Type::kList: return "list";
    case Type::kSet: return "set";
    case Type::kZSet: return "zset";
    case Type::kHash: return "hash";
  }
  return "none";
}

Entry* AllocateEntry(Type type, std::string_view key, size_t value_len, int64_t expire_at_ms) {
  bool ttl = expire_at_ms != 0;
  size_t value_room = type == Type::kString ? value_len : sizeof(void*);
  auto* e = static_cast<Entry*>(AllocateBytes(sizeof(Entry) + (ttl ? Entry::kTtlBytes : 0) + key.size() + value_room));
  e->next = nullptr;
  e->set_header(type, static_cast<uint32_t>(key.size()), ttl);
  e->value_len = type == Type::kString ? static_cast<uint32_t>(value_len) : 0;
  if (ttl) {
    e->set_expire_at(expire_at_ms);
    e->set_ttl_slot(0);
  }
  std::memcpy(e->body() + e->ttl_bytes(), key.data(), key.size());
  return e;
}

Entry* MakeStringEntry(std::string_view key, std::string_view value, int64_t expire_at_ms) {
  Entry* e = AllocateEntry(Type::kString, key, value.size(), expire_at_ms);
  if (!value.empty()) std::memcpy(e->value_bytes(), value.data(), value.size());
  return e;
}

Entry* MoveEntry(const Entry* entry, std::string_view key, int64_t expire_at_ms) {
  Entry* e = AllocateEntry(entry->type(), key, entry->value_len, expire_at_ms);
  size_t value_room = entry->type() == Type::kString ? entry->value_len : sizeof(void*);
  if (value_room) std::memcpy(e->value_bytes(), entry->value_bytes(), value_room);
  return e;
}

void FreeEntryHeader(Entry* entry) { std::free(entry); }

void FreeEntry(Entry* entry) {
  switch (entry->type()) {
    case Type::kString: break;
    case Type::kList: delete entry->container<ListValue>(); break;
    case Type::kSet: delete entry->container<SetValue>(); break;
    case Type::kZSet: delete entry->container<SortedSet>(); break;
    case Type::kHash: delete entry->container<HashValue>(); break;
  }
  std::free(entry);
}

size_t EntryLength(const Entry* entry) {
  switch (entry->type()) {
    case Type::kString: return entry->value_len;
    case Type::kList: return entry->container<ListValue>()->items.size();
    case Type::kSet: return entry->container<SetValue>()->members.size();
    case Type::kZSet: return entry->container<SortedSet>()->size();
    case Type::kHash: return entry->container<HashValue>()->fields.size();
  }
  return 0;
}

FieldNode* FieldNode::Make(std::string_view field, std::string_view value) {
  auto* n = static_cast<FieldNode*>(AllocateBytes(sizeof(FieldNode) + field.size() + value.size()));
  n->next = nullptr;
  n->field_len = static_cast<uint32_t>(field.size());
  n->value_len = static_cast<uint32_t>(value.size());
  if (!field.empty()) std::memcpy(n->bytes(), field.data(), field.size());
  if (!value.empty()) std::memcpy(n->bytes() + field.size(), value.data(), value.size());
  return n;
}

void FieldTraits::Free(FieldNode* n) { std::free(n); }

}  // namespace lyt::kv
