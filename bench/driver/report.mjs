// Turns the records of every engine into the Markdown report: one table of queries, one of
// loads, notes on errors and differing results, and the machine and date the numbers belong to.
import { describeDifference } from './results.mjs';

export const ENGINES = {
  lytdb: 'LytDB',
  lytwire: 'LytDB wire',
  sqlite: 'SQLite',
  duckdb1: 'DuckDB t=1',
  duckdb2: 'DuckDB t=2',
};
// Each gets a ratio against each peer; the value is its name in the ratio columns' headers.
const RATIO_SUBJECTS = { lytdb: 'LytDB', lytwire: 'wire' };
const RATIO_PEERS = ['sqlite', 'duckdb2'];
// Queries left out of the geometric mean: they time the client's round trip (C++ call vs node
// binding), not the engine, and would swamp the mean.
const ROUND_TRIP_QUERIES = new Set(['q00_select1']);

export function formatMs(ms) {
  if (ms >= 100) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toPrecision(3);
}

// ratio = peer ms / LytDB ms (embedded or wire), so > 1 means LytDB was faster.
export function formatRatio(peerMs, lytdbMs) {
  if (!(peerMs > 0) || !(lytdbMs > 0)) return '—';
  const ratio = peerMs / lytdbMs;
  if (ratio >= 1) return `${ratio >= 100 ? ratio.toFixed(0) : ratio.toFixed(1)}x faster`;
  return `${ratio.toPrecision(2)}x`;
}

