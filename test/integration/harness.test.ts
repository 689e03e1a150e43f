/**
 * Proof that the harness itself works, with small hand-written interfaces files and OVS
 * scripts whose outcome is known: if these pass, a failure in a rendered node is the
 * renderer's, not the harness's. Each kernel feature the machine lacks skips just the
 * tests that need it, saying which feature and why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Capabilities, describeCapabilities, detectCapabilities, missing } from './harness/capabilities.js';
import { Cleanup } from './harness/cleanup.js';
import { run } from './harness/exec.js';
import { applyInterfaces } from './harness/ifupdown.js';
import { membersOf, readKernelState } from './harness/kernel.js';
import { runNodeOnHost } from './harness/lab.js';
import { ownerPid } from './harness/names.js';
import { Netns, addVethNics, listNamespaces } from './harness/netns.js';
import { Ovs } from './harness/ovs.js';
import { diffSnapshots } from './harness/ovsdb.js';
import { makeTempDir, removeTempDir } from './harness/tempdir.js';
import { publish } from './harness/vitest.js';

const caps: Capabilities = await detectCapabilities();
const created = { namespaces: [] as string[], pids: [] as number[] };

/** A namespace "host" with veth NICs, torn down by the test's cleanup. */
async function host(cleanup: Cleanup, nics: string[]): Promise<{ ns: Netns; dir: string }> {
  const ns = await Netns.create();
  cleanup.defer(`delete ${ns.name}`, () => ns.destroy());
  const peer = await Netns.create('p');
  cleanup.defer(`delete ${peer.name}`, () => peer.destroy());
  created.namespaces.push(ns.name, peer.name);
  const dir = await makeTempDir();
  cleanup.defer(`remove ${dir}`, () => removeTempDir(dir));
  await addVethNics(ns, peer, nics);
  return { ns, dir };
}

async function startOvs(cleanup: Cleanup, ns: Netns): Promise<Ovs> {
  const dir = await makeTempDir();
  cleanup.defer(`remove ${dir}`, () => removeTempDir(dir));
  const ovs = await Ovs.start(ns, dir);
  cleanup.defer('stop OVS', () => ovs.stop());
  created.pids.push(...ovs.pids());
  return ovs;
}

const interfaces = (body: string) => ({ '/etc/network/interfaces': `auto lo\niface lo inet loopback\n${body}` });

describe('capabilities', () => {
  it('are probed and reported', async (context) => {
    await publish(context, `integration capabilities of this machine:\n${describeCapabilities(caps)}`);
    // Probing must not leave its scratch namespace behind (other test processes may be probing now).
    expect((await listNamespaces()).filter((n) => n.startsWith('rnt-probe-') && ownerPid(n) === process.pid)).toEqual(
      [],
    );
  });
});

