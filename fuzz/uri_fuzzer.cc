// libFuzzer target: arbitrary bytes as a connection URI (include/lyt/uri.h). Parsing must never
// crash; whatever parses must print back (FormatConnectionUri) to a URI that parses again to an
// equal value and is no longer than the input. Any other outcome aborts.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lyt/uri.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  lyt::ConnectionUri uri;
  if (!lyt::ParseConnectionUri(text, &uri).ok()) return 0;
  std::string formatted = lyt::FormatConnectionUri(uri, true);
  lyt::ConnectionUri again;
  if (!lyt::ParseConnectionUri(formatted, &again).ok() || !(again == uri) || formatted.size() > text.size()) abort();
  (void)lyt::FormatConnectionUri(uri, false);
  return 0;
}
