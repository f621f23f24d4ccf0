// The workload format shared with lyt_bench (runner/workload.cc implements the same rules):
// "-- @query NAME" (timed), "-- @setup NAME" (once, timed once), "-- @reset NAME" (once,
// untimed, before everything else). A statement is every following line up to the next
// directive, leaving out blank and "--" comment lines, without its trailing ';'.
import { readFileSync } from 'node:fs';

const DIRECTIVE = /^--\s*@(\S+)(?:\s+(.*))?$/;
const KINDS = new Set(['query', 'setup', 'reset']);

function parseDirective(line, lineNumber) {
  const match = DIRECTIVE.exec(line);
  if (!match) return null;
  const [, kind, rawName = ''] = match;
  const name = rawName.trim();
  if (!KINDS.has(kind) || name === '' || /\s/.test(name)) {
    throw new Error(`line ${lineNumber}: malformed directive: ${line}`);
  }
  return { kind, name, sql: '' };
}

function finishStatement(step) {
  step.sql = step.sql.trim().replace(/(\s*;)+$/, '').trim();
  if (step.sql === '') throw new Error(`step ${step.name} has no statement`);
}

// Steps in file order with every @reset moved first (their relative order kept).
export function parseWorkload(text) {
  const steps = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    const directive = parseDirective(line, index + 1);
    if (directive) {
      if (steps.length > 0) finishStatement(steps.at(-1));
      steps.push(directive);
    } else if (steps.length > 0 && line !== '' && !line.startsWith('--')) {
      steps.at(-1).sql += raw.replace(/\r$/, '') + '\n';
    }
  });
  if (steps.length > 0) finishStatement(steps.at(-1));
  return [...steps.filter((s) => s.kind === 'reset'), ...steps.filter((s) => s.kind !== 'reset')];
}

export function readWorkload(path) {
  return parseWorkload(readFileSync(path, 'utf8'));
}