describe('ifupdown in a namespace', () => {
  const cleanup = new Cleanup();
  afterAll(() => cleanup.run());
  const needs = missing(caps, 'root', 'netns', 'ifupdown', 'unshare');

  it('applies a static eth with MTU, gateway and a route, and a DHCP NIC', async (context) => {
    if (needs) return context.skip(needs);
    const { ns, dir } = await host(cleanup, ['ens3', 'ens4']);
    const result = await applyInterfaces(ns, {
      dir,
      query: ['ens3'],
      files: {
        ...interfaces(`auto ens3
iface ens3 inet static
    address 192.0.2.15
    netmask 255.255.255.0
    gateway 192.0.2.1
    mtu 9000
    up ip route add 10.20.0.0/16 via 192.0.2.254 dev $IFACE
auto ens4
iface ens4 inet dhcp
`),
      },
    });
    expect(result.ok, result.result.stderr).toBe(true);
    const state = await readKernelState(ns);
    expect(state.links.ens3).toMatchObject({ mtu: 9000, up: true, kind: 'veth', addresses: ['192.0.2.15/24'] });
    expect(state.routes).toContainEqual({ dst: 'default', gateway: '192.0.2.1', dev: 'ens3' });
    expect(state.routes).toContainEqual({ dst: '10.20.0.0/16', gateway: '192.0.2.254', dev: 'ens3' });
    // DHCP goes to the stub (no server in a namespace, and nothing may stay running).
    expect(result.shimCalls.some((call) => call.startsWith('dhclient ') && call.endsWith(' ens4'))).toBe(true);
    expect(state.links.ens4).toMatchObject({ up: true, addresses: [] });
    expect(result.upInterfaces).toEqual(['lo=lo', 'ens3=ens3', 'ens4=ens4']);
    expect(result.queries.ens3).toMatchObject({ mtu: '9000', gateway: '192.0.2.1' });
  });

  it('applies a Linux bridge with a member, files sourced from /etc/network/interfaces.d', async (context) => {
    const why = needs ?? missing(caps, 'linuxBridge', 'bridgeUtilsHook');
    if (why) return context.skip(why);
    const { ns, dir } = await host(cleanup, ['ens3', 'ens4']);
    const result = await applyInterfaces(ns, {
      dir,
      files: {
        ...interfaces('source /etc/network/interfaces.d/*\n'),
        '/etc/network/interfaces.d/br-mgmt': `auto ens3
iface ens3 inet manual
    mtu 9000
auto br-mgmt
iface br-mgmt inet static
    address 10.11.0.21/24
    mtu 9000
    bridge_ports ens3
`,
        '/etc/modprobe.d/ignored.conf': 'alias nothing off\n',
      },
    });
    expect(result.ok, result.result.stderr).toBe(true);
    expect(result.ignoredFiles).toEqual(['/etc/modprobe.d/ignored.conf']);
    const state = await readKernelState(ns);
    expect(state.links['br-mgmt']).toMatchObject({ kind: 'bridge', mtu: 9000, addresses: ['10.11.0.21/24'] });
    expect(membersOf(state, 'br-mgmt')).toEqual(['ens3']);
    expect(state.links.ens4).toMatchObject({ up: false }); // not in the file: untouched
  });

  it('applies a bond of two NICs (needs the bonding module)', async (context) => {
    const why = needs ?? missing(caps, 'bond', 'ifenslaveHook');
    if (why) return context.skip(why);
    const { ns, dir } = await host(cleanup, ['eno1', 'eno2']);
    const result = await applyInterfaces(ns, {
      dir,
      files: interfaces(`auto eno1
iface eno1 inet manual
    bond-master bond0
auto eno2
iface eno2 inet manual
    bond-master bond0
auto bond0
iface bond0 inet static
    address 10.40.0.2/24
    mtu 9000
    bond-mode active-backup
    bond-miimon 100
    bond-slaves none
`),
    });
    expect(result.ok, result.result.stderr).toBe(true);
    const state = await readKernelState(ns);
    expect(state.links.bond0).toMatchObject({
      kind: 'bond',
      bondMode: 'active-backup',
      mtu: 9000,
      addresses: ['10.40.0.2/24'],
    });
    expect(membersOf(state, 'bond0')).toEqual(['eno1', 'eno2']);
  });

  it('applies VLANs by dotted name and by vlan-raw-device (needs the 8021q module)', async (context) => {
    const why = needs ?? missing(caps, 'vlan', 'vlanHook');
    if (why) return context.skip(why);
    const { ns, dir } = await host(cleanup, ['ens3']);
    const result = await applyInterfaces(ns, {
      dir,
      files: interfaces(`auto ens3
iface ens3 inet manual
    mtu 9000
auto ens3.2415
iface ens3.2415 inet static
    address 10.41.0.2/24
    mtu 9000
auto vlan2430
iface vlan2430 inet manual
    vlan-raw-device ens3
`),
    });
    expect(result.ok, result.result.stderr).toBe(true);
    const state = await readKernelState(ns);
    expect(state.links['ens3.2415']).toMatchObject({ kind: 'vlan', vlan: { id: 2415, parent: 'ens3' }, mtu: 9000 });
    expect(state.links.vlan2430).toMatchObject({ kind: 'vlan', vlan: { id: 2430, parent: 'ens3' } });
  });

  it('reports a failing stanza instead of hiding it', async (context) => {
    if (needs) return context.skip(needs);
    const { ns, dir } = await host(cleanup, []);
    const result = await applyInterfaces(ns, {
      dir,
      files: interfaces('auto ens9\niface ens9 inet manual\n    mtu 9000\n'),
    });
    expect(result.ok).toBe(false);
    expect(result.result.stderr).toMatch(/ens9/);
  });
});

