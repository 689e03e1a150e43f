/**
 * Importing the library loads what resolving and rendering use, and nothing of the docs site
 * (its graph layout, its page templates) or of the compilers the build already ran (ajv,
 * nunjucks' compiler), from ESM and from CommonJS alike. Checked in a fresh process that
 * records every module it resolves.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'reclass-net-import-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const LOG = join(scratch, 'modules.log');
const HOOKS = join(scratch, 'hooks.mjs');
const REGISTER = join(scratch, 'register.mjs');
writeFileSync(
  HOOKS,
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(LOG)}, result.url + '\\n');
  return result;
}
`,
);
writeFileSync(
  REGISTER,
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(HOOKS).href)});\n`,
);
const CJS_PROBE = join(scratch, 'cjs-probe.cjs');
writeFileSync(
  CJS_PROBE,
  `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(LOG)}, Object.keys(require.cache).join('\\n')));\n`,
);

/** Packages (and nunjucks' runtime apart from its compiler) among the loaded files. */
function packagesOf(files: string[]): string[] {
  const found = new Set<string>();
  for (const file of files) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(decodeURIComponent(file));
    if (m) found.add(m[1] === 'nunjucks' && /^src\/(runtime|lib|globals)\.js$/.test(m[2]) ? 'nunjucks runtime' : m[1]);
  }
  return [...found].sort();
}

function loaded(args: string[]): string[] {
  writeFileSync(LOG, '');
  const r = spawnSync(process.execPath, args, { cwd: scratch, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(LOG, 'utf8').split('\n').filter(Boolean);
}

describe('importing reclass-net', () => {
  const esm = pathToFileURL(join(REPO, 'dist/src/index.js')).href;
  const cjs = join(REPO, 'dist/cjs/index.cjs');

  it('from ESM loads no docs, graph layout or compiler', () => {
    const files = loaded([
      '--import',
      pathToFileURL(REGISTER).href,
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(esm)});`,
    ]);
    expect(files.some((f) => f.endsWith('/dist/src/render/render.js'))).toBe(true);
    expect(files.filter((f) => f.includes('/dist/src/docs/'))).toEqual([]);
    expect(packagesOf(files).filter((p) => p !== 'nunjucks runtime' && p !== 'yaml')).toEqual([]);
  });

  it('from CommonJS loads no docs, graph layout or compiler', () => {
    const files = loaded(['--require', CJS_PROBE, '-e', `require(${JSON.stringify(cjs)});`]);
    expect(files).toContain(cjs);
    expect(packagesOf(files).filter((p) => p !== 'nunjucks runtime' && p !== 'yaml')).toEqual([]);
  });

  it('still renders and writes docs, loading them then', async () => {
    const lib = await import('../../src/index.js');
    const inv = await lib.openInventory(REPO);
    expect(lib.renderNetwork(await inv.node('cmp01')).interfaces).toContain('iface br-mgmt inet static');
    const site = await lib.collectSite(inv);
    expect(site.nodes.length).toBe(inv.nodeNames().length);
  });
});