function geometricMean(values) {
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

// Numbered notes below the tables: errors and result differences.
class Notes {
  list = [];
  // Returns "[n]", the reference to the new note.
  add(text) {
    this.list.push(text.length > 300 ? `${text.slice(0, 300)}…` : text);
    return `[${this.list.length}]`;
  }
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

// Groups engines whose results agree; the first group holds the first engine.
function agreeingGroups(records) {
  const groups = [];
  for (const r of records) {
    const group = groups.find((g) => describeDifference(g[0].result, r.result) === null);
    if (group) group.push(r);
    else groups.push([r]);
  }
  return groups;
}

class ReportBuilder {
  constructor(engines, byEngine) {
    this.engines = engines;
    this.byEngine = byEngine;  // engine -> name -> record
    this.notes = new Notes();
    // Ratio columns, {subject, peer}: LytDB (then LytDB wire) against each peer that ran.
    const peers = RATIO_PEERS.filter((p) => engines.includes(p));
    this.ratioColumns = Object.keys(RATIO_SUBJECTS).filter((s) => engines.includes(s))
      .flatMap((subject) => peers.map((peer) => ({ subject, peer })));
  }

  record(engine, name) {
    return this.byEngine.get(engine)?.get(name);
  }

  timeCell(engine, name) {
    const r = this.record(engine, name);
    if (!r) return '—';
    if (r.error?.startsWith('timeout:')) return `timeout (${r.error.replace(/^timeout: stopped after /, '> ')})`;
    if (r.error) return `error ${this.notes.add(`${ENGINES[engine]} ${name}: ${r.error}`)}`;
    return r.median_ms === undefined ? '—' : formatMs(r.median_ms);
  }

  // "same", "differs: LytDB [n]" (the engines outside the largest agreeing group, each with a
  // note saying where), or "—" when fewer than two engines kept a result.
  resultCell(name) {
    const records = this.engines.map((e) => this.record(e, name)).filter((r) => r?.result);
    if (records.length < 2) return '—';
    const groups = agreeingGroups(records).sort((a, b) => b.length - a.length);
    if (groups.length === 1) return 'same';
    const reference = groups[0].length > groups[1].length ? groups[0][0] : null;
    const odd = reference ? groups.slice(1).flat() : records;
    const base = reference ?? records[0];
    const cells = odd.filter((r) => r !== base).map((r) => {
      const where = describeDifference(r.result, base.result);
      return `${ENGINES[r.engine]} ${this.notes.add(`${name}: ${ENGINES[r.engine]} vs ${ENGINES[base.engine]}: ${where}`)}`;
    });
    return `differs: ${cells.join(', ')}`;
  }

  ratioCells(name) {
    return this.ratioColumns.map(({ subject, peer }) =>
      formatRatio(this.record(peer, name)?.median_ms, this.record(subject, name)?.median_ms));
  }

  rowsCell(name) {
    const r = this.engines.map((e) => this.record(e, name)).find((x) => x && !x.error);
    return r ? r.rows.toLocaleString('en-US') : '—';
  }

  header(first) {
    return [first, 'rows', ...this.engines.map((e) => `${ENGINES[e]} ms`),
            ...this.ratioColumns.map(({ subject, peer }) => `${RATIO_SUBJECTS[subject]} vs ${ENGINES[peer]}`)];
  }

  queryTable(steps) {
    const timed = steps.filter((s) => s.kind !== 'reset');
    const rows = timed.map((step) => {
      const label = step.kind === 'setup' ? `${step.name} (setup, once)` : step.name;
      return [label, this.rowsCell(step.name), ...this.engines.map((e) => this.timeCell(e, step.name)),
              ...this.ratioCells(step.name), step.kind === 'query' ? this.resultCell(step.name) : ''];
    });
    const meanOver = timed.filter((s) => s.kind === 'query' && !ROUND_TRIP_QUERIES.has(s.name));
    if (this.ratioColumns.length > 0) rows.push(this.geomeanRow(meanOver));
    return table([...this.header('query'), 'results'], rows);
  }

  geomeanRow(queries) {
    const cells = this.ratioColumns.map(({ subject, peer }) => {
      const ratios = queries
        .map((q) => this.record(peer, q.name)?.median_ms / this.record(subject, q.name)?.median_ms)
        .filter((x) => x > 0 && Number.isFinite(x));
      if (ratios.length === 0) return '—';
      return `${formatRatio(geometricMean(ratios), 1)} (${ratios.length} queries)`;
    });
    return [`**geometric mean** (without ${[...ROUND_TRIP_QUERIES].join(', ')})`, '', ...this.engines.map(() => ''), ...cells, ''];
  }

  loadTable(tables) {
    const names = tables.map((t) => `load_${t}`);
    const rows = names.map((name) => [name, this.rowsCell(name),
      ...this.engines.map((e) => this.timeCell(e, name)), ...this.ratioCells(name)]);
    const total = (engine) => {
      const ms = names.map((n) => this.record(engine, n)?.median_ms);
      return ms.every((x) => x !== undefined) ? ms.reduce((a, b) => a + b, 0) : undefined;
    };
    rows.push(['**total**', '', ...this.engines.map((e) => (total(e) === undefined ? '—' : formatMs(total(e)))),
               ...this.ratioColumns.map(({ subject, peer }) => formatRatio(total(peer), total(subject)))]);
    return table(this.header('load (CSV)'), rows);
  }

  // Errors of steps the tables do not show (schema, resets).
  untabledErrorNotes() {
    for (const engine of this.engines) {
      for (const r of this.byEngine.get(engine)?.values() ?? []) {
        if (r.error && (r.kind === 'schema' || r.kind === 'reset')) {
          this.notes.add(`${ENGINES[engine]} ${r.name} (${r.kind}): ${r.error}`);
        }
      }
    }
  }
}

function engineLines(engines, byEngine) {
  const how = {
    lytdb: 'in-memory, C++ embedding API (lyt/database.h), through lyt_bench',
    lytwire: 'the lytdb server (default settings: write-ahead log on, fsync always; data directory ' +
      'in /tmp) started by lyt_bench on a loopback port, one connection of the C++ client ' +
      '(lyt/client.h) over TCP; each result read completely by the client; loaded with COPY FROM ' +
      'the CSV file, read by the server (as admin)',
    sqlite: 'in-memory (:memory:), C API, through lyt_bench; loaded by one prepared INSERT in one transaction',
    duckdb1: 'in-memory, @duckdb/node-api in node, loaded with COPY',
    duckdb2: 'in-memory, @duckdb/node-api in node, loaded with COPY',
  };
  return engines.map((e) => {
    const version = byEngine.get(e)?.get('version')?.version ?? ENGINES[e];
    return `- **${ENGINES[e]}**: ${version}; ${how[e]}`;
  });
}

// How much of the machine other processes took during the run; a warning above 10%.
function contentionLines(machine) {
  if (machine.foreignCpu === null || machine.foreignCpu === undefined) return [];
  const percent = `${(machine.foreignCpu * 100).toFixed(0)}%`;
  if (machine.foreignCpu <= 0.1) return [`Other processes used ${percent} of the CPU time during the run.`, ''];
  return [`**Warning: the machine was busy.** Other processes used ${percent} of the CPU time ` +
    'during the run, so these times are not reliable: rerun on a quiet machine.', ''];
}

function timeoutLines(settings) {
  if (!settings.engines.includes('sqlite') || !(settings.sqliteTimeoutS > 0)) return [];
  return [`SQLite queries are stopped after ${settings.sqliteTimeoutS} s ("timeout" below: no time measured).`, ''];
}

function dataLine(settings) {
  const sha = settings.eventsSha256 ? `, events.csv sha256 ${settings.eventsSha256.slice(0, 12)}…` : '';
  return `Data: ${settings.rows.toLocaleString('en-US')} events rows from ../shared/bench/gen_data.py ` +
    `(\`${settings.dataDir}\`${sha}). Each query: 1 warm-up, then at least ${settings.reps} runs and ` +
    `${settings.minMs} ms of runs; the median is shown. Setup and load steps run once.`;
}

// Builds the Markdown report. `records` is every record of every engine (lyt_bench's shape).
// `sections` are the workloads, each {title, steps}, each with its own table and geometric mean.
export function buildReport({ machine, settings, sections, tables, records }) {
  const byEngine = new Map();
  for (const r of records) {
    if (!byEngine.has(r.engine)) byEngine.set(r.engine, new Map());
    byEngine.get(r.engine).set(r.name, r);
  }
  const builder = new ReportBuilder(settings.engines, byEngine);
  const queries = sections.flatMap((section) => [
    `## ${section.title} (median ms)`, '', builder.queryTable(section.steps), '']);
  const loads = builder.loadTable(tables);
  builder.untabledErrorNotes();
  const lines = [
    '# LytDB benchmark: analytics workload',
    '',
    `${machine.date} · ${machine.cpus} × ${machine.cpuModel} · ${machine.memory} RAM · ${machine.os} · ` +
      `LytDB ${machine.lytdbRevision} · node ${machine.node}`,
    '',
    dataLine(settings),
    '',
    ...contentionLines(machine),
    'Ratio = peer ms / LytDB ms (LytDB wire ms in the "wire vs" columns): "12.3x faster" means LytDB ' +
      'took 1/12.3 of the peer\'s time; a ' +
      'plain "0.50x" means LytDB was slower (it took 2x the peer\'s time). "results" compares the ' +
      'rows each engine returned (doubles within a relative 1e-9).',
    '',
    ...timeoutLines(settings),
    ...queries,
    '## Load (ms)',
    '',
    loads,
    '',
    '## Engines',
    '',
    ...engineLines(settings.engines, byEngine),
  ];
  if (builder.notes.list.length > 0) {
    lines.push('', '## Notes', '', ...builder.notes.list.map((text, i) => `${i + 1}. ${text.replaceAll('\n', ' ')}`));
  }
  return `${lines.join('\n')}\n`;
}
