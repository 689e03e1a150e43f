/**
 * What a one-node command loads (issue 22): `node`, `render`, `validate NODE`, `explain` and `diff NODE`
 * run by the installed command load none of the packages they do not use on that path: not
 * ajv or nunjucks' compiler (the build compiled the schema and the templates), not yaml (the
 * fast path reads these models, the netplan backend is not asked for), not the docs' graph
 * layout, not Node's crypto (only writing files needs it). What the renderer loads by name (the
 * compiled schema and templates, nunjucks' runtime) is in the bundle, compiled from its code
 * cache, not read from disk. Checked from inside the process: a preloaded script lists the
 * modules at exit.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const LAUNCHER = join(REPO, 'dist/src/cli/launch.cjs');
const CORPORA = ['mk24-ovs-dvr-vlan-bm', 'mcp-ocata-ovs'].map((c) => join(REPO, '../shared/corpus', c, 'inventory'));
const scratch = mkdtempSync(join(tmpdir(), 'reclass-net-modules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const PROBE = join(scratch, 'list-modules.cjs');
const LIST = join(scratch, 'modules.json');
writeFileSync(
  PROBE,
  `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(LIST)}, JSON.stringify({
    files: Object.keys(require('node:module')._cache),
    builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)),
  })));\n`,
);

function modulesOf(args: string[]): { files: string[]; builtins: string[] } {
  const r = spawnSync(process.execPath, ['--require', PROBE, LAUNCHER, ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(readFileSync(LIST, 'utf8')) as { files: string[]; builtins: string[] };
}

const packageOf = (file: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(file);

/** Packages loaded, with nunjucks' runtime files (which compiled templates run on) named apart. */
function packagesOf(files: string[]): string[] {
  const found = new Set<string>();
  for (const file of files) {
    const m = packageOf(file);
    if (m) found.add(m[1] === 'nunjucks' && /^src\/(runtime|lib|globals)\.js$/.test(m[2]) ? 'nunjucks runtime' : m[1]);
  }
  return [...found].sort();
}

describe('a one-node command loads only what it uses', () => {
  const inventories = [REPO, ...CORPORA.filter((d) => existsSync(d))];

  it.each(inventories)('node and explain in %s: no package at all', (dir) => {
    for (const args of [
      ['node', 'cmp01', '--format', 'json'],
      // YAML output runs the yaml package, from its one-file copy beside the bundle
      // (dist/cli/yaml.cjs, compiled with its own code cache), not from node_modules.
      ['node', 'cmp01'],
      ['explain', 'cmp01', 'linux:system'],
    ]) {
      const { files, builtins } = modulesOf([...args, '--inventory', dir]);
      expect({ args, packages: packagesOf(files) }).toEqual({ args, packages: [] });
      expect(builtins).not.toContain('crypto');
    }
  });

  it.each(inventories)(
    'render and validate in %s: the compiled schema and templates from the bundle, no package',
    (dir) => {
      for (const args of [
        ['render', 'cmp01', '--format', 'json'],
        ['render', 'cmp01'],
        ['validate', 'cmp01'],
      ]) {
        const { files, builtins } = modulesOf([...args, '--inventory', dir]);
        expect({ args, packages: packagesOf(files) }).toEqual({ args, packages: [] });
        expect(files.filter((f) => /(schema-validator|templates-compiled)\.cjs$/.test(f))).toEqual([]);
        expect(builtins).not.toContain('crypto');
      }
    },
  );
  it.each(inventories)('diff of one node in %s: no package; a child process only to read live OVS', (dir) => {
    const root = join(scratch, 'host');
    mkdirSync(root, { recursive: true });
    const { files, builtins } = modulesOf(['diff', 'cmp01', '--root', root, '--inventory', dir]);
    expect(packagesOf(files)).toEqual([]);
    expect(builtins).not.toContain('crypto');
    // ovs-vsctl reads the live database, and only for a node with Open vSwitch commands.
    const rendered = spawnSync(
      process.execPath,
      [LAUNCHER, 'render', 'cmp01', '--format', 'json', '--inventory', dir],
      {
        encoding: 'utf8',
      },
    );
    const hasOvs = (JSON.parse(rendered.stdout) as { ovs: string[] }).ovs.length > 0;
    expect(builtins.includes('child_process')).toBe(hasOvs);
  });
  it.each(inventories)('node and render in %s, writing to a pipe or a file: not even node:net', (dir) => {
    // stdout is written with writeSync, never as process.stdout: on a pipe, a socket stream,
    // that would load node:net and Node's socket machinery whatever the command does.
    for (const command of ['node', 'render']) {
      const viaPipe = modulesOf([command, 'cmp01', '--inventory', dir]);
      expect({ command, net: viaPipe.builtins.includes('net') }).toEqual({ command, net: false });
      const out = openSync(join(scratch, 'node.out'), 'w');
      const err = openSync(join(scratch, 'node.err'), 'w');
      try {
        const r = spawnSync(process.execPath, ['--require', PROBE, LAUNCHER, command, 'cmp01', '--inventory', dir], {
          stdio: ['ignore', out, err],
        });
        expect(r.status).toBe(0);
      } finally {
        closeSync(out);
        closeSync(err);
      }
      const { builtins } = JSON.parse(readFileSync(LIST, 'utf8')) as { builtins: string[] };
      expect({ command, net: builtins.includes('net') }).toEqual({ command, net: false });
      expect(readFileSync(join(scratch, 'node.out'), 'utf8')).toBe(
        spawnSync(process.execPath, [LAUNCHER, command, 'cmp01', '--inventory', dir], { encoding: 'utf8' }).stdout,
      );
    }
  });
});
