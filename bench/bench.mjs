#!/usr/bin/env node
// The benchmark driver: runs the shared analytics workload (../shared/bench) and LytDB's joins
// and subqueries workload (queries_joins.sql) on LytDB (embedded, and over the wire through a
// lytdb server), SQLite (all through lyt_bench) and DuckDB with 1 and 2 threads (in this
// process), one engine after the other, then prints the comparison and writes it to
// bench/results/latest.md. See README.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureData } from './driver/data.mjs';
import { runDuckdb } from './driver/duckdb_peer.mjs';
import { runLytBench } from './driver/lyt_bench_peer.mjs';
import { cpuSnapshot, describeMachine, foreignCpuShare } from './driver/machine.mjs';
import { buildReport, ENGINES, formatMs } from './driver/report.mjs';
import { readWorkload } from './driver/workload.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(BENCH_DIR, '..');
const SHARED = resolve(REPO_ROOT, '../shared/bench');
const TABLES = ['events', 'users'];
// Workload files, each with its own table in the report.
const WORKLOADS = {
  shared: { path: join(SHARED, 'queries.sql'), title: 'Queries' },
  joins: { path: join(BENCH_DIR, 'queries_joins.sql'), title: 'Joins and subqueries' },
  points: { path: join(BENCH_DIR, 'queries_points.sql'), title: 'Point queries' },
};

