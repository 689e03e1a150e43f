/**
 * The installed command (src/cli/launch.cts): the bundle it runs behaves as the ES modules
 * do, V8 takes the code cache the build wrote, the shebang keeps NODE_EXTRA_CA_CERTS from
 * Node, and without a bundle it falls back to the modules.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';

// The compiled module: vitest reads a .cts file as JavaScript, without its types.
const {
  ENGINE_FLAGS,
  MANY_NODES_FLAGS,
  ONE_NODE_FLAGS,
  SMALL_INVENTORY_FLAGS,
  codeCacheFor,
  engineFlagsFor,
  resolvesManyNodes,
} = createRequire(import.meta.url)(
  '../../dist/src/cli/engine-flags.cjs',
) as typeof import('../../src/cli/engine-flags.cjs');

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const LAUNCHER = join(REPO, 'dist/src/cli/launch.cjs');
const BUNDLE = join(REPO, 'dist/cli/reclass-net.cjs');
const ESM_ENTRY = join(REPO, 'dist/src/cli/main.js');
const scratch = mkdtempSync(join(tmpdir(), 'reclass-net-launch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the installed command', () => {
  it('is what package.json installs, executable', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(join(REPO, pkg.bin['reclass-net'])).toBe(LAUNCHER);
    expect(() => accessSync(LAUNCHER, constants.X_OK)).not.toThrow();
  });

  it.each([
    ['node', 'cmp01', '--format', 'json'],
    // YAML, printed by the build's one-file copy of the yaml package (scripts/bundle-cli.mjs).
    ['node', 'cmp01'],
    ['render', 'cmp01', '--format', 'json'],
    ['node', 'no-such-node'],
  ])('gives what the ES modules give: %s %s', (...args) => {
    const viaBundle = spawnSync(process.execPath, [LAUNCHER, ...args], { encoding: 'utf8' });
    const viaModules = spawnSync(process.execPath, [ESM_ENTRY, ...args], { encoding: 'utf8' });
    expect(viaBundle.status).toBe(viaModules.status);
    expect(viaBundle.stdout).toBe(viaModules.stdout);
    expect(viaBundle.stderr).toBe(viaModules.stderr);
  });

  it('finds the example model, templates and worker from the bundle', () => {
    const out = join(scratch, 'rendered');
    const r = spawnSync(process.execPath, [LAUNCHER, 'render', 'cmp01', '--out', out], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(out, 'cmp01.mcp-lab.local/etc/network/interfaces'), 'utf8')).toMatch(/^auto lo$/m);
  });

  it('gives the commands that render the code cache that holds the renderer', () => {
    for (const args of [
      ['render', 'cmp01'],
      ['--debug', 'validate'],
      ['diff', 'cmp01'],
      ['apply', 'cmp01'],
    ])
      expect(codeCacheFor(args)).toBe('render');
    for (const args of [['node', 'cmp01'], ['inventory'], ['explain', 'cmp01', 'a:b'], ['help'], []])
      expect(codeCacheFor(args)).toBe('resolve');
  });

  it('grows the young generation faster for commands that resolve many nodes, and optimises only there', () => {
    for (const args of [
      ['node', 'cmp01'],
      ['render', 'cmp01', '--format', 'json'],
      ['explain', 'cmp01', 'a:b'],
      ['diff', 'cmp01'],
    ]) {
      expect(resolvesManyNodes(args)).toBe(false);
      expect(engineFlagsFor(args)).toBe(`${ENGINE_FLAGS} ${ONE_NODE_FLAGS}`);
    }
    expect(resolvesManyNodes(['inventory'])).toBe(true);
    for (const args of [['inventory', '--format', 'json'], ['validate'], ['validate', 'cmp01']])
      expect(engineFlagsFor(args)).toBe(`${ENGINE_FLAGS} ${SMALL_INVENTORY_FLAGS}`);
    for (const args of [['render', '--all'], ['nodes'], ['serve'], ['--help'], []]) {
      expect(resolvesManyNodes(args)).toBe(true);
      expect(engineFlagsFor(args)).toBe(`${ENGINE_FLAGS} ${MANY_NODES_FLAGS}`);
    }
  });

  it('has a code cache that V8 accepts', () => {
    // Under the engine flags the command sets before compiling the bundle (for every command).
    const check = `
      require('node:v8').setFlagsFromString(${JSON.stringify(ENGINE_FLAGS)});
      const { readFileSync } = require('node:fs');
      const { Script } = require('node:vm');
      const s = new Script(readFileSync(process.argv[1], 'latin1'), { filename: process.argv[1], cachedData: readFileSync(process.argv[1] + process.argv[2]) });
      process.stdout.write(String(s.cachedDataRejected));`;
    for (const cache of ['.v8cache', '.render.v8cache'])
      expect(execFileSync(process.execPath, ['-e', check, BUNDLE, cache], { encoding: 'utf8' })).toBe('false');
  });

  it("has a code cache of the yaml package's copy that V8 accepts in a one-node command", () => {
    // Under the flags in force when such a command loads it, after the bundle's compilation.
    const check = `
      require('node:v8').setFlagsFromString(${JSON.stringify(engineFlagsFor(['node', 'cmp01']))});
      const { readFileSync } = require('node:fs');
      const { Script } = require('node:vm');
      const s = new Script(readFileSync(process.argv[1], 'latin1'), { filename: process.argv[1], cachedData: readFileSync(process.argv[1] + '.v8cache') });
      process.stdout.write(String(s.cachedDataRejected));`;
    const yamlCopy = join(REPO, 'dist/cli/yaml.cjs');
    expect(execFileSync(process.execPath, ['-e', check, yamlCopy], { encoding: 'utf8' })).toBe('false');
  });

  it('records, for the build, the code of every call it runs in one process', () => {
    const record = (...args: string[]) => {
      const cache = join(scratch, `cache-${args.length}`);
      const r = spawnSync(process.execPath, [LAUNCHER, ...args], {
        env: { ...process.env, RECLASS_NET_WRITE_CODE_CACHE: cache },
        encoding: 'utf8',
      });
      expect(r.status).toBe(0);
      return { stdout: r.stdout, size: readFileSync(cache).length };
    };
    const nodeCall = ['node', 'cmp01', '--format', 'json'];
    const renderCall = ['render', 'cmp01', '--format', 'json'];
    const alone = record(...nodeCall);
    const both = record(...nodeCall, '--then', ...renderCall);
    // Both outputs, whatever their order: the calls run side by side.
    expect(both.stdout).toContain('"__reclass__"');
    expect(both.stdout).toContain('"ovsScript"');
    expect(alone.stdout).not.toContain('"ovsScript"');
    // The renderer's functions are in the second cache only.
    expect(both.size).toBeGreaterThan(alone.size);
  });

  it('keeps NODE_EXTRA_CA_CERTS from Node when run as a program', () => {
    // Node warns about a certificate file it cannot load, so the warning shows whether the
    // variable reached it.
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(scratch, 'no-such-bundle.pem') };
    const direct = spawnSync(process.execPath, ['-e', '0'], { env, encoding: 'utf8' });
    expect(direct.stderr).toMatch(/extra certs/i);
    const r = spawnSync(LAUNCHER, ['node', 'cmp01'], { env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it("sizes V8's helper threads to the machine when run as a program", () => {
    const launcher = unbundledLauncher('pool', "process.stdout.write(process.execArgv.join(' '));");
    expect(execFileSync(launcher, { encoding: 'utf8' })).toBe('--v8-pool-size=0');
  });

  it('falls back to the ES modules when there is no bundle', () => {
    const launcher = unbundledLauncher(
      'unbundled',
      "process.stdout.write('modules ' + process.argv.slice(2).join(' '));",
    );
    expect(execFileSync(process.execPath, [launcher, 'node', 'x'], { encoding: 'utf8' })).toBe('modules node x');
  });
});

/** The built launcher in a tree of its own without the bundle, with `main` as main.js. */
function unbundledLauncher(name: string, main: string): string {
  const dir = join(scratch, name, 'dist/src/cli');
  mkdirSync(dir, { recursive: true });
  for (const file of ['launch.cjs', 'engine-flags.cjs'])
    copyFileSync(join(REPO, 'dist/src/cli', file), join(dir, file));
  writeFileSync(join(dir, 'main.js'), `${main}\n`);
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
  return join(dir, 'launch.cjs');
}
