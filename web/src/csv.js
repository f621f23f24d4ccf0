// CSV (RFC 4180) of a query result: a header of column names, then one line per row, lines
// ended by CRLF. A field holding a comma, a quote, CR or LF is quoted with its quotes doubled.
// NULL is an empty field and an empty string is "" (as PostgreSQL's COPY … CSV writes them).

export function csvField(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  if (text === '' || /[",\r\n]/.test(text)) return '"' + text.replaceAll('"', '""') + '"';
  return text;
}

export function toCsv(columns, rows) {
  const lines = [columns.map((c) => csvField(c.name)).join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}
