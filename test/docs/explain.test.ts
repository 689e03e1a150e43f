/**
 * `reclass-net explain NODE KEY:PATH` names every class file and line on a value's way.
 *
 * The embedded model has no MTU that a cluster class overrides (its clusters take the system
 * defaults), so the full case (set in a system class, the `_param` it references overridden in a
 * cluster class) runs on the lab fixture; the embedded model's cmp01 is checked for a value set,
 * overridden by a later system class, and referenced.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, LAB, REPO } from './helpers.js';

function explain(args: string[]) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  const r = spawnSync(process.execPath, [CLI, 'explain', ...args], { encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

/** `FILE:LINE:COL` positions in explain's output, in order. */
function positions(output: string): Array<{ file: string; line: number; text: string }> {
  return [...output.matchAll(/ at (\S+):(\d+):(\d+)$/gm)].map((m) => ({ file: m[1], line: Number(m[2]), text: m[0] }));
}

/** The source line a position points at (the proof that the line is the right one). */
function sourceLine(file: string, line: number, root = REPO): string {
  return readFileSync(isAbsolute(file) ? file : join(root, file), 'utf8').split('\n')[line - 1];
}

describe('explain', () => {
  it('names each file and line: set in a system class, referenced, default overridden by the cluster', () => {
    const out = explain(['cmp01', 'linux:network:interface:eth1:mtu', '--inventory', LAB]);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('cmp01.lab.local linux:network:interface:eth1:mtu = 9000');
    // Published output names files relative to the inventory, never by the machine's path.
    const cls = (rel: string) => `classes/${rel}`;
    expect(lines.slice(1)).toEqual([
      `  1. set "\${_param:data_mtu}" by system.linux.network.ovs at ${cls('system/linux/network/ovs.yml')}:20:16`,
      `  2. through \${_param:data_mtu} by system.linux.network.ovs at ${cls('system/linux/network/ovs.yml')}:20:16`,
      `  3. set "1500" by system.linux.network.defaults at ${cls('system/linux/network/defaults.yml')}:5:15`,
      `  4. override "9000" by cluster.lab at ${cls('cluster/lab/init.yml')}:4:15`,
    ]);
    const where = positions(out);
    expect(sourceLine(where[0].file, where[0].line, LAB)).toContain('mtu: ${_param:data_mtu}');
    expect(sourceLine(where[2].file, where[2].line, LAB)).toContain('data_mtu: 1500');
    expect(sourceLine(where[3].file, where[3].line, LAB)).toContain('data_mtu: 9000');
  });

  it('follows an embedded-model value through an override and its references (cmp01 primary_interface)', () => {
    const out = explain(['cmp01', 'linux:network:interface:primary_interface:mtu']);
    expect(out.split('\n')[0]).toBe('cmp01.mcp-lab.local linux:network:interface:primary_interface:mtu = 1500');
    expect(out).toMatch(/^ {2}\d+\. set "\$\{_param:mgmt_mtu\}" by system\.linux\.network\.interface\.ovs_vxlan at /m);
    expect(out).toMatch(
      /^ {2}\d+\. override "\$\{_param:mgmt_mtu\}" by system\.linux\.network\.interface\.vlan\.primary at /m,
    );
    expect(out).toMatch(/^ {2}\d+\. through \$\{_param:mgmt_mtu\} by /m);
    const where = positions(out);
    expect(where.length).toBeGreaterThanOrEqual(4);
    // Every position names a real file and a line that writes the value or the _param it uses.
    for (const { file, line, text } of where) {
      expect(isAbsolute(file), text).toBe(false);
      expect(existsSync(join(REPO, file)), text).toBe(true);
      expect(sourceLine(file, line), text).toMatch(/\bmtu: \$\{_param:mgmt_mtu\}|\bmgmt_mtu: \d+/);
    }
    const files = new Set(where.map((w) => w.file.replace(REPO, '')));
    expect(files).toEqual(
      new Set([
        'system/linux/network/interface/ovs_vxlan.yml',
        'system/linux/network/defaults.yml',
        'system/linux/network/interface/vlan/primary.yml',
      ]),
    );
  });

  it('explains a container key by key: every value of linux:network:interface with its file and line', async () => {
    const out = explain(['cmp01', 'linux:network:interface']);
    const lines = out.trimEnd().split('\n');
    const { openInventory } = await import('../../src/index.js');
    const node = await (await openInventory(REPO)).node('cmp01');
    const table = (node.parameters.linux as { network: { interface: unknown } }).network.interface;
    const leafPaths: string[] = [];
    const walk = (v: unknown, path: string[]) => {
      if (v !== null && typeof v === 'object' && Object.keys(v).length > 0)
        for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      else leafPaths.push(path.join(':'));
    };
    walk(table, ['linux', 'network', 'interface']);
    expect(lines[0]).toBe(`cmp01.mcp-lab.local linux:network:interface: ${leafPaths.length} values, key by key`);
    expect(out).not.toContain('no recorded history');
    const shown = lines.filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(' = ')[0]);
    expect(shown).toEqual(leafPaths);
    // Under each value, the steps; each names a real file and a line that writes the key
    // (or the _param it goes through).
    let current = '';
    let refs: string[] = [];
    for (const line of lines.slice(1)) {
      if (/^ {2}\S/.test(line)) {
        current = line.trim().split(' = ')[0];
        refs = [];
      }
      const through = /through \$\{([^}]+)\}/.exec(line);
      if (through) refs.push(through[1].split(':').pop()!);
      const m = / at (\S+):(\d+):\d+$/.exec(line);
      if (!m || !/^ {4}\d+\. (set|merge|override) /.test(line)) continue;
      const source = sourceLine(m[1], Number(m[2]));
      const keys = [current.split(':').pop()!, ...refs].filter((k) => !/^\d+$/.test(k));
      const writes = keys.some((k) => source.includes(`${k}:`)) || source.trim().startsWith('- ');
      expect(writes, `${line} -> ${source}`).toBe(true);
    }
  });
});
