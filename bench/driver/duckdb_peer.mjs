// DuckDB as a benchmark peer, in this process through @duckdb/node-api: an in-memory database
// with a fixed thread count, loaded with COPY from the same CSV files.
import { resolve } from 'node:path';
import { runStep, timeAction } from './timing.mjs';

const TABLES = ['events', 'users'];

function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

// Runs sql (materialized, as duckdb_query does) and reads every cell of every chunk.
async function runStatement(connection, sql, visitor) {
  const result = await connection.run(sql);
  let rows = 0;
  for (let i = 0; i < result.chunkCount; i++) {
    const chunk = result.getChunk(i);
    const columns = [];
    for (let c = 0; c < chunk.columnCount; c++) columns.push(chunk.getColumnValues(c));
    for (let r = 0; r < chunk.rowCount; r++) visitor.row(columns.map((column) => column[r]));
    rows += chunk.rowCount;
  }
  return { rows };
}

async function load(connection, table, dataDir) {
  const path = resolve(dataDir, `${table}.csv`);
  const result = await connection.run(`COPY ${table} FROM ${sqlString(path)} (FORMAT csv, HEADER true)`);
  return { rows: result.rowsChanged };
}

// Loaded on first use, so runs without DuckDB work before `npm ci --prefix bench`.
async function loadDuckdb() {
  try {
    return await import('@duckdb/node-api');
  } catch (error) {
    throw new Error(`cannot load @duckdb/node-api (run: npm ci --prefix bench): ${error.message}`);
  }
}

// Runs the whole workload on one fresh DuckDB instance; calls emit(record) for each step, in
// the order and shape lyt_bench prints them.
export async function runDuckdb({ engine, threads, dataDir, schemaSql, steps, rules, emit }) {
  const { DuckDBInstance, version } = await loadDuckdb();
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  const record = (name, kind, fields) => emit({ engine, name, kind, ...fields });
  try {
    record('version', 'meta', { version: `DuckDB ${version()} (threads=${threads})` });
    record('create_schema', 'schema', await timeAction(async () => {
      await connection.run(schemaSql);
    }));
    for (const table of TABLES) {
      record(`load_${table}`, 'load', await timeAction(() => load(connection, table, dataDir)));
    }
    const run = (sql, visitor) => runStatement(connection, sql, visitor);
    for (const step of steps) record(step.name, step.kind, await runStep(run, step, rules));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
