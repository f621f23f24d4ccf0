// The timing rules of the workload (queries.sql header), for peers driven from JavaScript.
// runner/timing.cc applies the same rules inside lyt_bench.
import { performance } from 'node:perf_hooks';
import { ResultCollector } from './results.mjs';

// Touches every cell so no value goes unread; used for timed runs.
export class ConsumingVisitor {
  fold = 0;
  row(cells) {
    for (const cell of cells) this.fold += cell === null ? 1 : 0;
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// runStatement(sql, visitor) -> Promise<{rows}> runs one statement and passes every row to
// visitor.row(cells); it throws on an engine error.
async function timeOnce(runStatement, sql, visitor) {
  const start = performance.now();
  const { rows } = await runStatement(sql, visitor);
  return { ms: performance.now() - start, rows };
}

async function timeQuery(runStatement, step, rules) {
  const result = new ResultCollector();
  const warmUp = await runStatement(step.sql, result);
  const times = [];
  let total = 0;
  const sink = new ConsumingVisitor();
  while (times.length < rules.minRuns || total < rules.minTotalMs) {
    const { ms } = await timeOnce(runStatement, step.sql, sink);
    times.push(ms);
    total += ms;
  }
  const kept = result.truncated ? { result_truncated: true } : { result: result.rows };
  return { median_ms: median(times), runs: times.length, rows: warmUp.rows, ...kept };
}

// Runs one step by its kind; returns the fields of its record (an error field on failure).
export async function runStep(runStatement, step, rules) {
  try {
    if (step.kind === 'query') return await timeQuery(runStatement, step, rules);
    const { ms, rows } = await timeOnce(runStatement, step.sql, new ConsumingVisitor());
    return step.kind === 'setup' ? { median_ms: ms, runs: 1, rows } : { runs: 1, rows };
  } catch (error) {
    return { error: error.message };
  }
}

// Times fn() once; returns {median_ms, runs, ...what fn returned} or {error}.
export async function timeAction(fn) {
  try {
    const start = performance.now();
    const extra = await fn();
    return { median_ms: performance.now() - start, runs: 1, rows: 0, ...extra };
  } catch (error) {
    return { error: error.message };
  }
}
