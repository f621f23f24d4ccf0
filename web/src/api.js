// The HTTP API client (docs/http-api.md). The bearer token lives in sessionStorage, so it ends
// with the tab; a 401 from any call but login clears it and sends the app to the login page.

const SESSION_KEY = 'lytdb.session';

// An error answer of the API: `status` (HTTP), `code` (SQLSTATE), `message`, and `position`
// ({line, column}, 1-based, column in bytes) when the error points into the SQL text.
export class ApiError extends Error {
  constructor(status, code, message, position) {
    super(message);
    this.status = status;
    this.code = code;
    this.position = position || null;
  }
}

// {token, user, superuser} of the logged-in user, or null.
export function currentSession() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY));
  } catch {
    return null;
  }
}

const listeners = new Set();

// `fn(session)` runs whenever the user logs in or out (session null) or the session expires.
export function onSessionChange(fn) {
  listeners.add(fn);
}

function setSession(session) {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
  for (const fn of listeners) fn(session);
}

async function request(method, path, body, token) {
  const headers = {Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (e) {
    throw new ApiError(0, '08006', `cannot reach the server (${e.message})`);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: reported below from the status line.
  }
  if (response.ok) return json;
  const error = json && json.error;
  throw new ApiError(response.status, error ? error.code : '',
    error ? error.message : `${response.status} ${response.statusText}`.trim(), error && error.position);
}

// Logs in; resolves to the session, or rejects with ApiError (401 for a wrong password).
export async function login(user, password) {
  const answer = await request('POST', 'v1/login', {user, password});
  const session = {token: answer.token, user: answer.user, superuser: !!answer.superuser};
  setSession(session);
  return session;
}

// Ends the session on the server (best effort) and here.
export async function logout() {
  const session = currentSession();
  try {
    if (session) await request('POST', 'v1/logout', undefined, session.token);
  } finally {
    setSession(null);
  }
}

// An authenticated call: the parsed JSON answer, or ApiError.
export async function call(method, path, body) {
  const session = currentSession();
  try {
    return await request(method, path, body, session && session.token);
  } catch (e) {
    if (e.status === 401) setSession(null);
    throw e;
  }
}

export const api = {
  databases: () => call('GET', 'v1/databases'),
  tables: (db) => call('GET', `v1/databases/${encodeURIComponent(db)}/tables`),
  table: (db, t) => call('GET', `v1/databases/${encodeURIComponent(db)}/tables/${encodeURIComponent(t)}`),
  status: () => call('GET', 'v1/status'),
  query: (sql, database) => call('POST', 'v1/query', {sql, database}),
};
