#include "common/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace lyt::metrics {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

// [a-zA-Z_:][a-zA-Z0-9_:]* for metric names; label names are the same without ':'.
bool IsName(std::string_view s, bool allow_colon) {
  auto starts = [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
  };
  return !s.empty() && starts(s[0]) &&
         std::all_of(s.begin() + 1, s.end(), [&](char c) { return starts(c) || (c >= '0' && c <= '9'); });
}

// HELP text escapes backslash and newline; label values also the double quote.
void AppendEscaped(std::string& out, std::string_view s, bool in_quotes) {
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && in_quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void AppendNumber(std::string& out, uint64_t v) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// As Prometheus writes floats: NaN, +Inf, -Inf; integral values below 2^63 in plain digits (so
// a gauge of 1000000 bytes is not 1e+06); anything else the shortest text that reads back exactly.
void AppendNumber(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[64];
    const bool integral = std::abs(v) < 0x1p63 && v == std::trunc(v);
    char* end = integral ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed).ptr
                         : std::to_chars(buf, buf + sizeof buf, v).ptr;
    out.append(buf, end);
  }
}

// name="value",... for a family's label names and one child's values.
std::string RenderLabels(const std::vector<std::string>& names, std::initializer_list<std::string_view> values) {
  if (values.size() != names.size()) {
    throw std::invalid_argument("metrics: " + std::to_string(values.size()) + " label values for " +
                                std::to_string(names.size()) + " label names");
  }
  std::string out;
  const std::string* name = names.data();
  for (std::string_view value : values) {
    if (!out.empty()) out += ',';
    out += *name++;
    out += "=\"";
    AppendEscaped(out, value, true);
    out += '"';
  }
  return out;
}

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kCounter:
      return "counter";
    case Type::kGauge:
      return "gauge";
    case Type::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// Returns `bounds` if they are finite and strictly ascending; throws std::invalid_argument if not.
std::vector<double> CheckedBounds(std::vector<double> bounds) {
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && !(bounds[i - 1] < bounds[i]))) {
      throw std::invalid_argument("metrics: histogram bounds must be finite and strictly ascending");
    }
  }
  return bounds;
}

}  // namespace

namespace detail {

// Writes the sample lines of one family: name[suffix][{labels[,le="…"]}] value.
class SampleWriter {
 public:
  SampleWriter(std::string& out, std::string_view name) : out_(out), name_(name) {}

  template <class V>
  void Sample(std::string_view labels, std::string_view suffix, V value, std::string_view le = {}) {
    out_ += name_;
    out_ += suffix;
    if (!labels.empty() || !le.empty()) {
      out_ += '{';
      out_ += labels;
      if (!le.empty()) {
        if (!labels.empty()) out_ += ',';
        out_ += "le=\"";
        out_ += le;
        out_ += '"';
      }
      out_ += '}';
    }
    out_ += ' ';
    AppendNumber(out_, value);
    out_ += '\n';
  }

 private:
  std::string& out_;
  const std::string_view name_;
};

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Metrics

void Counter::Write(detail::SampleWriter& out, std::string_view labels) const {
  out.Sample(labels, "", Value());
}

void Gauge::Write(detail::SampleWriter& out, std::string_view labels) const {
  out.Sample(labels, "", Value());
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(CheckedBounds(std::move(bounds))),
      counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::Observe(double v) {
  // The first bound >= v; none (or NaN) means the +Inf bucket.
  const auto bucket = std::partition_point(bounds_.begin(), bounds_.end(), [v](double bound) { return !(v <= bound); });
  counts_[static_cast<size_t>(bucket - bounds_.begin())].fetch_add(1, kRelaxed);
  sum_.fetch_add(v, kRelaxed);
}

HistogramSnapshot Histogram::Snapshot() const {
  HistogramSnapshot s;
  s.bounds = bounds_;
  s.cumulative.reserve(bounds_.size() + 1);
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    s.count += counts_[i].load(kRelaxed);
    s.cumulative.push_back(s.count);
  }
  s.sum = sum_.load(kRelaxed);
  return s;
}

void Histogram::Write(detail::SampleWriter& out, std::string_view labels) const {
  const HistogramSnapshot s = Snapshot();
  std::string le;
  for (size_t i = 0; i < s.cumulative.size(); ++i) {
    le.clear();
    AppendNumber(le, i < s.bounds.size() ? s.bounds[i] : std::numeric_limits<double>::infinity());
    out.Sample(labels, "_bucket", s.cumulative[i], le);
  }
  out.Sample(labels, "_sum", s.sum);
  out.Sample(labels, "_count", s.count);
}

// ---------------------------------------------------------------------------------------------
// Families and collectors

namespace detail {

Entry::Entry(std::string name, std::string help, Type type, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), type_(type), label_names_(std::move(label_names)) {
  if (!IsName(name_, true)) throw std::invalid_argument("metrics: invalid metric name \"" + name_ + "\"");
  for (auto it = label_names_.begin(); it != label_names_.end(); ++it) {
    if (!IsName(*it, false) || it->starts_with("__") || (type_ == Type::kHistogram && *it == "le") ||
        std::find(label_names_.begin(), it, *it) != it) {
      throw std::invalid_argument("metrics: invalid or repeated label name \"" + *it + "\" in " + name_);
    }
  }
}

Entry::~Entry() = default;

struct FamilyBase::Children {
  std::unordered_map<std::string, Metric*> by_labels;                     // rendered labels → child
  std::vector<std::pair<std::string, std::unique_ptr<Metric>>> in_order;  // rendered labels, child
};

FamilyBase::FamilyBase(std::string name, std::string help, Type type, std::vector<std::string> label_names,
                       MakeChild make_child)
    : Entry(std::move(name), std::move(help), type, std::move(label_names)),
      make_child_(std::move(make_child)),
      children_(std::make_unique<Children>()) {}

FamilyBase::~FamilyBase() = default;

Metric& FamilyBase::Child(std::initializer_list<std::string_view> label_values) {
  // Rendered labels are an unambiguous key: values are quoted and escaped.
  std::string labels = RenderLabels(label_names(), label_values);
  std::lock_guard lock(mutex_);
  if (auto it = children_->by_labels.find(labels); it != children_->by_labels.end()) return *it->second;
  std::unique_ptr<Metric> child = make_child_();
  Metric& result = *child;
  children_->in_order.emplace_back(labels, std::move(child));
  children_->by_labels.emplace(std::move(labels), &result);
  return result;
}

void FamilyBase::WriteSamples(SampleWriter& out) const {
  std::lock_guard lock(mutex_);
  for (const auto& [labels, child] : children_->in_order) child->Write(out, labels);
}

// A family of samples produced by a callback at each Serialize.
class Collector final : public Entry {
 public:
  Collector(std::string name, std::string help, Type type, std::vector<std::string> label_names,
            Registry::Collect collect)
      : Entry(std::move(name), std::move(help), type, std::move(label_names)), collect_(std::move(collect)) {
    if (type == Type::kHistogram) throw std::invalid_argument("metrics: a collector cannot be a histogram");
  }

