#include "main/query_log.h"

namespace lyt {

void QueryLog::Record(QueryLogEntry entry) {
  std::shared_ptr<const Observer> observer;
  {
    std::lock_guard lock(mutex_);
    observer = observer_;
    if (capacity_ > 0) {
      if (ring_.size() < capacity_) {
        ring_.push_back(observer ? entry : std::move(entry));
      } else {
        ring_[next_] = observer ? entry : std::move(entry);
        next_ = (next_ + 1) % capacity_;
      }
    }
  }
  if (!observer) return;
  try {
    (*observer)(entry);
  } catch (...) {  // a failing log writer must not fail the statement that was logged
  }
}

std::vector<QueryLogEntry> QueryLog::Snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<QueryLogEntry> entries;
  entries.reserve(ring_.size());
  for (size_t i = 0; i < ring_.size(); ++i) entries.push_back(ring_[(next_ + i) % ring_.size()]);
  return entries;
}

void QueryLog::set_query_observer(Observer observer) {
  auto shared = observer ? std::make_shared<const Observer>(std::move(observer)) : nullptr;
  std::lock_guard lock(mutex_);
  observer_ = std::move(shared);
}

std::string QueryLog::TruncateQuery(std::string text) {
  if (text.size() <= kMaxQueryBytes) return text;
  size_t cut = kMaxQueryBytes - 3;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  text.resize(cut);
  return text + "...";
}

}  // namespace lyt
