// EXPLAIN's plan text: one line per operator, `NAME [details] (rows=N)`, children indented two
// spaces per level; EXPLAIN ANALYZE runs the plan with every operator measured and adds
// `(actual rows=N loops=L time=X.XXX ms)` per operator and a closing `Execution Time` line.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/physical_operator.h"

namespace lyt {

struct ExplainOptions {
  bool costs = true;    // show each operator's estimated rows
  bool timing = true;   // ANALYZE: show each operator's inclusive wall time
  bool summary = true;  // ANALYZE: end with "Execution Time: X.XXX ms"
};

// The plan text of `root`, a line per operator. The logical plan `root` was built from
// (PlanPhysical) must still live: the estimates come from it.
std::vector<std::string> ExplainPlan(const PhysicalOperator& root, const ExplainOptions& options);

// Runs `root` to the end (its rows are dropped) with every operator wrapped in a measuring one,
// then returns its plan text (as ExplainPlan) with each operator's actual rows (in total over all
// its loops), loops (Open calls) and inclusive time. Errors of the query propagate. Subqueries
// inside expressions run unmeasured; their time counts to the operator evaluating them.
std::vector<std::string> ExplainAnalyze(std::unique_ptr<PhysicalOperator> root, ExecContext& ctx,
                                        const ExplainOptions& options);

}  // namespace lyt
