/**
 * Which commands read the whole class tree. `node` answers as `reclass -n` does, and reclass
 * enumerates every class first: a class defined twice anywhere fails the command, even where
 * the node never looks. `render`, `explain`, `diff NODE` and `validate NODE` look up only the
 * directories the node's class names can be in (docs/reclass-compatibility.md), so an unrelated broken class does not stop
 * a host's render.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../dist/src/cli/launch.cjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'reclass-net-listing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

mkdirSync(join(dir, 'classes/other'), { recursive: true });
mkdirSync(join(dir, 'nodes'));
writeFileSync(
  join(dir, 'classes/base.yml'),
  'parameters:\n  linux:\n    network:\n      interface:\n        eth0: {type: eth, address: 10.0.0.2, netmask: 255.255.255.0}\n',
);
writeFileSync(join(dir, 'classes/other.yml'), 'parameters: {a: 1}\n');
writeFileSync(join(dir, 'classes/other/init.yml'), 'parameters: {a: 2}\n');
writeFileSync(join(dir, 'nodes/n1.yml'), 'classes:\n- base\n');

const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args, '--inventory', dir], { encoding: 'utf8' });

describe('a class defined twice where the node never looks', () => {
  it('fails node, as reclass -n fails', () => {
    const r = run('node', 'n1');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/class 'other' .* collides with the definition/);
  });

  it('does not stop validate or diff of that node, but stops validate of every node', () => {
    const validate = run('validate', 'n1');
    expect(validate.stderr).toBe('');
    expect(validate.status).toBe(0);
    expect(run('validate').stderr).toMatch(/class 'other' .* collides with the definition/);
    const root = join(dir, 'host');
    mkdirSync(root, { recursive: true });
    const diff = run('diff', 'n1', '--root', root);
    expect(diff.stderr).not.toMatch(/collides/);
    expect(diff.stdout).toContain('+iface eth0 inet static');
  });

  it('does not stop render', () => {
    const r = run('render', 'n1');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('address 10.0.0.2/24');
  });
});
