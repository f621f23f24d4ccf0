#include "storage/column_strings.h"

#include "common/hash_bytes.h"

namespace lyt {

StringRef ColumnStrings::Add(std::string_view s) {
  if (!interning_ || s.size() > kMaxInternedSize || s.empty()) return heap_.Add(s);
  return Intern(s);
}

StringRef ColumnStrings::Intern(std::string_view s) {
  ++adds_;
  if (adds_ == kTrialAdds && hits_ < kTrialAdds / 4) {
    StopInterning();
    return heap_.Add(s);
  }
  if ((distinct_ + 1) * 2 > slots_.size()) {
    if (distinct_ >= kMaxDistinct) {
      StopInterning();
      return heap_.Add(s);
    }
    Grow();
  }
  uint64_t hash = HashBytes(s.data(), s.size());
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.value.data == nullptr) {
      slot.hash = hash;
      slot.value = heap_.Add(s);
      ++distinct_;
      return slot.value;
    }
    if (slot.hash == hash && slot.value.view() == s) {
      ++hits_;
      return slot.value;
    }
  }
}

void ColumnStrings::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
  size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.value.data == nullptr) continue;
    size_t i = s.hash & mask;
    while (slots_[i].value.data != nullptr) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

void ColumnStrings::StopInterning() {
  interning_ = false;
  std::vector<Slot>().swap(slots_);
}

void ColumnStrings::Reset() {
  heap_.Reset();
  std::vector<Slot>().swap(slots_);
  distinct_ = adds_ = hits_ = 0;
  interning_ = true;
}

size_t ColumnStrings::bytes_allocated() const { return heap_.bytes_allocated() + slots_.capacity() * sizeof(Slot); }

}  // namespace lyt