describe('Open vSwitch on private daemons', () => {
  const cleanup = new Cleanup();
  afterAll(() => cleanup.run());
  const needs = missing(caps, 'root', 'netns', 'ovs');
  const script = `#!/bin/sh
set -e
ovs-vsctl --may-exist add-br br-ex
ovs-vsctl --may-exist add-br br-floating -- set Interface br-floating mtu_request=9000
ovs-vsctl --may-exist add-port br-floating ens6
ovs-vsctl --may-exist add-port br-floating float-to-ex -- set Interface float-to-ex type=patch options:peer=ex-to-float
ovs-vsctl --may-exist add-port br-ex ex-to-float -- set Interface ex-to-float type=patch options:peer=float-to-ex
ovs-vsctl set Port ex-to-float tag=2600
ovs-vsctl --may-exist add-port br-ex mgmt0 tag=2415 -- set Interface mgmt0 type=internal mtu_request=1500
`;

  it('applies a script with a bridge, a port, a tagged patch pair; a second run changes nothing', async (context) => {
    if (needs) return context.skip(needs);
    const { ns } = await host(cleanup, ['ens6']);
    const ovs = await startOvs(cleanup, ns);
    const first = await ovs.applyScript(script);
    expect(first.code, first.stderr).toBe(0);
    const before = await ovs.snapshot();
    const second = await ovs.applyScript(script);
    expect(second.code, second.stderr).toBe(0);
    expect(diffSnapshots(before, await ovs.snapshot())).toEqual([]);

    const state = await ovs.state();
    expect(Object.keys(state.bridges).sort()).toEqual(['br-ex', 'br-floating']);
    // The wrapper put every bridge on the userspace datapath (no kernel module needed).
    expect(state.bridges['br-ex'].datapathType).toBe('netdev');
    expect(state.bridges['br-floating'].ports).toEqual(['br-floating', 'ens6', 'float-to-ex']);
    expect(state.interfaces['float-to-ex']).toMatchObject({ type: 'patch', options: { peer: 'ex-to-float' } });
    expect(state.interfaces['ex-to-float']).toMatchObject({ type: 'patch', options: { peer: 'float-to-ex' } });
    expect(state.ports['ex-to-float']).toMatchObject({ bridge: 'br-ex', tag: 2600 });
    expect(state.ports['mgmt0']).toMatchObject({ bridge: 'br-ex', tag: 2415 });
    expect(state.interfaces['br-floating'].mtuRequest).toBe(9000);
    expect(state.interfaces.ens6).toMatchObject({ type: '' });
    expect(state.interfaces.ens6.error).toBeUndefined(); // the veth NIC exists in the namespace
    expect(await ovs.calls()).toHaveLength(14);

    if (caps.tun.ok) {
      // Userspace-datapath devices live in the test namespace, with the requested MTUs.
      const kernel = await readKernelState(ns);
      expect(kernel.links['br-floating']).toMatchObject({ kind: 'tun', mtu: 9000 });
      expect(kernel.links.mgmt0).toMatchObject({ kind: 'tun', mtu: 1500 });
    } else await publish(context, `kernel side of OVS not checked: ${missing(caps, 'tun')}`);
  });

  it('catches a script that is not idempotent', async (context) => {
    if (needs) return context.skip(needs);
    const { ns } = await host(cleanup, []);
    const ovs = await startOvs(cleanup, ns);
    // Re-creating a bridge and bumping a counter look harmless but change the database.
    const sloppy = `#!/bin/sh
ovs-vsctl --if-exists del-br br0 -- add-br br0
ovs-vsctl set Bridge br0 other_config:runs=$(( $(ovs-vsctl get Bridge br0 other_config:runs 2>/dev/null | tr -d '"' || echo 0) + 1 ))
`;
    expect((await ovs.applyScript(sloppy)).code).toBe(0);
    const before = await ovs.snapshot();
    expect((await ovs.applyScript(sloppy)).code).toBe(0);
    const diff = diffSnapshots(before, await ovs.snapshot());
    expect(diff.some((d) => /Bridge br0 .*row deleted/.test(d))).toBe(true);
    expect(diff.some((d) => /Bridge br0 .*row added/.test(d))).toBe(true);
  });

  it('stops its daemons by pid', async (context) => {
    if (needs) return context.skip(needs);
    const { ns } = await host(cleanup, []);
    const dir = await makeTempDir();
    try {
      const ovs = await Ovs.start(ns, dir);
      const pids = ovs.pids();
      expect(pids).toHaveLength(2);
      await ovs.stop();
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      await removeTempDir(dir);
    }
  });
});

