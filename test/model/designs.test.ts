/**
 * The characteristic shape of the MOSK and MidoNet clusters of the example model, read from
 * the rendered network model of each node (the designs, not just "it renders").
 */
import { describe, expect, it } from 'vitest';
import { openInventory } from '../../src/index.js';
import { formatCidr } from '../../src/network/ipv4.js';
import type { NetworkInterface, NetworkModel } from '../../src/network/types.js';
import { renderNetwork } from '../../src/render/index.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const inv = await openInventory(ROOT);
const nodes = await inv.nodes();
const rendered = new Map(nodes.map((n) => [n.name, { node: n, result: renderNetwork(n) }]));
const of = (cluster: string) => [...rendered.values()].filter(({ node }) => node.name.endsWith(`.${cluster}.local`));

function inNetwork(address: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(address) / size) === Math.floor(toInt(net) / size);
}
const addresses = (model: NetworkModel) => model.interfaces.flatMap((i) => (i.address ? [i.address.address] : []));
const defaultRoutes = (model: NetworkModel) => model.interfaces.filter((i) => i.gateway !== undefined);
const byName = (model: NetworkModel, name: string): NetworkInterface | undefined =>
  model.interfaces.find((i) => i.name === name);

describe('mosk-lab: MOSK cluster networking', () => {
  const mosk = of('mosk-lab');
  const operational = mosk.filter(({ node }) => !node.name.startsWith('mcfg01.'));

  it('has managers, both compute kinds and storage nodes, all rendered with netplan', () => {
    expect(operational.map(({ node }) => node.name.split('.')[0]).sort()).toEqual([
      'mcmp01',
      'mcmp02',
      'mctl01',
      'mctl02',
      'mctl03',
      'mosd01',
      'mosd02',
    ]);
    for (const { result } of mosk) expect(result.backend).toBe('netplan');
  });

  it('configures no PXE and no OOB address or route on an operational node', () => {
    for (const { node, result } of operational) {
      const params = node.parameters['_param'] as Record<string, string>;
      for (const forbidden of [params['pxe_network'], params['oob_network']]) {
        expect(
          addresses(result.model).filter((a) => inNetwork(a, forbidden)),
          `${node.name} ${forbidden}`,
        ).toEqual([]);
        const routes = result.model.interfaces.flatMap((i) => i.routes.map((r) => formatCidr(r.network)));
        expect(routes.filter((r) => inNetwork(r.split('/')[0], forbidden))).toEqual([]);
      }
    }
  });

  it('has one default route per host, through the Kubernetes external network (MetalLB VLAN)', () => {
    for (const { node, result } of operational) {
      const defaults = defaultRoutes(result.model);
      expect(
        defaults.map((i) => `${i.name} via ${i.gateway}`),
        node.name,
      ).toEqual(['bond0.2406 via 10.16.6.1']);
    }
  });

  it("reaches the other racks' LCM subnets from the LCM VLAN, and has the Calico workloads VLAN", () => {
    for (const { node, result } of operational) {
      const lcm = byName(result.model, 'bond0.2401')!;
      expect(
        lcm.routes.map((r) => `${formatCidr(r.network)} via ${r.gateway}`),
        node.name,
      ).toEqual(['10.16.9.0/24 via 10.16.1.1', '10.16.10.0/24 via 10.16.1.1']);
      expect(byName(result.model, 'bond0.2402')?.address?.address).toMatch(/^10\.16\.2\./);
    }
  });

  it('puts Ceph replication on storage nodes only, and storage access on every operational node', () => {
    for (const { node, result } of operational) {
      expect(byName(result.model, 'bond0.2404')?.address, node.name).toBeDefined();
      expect(byName(result.model, 'bond0.2405') !== undefined, node.name).toBe(node.name.startsWith('mosd'));
    }
  });

  it('gives the OVS compute its tunnel address on the tenant VLAN and br-ex, the Tungsten Fabric compute vhost0', () => {
    const ovs = rendered.get('mcmp01.mosk-lab.local')!.result.model;
    expect(byName(ovs, 'bond0.2403')?.address?.address).toBe('10.16.3.101');
    expect(byName(ovs, 'bond0.2407')?.ovsBridge).toBe('br-ex');
    const tf = rendered.get('mcmp02.mosk-lab.local')!.result.model;
    expect(byName(tf, 'bond0.2403')?.proto).toBe('manual');
    expect(byName(tf, 'bond0.2403')?.address).toBeUndefined();
    expect(byName(tf, 'vhost0')?.address?.address).toBe('10.16.3.102');
    expect(tf.interfaces.some((i) => i.kind.startsWith('ovs-'))).toBe(false);
  });

  it('leaves room for the VXLAN header under the tenant networks (underlay MTU >= 8950 + 50)', () => {
    for (const { result } of operational) {
      const tunnel = byName(result.model, 'vhost0') ?? byName(result.model, 'bond0.2403');
      if (tunnel?.address) expect(tunnel.mtu).toBeGreaterThanOrEqual(8950 + 50);
    }
  });
});

describe('midonet-k8s: Kubernetes with MidoNet', () => {
  const hosts = of('midonet-k8s').filter(({ node }) => !node.name.startsWith('mncfg01.'));

  it('has masters, workers and a gateway, each an agent with its tunnel-zone address on the underlay NIC', () => {
    expect(hosts.map(({ node }) => node.name.split('.')[0]).sort()).toEqual([
      'mncmp01',
      'mncmp02',
      'mnctl01',
      'mnctl02',
      'mnctl03',
      'mngw01',
    ]);
    for (const { node, result } of hosts) {
      const zone = (
        node.parameters['midonet'] as { agent: { tunnel_zone: { interface: string; address: string; type: string } } }
      ).agent.tunnel_zone;
      expect(zone.type).toBe('vxlan');
      expect(byName(result.model, zone.interface)?.address?.address, node.name).toBe(zone.address);
    }
  });

  it("has an underlay MTU that fits the overlay plus VXLAN's 50 bytes, and one default route on management", () => {
    for (const { node, result } of hosts) {
      const agent = (
        node.parameters['midonet'] as { agent: { overlay_mtu: number; tunnel_zone: { interface: string } } }
      ).agent;
      expect(byName(result.model, agent.tunnel_zone.interface)!.mtu!).toBeGreaterThanOrEqual(agent.overlay_mtu + 50);
      expect(defaultRoutes(result.model).map((i) => i.name)).toEqual(['ens3']);
    }
  });

  it('gives the gateway its uplink NIC without a host address, and no node a bridge of any kind', () => {
    const gw = rendered.get('mngw01.midonet-k8s.local')!.result.model;
    expect(byName(gw, 'ens5')).toMatchObject({ proto: 'manual', mtu: 1500 });
    expect(byName(gw, 'ens5')?.address).toBeUndefined();
    for (const { result } of hosts) {
      expect(
        result.model.interfaces
          .filter((i) => i.kind === 'linux-bridge' || i.kind.startsWith('ovs-'))
          .map((i) => i.name),
      ).toEqual([]);
    }
    const workers = hosts.filter(({ node }) => !node.name.startsWith('mngw'));
    for (const { result } of workers) expect(byName(result.model, 'ens5')).toBeUndefined();
  });
});
