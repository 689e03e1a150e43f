// Build step after tsc: the library (dist/src/index.js) as one CommonJS file for
// `require('reclass-net')`. Dependencies stay in node_modules. A module that finds its
// templates or worker beside itself (import.meta.url) is pointed at the file tsc wrote, as
// scripts/bundle-cli.mjs does for the CLI.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from './lib/bundle.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(REPO, 'dist/cjs/index.cjs');

await build(bundleOptions(join(REPO, 'dist/src/index.js'), OUT));
