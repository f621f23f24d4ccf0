// Prometheus metrics: counters, gauges and histograms, grouped in families by label values, and
// collectors read at scrape time. Registry::Serialize writes them all in the text exposition format
// 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/).
//
// The hot path takes no lock: Counter::Inc, Gauge::Set/Add and Histogram::Observe are relaxed
// atomic operations, callable from any thread. Only creating a family or a child takes a mutex, so
// callers look a child up once and keep the reference: it stays valid, at the same address, for the
// registry's lifetime (children are never moved or removed).
//
// Names are checked when a family or collector is registered: metric names match
// [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* without a leading "__". A bad name,
// a duplicate, or a wrong number of label values is a programming error: std::invalid_argument.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lyt::metrics {

// The TYPE of a family, as written in its "# TYPE" line.
enum class Type { kCounter, kGauge, kHistogram };

namespace detail {
class SampleWriter;
class FamilyBase;
class Collector;
}  // namespace detail

// What a family holds, one per combination of label values. Its only virtual call is the one
// Registry::Serialize makes; the update methods of the subclasses are not virtual.
class Metric {
 public:
  Metric() = default;
  Metric(const Metric&) = delete;
  Metric& operator=(const Metric&) = delete;
  virtual ~Metric() = default;

 private:
  friend class detail::FamilyBase;
  // Appends this metric's sample lines; `labels` is its rendered label list (name="value",...).
  virtual void Write(detail::SampleWriter& out, std::string_view labels) const = 0;
};

// A count that only grows, in whole units (events, bytes). Time totals are not counters: a
// Histogram of durations carries their sum in `_sum`. Any thread; lock-free.
class Counter final : public Metric {
 public:
  static constexpr Type kType = Type::kCounter;

  void Inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  void Write(detail::SampleWriter& out, std::string_view labels) const override;

  std::atomic<uint64_t> value_{0};
};

