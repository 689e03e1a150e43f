// `inventory --format json` splits large inventories over two threads; the output must be
// exactly what one thread writes, node order and the class/application maps included.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openInventory } from '../../src/index.js';
import { streamInventoryJson } from '../../src/cli/node-output.js';
import { MIN_NODES_FOR_WORKER } from '../../src/cli/node-output.js';

const cli = fileURLToPath(new URL('../../dist/src/cli/launch.cjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'reclass-net-inv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeInventory(nodes: number, dir: string, broken: number[] = []): void {
  mkdirSync(join(dir, 'classes/role'), { recursive: true });
  mkdirSync(join(dir, 'nodes/site'), { recursive: true });
  writeFileSync(
    join(dir, 'classes/common.yml'),
    'applications: [linux]\nparameters:\n  _param: {mtu: 1500}\n  mtu: ${_param:mtu}\n',
  );
  for (const role of ['ctl', 'cmp', 'gtw']) {
    writeFileSync(
      join(dir, `classes/role/${role}.yml`),
      `classes: [common]\napplications: [${role}]\nparameters:\n  role: ${role}\n  list: [${role}]\n`,
    );
  }
  for (let i = 0; i < nodes; i++) {
    const role = ['ctl', 'cmp', 'gtw'][i % 3];
    const extra = broken.includes(i) ? '  bad: ${_param:nope}\n' : '';
    writeFileSync(
      join(dir, `nodes/site/${role}${i}.lab.yml`),
      `classes: [role.${role}]\nparameters:\n  _param: {mtu: ${1500 + i}}\n  n: ${i}\n${extra}`,
    );
  }
}

describe('inventory --format json', () => {
  it('writes the same document from two threads as from one', async () => {
    const count = MIN_NODES_FOR_WORKER + 40;
    makeInventory(count, dir);
    const r = spawnSync(process.execPath, [cli, 'inventory', '--inventory', dir, '--format', 'json'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const inv = await openInventory(dir, { provenance: false });
    let sequential = '';
    await streamInventoryJson(inv, (chunk) => void (sequential += chunk));
    expect(r.stdout).toBe(sequential);
    const doc = JSON.parse(r.stdout) as {
      nodes: Record<string, { parameters: { mtu?: unknown } }>;
      applications: Record<string, string[]>;
      classes: Record<string, string[]>;
    };
    expect(Object.keys(doc.nodes)).toHaveLength(count);
    expect(doc.nodes['cmp1.lab'].parameters.mtu).toBe(1501);
    expect(doc.applications.linux).toHaveLength(count);
    expect(doc.classes['role.gtw'][0]).toBe(inv.nodeNames().find((n) => n.startsWith('gtw')));
  });

  it('gives the warnings one thread gives, in node order, whichever thread resolved the node', async () => {
    const count = MIN_NODES_FOR_WORKER + 40;
    const warned = join(dir, 'warned');
    makeInventory(count, warned);
    writeFileSync(join(warned, 'reclass-config.yml'), 'ignore_class_notfound: True\n');
    // Nodes at both ends of the order, so that each thread meets some (the worker takes the back).
    for (const i of [3, 4, count - 4, count - 3]) {
      const role = ['ctl', 'cmp', 'gtw'][i % 3];
      writeFileSync(
        join(warned, `nodes/site/${role}${i}.lab.yml`),
        `classes: [role.${role}, missing.for${i}]\nparameters:\n  n: ${i}\n`,
      );
    }
    const r = spawnSync(process.execPath, [cli, 'inventory', '--inventory', warned, '--format', 'json'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.status).toBe(0);
    const oneThread: string[] = [];
    const inv = await openInventory(warned, { provenance: false, warn: (m) => oneThread.push(`[WARNING] ${m}\n`) });
    let sequential = '';
    await inv.listing(() => streamInventoryJson(inv, (chunk) => void (sequential += chunk)));
    expect(r.stdout).toBe(sequential);
    // reclass's first pass over every node, then each node's own: eight in all.
    expect(oneThread).toHaveLength(8);
    expect(r.stderr).toBe(oneThread.join(''));
  });

  it('reports the first failing node in node order, whichever thread met it', async () => {
    const count = MIN_NODES_FOR_WORKER + 40;
    const broken = join(dir, 'broken');
    // Files are named by index; which index comes first depends on the directory order.
    makeInventory(count, broken, [7, count - 7]);
    const inv = await openInventory(broken, { provenance: false });
    const failing = inv.nodeNames().filter((n) => /^(?:ctl|cmp|gtw)(?:7|2033)\.lab$/.test(n));
    expect(failing).toHaveLength(2);
    const r = spawnSync(process.execPath, [cli, 'inventory', '--inventory', broken, '--format', 'json'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`node ${failing[0]}`);
    expect(r.stderr).not.toContain(`node ${failing[1]}`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
