// Transport's TCP side: connect and I/O bounded by poll() deadlines. The socket connects
// non-blocking, then is switched to blocking mode, and every send and recv passes MSG_DONTWAIT —
// except a read without a deadline, which sleeps in recv itself: one system call per response
// instead of recv, poll and recv again.
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "client/transport.h"

namespace lyt::client {

Deadline DeadlineAfter(std::chrono::milliseconds timeout) {
  if (timeout.count() <= 0) return std::nullopt;
  return Clock::now() + timeout;
}

bool IsTimeout(const Status& status) { return status.sqlstate() == kTimedOutState; }

std::string FormatAddress(const HostPort& address) {
  bool ipv6 = address.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

namespace {

Status TimedOut() { return Status::Error(kTimedOutState, "timeout expired"); }

// Milliseconds poll() may wait: -1 forever, 0 when the deadline has passed.
int PollMillis(Deadline deadline) {
  if (!deadline) return -1;
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now()).count();
  if (left <= 0) return 0;
  return left > INT32_MAX ? INT32_MAX : static_cast<int>(left);
}

// Waits for `events` on `fd`: OK when ready (or in error: the next call reports it).
Status PollFd(int fd, short events, Deadline deadline) {
  pollfd p{fd, events, 0};
  for (;;) {
    int millis = PollMillis(deadline);
    int n = poll(&p, 1, millis);
    if (n > 0) return Status::OK();
    if (n == 0) return TimedOut();
    if (errno != EINTR) return Status::Error(kConnectionFailure, std::string("poll failed: ") + std::strerror(errno));
  }
}

// Connects `fd` (non-blocking) to `addr` before the deadline; the OS error text on failure.
Status ConnectFd(int fd, const addrinfo& addr, Deadline deadline) {
  if (connect(fd, addr.ai_addr, addr.ai_addrlen) == 0) return Status::OK();
  if (errno != EINPROGRESS && errno != EINTR) return Status::Error(kUnableToConnect, std::strerror(errno));
  Status waited = PollFd(fd, POLLOUT, deadline);
  if (!waited.ok()) return waited;
  int error = 0;
  socklen_t len = sizeof(error);
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0) error = errno;
  if (error != 0) return Status::Error(kUnableToConnect, std::strerror(error));
  return Status::OK();
}

int OpenSocket(const addrinfo& addr) {
  int fd = socket(addr.ai_family, addr.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, addr.ai_protocol);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

}  // namespace

Transport::~Transport() {
  CloseTls();
  if (fd_ >= 0) close(fd_);
}

Status Transport::Dial(const HostPort& address, Deadline deadline, std::unique_ptr<Transport>* out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  // getaddrinfo cannot be bounded by the deadline; the resolver's own timeouts apply.
  int rc = getaddrinfo(address.host.c_str(), std::to_string(address.port).c_str(), &hints, &list);
  if (rc != 0) return Status::Error(kUnableToConnect, std::string("could not resolve host: ") + gai_strerror(rc));
  Status last = Status::Error(kUnableToConnect, "no address");
  for (addrinfo* a = list; a != nullptr; a = a->ai_next) {
    int fd = OpenSocket(*a);
    if (fd < 0) {
      last = Status::Error(kUnableToConnect, std::strerror(errno));
      continue;
    }
    last = ConnectFd(fd, *a, deadline);
    if (last.ok() && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
      last = Status::Error(kUnableToConnect, std::strerror(errno));
    }
    if (last.ok()) {
      freeaddrinfo(list);
      out->reset(new Transport(fd));
      return Status::OK();
    }
    close(fd);
    if (IsTimeout(last)) break;
  }
  freeaddrinfo(list);
  return last;
}

Status Transport::Wait(short events, Deadline deadline) { return PollFd(fd_, events, deadline); }

Status Transport::Write(std::string_view bytes, Deadline deadline) {
  return ssl_ ? TlsWrite(bytes, deadline) : PlainWrite(bytes, deadline);
}

Status Transport::Read(std::string* out, Deadline deadline) {
  return ssl_ ? TlsRead(out, deadline) : PlainRead(out, deadline);
}

Status Transport::PlainWrite(std::string_view bytes, Deadline deadline) {
  while (!bytes.empty()) {
    // MSG_NOSIGNAL: a closed peer is an error value here, not a SIGPIPE for the whole process.
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      Status s = Wait(POLLOUT, deadline);
      if (!s.ok()) return s;
      continue;
    }
    return Status::Error(kConnectionFailure, std::string("could not send data to server: ") + std::strerror(errno));
  }
  return Status::OK();
}

Status Transport::PlainRead(std::string* out, Deadline deadline) {
  char buffer[16384];
  for (;;) {
    ssize_t n = recv(fd_, buffer, sizeof(buffer), deadline ? MSG_DONTWAIT : 0);
    if (n > 0) {
      out->append(buffer, static_cast<size_t>(n));
      return Status::OK();
    }
    if (n == 0 || (n < 0 && errno == ECONNRESET)) {
      return Status::Error(kConnectionFailure, "server closed the connection unexpectedly");
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return Status::Error(kConnectionFailure, std::string("could not receive data from server: ") + std::strerror(errno));
    }
    Status s = Wait(POLLIN, deadline);
    if (!s.ok()) return s;
  }
}

}  // namespace lyt::client
