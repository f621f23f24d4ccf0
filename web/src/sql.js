// Building SQL from user input: every name goes through quoteIdent and every value through
// quoteLiteral, so no input is ever interpolated raw.

// A quoted identifier: "name" with each " doubled. Quoted names keep their case, so the
// name is used exactly as typed (or as listed by SHOW USERS).
export function quoteIdent(name) {
  return '"' + String(name).replaceAll('"', '""') + '"';
}

// A standard string literal: 'text' with each ' doubled (backslashes are literal in '…').
export function quoteLiteral(text) {
  return "'" + String(text).replaceAll("'", "''") + "'";
}

export const PRIVILEGES = ['READ', 'WRITE', 'ADMIN'];

// GRANT or REVOKE of one privilege level on a database. Throws on a level outside PRIVILEGES.
export function grantSql(action, privilege, database, user) {
  if (!PRIVILEGES.includes(privilege)) throw new Error(`unknown privilege ${privilege}`);
  if (action === 'GRANT') return `GRANT ${privilege} ON DATABASE ${quoteIdent(database)} TO ${quoteIdent(user)}`;
  if (action === 'REVOKE') return `REVOKE ${privilege} ON DATABASE ${quoteIdent(database)} FROM ${quoteIdent(user)}`;
  throw new Error(`unknown action ${action}`);
}

export function createUserSql(name, password, superuser) {
  return `CREATE USER ${quoteIdent(name)} PASSWORD ${quoteLiteral(password)}` +
    (superuser ? ' SUPERUSER' : '');
}

export function dropUserSql(name) {
  return `DROP USER ${quoteIdent(name)}`;
}

// The console's statement for "query this table".
export function selectTableSql(table, limit = 100) {
  return `SELECT * FROM ${identOrBare(table)} LIMIT ${limit}`;
}

// A name as it reads best in SQL: bare when folding to lower case keeps it, quoted otherwise.
// Keywords are quoted too; the list holds only the reserved words a table is likely named after.
const RESERVED = new Set(['all', 'and', 'as', 'by', 'case', 'check', 'column', 'create', 'default',
  'desc', 'asc', 'distinct', 'do', 'else', 'end', 'from', 'grant', 'group', 'having', 'in', 'index',
  'into', 'is', 'join', 'key', 'limit', 'not', 'null', 'offset', 'on', 'or', 'order', 'primary',
  'references', 'select', 'table', 'then', 'to', 'union', 'unique', 'user', 'using', 'values',
  'when', 'where', 'with']);

export function identOrBare(name) {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : quoteIdent(name);
}

// The 0-based index into `line` of the server's 1-based `column`, which counts UTF-8 bytes.
// Clamped to the line's length.
export function byteColumnToIndex(line, column) {
  const encoder = new TextEncoder();
  let bytes = 0;
  let index = 0;
  while (index < line.length && bytes < column - 1) {
    const char = String.fromCodePoint(line.codePointAt(index));
    bytes += encoder.encode(char).length;
    index += char.length;
  }
  return index;
}
