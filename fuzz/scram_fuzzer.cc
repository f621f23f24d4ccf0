// libFuzzer target: arbitrary bytes as SCRAM-SHA-256 messages (src/auth/scram.h). The input is
// split at its first '\n' into two messages, fed to a server as client-first and client-final and
// to a client as server-first and server-final (set up with RFC 7677's nonces and password, so
// the seeds in tests/fuzz/scram reach the successful paths too). Nothing may crash; whatever
// base64 or verifier text parses must print back to exactly the input (both are canonical).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "auth/base64.h"
#include "auth/scram.h"

namespace {

using lyt::auth::ScramClient;
using lyt::auth::ScramServer;
using lyt::auth::ScramVerifier;

const ScramVerifier& RfcVerifier() {
  static const ScramVerifier verifier = [] {
    ScramVerifier v;
    if (!ScramVerifier::FromPassword("pencil", *lyt::auth::Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096, &v).ok()) {
      abort();
    }
    return v;
  }();
  return verifier;
}

void RunServer(std::string_view first, std::string_view final_message) {
  ScramServer server("user", RfcVerifier(), "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
  std::string server_first, server_final;
  if (server.HandleClientFirst(first, &server_first).ok()) (void)server.HandleClientFinal(final_message, &server_final);
}

void RunClient(std::string_view first, std::string_view final_message) {
  // Every accepted iteration count costs PBKDF2 work; keep the fuzzer fast at the minimum.
  if (first.find(",i=") != std::string_view::npos && !first.ends_with(",i=4096")) return;
  ScramClient client("pencil", "user", "rOprNGfwEbeRWgbNEkqO");
  client.ClientFirst();
  std::string client_final;
  if (client.HandleServerFirst(first, &client_final).ok()) (void)client.HandleServerFinal(final_message);
}

void CheckCanonical(std::string_view text) {
  if (auto bytes = lyt::auth::Base64Decode(text); bytes && lyt::auth::Base64Encode(*bytes) != text) abort();
  if (auto verifier = ScramVerifier::Parse(text); verifier && verifier->ToString() != text) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t newline = text.find('\n');
  std::string_view first = text.substr(0, newline);
  std::string_view final_message = newline == std::string_view::npos ? "" : text.substr(newline + 1);
  RunServer(first, final_message);
  RunClient(first, final_message);
  CheckCanonical(text);
  return 0;
}
