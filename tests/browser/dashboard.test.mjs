// Browser tests of the web dashboard (docs/dashboard.md), against a real lytdb: each test drives
// chromium through one task a person does and saves a full-page screenshot as <test name>.png.
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {after, before, test} from 'node:test';
import {ADMIN_PASSWORD, apiCall, apiLogin, apiQuery, screenshot, startBrowser, startServer} from './fixture.mjs';

let server;
let browser;
let adminToken;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  adminToken = await apiLogin(server.url);
  await apiQuery(server.url, adminToken,
    'CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, born DATE);' +
    'CREATE INDEX people_name ON people (name);' +
    "INSERT INTO people VALUES (1, 'Ada', '1815-12-10'), (2, 'O''Brien, \"Bob\"', NULL), (3, 'Zoë', '2001-01-01');" +
    'CREATE TABLE numbers (n INTEGER PRIMARY KEY, square INTEGER);' +
    'INSERT INTO numbers VALUES ' + Array.from({length: 250}, (_, i) => `(${i + 1}, ${(i + 1) ** 2})`).join(', '));
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// Runs `body(page)` on a new tab and saves the screenshot `name`.png, also when it fails.
async function withPage(name, body) {
  const page = await browser.context.newPage();
  try {
    await body(page);
  } finally {
    await screenshot(page, name).catch(() => {});
    await page.close();
  }
}

async function logIn(page, password = ADMIN_PASSWORD) {
  await page.goto(server.url + '/');
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('page-databases').waitFor();
}

