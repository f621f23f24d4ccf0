// Feeds a QueryResult to a ResultWriter: rows through Begin/Row/End, commands through Command.
#pragma once

#include "lyt/database.h"
#include "output_format.h"

namespace lyt::shell {

// Writes `result` (which must be ok) from its first batch on. Cell texts are Value::ToString's
// form; integers, booleans and strings are read with the batch's typed getters, without a Value.
void PrintResult(QueryResult& result, ResultWriter& writer);

}  // namespace lyt::shell
