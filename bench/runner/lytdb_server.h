// A `lytdb` server process for the wire engine: started on a free loopback port with a data
// directory of its own, stopped (SIGTERM, then SIGKILL) when the object goes away.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lyt::bench {

class LytdbServer {
 public:
  // Starts `binary` with server defaults except --data-dir WORK/data, --listen 127.0.0.1:0,
  // `extra_args` and a generated admin password (LYT_ADMIN_PASSWORD; other LYT_* variables of the environment are
  // not passed on, so the settings are the defaults), its output going to WORK/lytdb.out, and
  // waits until it listens. `work_dir` empty: a fresh /tmp/lyt-bench-wire-XXXXXX that the
  // destructor removes; otherwise an existing directory the caller removes. The server gets
  // SIGTERM if this process dies first (PR_SET_PDEATHSIG), so a killed lyt_bench leaves no server
  // behind. On failure returns nullptr and sets *error (with the server's last output).
  static std::unique_ptr<LytdbServer> Start(const std::string& binary, const std::string& work_dir,
                                            const std::vector<std::string>& extra_args, std::string* error);
  ~LytdbServer();
  LytdbServer(const LytdbServer&) = delete;
  LytdbServer& operator=(const LytdbServer&) = delete;

  // lyt://admin:...@127.0.0.1:PORT/main without TLS.
  std::string AdminUri() const;

 private:
  LytdbServer() = default;
  // SIGTERM and a wait for the exit; SIGKILL when it takes longer than the server's shutdown
  // grace. Complains on stderr when the server did not exit cleanly.
  void Stop();
  std::string OutputTail() const;

  int pid_ = -1;
  uint16_t port_ = 0;
  std::string password_;
  std::string work_dir_;
  bool own_work_dir_ = false;
};

// The lytdb binary built next to this one: <dir of /proc/self/exe>/../tools/lytdb.
std::string DefaultLytdbBinary();

}  // namespace lyt::bench
