// The data set: generated once per size by ../shared/bench/gen_data.py, reused afterwards.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const FILES = ['events.csv', 'users.csv', 'MANIFEST.json'];

function readManifest(dir) {
  return JSON.parse(readFileSync(join(dir, 'MANIFEST.json'), 'utf8'));
}

// Returns the manifest of the data in `dir`, generating `rows` events first when any file is
// missing. A complete directory is used as it is, whatever its row count.
export function ensureData({ dir, rows, generator }) {
  if (FILES.every((f) => existsSync(join(dir, f)))) return readManifest(dir);
  process.stderr.write(`bench: generating ${rows} rows into ${dir} ...\n`);
  execFileSync('python3', [generator, '--rows', String(rows), '--out', dir],
               { stdio: ['ignore', 'ignore', 'inherit'] });
  return readManifest(dir);
}
