// The dashboard's pure functions (no browser): SQL quoting, CSV, latency percentiles, positions.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {toCsv} from '../../web/src/csv.js';
import {intervalBuckets, quantile} from '../../web/src/latency.js';
import {byteColumnToIndex, createUserSql, grantSql, quoteIdent, quoteLiteral, selectTableSql} from '../../web/src/sql.js';

test('identifiers and literals are quoted with their quotes doubled', () => {
  assert.equal(quoteIdent('a"b'), '"a""b"');
  assert.equal(quoteLiteral("it's"), "'it''s'");
  assert.equal(quoteLiteral('back\\slash'), "'back\\slash'");
  assert.equal(createUserSql('Bob "x"', "p'w", true), `CREATE USER "Bob ""x""" PASSWORD 'p''w' SUPERUSER`);
  assert.equal(grantSql('GRANT', 'READ', 'my db', "o'neil"), `GRANT READ ON DATABASE "my db" TO "o'neil"`);
  assert.equal(grantSql('REVOKE', 'ADMIN', 'd', 'u'), 'REVOKE ADMIN ON DATABASE "d" FROM "u"');
  assert.throws(() => grantSql('GRANT', 'ALL; DROP', 'd', 'u'));
  assert.equal(selectTableSql('people'), 'SELECT * FROM people LIMIT 100');
  assert.equal(selectTableSql('Mixed'), 'SELECT * FROM "Mixed" LIMIT 100');
  assert.equal(selectTableSql('order'), 'SELECT * FROM "order" LIMIT 100');
});

test('CSV quotes commas, quotes and line breaks; NULL is empty and "" is an empty string', () => {
  const columns = [{name: 'a'}, {name: 'b,c'}];
  const rows = [[1, 'plain'], [null, ''], [true, 'say "hi", bye'], [2.5, 'two\nlines']];
  assert.equal(toCsv(columns, rows),
    'a,"b,c"\r\n1,plain\r\n,""\r\ntrue,"say ""hi"", bye"\r\n2.5,"two\nlines"\r\n');
});

test('latency percentiles interpolate within the buckets of one interval', () => {
  const bounds = [1, 2, 4, null];
  // Cumulative (le) counts at two polls: 10 earlier queries, then 100 more, 50 ≤ 1 ms, 40 in
  // (1, 2], 10 in (2, 4].
  const before = [5, 8, 10, 10];
  const after = [55, 98, 110, 110];
  const perBucket = intervalBuckets(before, after);
  assert.deepEqual(perBucket, [50, 40, 10, 0]);
  assert.equal(quantile(bounds, perBucket, 0.5), 1);
  assert.equal(quantile(bounds, perBucket, 0.7), 1.5);
  assert.equal(quantile(bounds, perBucket, 0.99), 3.8);
  assert.equal(quantile(bounds, [0, 0, 0, 0], 0.5), null);
  assert.equal(quantile(bounds, [0, 0, 0, 3], 0.5), 4);
});

test('a byte column maps to a character index', () => {
  assert.equal(byteColumnToIndex('SELECT x', 8), 7);
  assert.equal(byteColumnToIndex("SELECT 'é', nope", 14), 12);
  assert.equal(byteColumnToIndex('abc', 99), 3);
});
