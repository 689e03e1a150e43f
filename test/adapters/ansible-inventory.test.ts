// Debian's Ansible reads `reclass-net ansible` as an executable dynamic inventory, through
// the wrapper script docs/ansible.md describes: ansible-inventory lists the embedded model's
// hosts and groups, and `ansible all --list-hosts` every host.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openInventory } from '../../src/index.js';
import { ROOT } from './oracle.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli/launch.cjs', import.meta.url));
const available = spawnSync('ansible-inventory', ['--version'], { stdio: 'ignore' }).status === 0;
if (!available) console.warn('test/adapters: Debian ansible is not installed (.ci/run installs it); skipping');

const dir = mkdtempSync(join(tmpdir(), 'reclass-net-ansible-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = join(dir, 'reclass-net-inventory');
writeFileSync(script, `#!/bin/sh\nexec '${process.execPath}' '${CLI}' ansible --inventory '${ROOT}' "$@"\n`);
chmodSync(script, 0o755);
// Ansible's own state (~/.ansible) stays in the temp dir.
const env = { ...process.env, HOME: dir, ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'), ANSIBLE_NOCOLOR: '1' };

/** What ansible-inventory --list prints, as far as the test reads it. */
type AnsibleInventory = {
  _meta: { hostvars: Record<string, { linux: { system: { name: string } } }> };
  all: { children: string[] };
} & Record<string, { hosts: string[] }>;

describe.skipIf(!available)('Ansible with reclass-net as its dynamic inventory', () => {
  it('ansible-inventory --list shows every host, its variables and the class groups', async () => {
    const out = JSON.parse(
      execFileSync('ansible-inventory', ['-i', script, '--list'], {
        env,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      }),
    ) as AnsibleInventory;
    const inv = await openInventory(ROOT, { provenance: false });
    const names = inv.nodeNames();
    expect(Object.keys(out._meta.hostvars).sort()).toEqual([...names].sort());
    expect(out._meta.hostvars['cmp01.mcp-lab.local'].linux.system.name).toBe('cmp01');
    const node = inv.rawNode('cmp01.mcp-lab.local');
    for (const cls of node.classes) {
      expect(out.all.children, cls).toContain(cls);
      expect(out[cls].hosts, cls).toContain('cmp01.mcp-lab.local');
    }
  });

  it('ansible all --list-hosts lists every host', async () => {
    const out = execFileSync('ansible', ['-i', script, 'all', '--list-hosts'], { env, encoding: 'utf8' });
    const inv = await openInventory(ROOT, { provenance: false });
    expect(out).toContain(`hosts (${inv.nodeNames().length}):`);
    const listed = out
      .split('\n')
      .slice(1)
      .map((l) => l.trim())
      .filter(Boolean);
    expect(listed.sort()).toEqual([...inv.nodeNames()].sort());
  });
});
