// Connection::Connect: the URI's hosts tried in turn, each opened, secured and authenticated.
#include "client/cancel_target.h"
#include "client/channel.h"
#include "client/startup.h"
#include "lyt/client.h"
#include "protocol/messages.h"

namespace lyt::client {

namespace {

// A failed attempt as the caller sees it: a passed deadline means the host did not answer in time.
Status AttemptError(const Status& s) {
  return IsTimeout(s) ? Status::Error(kUnableToConnect, "timeout expired") : s;
}

Status AllHostsFailed(const ConnectionUri& uri, const std::vector<Status>& failures) {
  auto describe = [&](size_t i) { return "\"" + FormatAddress(uri.hosts[i]) + "\": " + failures[i].message(); };
  if (failures.size() == 1) {
    return Status::Error(failures[0].sqlstate(), "could not connect to server " + describe(0));
  }
  std::string message = "could not connect to any of " + std::to_string(failures.size()) + " hosts: ";
  for (size_t i = 0; i < failures.size(); ++i) message += (i ? "; " : "") + describe(i);
  return Status::Error(kUnableToConnect, message);
}

}  // namespace

Connection::Connection() = default;

Connection::~Connection() {
  if (channel_ && broken_.ok()) {
    // Best effort: the server ends the session either way when the socket closes.
    (void)channel_->Send(static_cast<uint8_t>(protocol::MessageType::Terminate), next_id_, {},
                         DeadlineAfter(std::chrono::seconds(1)));
  }
}

Status Connection::Connect(std::string_view uri_text, std::unique_ptr<Connection>* out, const ConnectOptions& options) {
  ConnectionUri uri;
  Status s = ParseConnectionUri(uri_text, &uri);
  if (!s.ok()) return s;
  std::vector<Status> failures;
  for (size_t i = 0; i < uri.hosts.size(); ++i) {
    std::unique_ptr<Connection> conn(new Connection());
    bool rejected = false;
    s = conn->Start(uri, i, options, &rejected);
    if (s.ok()) {
      *out = std::move(conn);
      return s;
    }
    if (rejected) return s;
    failures.push_back(AttemptError(s));
  }
  return AllHostsFailed(uri, failures);
}

Status Connection::Start(const ConnectionUri& uri, size_t host, const ConnectOptions& options, bool* rejected) {
  options_ = options;
  const HostPort& address = uri.hosts[host];
  address_ = FormatAddress(address);
  auto timeout = options.connect_timeout.count() > 0
                     ? options.connect_timeout
                     : std::chrono::milliseconds(int64_t(uri.connect_timeout_seconds) * 1000);
  Deadline deadline = DeadlineAfter(timeout);
  TlsSettings tls{uri.tls, options.tls_ca_file, options.tls_cert_file, options.tls_key_file};
  Status s = Channel::Open(address, tls, options.max_frame_bytes, deadline, &channel_);
  if (!s.ok()) return s;

  StartupRequest request;
  request.user = !uri.user.empty() ? uri.user : !options.user.empty() ? options.user : LoginName();
  request.password = options.password ? *options.password : uri.password.value_or("");
  request.database = uri.database;
  request.application_name = uri.application_name;
  request.client_name = options.client_name;
  StartupResult started;
  s = RunStartup(*channel_, request, deadline, &started);
  *rejected = started.rejected;
  if (!s.ok()) return s;
  server_version_ = started.server_version;
  database_ = started.database;
  session_id_ = started.session_id;
  next_id_ = 4;  // after the startup's requests 1..3
  cancel_target_ = std::make_unique<CancelTarget>(
      CancelTarget{address, tls, timeout, started.session_id, started.cancel_key});
  return Status::OK();
}

}  // namespace lyt::client
