// Prometheus metrics: the exact text format, escaping, number forms, bucket edges, name checks and
// exact totals under concurrent updates.
#include "common/metrics.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

namespace lyt::metrics {
namespace {

TEST(MetricsTest, SerializesASmallRegistryExactly) {
  Registry registry;
  auto& statements = registry.AddCounterFamily("lyt_statements_total", "Statements run.", {"kind", "status"});
  statements.With({"select", "ok"}).Inc(3);
  statements.With({"insert", "error"}).Inc();
  statements.With({"select", "ok"}).Inc();  // the same child
  registry.AddGauge("lyt_connections", "Open connections.").Set(5);
  auto& latency = registry.AddHistogramFamily("lyt_kv_seconds", "Command latency.", {"op"}, {0.005, 0.5, 10});
  Histogram& get = latency.With({"get"});
  get.Observe(0.125);
  get.Observe(0.5);
  get.Observe(16);
  registry.AddHistogram("lyt_empty_seconds", "Nothing observed.", {1});
  registry.AddCollector("lyt_memory_bytes", "Memory by component.", Type::kGauge, {"component"}, [](Emitter& emit) {
    emit.Sample({"buffers"}, 1048576);
    emit.Sample({"kv"}, 0.25);
  });
  registry.AddCollector("lyt_wal_bytes", "WAL size.", Type::kGauge, {}, [](Emitter& emit) { emit.Sample({}, 4096); });

  EXPECT_EQ(registry.Serialize(),
            "# HELP lyt_statements_total Statements run.\n"
            "# TYPE lyt_statements_total counter\n"
            "lyt_statements_total{kind=\"select\",status=\"ok\"} 4\n"
            "lyt_statements_total{kind=\"insert\",status=\"error\"} 1\n"
            "# HELP lyt_connections Open connections.\n"
            "# TYPE lyt_connections gauge\n"
            "lyt_connections 5\n"
            "# HELP lyt_kv_seconds Command latency.\n"
            "# TYPE lyt_kv_seconds histogram\n"
            "lyt_kv_seconds_bucket{op=\"get\",le=\"0.005\"} 0\n"
            "lyt_kv_seconds_bucket{op=\"get\",le=\"0.5\"} 2\n"
            "lyt_kv_seconds_bucket{op=\"get\",le=\"10\"} 2\n"
            "lyt_kv_seconds_bucket{op=\"get\",le=\"+Inf\"} 3\n"
            "lyt_kv_seconds_sum{op=\"get\"} 16.625\n"
            "lyt_kv_seconds_count{op=\"get\"} 3\n"
            "# HELP lyt_empty_seconds Nothing observed.\n"
            "# TYPE lyt_empty_seconds histogram\n"
            "lyt_empty_seconds_bucket{le=\"1\"} 0\n"
            "lyt_empty_seconds_bucket{le=\"+Inf\"} 0\n"
            "lyt_empty_seconds_sum 0\n"
            "lyt_empty_seconds_count 0\n"
            "# HELP lyt_memory_bytes Memory by component.\n"
            "# TYPE lyt_memory_bytes gauge\n"
            "lyt_memory_bytes{component=\"buffers\"} 1048576\n"
            "lyt_memory_bytes{component=\"kv\"} 0.25\n"
            "# HELP lyt_wal_bytes WAL size.\n"
            "# TYPE lyt_wal_bytes gauge\n"
            "lyt_wal_bytes 4096\n");
}

TEST(MetricsTest, AFamilyWithoutChildrenHasOnlyItsHeader) {
  Registry registry;
  registry.AddCounterFamily("lyt_errors_total", "Errors.", {"code"});
  EXPECT_EQ(registry.Serialize(), "# HELP lyt_errors_total Errors.\n# TYPE lyt_errors_total counter\n");
}

TEST(MetricsTest, EscapesHelpAndLabelValues) {
  Registry registry;
  auto& family = registry.AddCounterFamily("x", "back\\slash \"quoted\"\nnext line", {"v"});
  family.With({"a\\b\"c\nd"}).Inc();
  EXPECT_EQ(registry.Serialize(),
            "# HELP x back\\\\slash \"quoted\"\\nnext line\n"
            "# TYPE x counter\n"
            "x{v=\"a\\\\b\\\"c\\nd\"} 1\n");
}

TEST(MetricsTest, WritesNumbersAsPrometheusDoes) {
  auto text = [](double v) {
    Registry registry;
    registry.AddGauge("g", "").Set(v);
    std::string out = registry.Serialize();
    return out.substr(out.rfind(' ') + 1, out.size() - out.rfind(' ') - 2);
  };
  EXPECT_EQ(text(0), "0");
  EXPECT_EQ(text(-3), "-3");
  EXPECT_EQ(text(1e6), "1000000");  // integers never with an exponent
  EXPECT_EQ(text(123456789012345.0), "123456789012345");
  EXPECT_EQ(text(1e18), "1000000000000000000");
  EXPECT_EQ(text(0.1), "0.1");  // shortest round-trip
  EXPECT_EQ(text(-2.5), "-2.5");
  EXPECT_EQ(text(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(text(1e-7), "1e-07");
  EXPECT_EQ(text(1e300), "1e+300");
  EXPECT_EQ(text(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(text(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(text(std::nan("")), "NaN");

  Registry registry;
  registry.AddCounter("c", "").Inc(std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(registry.Serialize(), "# HELP c \n# TYPE c counter\nc 18446744073709551615\n");
}

TEST(MetricsTest, BoundsAreInclusive) {
  Histogram h({1, 2, 4});
  for (double v : {0.0, 1.0, std::nextafter(1.0, 2.0), 2.0, 4.0, std::nextafter(4.0, 5.0), -1.0}) h.Observe(v);
  HistogramSnapshot s = h.Snapshot();
  EXPECT_EQ(s.bounds, (std::vector<double>{1, 2, 4}));
  // <=1: 0, 1, -1; <=2: + just above 1, 2; <=4: + 4; +Inf: + just above 4.
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{3, 5, 6, 7}));
  EXPECT_EQ(s.count, 7u);
}

TEST(MetricsTest, NaNCountsInTheInfBucket) {
  Histogram h({1});
  h.Observe(std::nan(""));
  HistogramSnapshot s = h.Snapshot();
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{0, 1}));
  EXPECT_TRUE(std::isnan(s.sum));
}

TEST(MetricsTest, GaugeSetsAndAdds) {
  Gauge g;
  g.Set(10);
  g.Add(-3);
  g.Add(0.5);
  EXPECT_EQ(g.Value(), 7.5);
}

TEST(MetricsTest, InvalidNamesAndUsesThrow) {
  Registry registry;
  for (const char* name : {"", "1abc", "a-b", "a b", "é"}) {
    EXPECT_THROW(registry.AddCounter(name, ""), std::invalid_argument) << name;
  }
  EXPECT_NO_THROW(registry.AddCounter("_a:b_1", ""));
  EXPECT_THROW(registry.AddCounter("_a:b_1", ""), std::invalid_argument);  // taken
  for (const char* label : {"", "__reserved", "a:b", "9a", "a.b"}) {
    EXPECT_THROW(registry.AddGaugeFamily("g", "", {label}), std::invalid_argument) << label;
  }
  EXPECT_THROW(registry.AddGaugeFamily("g", "", {"a", "a"}), std::invalid_argument);
  EXPECT_THROW(registry.AddHistogramFamily("h", "", {"le"}, {1}), std::invalid_argument);
  EXPECT_THROW(registry.AddHistogram("h", "", {2, 1}), std::invalid_argument);
  EXPECT_THROW(registry.AddHistogram("h", "", {1, 1}), std::invalid_argument);
  EXPECT_THROW(registry.AddHistogram("h", "", {1, std::numeric_limits<double>::infinity()}), std::invalid_argument);
  EXPECT_THROW(registry.AddHistogram("h", "", {std::nan("")}), std::invalid_argument);
  EXPECT_THROW(registry.AddCollector("c", "", Type::kHistogram, {}, [](Emitter&) {}), std::invalid_argument);

  // None of the failed registrations took a name.
  auto& family = registry.AddGaugeFamily("g", "", {"a", "b"});
  EXPECT_NO_THROW(registry.AddHistogram("h", "", {}));
  EXPECT_THROW(family.With({"only one"}), std::invalid_argument);
  EXPECT_THROW(family.With({"1", "2", "3"}), std::invalid_argument);

  Registry with_collector;
  with_collector.AddCollector("c", "", Type::kGauge, {"a"}, [](Emitter& emit) { emit.Sample({}, 1); });
  EXPECT_THROW(with_collector.Serialize(), std::invalid_argument);
}

// 4 threads × 100k updates through references looked up concurrently, while another thread scrapes.
TEST(MetricsTest, ConcurrentUpdatesGiveExactTotals) {
  constexpr int kThreads = 4;
  constexpr int kIterations = 100000;
  Registry registry;
  auto& counters = registry.AddCounterFamily("ops_total", "", {"kind"});
  Gauge& gauge = registry.AddGauge("level", "");
  Histogram& histogram = registry.AddHistogram("sizes", "", {0.5, 1, 2});
  std::atomic<bool> done{false};
  std::thread scraper([&] {
    do {
      ASSERT_FALSE(registry.Serialize().empty());
    } while (!done.load());
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      Counter& counter = counters.With({"shared"});
      for (int i = 0; i < kIterations; ++i) {
        counter.Inc();
        gauge.Add(1);
        histogram.Observe(static_cast<double>(1 << (i % 4)) / 2);  // 0.5, 1, 2, 4: sums stay exact
      }
    });
  }
  for (auto& thread : threads) thread.join();
  done = true;
  scraper.join();

  constexpr uint64_t kTotal = uint64_t{kThreads} * kIterations;
  EXPECT_EQ(counters.With({"shared"}).Value(), kTotal);
  EXPECT_EQ(gauge.Value(), static_cast<double>(kTotal));
  HistogramSnapshot s = histogram.Snapshot();
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{kTotal / 4, kTotal / 2, kTotal * 3 / 4, kTotal}));
  EXPECT_EQ(s.count, kTotal);
  EXPECT_EQ(s.sum, (0.5 + 1 + 2 + 4) * static_cast<double>(kTotal) / 4);
  EXPECT_NE(registry.Serialize().find("ops_total{kind=\"shared\"} 400000\n"), std::string::npos);
}

}  // namespace
}  // namespace lyt::metrics