// Polls `check()` until it returns a truthy value (`ms` at most).
async function waitUntil(what, check, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function typeSql(page, sql) {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(sql);
}

test('login', () => withPage('login', async (page) => {
  await page.goto(server.url + '/');
  await page.getByTestId('login-password').fill('wrong password');
  await page.getByTestId('login-submit').click();
  const error = page.getByTestId('login-error');
  await error.waitFor();
  assert.match(await error.textContent(), /28P01/);
  assert.match(await error.textContent(), /password authentication failed/);

  await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('page-databases').waitFor();
  assert.match(await page.getByTestId('current-user').textContent(), /admin/);
  await page.getByTestId('tables-grid').waitFor();
}));

test('browse databases and tables', () => withPage('browse', async (page) => {
  await logIn(page);
  await page.locator('[data-testid=db-item][data-name=main]').click();
  const people = page.locator('[data-testid=table-row][data-name=people]');
  assert.equal(await people.getByTestId('table-row-count').textContent(), '3');
  assert.equal(await page.locator('[data-testid=table-row][data-name=numbers] [data-testid=table-row-count]').textContent(), '250');

  await people.getByRole('link', {name: 'people'}).click();
  await page.getByTestId('table-detail').waitFor();
  const columns = await page.getByTestId('column-row').evaluateAll((rows) => rows.map((r) => r.dataset.name));
  assert.deepEqual(columns, ['id', 'name', 'born']);
  assert.match(await page.locator('[data-testid=column-row][data-name=id]').textContent(), /INTEGER/);
  await page.locator('[data-testid=index-row][data-name=people_name]').waitFor();
  await screenshot(page, 'browse-table');

  await page.getByTestId('query-table').click();
  await page.getByTestId('page-console').waitFor();
  assert.equal(await page.locator('.cm-content').textContent(), 'SELECT * FROM people LIMIT 100');
  await page.getByTestId('run-query').click();
  await page.getByTestId('result-grid').waitFor();
  assert.equal(await page.getByTestId('result-row').count(), 3);
}));

test('run a query: result grid, paging, CSV export, history', () => withPage('query', async (page) => {
  await logIn(page);
  await page.getByTestId('nav-console').click();
  await typeSql(page, 'SELECT n, square FROM numbers ORDER BY n');
  await page.keyboard.press('Control+Enter');
  await page.getByTestId('result-grid').waitFor();
  assert.match(await page.getByTestId('result-summary').textContent(), /250 rows/);
  assert.equal(await page.getByTestId('pager-info').textContent(), 'Rows 1–100 of 250');
  assert.equal(await page.getByTestId('result-row').count(), 100);
  await page.getByTestId('pager-next').click();
  assert.equal(await page.getByTestId('pager-info').textContent(), 'Rows 101–200 of 250');
  assert.equal(await page.getByTestId('result-row').first().locator('td').nth(1).textContent(), '101');
  await page.getByTestId('pager-last').click();
  assert.equal(await page.getByTestId('result-row').count(), 50);

  await typeSql(page, 'SELECT id, name, born FROM people ORDER BY id');
  await page.getByTestId('run-query').click();
  await waitUntil('3 rows of people', async () => (await page.getByTestId('result-row').count()) === 3);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csv = await readFile(await download.path(), 'utf8');
  assert.equal(csv, 'id,name,born\r\n1,Ada,1815-12-10\r\n2,"O\'Brien, ""Bob""",\r\n3,Zoë,2001-01-01\r\n');

  const history = await page.getByTestId('history-item').locator('code').allTextContents();
  assert.equal(history[0], 'SELECT id, name, born FROM people ORDER BY id');
  assert.equal(history[1], 'SELECT n, square FROM numbers ORDER BY n');
}));

test('a bad query shows the error and its position', () => withPage('error', async (page) => {
  await logIn(page);
  await page.getByTestId('nav-console').click();
  await typeSql(page, 'SELECT id,\n  nosuch\nFROM people');
  await page.getByTestId('run-query').click();
  const error = page.getByTestId('result-error');
  await error.waitFor();
  assert.match(await error.textContent(), /42703/);
  assert.match(await error.textContent(), /nosuch/);
  assert.equal(await page.getByTestId('error-position').textContent(), 'at line 2, column 3');
  assert.equal(await page.getByTestId('editor-error-mark').textContent(), 'nosuch');
}));

test('the monitor charts update', () => withPage('chart', async (page) => {
  await logIn(page);
  await page.getByTestId('nav-monitor').click();
  const qps = page.getByTestId('chart-qps');
  const samples = async () => Number(await qps.getAttribute('data-samples'));
  await waitUntil('a first sample', async () => (await samples()) >= 1);
  const before = await samples();
  for (let i = 0; i < 20; i++) await apiQuery(server.url, adminToken, `SELECT ${i}`);
  // The next poll's interval holds those queries: the chart gains a point with a rate above 0.
  await waitUntil('a sample with queries', async () =>
    (await samples()) > before && Number(await qps.getAttribute('data-last')) > 0);
  assert.ok(Number(await page.getByTestId('chart-latency').getAttribute('data-samples')) > before);
  assert.ok(await page.locator('[data-testid=chart-qps] canvas').count() >= 1);
  assert.match(await page.getByTestId('card-queries').textContent(), /\d/);
}));

test('users: create a user, grant and revoke', () => withPage('users', async (page) => {
  const name = `Tess O'Hara "QA"`;
  const password = `pa'ss "word" \\x`;
  await logIn(page);
  await page.getByTestId('nav-users').click();
  await page.locator('[data-testid=user-row][data-name=admin]').waitFor();
  await page.getByTestId('user-create-name').fill(name);
  await page.getByTestId('user-create-password').fill(password);
  await page.getByTestId('user-create-submit').click();
  await page.getByTestId('users-message').waitFor();
  const row = page.locator('[data-testid=user-row]').filter({hasText: name});
  await row.waitFor();

  await page.getByTestId('grant-privilege').selectOption('READ');
  await page.getByTestId('grant-database').selectOption('main');
  await page.getByTestId('grant-user').selectOption(name);
  await page.getByTestId('grant-submit').click();
  const grant = page.locator('[data-testid=grant-row]').filter({hasText: name});
  await grant.waitFor();
  assert.equal(await grant.getAttribute('data-privilege'), 'READ');

  // The name and password arrived exactly as typed: the new user logs in and reads main.
  const token = await apiLogin(server.url, name, password);
  const dbs = await apiCall(server.url, 'GET', '/v1/databases', {token});
  assert.deepEqual(dbs.body.databases.map((d) => d.name), ['main']);
  await screenshot(page, 'users');

  await grant.getByTestId('grant-revoke').click();
  await grant.waitFor({state: 'detached'});
  const after = await apiCall(server.url, 'GET', '/v1/databases', {token});
  assert.deepEqual(after.body.databases, []);
}));

test('log out ends the session', () => withPage('logout', async (page) => {
  await logIn(page);
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('lytdb.session')).token);
  assert.equal((await apiCall(server.url, 'GET', '/v1/databases', {token})).status, 200);
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('lytdb.session')), null);
  assert.equal((await apiCall(server.url, 'GET', '/v1/databases', {token})).status, 401);
}));
