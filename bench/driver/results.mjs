// Query results kept to check that the engines agree. lyt_bench keeps them the same way (see
// runner/result_capture.h): rows of cells, each null, a number or a string.
const MAX_CELLS = 10000;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
// Doubles may differ in their last bits: engines and thread counts sum in different orders.
const RELATIVE_TOLERANCE = 1e-9;

export function normalizeCell(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value.toString();
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return value;
  return String(value);  // other DuckDB values (decimals, dates, ...): best effort
}

// A cell visitor keeping up to MAX_CELLS cells; beyond that only `truncated` is set.
export class ResultCollector {
  rows = [];
  truncated = false;
  #cells = 0;

  row(cells) {
    this.#cells += cells.length;
    this.truncated ||= this.#cells > MAX_CELLS;
    if (this.truncated) this.rows = [];
    else this.rows.push(cells.map(normalizeCell));
  }
}

function cellsEqual(a, b) {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
  }
  return a === b;
}

// null when the two results agree, else a short description of the first difference.
export function describeDifference(a, b) {
  if (a.length !== b.length) return `${a.length} vs ${b.length} rows`;
  for (let r = 0; r < a.length; r++) {
    if (a[r].length !== b[r].length) return `row ${r + 1}: ${a[r].length} vs ${b[r].length} columns`;
    for (let c = 0; c < a[r].length; c++) {
      if (!cellsEqual(a[r][c], b[r][c])) {
        return `row ${r + 1}, column ${c + 1}: ${JSON.stringify(a[r][c])} vs ${JSON.stringify(b[r][c])}`;
      }
    }
  }
  return null;
}
