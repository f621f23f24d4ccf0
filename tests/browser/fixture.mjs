// The browser tests' fixture: a real lytdb on free loopback ports with a fresh data directory,
// Debian's chromium (headless, fresh profile) driven by playwright-core, and small API helpers.
// Every wait is bounded.
import {spawn} from 'node:child_process';
import {createWriteStream} from 'node:fs';
import {mkdir, mkdtemp, rm} from 'node:fs/promises';
import {createRequire} from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// playwright-core is a devDependency of web/ (installed by web/build.sh).
const {chromium} = createRequire(path.join(here, '../../web/package.json'))('playwright-core');

export const ADMIN_PASSWORD = 'Browser-test pw 1';
export const OUTPUT = process.env.LYT_TEST_OUTPUT || path.join(here, 'output');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const {port} = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Starts $LYTDB_BIN and resolves to {url, stop()} once GET /healthz answers (20 s at most).
export async function startServer() {
  const bin = process.env.LYTDB_BIN;
  if (!bin) throw new Error('LYTDB_BIN is not set (tests/browser/run.sh sets it)');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lytdb-browser-'));
  const port = await freePort();
  await mkdir(OUTPUT, {recursive: true});
  const log = createWriteStream(path.join(OUTPUT, 'lytdb.log'));
  const child = spawn(bin, ['--data-dir', dataDir, '--listen', '127.0.0.1:0', '--resp', '127.0.0.1:0',
    '--http', `127.0.0.1:${port}`, '--log-file', ''], {
    env: {...process.env, LYT_ADMIN_PASSWORD: ADMIN_PASSWORD}, stdio: ['ignore', 'pipe', 'pipe']});
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  const exit = new Promise((resolve) => child.once('exit', (code, signal) => { exited = {code, signal}; resolve(); }));
  const url = `http://127.0.0.1:${port}`;

  async function stop() {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exit;
      clearTimeout(timer);
    }
    await rm(dataDir, {recursive: true, force: true});
  }

  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      const response = await fetch(`${url}/healthz`, {signal: AbortSignal.timeout(1000)});
      if (response.ok) return {url, stop};
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  await stop();
  throw new Error(exited ? `lytdb exited early (${JSON.stringify(exited)}); see ${OUTPUT}/lytdb.log`
    : `lytdb did not answer /healthz within 20 s; see ${OUTPUT}/lytdb.log`);
}

// Chromium, headless, in a fresh profile that is removed by close().
export async function startBrowser() {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'lytdb-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: {width: 1280, height: 800},
    acceptDownloads: true,
    timeout: 30000,
  });
  context.setDefaultTimeout(15000);
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, {recursive: true, force: true});
    },
  };
}

export async function screenshot(page, name) {
  await page.screenshot({path: path.join(OUTPUT, `${name}.png`), fullPage: true});
}

// The API as the tests' own client: {status, body}.
export async function apiCall(url, method, route, {token, body} = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${url}${route}`, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10000)});
  const text = await response.text();
  return {status: response.status, body: text ? JSON.parse(text) : null};
}

export async function apiLogin(url, user = 'admin', password = ADMIN_PASSWORD) {
  const {status, body} = await apiCall(url, 'POST', '/v1/login', {body: {user, password}});
  if (status !== 200) throw new Error(`login of ${user} failed: ${status} ${JSON.stringify(body)}`);
  return body.token;
}

// Runs SQL as the given token; throws on an error answer.
export async function apiQuery(url, token, sql, database = 'main') {
  const {status, body} = await apiCall(url, 'POST', '/v1/query', {token, body: {sql, database}});
  if (status !== 200) throw new Error(`${sql}: ${status} ${JSON.stringify(body)}`);
  return body;
}
