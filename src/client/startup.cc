#include "client/startup.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "auth/scram.h"
#include "common/error.h"
#include "protocol/messages.h"

namespace lyt::client {

namespace {

using protocol::MessageType;

Status Violation(const std::string& what) { return Status::Error(sqlstate::kProtocolViolation, what); }

// Sends `type` with `payload` and reads the answer, which must be `expected` (its payload goes
// to *answer) or ERROR (returned as the server's status, with *rejected set).
Status Exchange(Channel& channel, uint32_t id, MessageType type, std::string_view payload, MessageType expected,
                Deadline deadline, std::string* answer, bool* rejected) {
  Status s = channel.Send(static_cast<uint8_t>(type), id, payload, deadline);
  protocol::Frame frame;
  if (s.ok()) s = channel.Receive(&frame, deadline);
  if (!s.ok()) return s;
  try {
    if (frame.type == static_cast<uint8_t>(MessageType::Error)) {
      *rejected = true;
      return protocol::DecodePayload<protocol::ErrorMessage>(frame.payload).ToStatus();
    }
  } catch (const Error& e) {
    return Violation(e.what());
  }
  if (frame.type != static_cast<uint8_t>(expected)) {
    return Violation(std::string("expected ") + protocol::MessageName(static_cast<uint8_t>(expected)) + " in answer to " +
                     protocol::MessageName(static_cast<uint8_t>(type)) + ", received " + protocol::MessageName(frame.type));
  }
  if (frame.request_id != id) {
    return Violation(std::string(protocol::MessageName(frame.type)) + " carries request id " +
                     std::to_string(frame.request_id) + " instead of " + std::to_string(id));
  }
  *answer = std::move(frame.payload);
  return Status::OK();
}

protocol::HelloMessage MakeHello(const StartupRequest& request) {
  protocol::HelloMessage hello;
  hello.params.emplace_back("user", request.user);
  if (!request.database.empty()) hello.params.emplace_back("database", request.database);
  if (!request.application_name.empty()) hello.params.emplace_back("application_name", request.application_name);
  hello.params.emplace_back("client", request.client_name);
  return hello;
}

Status CheckHelloOk(const protocol::HelloOkMessage& ok) {
  if (ok.major != protocol::kProtocolMajor) {
    return Violation("server speaks protocol version " + std::to_string(ok.major) + "." + std::to_string(ok.minor) +
                     "; this client speaks " + std::to_string(protocol::kProtocolMajor));
  }
  if (ok.auth_method != "SCRAM-SHA-256") {
    return Violation("server asks for authentication method \"" + ok.auth_method.substr(0, 64) +
                     "\"; this client supports SCRAM-SHA-256");
  }
  return Status::OK();
}

// The exchange itself; protocol decoding errors are thrown as lyt::Error (08P01).
Status Run(Channel& channel, const StartupRequest& request, Deadline deadline, StartupResult* result) {
  std::string answer;
  uint32_t id = 1;
  Status s = Exchange(channel, id++, MessageType::Hello, protocol::EncodePayload(MakeHello(request)),
                      MessageType::HelloOk, deadline, &answer, &result->rejected);
  if (!s.ok()) return s;
  auto hello_ok = protocol::DecodePayload<protocol::HelloOkMessage>(answer);
  s = CheckHelloOk(hello_ok);
  if (!s.ok()) return s;
  result->server_version = hello_ok.server_version;

  auth::ScramClient scram(request.password);
  s = Exchange(channel, id++, MessageType::AuthScramFirst,
               protocol::EncodePayload(protocol::ScramFirstMessage{scram.ClientFirst()}),
               MessageType::AuthScramChallenge, deadline, &answer, &result->rejected);
  if (!s.ok()) return s;
  std::string client_final;
  s = scram.HandleServerFirst(protocol::DecodePayload<protocol::ScramChallengeMessage>(answer).text, &client_final);
  if (!s.ok()) return s;
  s = Exchange(channel, id++, MessageType::AuthScramFinal,
               protocol::EncodePayload(protocol::ScramFinalMessage{client_final}), MessageType::AuthOk, deadline,
               &answer, &result->rejected);
  if (!s.ok()) return s;
  auto auth_ok = protocol::DecodePayload<protocol::AuthOkMessage>(answer);
  s = scram.HandleServerFinal(auth_ok.server_final);
  if (!s.ok()) {
    result->rejected = true;
    return s;
  }
  result->session_id = auth_ok.session_id;
  result->cancel_key = auth_ok.cancel_key;
  result->database = auth_ok.database;
  return Status::OK();
}

}  // namespace

Status RunStartup(Channel& channel, const StartupRequest& request, Deadline deadline, StartupResult* result) {
  try {
    return Run(channel, request, deadline, result);
  } catch (const Error& e) {
    return Status::Error(e.sqlstate(), e.what());
  }
}

std::string LoginName() {
  passwd entry{};
  passwd* found = nullptr;
  char buffer[4096];
  if (getpwuid_r(geteuid(), &entry, buffer, sizeof(buffer), &found) == 0 && found != nullptr && found->pw_name) {
    return found->pw_name;
  }
  const char* user = std::getenv("USER");
  return user ? user : "";
}

}  // namespace lyt::client
