// libFuzzer target: arbitrary bytes as SQL text. The parser must either build statements or throw
// lyt::Error; the statement splitter must never crash either. Any other outcome is a bug.
#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "lyt/database.h"
#include "sql/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  try {
    auto statements = lyt::ParseSql(sql);
    (void)statements;
  } catch (const lyt::Error&) {
  }
  auto parts = lyt::SplitStatements(sql);
  (void)parts;
  (void)lyt::IsCompleteStatement(sql);
  return 0;
}