const USAGE = `usage: node bench/bench.mjs [options]
  --rows N          events rows to generate when the data directory lacks data (default 1000000)
  --data DIR        data directory (default /tmp/lyt-bench-data/<rows>)
  --reps N          timed runs per query, at least (default 5)
  --min-ms M        keep running a query until its timed runs total M ms (default 500)
  --engines LIST    comma-separated subset of ${Object.keys(ENGINES).join(',')} (default: all)
  --lyt-bench PATH  the lyt_bench binary (default build/release/bench/lyt_bench)
  --lytdb PATH      the lytdb server binary for the lytwire engine (default
                    build/release/tools/lytdb)
  --step-timeout S  give up on a lyt_bench step after S seconds without output (default 900;
                    0: never)
  --workloads LIST  comma-separated subset of ${Object.keys(WORKLOADS).join(',')} (default: all)
  --sqlite-timeout S  stop a SQLite query after S seconds and report it as a timeout (default
                    60; 0: never). Correlated subqueries can take SQLite hours.
`;

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string', default: '1000000' },
      data: { type: 'string' },
      reps: { type: 'string', default: '5' },
      'min-ms': { type: 'string', default: '500' },
      engines: { type: 'string', default: Object.keys(ENGINES).join(',') },
      'lyt-bench': { type: 'string', default: join(REPO_ROOT, 'build/release/bench/lyt_bench') },
      lytdb: { type: 'string', default: join(REPO_ROOT, 'build/release/tools/lytdb') },
      'step-timeout': { type: 'string', default: '900' },
      workloads: { type: 'string', default: Object.keys(WORKLOADS).join(',') },
      'sqlite-timeout': { type: 'string', default: '60' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const count = (flag) => {
    const n = Number(values[flag]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} needs a count, got '${values[flag]}'`);
    return n;
  };
  const engines = values.engines.split(',').filter(Boolean);
  const unknown = engines.filter((e) => !(e in ENGINES));
  if (unknown.length > 0) throw new Error(`unknown engine(s): ${unknown.join(', ')}`);
  const rows = count('rows');
  const workloads = values.workloads.split(',').filter(Boolean);
  const unknownWorkloads = workloads.filter((w) => !(w in WORKLOADS));
  if (unknownWorkloads.length > 0) throw new Error(`unknown workload(s): ${unknownWorkloads.join(', ')}`);
  return {
    rows,
    dataDir: resolve(values.data ?? `/tmp/lyt-bench-data/${rows}`),
    rules: { minRuns: Math.max(1, count('reps')), minTotalMs: count('min-ms') },
    engines: Object.keys(ENGINES).filter((e) => engines.includes(e)),  // report order
    lytBench: resolve(values['lyt-bench']),
    lytdb: resolve(values.lytdb),
    stepTimeoutS: count('step-timeout'),
    sqliteTimeoutS: count('sqlite-timeout'),
    workloads: Object.keys(WORKLOADS).filter((w) => workloads.includes(w)),
  };
}

function logRecord(record) {
  if (record.kind === 'meta') return;
  const time = record.median_ms === undefined ? 'done' : `${formatMs(record.median_ms)} ms`;
  const detail = record.error ? `ERROR ${record.error}` : `${time} (runs ${record.runs}, rows ${record.rows})`;
  process.stderr.write(`[${record.engine}] ${record.name}: ${detail}\n`);
}

async function runEngine(engine, options, workload, emit) {
  const common = { dataDir: options.dataDir, steps: workload.steps, rules: options.rules, emit };
  if (engine === 'lytdb' || engine === 'lytwire' || engine === 'sqlite') {
    await runLytBench({ ...common, engine, binary: options.lytBench, lytdb: options.lytdb,
                        queriesPaths: workload.queriesPaths,
                        schemaPath: workload.schemaPath, stepTimeoutS: options.stepTimeoutS,
                        timeoutS: engine === 'sqlite' ? options.sqliteTimeoutS : 0 });
  } else {
    const threads = engine === 'duckdb1' ? 1 : 2;
    await runDuckdb({ ...common, engine, threads, schemaSql: workload.schemaSql });
  }
}

// After an engine broke off: an error record for each of its steps that has none yet.
function failUnreported(engine, message, steps, records, emit) {
  const done = new Set(records.filter((r) => r.engine === engine).map((r) => r.name));
  const all = [{ name: 'create_schema', kind: 'schema' },
               ...TABLES.map((t) => ({ name: `load_${t}`, kind: 'load' })), ...steps];
  for (const step of all.filter((s) => !done.has(s.name))) {
    emit({ engine, name: step.name, kind: step.kind, error: message });
  }
}

function writeResults(markdown, records) {
  const dir = join(BENCH_DIR, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.md'), markdown);
  writeFileSync(join(dir, 'latest.json'), `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
  return join(dir, 'latest.md');
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const manifest = ensureData({ dir: options.dataDir, rows: options.rows, generator: join(SHARED, 'gen_data.py') });
  // Steps of every workload, each tagged with its section; resets first, as lyt_bench runs them.
  const steps = options.workloads.flatMap((w) => readWorkload(WORKLOADS[w].path).map((s) => ({ ...s, section: w })));
  const workload = {
    queriesPaths: options.workloads.map((w) => WORKLOADS[w].path),
    schemaPath: join(SHARED, 'schema.sql'),
    schemaSql: readFileSync(join(SHARED, 'schema.sql'), 'utf8'),
    steps: [...steps.filter((s) => s.kind === 'reset'), ...steps.filter((s) => s.kind !== 'reset')],
  };
  const cpuBefore = cpuSnapshot();
  const records = [];
  const emit = (record) => {
    records.push(record);
    logRecord(record);
  };
  for (const engine of options.engines) {
    try {
      await runEngine(engine, options, workload, emit);
    } catch (error) {
      failUnreported(engine, error.message, workload.steps, records, emit);
    }
  }

  const markdown = buildReport({
    machine: { ...describeMachine(REPO_ROOT), foreignCpu: foreignCpuShare(cpuBefore, cpuSnapshot()) },
    settings: { rows: manifest.events_rows, eventsSha256: manifest.files?.['events.csv']?.sha256,
                dataDir: options.dataDir, reps: options.rules.minRuns,
                minMs: options.rules.minTotalMs, engines: options.engines,
                sqliteTimeoutS: options.sqliteTimeoutS },
    sections: options.workloads.map((w) => ({ title: WORKLOADS[w].title,
                                             steps: workload.steps.filter((s) => s.section === w) })),
    tables: TABLES,
    records,
  });
  process.stdout.write(`\n${markdown}`);
  process.stderr.write(`bench: wrote ${writeResults(markdown, records)}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exit(1);
});