  void WriteSamples(SampleWriter& out) const override {
    Emitter emitter(out, label_names());
    collect_(emitter);
  }

 private:
  const Registry::Collect collect_;
};

}  // namespace detail

void Emitter::Sample(std::initializer_list<std::string_view> label_values, double value) {
  out_.Sample(RenderLabels(label_names_, label_values), "", value);
}

// ---------------------------------------------------------------------------------------------
// Registry

Registry::Registry() = default;
Registry::~Registry() = default;

void Registry::Append(std::unique_ptr<detail::Entry> entry) {
  std::lock_guard lock(mutex_);
  for (const auto& e : entries_) {
    if (e->name() == entry->name()) {
      throw std::invalid_argument("metrics: \"" + entry->name() + "\" is already registered");
    }
  }
  entries_.push_back(std::move(entry));
}

template <class T>
Family<T>& Registry::AddFamily(std::string name, std::string help, std::vector<std::string> label_names,
                               detail::FamilyBase::MakeChild make_child) {
  auto family =
      std::make_unique<Family<T>>(std::move(name), std::move(help), std::move(label_names), std::move(make_child));
  Family<T>& result = *family;
  Append(std::move(family));
  return result;
}

Family<Counter>& Registry::AddCounterFamily(std::string name, std::string help, std::vector<std::string> label_names) {
  return AddFamily<Counter>(std::move(name), std::move(help), std::move(label_names),
                            [] { return std::make_unique<Counter>(); });
}

Family<Gauge>& Registry::AddGaugeFamily(std::string name, std::string help, std::vector<std::string> label_names) {
  return AddFamily<Gauge>(std::move(name), std::move(help), std::move(label_names),
                          [] { return std::make_unique<Gauge>(); });
}

Family<Histogram>& Registry::AddHistogramFamily(std::string name, std::string help,
                                                std::vector<std::string> label_names, std::vector<double> bounds) {
  // Checked now, not at the first child.
  return AddFamily<Histogram>(
      std::move(name), std::move(help), std::move(label_names),
      [bounds = CheckedBounds(std::move(bounds))] { return std::make_unique<Histogram>(bounds); });
}

Counter& Registry::AddCounter(std::string name, std::string help) {
  return AddCounterFamily(std::move(name), std::move(help), {}).With({});
}

Gauge& Registry::AddGauge(std::string name, std::string help) {
  return AddGaugeFamily(std::move(name), std::move(help), {}).With({});
}

Histogram& Registry::AddHistogram(std::string name, std::string help, std::vector<double> bounds) {
  return AddHistogramFamily(std::move(name), std::move(help), {}, std::move(bounds)).With({});
}

void Registry::AddCollector(std::string name, std::string help, Type type, std::vector<std::string> label_names,
                            Collect collect) {
  Append(std::make_unique<detail::Collector>(std::move(name), std::move(help), type, std::move(label_names),
                                             std::move(collect)));
}

std::string Registry::Serialize() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& entry : entries_) {
    out += "# HELP ";
    out += entry->name();
    out += ' ';
    AppendEscaped(out, entry->help(), false);
    out += "\n# TYPE ";
    out += entry->name();
    out += ' ';
    out += TypeName(entry->type());
    out += '\n';
    detail::SampleWriter writer(out, entry->name());
    entry->WriteSamples(writer);
  }
  return out;
}

}  // namespace lyt::metrics
