// Builds the dashboard into dist/: index.html, app.js and app.css, minified, without source maps.
// lytdb embeds every file of dist/ (see docs/dashboard.md), so the set stays small and flat.
import * as esbuild from 'esbuild';
import {copyFile, mkdir, readdir, rm} from 'node:fs/promises';

const here = new URL('.', import.meta.url).pathname;
const dist = `${here}dist`;

await rm(dist, {recursive: true, force: true});
await mkdir(dist);
await esbuild.build({
  entryPoints: {app: `${here}src/main.js`},
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome109', 'firefox115', 'safari16'],
  outdir: dist,
  sourcemap: false,
  legalComments: 'eof',
  logLevel: 'warning',
});
await copyFile(`${here}src/index.html`, `${dist}/index.html`);

const files = (await readdir(dist)).sort();
const expected = ['app.css', 'app.js', 'index.html'];
if (files.join() !== expected.join()) {
  console.error(`web: dist/ holds ${files.join(', ')}, expected ${expected.join(', ')}`);
  process.exit(1);
}
