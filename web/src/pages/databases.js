// Browsing: the databases the user may read (left), the selected database's tables and views
// with row counts, and a table's columns and indexes. Routes: #/databases[/db[/table]].
import {api} from '../api.js';
import {errorBox, formatNumber, h, mount} from '../dom.js';
import {selectTableSql} from '../sql.js';
import {openConsole} from './console.js';

const href = (...parts) => '#/' + ['databases', ...parts].map(encodeURIComponent).join('/');

export function renderDatabases(main, [db, table]) {
  const side = h('aside', {class: 'side-list'}, h('h2', {}, 'Databases'), h('p', {class: 'muted'}, 'Loading…'));
  const content = h('section', {class: 'browse-content'});
  mount(main, h('div', {class: 'browse'}, side, content));
  let alive = true;

  api.databases().then(({databases}) => {
    if (!alive) return;
    mount(side, h('h2', {}, 'Databases'),
      h('ul', {testid: 'db-list'}, databases.map((d) => h('li', {},
        h('a', {href: href(d.name), class: d.name === db ? 'active' : null, testid: 'db-item',
          dataset: {name: d.name}}, h('span', {}, d.name), h('span', {class: 'tag'}, d.privilege))))));
    if (!db && databases.length) location.replace(href(databases[0].name));
    else if (!db) mount(content, h('p', {class: 'muted'}, 'No database is readable by this user.'));
  }, (e) => alive && mount(side, h('h2', {}, 'Databases'), errorBox(e)));

  if (db && table) showTable(content, db, table, () => alive);
  else if (db) showTables(content, db, () => alive);
  return () => { alive = false; };
}

function crumbs(db, table) {
  return h('nav', {class: 'crumbs', 'aria-label': 'breadcrumb'},
    h('a', {href: href()}, 'Databases'), ' / ',
    table ? h('a', {href: href(db)}, db) : h('strong', {}, db),
    table ? [' / ', h('strong', {}, table)] : null);
}

function showTables(content, db, alive) {
  mount(content, crumbs(db), h('p', {class: 'muted'}, 'Loading…'));
  api.tables(db).then(({tables}) => {
    if (!alive()) return;
    const rows = tables.map((t) => h('tr', {testid: 'table-row', dataset: {name: t.name}},
      h('td', {}, h('a', {href: href(db, t.name)}, t.name)),
      h('td', {}, h('span', {class: `tag tag-${t.type}`}, t.type)),
      h('td', {class: 'num', testid: 'table-row-count'}, t.rows === null || t.rows === undefined ? '–' : formatNumber(t.rows))));
    mount(content, crumbs(db),
      h('div', {class: 'section-head'}, h('h1', {}, db),
        h('button', {class: 'ghost', testid: 'open-console-db', onclick: () => openConsole('', db)}, 'Open console')),
      tables.length
        ? h('table', {class: 'grid', testid: 'tables-grid'},
          h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Type'), h('th', {class: 'num'}, 'Rows'))),
          h('tbody', {}, rows))
        : h('p', {class: 'muted', testid: 'no-tables'}, 'No tables yet. Create one in the SQL console.'));
  }, (e) => alive() && mount(content, crumbs(db), errorBox(e)));
}

function showTable(content, db, table, alive) {
  mount(content, crumbs(db, table), h('p', {class: 'muted'}, 'Loading…'));
  api.table(db, table).then((t) => {
    if (!alive()) return;
    const yes = (flag) => (flag ? '✓' : '');
    mount(content, crumbs(db, table),
      h('div', {class: 'section-head', testid: 'table-detail'},
        h('h1', {}, t.name, h('span', {class: `tag tag-${t.type}`}, t.type)),
        h('span', {class: 'muted', testid: 'table-detail-rows'}, `${formatNumber(t.rows)} rows`),
        h('span', {class: 'spacer'}),
        h('button', {class: 'primary', testid: 'query-table', onclick: () => openConsole(selectTableSql(t.name), db)},
          'Query this table')),
      h('h2', {}, 'Columns'),
      h('table', {class: 'grid', testid: 'columns-grid'},
        h('thead', {}, h('tr', {}, ['Name', 'Type', 'Nullable', 'Default', 'Primary key'].map((c) => h('th', {}, c)))),
        h('tbody', {}, (t.columns || []).map((c) => h('tr', {testid: 'column-row', dataset: {name: c.name}},
          h('td', {}, h('code', {}, c.name)), h('td', {}, c.type), h('td', {}, yes(c.nullable)),
          h('td', {}, c.default === null || c.default === undefined ? h('span', {class: 'null'}, '–') : h('code', {}, String(c.default))),
          h('td', {}, yes(c.primary_key)))))),
      h('h2', {}, 'Indexes'),
      (t.indexes || []).length
        ? h('table', {class: 'grid', testid: 'indexes-grid'},
          h('thead', {}, h('tr', {}, ['Name', 'Columns', 'Unique'].map((c) => h('th', {}, c)))),
          h('tbody', {}, t.indexes.map((i) => h('tr', {testid: 'index-row', dataset: {name: i.name}},
            h('td', {}, h('code', {}, i.name)), h('td', {}, i.columns.join(', ')), h('td', {}, yes(i.unique))))))
        : h('p', {class: 'muted'}, 'No indexes.'));
  }, (e) => alive() && mount(content, crumbs(db, table), errorBox(e)));
}
