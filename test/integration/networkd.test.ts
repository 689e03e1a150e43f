/**
 * Same host either way: a node's netplan file, turned into networkd files by `netplan generate`
 * and applied by systemd-networkd in a namespace, leaves the kernel in the state its ifupdown
 * file leaves it in (applied by ifup in another namespace with the same veth NICs): per device
 * MTU, addresses, bridge membership, kind, up; and the IPv4 routes.
 *
 * Covered here: Ethernet (veth) NICs, Linux bridges, MTUs, routes, the default route, manual
 * devices. VLANs and bonds need the 8021q and bonding modules; where they are missing the
 * nodes that need them are skipped, naming the module. OVS under netplan is proven by
 * netplan-generate.test.ts (the OVS commands netplan generates, held to the model); applying
 * those commands to a private ovsdb-server is not done here yet.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { NetworkModel } from '../../src/network/types.js';
import { renderNetwork } from '../../src/render/index.js';
import { detectCapabilities, missing } from './harness/capabilities.js';
import { which } from './harness/exec.js';
import { applyInterfaces } from './harness/ifupdown.js';
import { type KernelState, readKernelState } from './harness/kernel.js';
import { netplanGenerate } from './harness/netplan.js';
import { NETWORKD, applyWithNetworkd } from './harness/networkd.js';
import { Netns, addVethNics } from './harness/netns.js';
import { loadInventoryNodes } from './harness/nodes.js';
import { makeTempDir, removeTempDir } from './harness/tempdir.js';

const caps = await detectCapabilities();
const tools = (await which('netplan')) && (await which(NETWORKD)) ? undefined : `netplan (netplan.io) or ${NETWORKD} (systemd) is not installed`;
const blocker = missing(caps, 'root', 'netns', 'unshare', 'linuxBridge', 'ifupdown', 'bridgeUtilsHook') ?? tools;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** What both backends are compared on, for the devices the model names. */
function comparable(state: KernelState, model: NetworkModel) {
  const names = new Set(model.interfaces.filter((i) => i.enabled).map((i) => i.name));
  const links = Object.fromEntries(
    [...names].sort().map((name) => {
      const link = state.links[name];
      return [name, link && { mtu: link.mtu, up: link.up, kind: link.kind, master: link.master, addresses: link.addresses.filter((a) => !a.startsWith('fe80:')).sort() }];
    }),
  );
  const routes = state.routes
    .filter((r) => r.dev !== undefined && names.has(r.dev))
    .map((r) => `${r.dst}${r.gateway ? ` via ${r.gateway}` : ''} dev ${r.dev}`)
    .sort();
  return { links, routes };
}

async function host(nics: string[]): Promise<Netns> {
  const ns = await Netns.create('h');
  const peer = await Netns.create('p');
  cleanups.push(() => ns.destroy(), () => peer.destroy());
  await addVethNics(ns, peer, nics);
  return ns;
}

async function bothWays(name: string, parameters: Record<string, unknown>) {
  const ifupdown = renderNetwork({ name, parameters: parameters as never }, { backend: 'ifupdown' });
  const netplan = renderNetwork({ name, parameters: parameters as never }, { backend: 'netplan' });
  const model = ifupdown.model;
  const nics = model.interfaces.filter((i) => i.kind === 'ethernet').map((i) => i.name);
  const dir = await makeTempDir();
  cleanups.push(() => removeTempDir(dir));
  const viaIfupdown = await host(nics);
  const applied = await applyInterfaces(viaIfupdown, { files: { '/etc/network/interfaces': ifupdown.interfaces }, dir });
  expect(applied.ok, applied.result.stderr).toBe(true);
  const viaNetworkd = await host(nics);
  const generated = await netplanGenerate(`${dir}/netplan-root`, netplan.netplan!);
  const networkd = await applyWithNetworkd(viaNetworkd, generated.root, dir);
  const failed = Object.entries(networkd.adminStates).filter(([, s]) => s === 'failed');
  expect(failed, networkd.result.stderr).toEqual([]);
  return { model, ifupdown: comparable(await readKernelState(viaIfupdown), model), networkd: comparable(await readKernelState(viaNetworkd), model) };
}

describe('systemd-networkd applies the netplan backend as ifupdown applies the interfaces file', () => {
  it.skipIf(blocker)('on a fixture with static, manual and bridged NICs, MTUs, routes and a default route', async () => {
    const parameters = parse(await readFile(new URL('../fixtures/netplan/linux-node.yml', import.meta.url), 'utf8')) as Record<string, unknown>;
    const { ifupdown, networkd } = await bothWays('linux-fixture', parameters);
    expect(networkd).toEqual(ifupdown);
    // The comparison is not vacuous: the fixture's state is there.
    expect(ifupdown.links['br-mgmt']).toMatchObject({ kind: 'bridge', mtu: 9000, addresses: ['10.99.1.5/24'] });
    expect(ifupdown.links['eth1']).toMatchObject({ master: 'br-mgmt', mtu: 9000 });
    expect(ifupdown.routes).toContain('default via 10.99.0.1 dev eth0');
  });

  it.skipIf(blocker)('on the MidoNet nodes of the example model (NICs only: no VLAN, bond or bridge)', async () => {
    const loaded = await loadInventoryNodes();
    if ('missing' in loaded) throw new Error(loaded.missing);
    const nodes = loaded.cases.filter((c) => /^mn(cmp|gw)\d+\.midonet-k8s\.local$/.test(c.nodeName));
    expect(nodes.length).toBe(3);
    for (const node of nodes) {
      const { ifupdown, networkd } = await bothWays(node.nodeName, node.parameters);
      expect(networkd, node.nodeName).toEqual(ifupdown);
    }
  });

  it.runIf(blocker)('is reported as not proven', (context) => {
    context.skip(`systemd-networkd equivalence not proven: ${blocker}`);
  });
});
