// `reclass-net salt` and `reclass-net ansible` as commands: the output of the functions the
// differential test compares with reclass 1.7, in both formats; `_meta.hostvars`; usage
// mistakes exit 2 and model errors exit 1, each with one paragraph on stderr.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ansibleHost } from '../../src/adapters/ansible.js';
import { saltPillar } from '../../src/adapters/salt.js';
import { pythonJson } from '../../src/cli/output.js';
import { openInventory } from '../../src/index.js';
import { ROOT } from './oracle.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli/launch.cjs', import.meta.url));
const NODE = 'cmp01.mcp-lab.local';

function cli(...args: string[]) {
  return cliOn(ROOT, ...args);
}

function cliOn(inventory: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--inventory', inventory], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('reclass-net salt', () => {
  it('--pillar prints ext_pillar, JSON as reclass prints it and YAML by default', async () => {
    const inv = await openInventory(ROOT, { provenance: false });
    const expected = pythonJson(saltPillar(inv.rawNode(NODE), NODE));
    const json = cli('salt', '--pillar', NODE, '--format', 'json');
    expect(json.stderr).toBe('');
    expect(json.stdout).toBe(expected + '\n');
    const yaml = cli('salt', '--pillar', NODE);
    expect(yaml.status).toBe(0);
    expect(parse(yaml.stdout, { version: '1.1' })).toEqual(JSON.parse(expected));
  });

  it('--top with and without a minion, and --ext-nodes as master_tops reads it', async () => {
    expect(JSON.parse(cli('salt', '--top', '--minion-id', NODE, '--format', 'json').stdout)).toEqual({ base: [] });
    const all = JSON.parse(cli('salt', '--top', '--format', 'json').stdout) as { base: Record<string, string[]> };
    expect(Object.keys(all)).toEqual(['base']);
    expect(all.base[NODE]).toEqual([]);
    const inv = await openInventory(ROOT, { provenance: false });
    expect(Object.keys(all.base).sort()).toEqual([...inv.nodeNames()].sort());
    const ext = cli('salt', '--ext-nodes', NODE);
    expect(ext.status).toBe(0);
    expect(parse(ext.stdout)).toEqual({ classes: [], environment: 'base' });
  });

  it('refuses a wrong combination of options with exit 2 and an unknown minion with exit 1', () => {
    for (const args of [
      ['salt'],
      ['salt', '--top', '--pillar', NODE],
      ['salt', '--pillar', NODE, '--minion-id', NODE],
      ['salt', '--list'],
    ]) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    const missing = cli('salt', '--pillar', 'nosuch.example');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^reclass-net: .*nosuch\.example.*\n$/);
  });
});

/** `ansible --host`'s variables, as far as the tests read them. */
interface HostVars {
  __reclass__: { node: string; timestamp?: string };
  linux: { system: { name: string } };
}
/** `ansible --list`: groups of hosts, and every host's variables under _meta. */
type HostList = { _meta: { hostvars: Record<string, HostVars> } } & Record<string, string[]>;

describe('reclass-net ansible', () => {
  it('--list adds _meta.hostvars: every host with its --host variables', async () => {
    const r = cli('ansible', '--list');
    expect(r.stderr).toBe('');
    const list = JSON.parse(r.stdout) as HostList;
    const inv = await openInventory(ROOT, { provenance: false });
    expect(Object.keys(list._meta.hostvars)).toEqual(inv.nodeNames());
    const host = JSON.parse(pythonJson(ansibleHost(inv.rawNode(NODE)))) as HostVars;
    delete host.__reclass__.timestamp;
    delete list._meta.hostvars[NODE].__reclass__.timestamp;
    expect(list._meta.hostvars[NODE]).toEqual(host);
    expect(list['system.linux.system.single']).toContain(NODE);
  });

  it('--host prints the host variables; YAML on request', () => {
    const json = JSON.parse(cli('ansible', '--host', NODE).stdout) as HostVars;
    expect(json.__reclass__.node).toBe(NODE);
    expect(json.linux.system.name).toBe('cmp01');
    const yaml = parse(cli('ansible', '--host', NODE, '--format', 'yaml').stdout, { version: '1.1' }) as HostVars;
    expect(yaml.linux.system.name).toBe('cmp01');
    expect(cli('ansible', '--list', '--host', NODE).status).toBe(2);
  });

  it('refuses an applications_postfix that is not a scalar with one line and exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reclass-net-postfix-'));
    try {
      mkdirSync(join(dir, 'nodes'));
      mkdirSync(join(dir, 'classes'));
      writeFileSync(join(dir, 'nodes', 'web01.yml'), 'applications: [nginx]\n');
      writeFileSync(join(dir, 'reclass-config.yml'), 'applications_postfix: {a: 1}\n');
      const r = cliOn(dir, 'ansible', '--list');
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^reclass-net: .*applications_postfix.*must be a string.*\n$/);
      writeFileSync(join(dir, 'reclass-config.yml'), 'applications_postfix: _servers\n');
      expect((JSON.parse(cliOn(dir, 'ansible', '--list').stdout) as HostList)['nginx_servers']).toEqual(['web01']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