describe('ifupdown with the openvswitch hook, as on a real host', () => {
  const cleanup = new Cleanup();
  afterAll(() => cleanup.run());
  const needs = missing(caps, 'root', 'netns', 'ifupdown', 'unshare', 'ovs', 'ovsIfupdownHook', 'tun');

  it('brings up an OVS bridge with an address and an internal port via ovs_type stanzas', async (context) => {
    if (needs) return context.skip(needs);
    const { ns, dir } = await host(cleanup, ['ens7']);
    const ovs = await startOvs(cleanup, ns);
    const result = await applyInterfaces(ns, {
      dir,
      ovs,
      files: interfaces(`auto br-stor
allow-ovs br-stor
iface br-stor inet static
    address 10.72.0.31/24
    mtu 9000
    ovs_type OVSBridge
    ovs_ports ens7 mgmt0
    ovs_extra set Interface br-stor mtu_request=9000
allow-br-stor ens7
iface ens7 inet manual
    mtu 9000
    ovs_type OVSPort
    ovs_bridge br-stor
allow-br-stor mgmt0
iface mgmt0 inet static
    address 10.71.0.31/24
    gateway 10.71.0.1
    ovs_type OVSIntPort
    ovs_bridge br-stor
    ovs_options tag=2415
    ovs_extra set Interface mgmt0 mtu_request=1500
`),
    });
    expect(result.ok, result.result.stderr).toBe(true);
    // The hook asked the (shimmed) service manager instead of starting a system OVS.
    expect(result.shimCalls).toContain('systemctl --quiet is-active openvswitch-switch.service');
    const kernel = await readKernelState(ns);
    expect(kernel.links['br-stor']).toMatchObject({ kind: 'tun', mtu: 9000, addresses: ['10.72.0.31/24'], up: true });
    expect(kernel.links.mgmt0).toMatchObject({ kind: 'tun', mtu: 1500, addresses: ['10.71.0.31/24'], up: true });
    expect(kernel.links.ens7).toMatchObject({ kind: 'veth', mtu: 9000, up: true });
    expect(kernel.routes).toContainEqual({ dst: 'default', gateway: '10.71.0.1', dev: 'mgmt0' });
    const state = await ovs.state();
    expect(state.bridges['br-stor']).toMatchObject({ datapathType: 'netdev', ports: ['br-stor', 'ens7', 'mgmt0'] });
    expect(state.ports.mgmt0).toMatchObject({ tag: 2415 });
    expect(state.interfaces.mgmt0).toMatchObject({ type: 'internal', mtuRequest: 1500 });
  });

  it('runs a whole node (pillar + files) through runNodeOnHost', async (context) => {
    if (needs) return context.skip(needs);
    const parameters = {
      linux: {
        network: {
          bridge: 'openvswitch',
          interface: {
            ens3: { enabled: true, type: 'eth', proto: 'manual', mtu: 9000 },
            'br-mgmt': {
              enabled: true,
              type: 'bridge',
              proto: 'static',
              address: '10.1.0.5',
              netmask: '255.255.255.0',
              mtu: 9000,
              use_interfaces: ['ens3'],
            },
            'br-ex': { enabled: true, type: 'ovs_bridge', mtu: 9000 },
            ens4: { enabled: true, type: 'eth', proto: 'manual', mtu: 9000, ovs_bridge: 'br-ex' },
          },
        },
      },
    };
    const files = interfaces(`auto ens3
iface ens3 inet manual
    mtu 9000
auto br-mgmt
iface br-mgmt inet static
    address 10.1.0.5/24
    mtu 9000
    bridge_ports ens3
auto br-ex
allow-ovs br-ex
iface br-ex inet manual
    mtu 9000
    ovs_type OVSBridge
    ovs_ports ens4
    ovs_extra set Interface br-ex mtu_request=9000
auto ens4
allow-br-ex ens4
iface ens4 inet manual
    mtu 9000
    ovs_type OVSPort
    ovs_bridge br-ex
`);
    const ovsScript = `#!/bin/sh
set -e
ovs-vsctl --may-exist add-br br-ex -- set Interface br-ex mtu_request=9000
ovs-vsctl --may-exist add-port br-ex ens4
`;
    const good = await runNodeOnHost('self-test', parameters, { files, ovsScript }, caps);
    await publish(context, good.report.summary());
    expect(good.report.failures).toEqual([]);
    expect(good.kernel?.links['br-ex']?.mtu).toBe(9000);

    // The same node with a wrong bridge address and MTU, and no OVS port: all are caught.
    const badFiles = `auto ens3
iface ens3 inet manual
    mtu 9000
auto br-mgmt
iface br-mgmt inet static
    address 10.1.0.6/24
    mtu 9000
    bridge_ports ens3
auto br-ex
iface br-ex inet manual
    mtu 1500
    ovs_type OVSBridge
`;
    const bad = await runNodeOnHost(
      'self-test-bad',
      parameters,
      { files: { '/etc/network/interfaces': badFiles }, ovsScript: '#!/bin/sh\novs-vsctl --may-exist add-br br-ex\n' },
      caps,
    );
    expect(bad.report.failures).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/kernel br-mgmt .* address 10\.1\.0\.5\/24/),
        expect.stringMatching(/kernel br-ex .* mtu: expected 9000, got 1500/),
        expect.stringMatching(/ovs bridge br-ex mtu_request: expected 9000, got nothing/),
        expect.stringMatching(/ovs port ens4 exists/),
      ]),
    );
  });
});

// After every group's own cleanup: nothing this file started or created is left.
afterAll(async () => {
  const namespaces = await listNamespaces();
  expect(namespaces.filter((n) => created.namespaces.includes(n))).toEqual([]);
  for (const pid of created.pids) expect(() => process.kill(pid, 0), `pid ${pid} still running`).toThrow();
  // Daemons of this process run on its temp dirs (rnt-<pid>-*); other test processes' are theirs.
  const mine = `rnt-${process.pid.toString(36)}-`;
  const stray = await run('sh', [
    '-c',
    `ps -eo pid=,stat=,args= | grep -E 'ovs-vswitchd|ovsdb-server' | grep -v ' Z' | grep -F -- "$1" | grep -v grep || true`,
    'sh',
    mine,
  ]);
  expect(stray.stdout.trim()).toBe('');
});

beforeAll(() => {
  if (!caps.root.ok) console.log(`integration tests need root: ${caps.root.detail}`);
});
