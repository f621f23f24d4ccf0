// The SQL console: a database picker, the editor (Ctrl/Cmd+Enter runs), the result grid paged
// PAGE_SIZE rows at a time, errors with their position, CSV export and the history. Its state
// (editor, last result) outlives a visit to another page.
import {api} from '../api.js';
import {errorBox, formatNumber, h, mount} from '../dom.js';
import {toCsv} from '../csv.js';
import {byteColumnToIndex} from '../sql.js';
import {SqlEditor} from '../editor.js';
import {addToHistory, clearHistory, loadHistory} from '../history.js';

export const PAGE_SIZE = 100;

const state = {
  root: null, editor: null, parts: null,
  database: 'main', running: false,
  ran: null,        // {sql, database} of the last run
  result: null, error: null, page: 0,
  pending: null,    // {sql, database} handed over by openConsole
};

// Opens the console on `sql` (when not empty) in `database`.
export function openConsole(sql, database) {
  state.pending = {sql, database};
  location.hash = '#/console';
}

export function renderConsole(main) {
  if (!state.root) build();
  main.append(state.root);
  state.editor.view.requestMeasure();
  if (state.pending) {
    const {sql, database} = state.pending;
    state.pending = null;
    if (database) state.database = database;
    if (sql) state.editor.setText(sql);
  }
  loadDatabases();
  renderHistory();
  state.editor.focus();
}

function build() {
  const p = {};
  p.database = h('select', {testid: 'console-db', 'aria-label': 'Database',
    onchange: () => { state.database = p.database.value; loadTables(); }});
  p.run = h('button', {class: 'primary', testid: 'run-query', onclick: run, title: 'Ctrl+Enter'},
    'Run', h('kbd', {}, 'Ctrl+Enter'));
  p.editorBox = h('div', {class: 'editor', testid: 'console-editor'});
  p.status = h('div', {class: 'result-status', 'aria-live': 'polite'});
  p.result = h('div', {class: 'result'});
  p.history = h('ol', {class: 'history-list', testid: 'history-list'});
  state.parts = p;
  state.root = h('div', {class: 'console'},
    h('div', {class: 'console-main'},
      h('div', {class: 'toolbar'},
        h('label', {class: 'inline'}, 'Database', p.database),
        h('span', {class: 'spacer'}),
        p.run),
      p.editorBox, p.status, p.result),
    h('aside', {class: 'history'},
      h('div', {class: 'section-head'}, h('h2', {}, 'History'),
        h('button', {class: 'ghost small', testid: 'history-clear', onclick: () => { clearHistory(); renderHistory(); }}, 'Clear')),
      p.history));
  state.editor = new SqlEditor(p.editorBox, {onRun: run});
  renderResult();
}

async function loadDatabases() {
  const select = state.parts.database;
  try {
    const {databases} = await api.databases();
    const names = databases.map((d) => d.name);
    if (!names.includes(state.database) && names.length) state.database = names[0];
    mount(select, names.map((n) => h('option', {value: n}, n)));
    select.value = state.database;
    loadTables();
  } catch {
    // The page shows the database it has; a 401 already went to the login page.
    if (!select.options.length) mount(select, h('option', {value: state.database}, state.database));
  }
}

async function loadTables() {
  try {
    const {tables} = await api.tables(state.database);
    state.editor.setTables(tables.map((t) => t.name));
  } catch {
    state.editor.setTables([]);
  }
}

async function run() {
  const sql = state.editor.text;
  if (state.running || !sql.trim()) return;
  state.editor.closeCompletion();
  state.running = true;
  state.parts.run.disabled = true;
  mount(state.parts.status, h('span', {class: 'spinner'}), 'Running…');
  const database = state.database;
  try {
    state.result = await api.query(sql, database);
    state.error = null;
    state.editor.markError(null);
  } catch (e) {
    state.result = null;
    state.error = e;
    state.editor.markError(e.position);
  } finally {
    state.running = false;
    state.parts.run.disabled = false;
  }
  state.ran = {sql, database};
  state.page = 0;
  addToHistory(sql, database);
  renderHistory();
  renderResult();
}

function renderResult() {
  const {status, result} = state.parts;
  if (state.error) {
    mount(status, h('span', {class: 'bad'}, 'Error'));
    mount(result, errorDetail(state.error, state.ran.sql));
  } else if (state.result) {
    const r = state.result;
    const bits = [h('strong', {}, r.command || 'OK')];
    if (r.columns.length) bits.push(`${formatNumber(r.rows.length)} ${r.rows.length === 1 ? 'row' : 'rows'}`);
    else bits.push(`${formatNumber(r.rows_affected)} affected`);
    if (r.statements > 1) bits.push(`${r.statements} statements`);
    bits.push(`${Number(r.elapsed_ms).toFixed(2)} ms`);
    mount(status, h('span', {testid: 'result-summary'}, bits.flatMap((b, i) => (i ? [' · ', b] : [b]))));
    mount(result, r.columns.length ? grid(r) : null);
  } else {
    mount(status, h('span', {class: 'muted'}, 'Write a statement and press Ctrl+Enter.'));
    mount(result);
  }
}

