// Bundle the ZAF SDK sources from npm (zendesk_app_framework_sdk/lib) into var/zaf_sdk.js exposing
// window.ZAFClient, so browser tests (and offline runs) serve the real SDK without Zendesk's CDN.
import { build } from 'esbuild';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'node_modules', 'zendesk_app_framework_sdk', 'lib', 'index.js');
const outfile = join(root, 'var', 'zaf_sdk.js');

mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: 'iife',
  globalName: 'ZAFClient',
  platform: 'browser',
  target: ['es2017'],
  minify: true,
  legalComments: 'inline',
  logLevel: 'warning',
});
console.log(`built ${outfile} (${statSync(outfile).size} bytes)`);
