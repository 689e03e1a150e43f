// tsc only emits .js; templates and other non-TS assets under src/ are copied beside them.
import { chmod, cp, readdir, stat } from 'node:fs/promises';
import { join, extname } from 'node:path';

const ASSET_EXTENSIONS = new Set(['.njk', '.json', '.css', '.svg']);

async function copyAssets(from, to) {
  for (const entry of await readdir(from)) {
    const source = join(from, entry);
    const target = join(to, entry);
    if ((await stat(source)).isDirectory()) await copyAssets(source, target);
    else if (ASSET_EXTENSIONS.has(extname(entry))) await cp(source, target);
  }
}
await copyAssets('src', 'dist/src');

// tsc writes files without the execute bit; `npx reclass-net` in a fresh clone runs the
// package's bin directly, so it must be executable.
await chmod('dist/src/cli/main.js', 0o755);
await chmod('dist/src/cli/launch.cjs', 0o755);