// The error's code and message, and where it points: line, column and a caret under the text.
function errorDetail(error, sql) {
  const pos = error.position;
  let where = null;
  if (pos) {
    const line = sql.split('\n')[pos.line - 1];
    where = h('div', {class: 'error-where'},
      h('div', {testid: 'error-position'}, `at line ${pos.line}, column ${pos.column}`),
      line === undefined ? null : h('pre', {class: 'caret'}, line, '\n',
        ' '.repeat(byteColumnToIndex(line, pos.column)) + '^'));
  }
  const box = errorBox(error, 'result-error');
  if (where) box.append(where);
  return box;
}

function grid(r) {
  const pages = Math.max(1, Math.ceil(r.rows.length / PAGE_SIZE));
  const first = state.page * PAGE_SIZE;
  const shown = r.rows.slice(first, first + PAGE_SIZE);
  const go = (page) => { state.page = Math.min(Math.max(0, page), pages - 1); renderResult(); };
  const pager = h('div', {class: 'pager'},
    h('button', {class: 'ghost small', testid: 'pager-first', disabled: state.page === 0, onclick: () => go(0), 'aria-label': 'First page'}, '«'),
    h('button', {class: 'ghost small', testid: 'pager-prev', disabled: state.page === 0, onclick: () => go(state.page - 1)}, '‹ Prev'),
    h('span', {testid: 'pager-info'}, r.rows.length
      ? `Rows ${formatNumber(first + 1)}–${formatNumber(first + shown.length)} of ${formatNumber(r.rows.length)}`
      : 'No rows'),
    h('button', {class: 'ghost small', testid: 'pager-next', disabled: state.page >= pages - 1, onclick: () => go(state.page + 1)}, 'Next ›'),
    h('button', {class: 'ghost small', testid: 'pager-last', disabled: state.page >= pages - 1, onclick: () => go(pages - 1), 'aria-label': 'Last page'}, '»'),
    h('span', {class: 'spacer'}),
    h('button', {class: 'ghost small', testid: 'export-csv', onclick: () => exportCsv(r)}, 'Export CSV'));
  return [pager, h('div', {class: 'grid-scroll'},
    h('table', {class: 'grid result-grid', testid: 'result-grid'},
      h('thead', {}, h('tr', {}, h('th', {class: 'rownum'}, '#'),
        r.columns.map((c) => h('th', {class: isNumeric(c.type) ? 'num' : null},
          c.name, h('span', {class: 'type'}, c.type))))),
      h('tbody', {}, shown.map((row, i) => h('tr', {testid: 'result-row'},
        h('td', {class: 'rownum'}, first + i + 1),
        row.map((v, j) => cell(v, r.columns[j])))))))];
}

const isNumeric = (type) => /^(SMALLINT|INTEGER|BIGINT|REAL|DOUBLE|NUMERIC|DECIMAL|FLOAT)/i.test(type || '');

function cell(value, column) {
  if (value === null) return h('td', {class: 'null'}, 'NULL');
  if (typeof value === 'boolean') return h('td', {class: 'bool'}, String(value));
  if (typeof value === 'number' || isNumeric(column.type)) return h('td', {class: 'num'}, String(value));
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 120 ? h('td', {title: text}, text.slice(0, 120) + '…') : h('td', {}, text);
}

function exportCsv(r) {
  const blob = new Blob([toCsv(r.columns, r.rows)], {type: 'text/csv;charset=utf-8'});
  const url = URL.createObjectURL(blob);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const a = h('a', {href: url, download: `lytdb-${state.ran.database}-${stamp}.csv`});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function renderHistory() {
  const list = loadHistory();
  mount(state.parts.history, list.length ? list.map((e) => h('li', {},
    h('button', {class: 'history-item', testid: 'history-item', title: e.sql,
      onclick: () => {
        if (e.database) { state.database = e.database; state.parts.database.value = e.database; }
        state.editor.setText(e.sql);
      }},
    h('code', {}, e.sql), h('span', {class: 'muted'}, `${e.database || ''} · ${timeAgo(e.at)}`)))) :
    h('li', {class: 'muted'}, 'Statements you run appear here.'));
}

function timeAgo(at) {
  const s = Math.round((Date.now() - at) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(at).toLocaleDateString();
}
