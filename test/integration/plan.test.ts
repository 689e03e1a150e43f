/**
 * The operator's loop on a namespace host with its own ovsdb-server and ovs-vswitchd: the real
 * `reclass-net diff` and `reclass-net apply` drive the real ifup, ifdown, ovs-vsctl and
 * ovsdb-client (see harness/host-command.ts). The model is test/fixtures/plan-host, one NIC
 * in an OVS bridge; the changes are a new MTU, a new bridge, and a new bridge whose ifup
 * fails, which must be rolled back to the same files, kernel and OVS state.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { detectCapabilities, missing } from './harness/capabilities.js';
import { Cleanup } from './harness/cleanup.js';
import { diffHostStates } from './harness/host-state.js';
import { type CommandHost, prepareRoot, reclassNetOnHost } from './harness/host-command.js';
import { readHostState } from './harness/lifecycle.js';
import { Netns, addVethNics } from './harness/netns.js';
import { Ovs } from './harness/ovs.js';
import { makeTempDir, removeTempDir } from './harness/tempdir.js';

const fixture = fileURLToPath(new URL('../fixtures/plan-host', import.meta.url));
const caps = await detectCapabilities();
const blocker = missing(caps, 'root', 'netns', 'unshare', 'ifupdown', 'ovs', 'ovsIfupdownHook', 'tun');
const scratch = mkdtempSync(join(tmpdir(), 'reclass-net-plan-'));
const cleanup = new Cleanup();
afterAll(async () => {
  await cleanup.run();
  rmSync(scratch, { recursive: true, force: true });
});

/** A copy of the fixture whose node takes `classes` (beyond cluster.lab.host) and `mtu`. */
function model(name: string, extraClasses: string[], mtu = 1500): string {
  const dir = join(scratch, name);
  cpSync(fixture, dir, { recursive: true });
  const classes = ['cluster.lab.host', ...extraClasses].map((c) => `  - ${c}\n`).join('');
  writeFileSync(
    join(dir, 'nodes/host01.lab.local.yml'),
    `classes:\n${classes}parameters:\n  _param:\n    ex_mtu: ${mtu}\n`,
  );
  return dir;
}

describe('diff and apply on a namespace host', () => {
  it.skipIf(blocker)(
    'a matching host reports 0; an MTU or a new bridge reports 2; apply converges; a failed ifup is rolled back',
    async () => {
      const ns = await Netns.create();
      cleanup.defer(`delete ${ns.name}`, () => ns.destroy());
      const peer = await Netns.create('p');
      cleanup.defer(`delete ${peer.name}`, () => peer.destroy());
      await addVethNics(ns, peer, ['ens3']);
      const ovs = await Ovs.start(ns, await makeTempDir());
      cleanup.defer(`remove ${ovs.dir}`, () => removeTempDir(ovs.dir));
      cleanup.defer('stop OVS', () => ovs.stop());
      const dir = await makeTempDir();
      cleanup.defer(`remove ${dir}`, () => removeTempDir(dir));
      const host: CommandHost = { ns, ovs, root: join(dir, 'root'), dir };
      await prepareRoot(host);
      const cli = (args: string[], inventory: string) =>
        reclassNetOnHost(host, [
          ...args,
          'host01',
          '--inventory',
          inventory,
          '--root',
          host.root,
          '--ovsdb',
          ovs.socket,
        ]);

      const base = model('base', []);
      const first = await cli(['apply'], base);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('+iface br-ex inet static');

      const same = await cli(['diff', '--detailed-exit-codes'], base);
      expect([same.code, same.stdout, same.stderr]).toEqual([0, '', '']);

      const mtu = await cli(['diff', '--detailed-exit-codes'], model('mtu', [], 1450));
      expect(mtu.code).toBe(2);
      expect(mtu.stdout).toContain('-    mtu 1500\n');
      expect(mtu.stdout).toContain('+    mtu 1450\n');
      expect(mtu.stdout).toMatch(/^ovs-vsctl --db=unix:\S+ set Interface br-ex mtu_request=1450$/m);

      const bridge = await cli(['diff', '--detailed-exit-codes'], model('bridge', ['cluster.lab.new_bridge']));
      expect(bridge.code).toBe(2);
      expect(bridge.stdout).toContain('+iface br-new inet static\n');
      expect(bridge.stdout).toMatch(
        /^ovs-vsctl --db=unix:\S+ --may-exist add-br br-new -- set Bridge br-new datapath_type=netdev -- set Interface br-new mtu_request=1500$/m,
      );

      // A failing ifup: everything as it was, files, kernel and OVS.
      const before = await readHostState({ ns, ovs });
      const interfaces = readFileSync(join(host.root, 'etc/network/interfaces'), 'utf8');
      const broken = await cli(['apply'], model('broken', ['cluster.lab.new_bridge_broken'], 1450));
      expect(broken.code).toBe(1);
      expect(broken.stderr).toMatch(
        /^reclass-net: OutputError: apply: ifup br-new failed.*restored, for node host01\.lab\.local$/m,
      );
      expect(readFileSync(join(host.root, 'etc/network/interfaces'), 'utf8')).toBe(interfaces);
      expect(diffHostStates(before, await readHostState({ ns, ovs }))).toEqual([]);
      const stillSame = await cli(['diff', '--detailed-exit-codes'], base);
      expect([stillSame.code, stillSame.stdout]).toEqual([0, '']);

      // The change applied for real, then nothing left to do.
      const both = model('both', ['cluster.lab.new_bridge'], 1450);
      const noop = await cli(['apply', '--noop'], both);
      expect(noop.code).toBe(0);
      expect(noop.stdout).toContain('# ifup: ');
      expect(diffHostStates(before, await readHostState({ ns, ovs }))).toEqual([]);
      const applied = await cli(['apply'], both);
      expect(applied.stderr).toBe('');
      expect(applied.code).toBe(0);
      expect(readFileSync(join(host.root, 'etc/network/interfaces.reclass-net-prev'), 'utf8')).toBe(interfaces);
      const after = await readHostState({ ns, ovs });
      expect(after.links['br-new']?.addresses).toBe('10.30.0.2/24');
      expect(after.links['br-ex']?.mtu).toBe('1450');
      expect(after.links['ens3']?.mtu).toBe('1450');
      const converged = await cli(['diff', '--detailed-exit-codes'], both);
      expect([converged.code, converged.stdout, converged.stderr]).toEqual([0, '', '']);
    },
  );
});
