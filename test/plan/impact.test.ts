// impact on two copies of a corpus model that differ in one _param lists exactly the nodes
// whose classes use it; --git compares the inventory with a revision of its own history.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openInventory } from '../../dist/src/api/inventory.js';
import { modelImpact } from '../../dist/src/plan/impact.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(repo, 'dist/src/cli/launch.cjs');
const corpus = join(repo, '../shared/corpus/mcp-ocata-ovs/inventory');
const compute = 'classes/cluster/virtual-mcp-ocata-ovs/openstack/compute.yml';
const scratch = mkdtempSync(join(tmpdir(), 'reclass-net-impact-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function copies(): [string, string] {
  const [a, b] = [join(scratch, 'old'), join(scratch, 'new')];
  cpSync(corpus, a, { recursive: true });
  cpSync(corpus, b, { recursive: true });
  const file = join(b, compute);
  writeFileSync(file, readFileSync(file, 'utf8').replace('interface_mtu: 9000', 'interface_mtu: 1500'));
  return [a, b];
}

describe('impact', () => {
  const [oldDir, newDir] = copies();

  it('lists exactly the nodes whose classes set the changed _param', async () => {
    const inv = await openInventory(oldDir);
    const users: string[] = [];
    for (const name of inv.nodeNames())
      if ((await inv.node(name)).classes.includes('cluster.virtual-mcp-ocata-ovs.openstack.compute')) users.push(name);
    expect(users.length).toBeGreaterThan(0);
    const impact = await modelImpact(oldDir, newDir);
    expect(impact.changed.map((n) => n.node).sort()).toEqual(users.sort());
    expect([impact.added, impact.removed]).toEqual([[], []]);
    const first = impact.changed[0];
    expect(first.files.map((f) => f.path)).toContain('etc/network/interfaces');
    expect(first.files[0].diff).toContain('+    mtu 1500');
  });

  it('reports added and removed nodes, publishes no machine path, and answers in JSON', () => {
    const grown = join(scratch, 'grown');
    cpSync(newDir, grown, { recursive: true });
    rmSync(join(grown, 'nodes/_generated/ctl03.virtual-mcp-ocata-ovs.local.yml'));
    writeFileSync(
      join(grown, 'nodes/extra01.yml'),
      'classes:\n  - cluster.virtual-mcp-ocata-ovs.openstack.compute\nparameters:\n  _param:\n    single_address: 10.1.0.99\n',
    );
    const r = spawnSync(process.execPath, [cli, 'impact', oldDir, grown, '--format', 'json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { added: string[]; removed: string[] };
    expect(report.added).toEqual(['extra01']);
    expect(report.removed).toEqual(['ctl03.virtual-mcp-ocata-ovs.local']);
    expect(r.stdout).not.toContain(scratch);
    const bad = spawnSync(process.execPath, [cli, 'impact', oldDir, grown, '--format', 'yaml'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });

  it('--git REV compares the working tree with a revision', () => {
    const work = join(scratch, 'git');
    cpSync(oldDir, join(work, 'model'), { recursive: true });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: work, encoding: 'utf8' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'base');
    cpSync(join(newDir, compute), join(work, 'model', compute));
    const r = spawnSync(
      process.execPath,
      [cli, 'impact', '--git', 'HEAD', '--inventory', join(work, 'model'), '--detailed-exit-codes'],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^impact HEAD -> model: \d+ nodes changed, 0 added, 0 removed/);
    expect(r.stdout).toContain('=== node cmp01.virtual-mcp-ocata-ovs.local');
  });
});
