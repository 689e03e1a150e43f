// `render NAME... | --all --out DIR`: every node reported, one failing node not stopping the
// others (exit 1 at the end), the files of each under DIR/NODE/.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// The built modules: the worker thread runs dist/src/plan/render-worker.js.
import { renderMany } from '../../dist/src/plan/render-many.js';
import { openInventory } from '../../dist/src/api/inventory.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(repo, 'dist/src/cli/launch.cjs');
const corpus = join(repo, '../shared/corpus/mcp-ocata-ovs/inventory');
const scratch = mkdtempSync(join(tmpdir(), 'reclass-net-many-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: scratch });

describe('render many', () => {
  it('renders every node of a model with one broken node, reports each, and exits 1', () => {
    const model = join(scratch, 'model');
    cpSync(corpus, model, { recursive: true });
    // The corpus ignores missing classes (ignore_class_notfound), so break a reference instead.
    writeFileSync(
      join(model, 'nodes/broken.yml'),
      'parameters:\n  linux:\n    network:\n      interface:\n        eth0:\n          type: eth\n          mtu: ${_param:no_such_param}\n',
    );
    const out = join(scratch, 'out');
    const r = run(['render', '--all', '--out', out, '--inventory', model]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^broken: FAILED: .*no_such_param/m);
    expect(r.stdout).toMatch(/^cmp01\.virtual-mcp-ocata-ovs\.local: \d+ files$/m);
    expect(existsSync(join(out, 'cmp01.virtual-mcp-ocata-ovs.local/etc/network/interfaces'))).toBe(true);
    expect(existsSync(join(out, 'broken'))).toBe(false);
  });

  it('takes globs and prints one file alone with --file', () => {
    const r = run(['render', 'ctl*', '--format', 'json', '--inventory', corpus]);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { nodes: { node: string }[] }).nodes.map((n) => n.node).sort()).toEqual([
      'ctl01.virtual-mcp-ocata-ovs.local',
      'ctl02.virtual-mcp-ocata-ovs.local',
      'ctl03.virtual-mcp-ocata-ovs.local',
    ]);
    const one = run(['render', 'ctl01', '--file', 'interfaces', '--inventory', corpus]);
    expect(one.status).toBe(0);
    expect(one.stdout.startsWith('# Network interfaces of node ctl01.')).toBe(true);
    const missing = run(['render', 'ctl01', '--file', 'nope', '--inventory', corpus]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('etc/network/interfaces');
  });

  it('gives the same outcomes on two threads as one node at a time', async () => {
    const inv = await openInventory(repo);
    const names = inv.nodeNames();
    expect(names.length).toBeGreaterThanOrEqual(24); // enough for the worker thread
    const both = await renderMany(repo, names, {}, inv);
    expect(both.map((o) => o.name)).toEqual(names);
    for (const name of [names[0], names.at(-1)!]) {
      const alone = await renderMany(repo, [name], {});
      expect(both.find((o) => o.name === name)).toEqual(alone[0]);
    }
  });
});
