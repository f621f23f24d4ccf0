// The connection-scale measurement: busy connections running point SELECTs, measured without and
// then with many idle logged-in connections open on the same server, plus the server's resident
// memory (VmRSS of its pid) before and after the idle connections were opened.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lyt/client.h"
#include "wire/timed_run.h"

namespace lyt::bench::wire {

// Opens `count` connections to `uri` one after another. Those that fail are counted in *failed
// (the first error in *first_error, if empty); the others are appended to *out.
void OpenConnections(const std::string& uri, int count, std::vector<std::unique_ptr<client::Connection>>* out,
                     int* failed, std::string* first_error);

// VmRSS of process `pid` in KiB, from /proc/PID/status; -1 when it cannot be read.
int64_t ResidentKiB(int pid);

struct ScaleSpec {
  std::string uri;
  int idle = 2000;
  int busy = 100;
  int server_pid = 0;  // 0: memory is not measured
  RunSpec run;         // its kind is PointSelect
};

struct ScaleStats {
  RunStats without_idle;
  RunStats with_idle;
  int busy_failed = 0;     // busy connections that could not be opened
  int idle_opened = 0;
  int idle_failed = 0;     // idle connections that could not be opened
  int idle_alive = 0;      // idle connections that answered a PING after the second run
  std::string first_error;  // of a failed connect or PING
  double open_idle_s = 0;   // time to open the idle connections
  int64_t rss_before_kib = -1;  // busy connections open, before the idle ones
  int64_t rss_after_kib = -1;   // right after the idle ones were opened
  int64_t rss_end_kib = -1;     // after the second run
};

ScaleStats RunConnectionScale(const ScaleSpec& spec);

}  // namespace lyt::bench::wire