// A value that goes up and down (open connections, bytes in use). A double: integral values up to
// 2^53 are exact and are written without a fraction or exponent. Any thread; lock-free.
class Gauge final : public Metric {
 public:
  static constexpr Type kType = Type::kGauge;

  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  // A compare-exchange loop inside std::atomic<double>: concurrent Adds all count.
  void Add(double delta) { value_.fetch_add(delta, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  void Write(detail::SampleWriter& out, std::string_view labels) const override;

  std::atomic<double> value_{0};
};

// A histogram's state at one moment, for Registry::Serialize and for callers that report it
// elsewhere (the server's /v1/status).
struct HistogramSnapshot {
  std::vector<double> bounds;        // the finite upper bounds, ascending
  std::vector<uint64_t> cumulative;  // [i]: observations <= bounds[i]; one more at the end: all (+Inf)
  double sum = 0;
  uint64_t count = 0;  // always cumulative.back()
};

// Observations counted into buckets with fixed, inclusive upper bounds (a value equal to a bound
// falls in that bound's bucket), plus their sum. Any thread; Observe is lock-free.
//
// The sum is a std::atomic<double> updated by compare-exchange (fetch_add), not fixed point: the
// values observed span orders of magnitude (seconds, bytes), which fixed point would round away or
// overflow. Under concurrent Observes the rounding of the sum depends on their order. The count is
// not stored: it is the total of the buckets, so `_count` always equals the +Inf bucket, while
// `_sum` may include or miss an Observe that is halfway through.
class Histogram final : public Metric {
 public:
  static constexpr Type kType = Type::kHistogram;

  // `bounds`: finite and strictly ascending; may be empty (only the +Inf bucket). Otherwise throws
  // std::invalid_argument.
  explicit Histogram(std::vector<double> bounds);

  // NaN counts in the +Inf bucket (and makes the sum NaN), as the Prometheus Go client does.
  void Observe(double v);
  HistogramSnapshot Snapshot() const;

 private:
  void Write(detail::SampleWriter& out, std::string_view labels) const override;

  const std::vector<double> bounds_;
  const std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // per bucket, not cumulative; +Inf last
  std::atomic<double> sum_{0};
};

namespace detail {

// A family or a collector as the registry lists it: what its "# HELP" and "# TYPE" lines say, and
// the label names its samples carry. Immutable after construction.
class Entry {
 public:
  // Throws std::invalid_argument for an invalid metric or label name, a repeated label name, or a
  // histogram label named "le".
  Entry(std::string name, std::string help, Type type, std::vector<std::string> label_names);
  Entry(const Entry&) = delete;
  Entry& operator=(const Entry&) = delete;
  virtual ~Entry();

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  Type type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // Appends the sample lines (not the HELP and TYPE lines).
  virtual void WriteSamples(SampleWriter& out) const = 0;

 private:
  const std::string name_;
  const std::string help_;
  const Type type_;
  const std::vector<std::string> label_names_;
};

// The untyped part of Family<T>: its children by label values, in creation order.
class FamilyBase : public Entry {
 public:
  using MakeChild = std::function<std::unique_ptr<Metric>()>;
  FamilyBase(std::string name, std::string help, Type type, std::vector<std::string> label_names, MakeChild make_child);
  ~FamilyBase() override;

  void WriteSamples(SampleWriter& out) const override;

 protected:
  // The child with these label values (in the order of label_names()), created on first use.
  // Throws std::invalid_argument if their number differs from label_names().size().
  Metric& Child(std::initializer_list<std::string_view> label_values);

 private:
  struct Children;  // an index by rendered labels and the creation order (metrics.cc)

  const MakeChild make_child_;
  mutable std::mutex mutex_;  // guards *children_ (looking up, creating and listing children)
  const std::unique_ptr<Children> children_;
};

}  // namespace detail

// The metrics of one name, one child per combination of label values. Registry creates families
// and owns them; any thread may call With.
template <class T>
class Family final : public detail::FamilyBase {
 public:
  // The child with these label values, created at zero on first use (under the family's mutex).
  // Look it up once and keep the reference. Throws std::invalid_argument if the number of values
  // differs from the number of label names.
  T& With(std::initializer_list<std::string_view> label_values) { return static_cast<T&>(Child(label_values)); }

  Family(std::string name, std::string help, std::vector<std::string> label_names, MakeChild make_child)
      : FamilyBase(std::move(name), std::move(help), T::kType, std::move(label_names), std::move(make_child)) {}
};

// Where a collector writes its samples, during Registry::Serialize.
class Emitter {
 public:
  // Appends one sample. `label_values` follow the collector's label names; throws
  // std::invalid_argument if their number differs. Values are doubles: exact up to 2^53.
  void Sample(std::initializer_list<std::string_view> label_values, double value);

 private:
  friend class detail::Collector;
  Emitter(detail::SampleWriter& out, const std::vector<std::string>& label_names)
      : out_(out), label_names_(label_names) {}

  detail::SampleWriter& out_;
  const std::vector<std::string>& label_names_;
};

// The metrics a server exposes. Families and collectors are written in registration order, the
// children of a family in creation order. Thread-safe. Registration is for start-up; references it
// returns are valid as long as the Registry.
class Registry {
 public:
  // Reads values kept elsewhere (WAL size, memory by component, connections by front end) when
  // Serialize runs. Called on the serializing thread with the registry's mutex held, so never
  // concurrently with itself; it must not call back into this Registry. What it reads must outlive
  // the last Serialize.
  using Collect = std::function<void(Emitter&)>;

  Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;
  ~Registry();

  // Register a family. Throws std::invalid_argument for invalid names (see the top of this file)
  // or a name already registered.
  Family<Counter>& AddCounterFamily(std::string name, std::string help, std::vector<std::string> label_names);
  Family<Gauge>& AddGaugeFamily(std::string name, std::string help, std::vector<std::string> label_names);
  // `bounds` as for Histogram's constructor; every child gets the same. No label may be named "le".
  Family<Histogram>& AddHistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                                        std::vector<double> bounds);

  // A metric without labels: a family whose only child is created (at zero) now.
  Counter& AddCounter(std::string name, std::string help);
  Gauge& AddGauge(std::string name, std::string help);
  Histogram& AddHistogram(std::string name, std::string help, std::vector<double> bounds);

  // A family of counters or gauges whose samples `collect` emits at each Serialize. Throws
  // std::invalid_argument as the Add*Family functions do, and for Type::kHistogram.
  void AddCollector(std::string name, std::string help, Type type, std::vector<std::string> label_names,
                    Collect collect);

  // Every family in the text exposition format 0.0.4 (Content-Type:
  // "text/plain; version=0.0.4; charset=utf-8"). Propagates what a collector throws.
  std::string Serialize() const;

 private:
  // Appends `entry`; throws std::invalid_argument if its name is taken.
  void Append(std::unique_ptr<detail::Entry> entry);
  template <class T>
  Family<T>& AddFamily(std::string name, std::string help, std::vector<std::string> label_names,
                       detail::FamilyBase::MakeChild make_child);

  mutable std::mutex mutex_;  // guards entries_; held through Serialize, so collectors run one at a time
  std::vector<std::unique_ptr<detail::Entry>> entries_;
};

}  // namespace lyt::metrics
