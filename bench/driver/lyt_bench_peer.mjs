// LytDB (embedded and over the wire) and SQLite as peers, through the lyt_bench process (runner/
// in this folder's parent). A crash or a hang of the engine must not cost the other queries: when
// lyt_bench dies or prints nothing for stepTimeoutS, the step it was on is reported as failed and
// lyt_bench is started again, skipping that step and the queries already measured.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { withServerDir } from './lytdb_dir.mjs';

const PRELUDE_KINDS = { create_schema: 'schema', load_events: 'load', load_users: 'load' };
const PRELUDE = Object.keys(PRELUDE_KINDS);

// Starts lyt_bench once, passing each record it prints to onRecord; resolves to {exit}: null
// after a clean run, else how it ended. stepTimeoutS 0 waits forever.
function runOnce(binary, args, stepTimeoutS, onRecord) {
  return new Promise((resolvePromise) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let timedOut = false;
    let timer;
    const arm = () => {
      clearTimeout(timer);
      if (stepTimeoutS === 0) return;
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, stepTimeoutS * 1000);
    };
    arm();
    createInterface({ input: child.stdout }).on('line', (line) => {
      arm();
      try {
        onRecord(JSON.parse(line));
      } catch {
        process.stderr.write(`lyt_bench: ${line}\n`);
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolvePromise({ exit: `could not start ${binary} (bench/run.sh builds it): ${error.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let exit = null;
      if (timedOut) exit = `no result within ${stepTimeoutS} s (killed)`;
      else if (signal) exit = `lyt_bench died (${signal})`;
      else if (code !== 0) exit = `lyt_bench exited with status ${code}`;
      resolvePromise({ exit });
    });
  });
}

// Runs the workload on `engine` ("lytdb", "lytwire" or "sqlite") and emits one record per step.
// timeoutS > 0 stops each query after that many seconds (SQLite only). For "lytwire", lytdb is
// the server binary; each start of lyt_bench gets a fresh directory for the server, removed once
// lyt_bench and its server are gone.
export async function runLytBench({ engine, binary, lytdb, dataDir, queriesPaths, schemaPath, steps, rules,
                                    stepTimeoutS, timeoutS, emit }) {
  const baseArgs = ['--engine', engine, '--data', dataDir, ...queriesPaths.flatMap((p) => ['--queries', p]),
                    '--schema', schemaPath, '--reps', String(rules.minRuns),
                    '--min-ms', String(rules.minTotalMs), '--json'];
  if (timeoutS > 0) baseArgs.push('--timeout', String(timeoutS));
  if (engine === 'lytwire') baseArgs.push('--lytdb', lytdb);
  const seen = new Map();  // name -> record; the first record of a name wins
  const skip = new Set();
  const order = [...PRELUDE, ...steps.map((s) => s.name)];
  const kindOf = (name) => PRELUDE_KINDS[name] ?? steps.find((s) => s.name === name).kind;
  const emitOnce = (record) => {
    if (seen.has(record.name)) return;
    seen.set(record.name, record);
    emit(record);
  };
  for (let attempt = 0; attempt <= steps.length; attempt++) {
    const args = skip.size > 0 ? [...baseArgs, '--skip', [...skip].join(',')] : baseArgs;
    const { exit } = engine === 'lytwire'
      ? await withServerDir((dir) => runOnce(binary, [...args, '--lytdb-dir', dir], stepTimeoutS, emitOnce))
      : await runOnce(binary, args, stepTimeoutS, emitOnce);
    if (!exit) return;
    const lost = order.find((name) => !seen.has(name) && !skip.has(name));
    if (lost === undefined) return;
    emitOnce({ engine, name: lost, kind: kindOf(lost), error: exit });
    if (lost in PRELUDE_KINDS) {
      for (const name of order) emitOnce({ engine, name, kind: kindOf(name), error: `not run: ${lost} failed` });
      return;
    }
    skip.add(lost);
    for (const step of steps) if (step.kind === 'query' && seen.has(step.name)) skip.add(step.name);
  }
}
