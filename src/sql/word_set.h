// A fixed set of short lower-case words (key word classes of the parser), looked up several
// times per statement: an open-addressing table hashed on a word's length and first and last
// bytes, several times faster than std::unordered_set for the few dozen words it holds.
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <string_view>

namespace lyt::sql {

class WordSet {
 public:
  // Each of `words` must be non-empty and outlive the set (string literals do); there must be
  // well under kSlots of them, so that probe sequences stay short.
  WordSet(std::initializer_list<std::string_view> words) {
    for (std::string_view word : words) slots_[FindSlot(word)] = word;
  }

  bool Contains(std::string_view word) const { return !slots_[FindSlot(word)].empty(); }

 private:
  static constexpr size_t kSlots = 512;

  static size_t Hash(std::string_view word) {
    if (word.empty()) return 0;
    return word.size() * 7 + static_cast<unsigned char>(word.front()) * 31 + static_cast<unsigned char>(word.back());
  }

  // The slot holding `word`, or the empty slot where it would go.
  size_t FindSlot(std::string_view word) const {
    size_t slot = Hash(word) % kSlots;
    while (!slots_[slot].empty() && slots_[slot] != word) slot = (slot + 1) % kSlots;
    return slot;
  }

  std::array<std::string_view, kSlots> slots_{};
};

}  // namespace lyt::sql
