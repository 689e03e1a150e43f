// Build step after tsc: the library (dist/src/index.js) as one CommonJS file for
// `require('reclass-net')`. Dependencies stay in node_modules. A module that finds its
// templates or worker beside itself (import.meta.url) is pointed at the file tsc wrote, as
// scripts/bundle-cli.mjs does for the CLI.
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(REPO, 'dist/cjs/index.cjs');

await build({
  entryPoints: [join(REPO, 'dist/src/index.js')],
  outfile: OUT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  banner: { js: "const __moduleUrl = (rel) => require('node:url').pathToFileURL(require('node:path').join(__dirname, rel)).href;" },
  plugins: [
    {
      name: 'own-module-urls',
      setup(b) {
        b.onLoad({ filter: /\.js$/ }, async (args) => {
          const text = await readFile(args.path, 'utf8');
          if (!text.includes('import.meta.url')) return undefined;
          const rel = JSON.stringify(relative(dirname(OUT), args.path));
          return { contents: text.replaceAll('import.meta.url', `__moduleUrl(${rel})`), loader: 'js' };
        });
      },
    },
  ],
});
