// The embedded model as reclass 1.7 itself resolves it (scripts/reclass-oracle, Debian's
// python3-reclass): every node resolves, nodes/_generated/ is exactly what generateNodeFiles
// makes of the cfg nodes' reclass:storage:node, and each node's linux:network pillar has the
// topology of its design. Independent of reclass-net's resolver and renderer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handWrittenNodes, mirrorInventory, oracleAvailable, runOracle } from '../../scripts/lib/oracle-inventory.mjs';
import { formatGeneratedNode, generateNodeFiles } from '../../src/inventory/generate-nodes.js';
import { at, isMap, nodeFiles, nodeName, ROOT, type Json } from './model-files.js';

type Iface = Record<string, Json>;
interface Node {
  parameters: Record<string, Json>;
  classes: string[];
}

const available: boolean = oracleAvailable();
if (!available) console.warn('test/model/oracle: python3-reclass (reclass 1.7) is not installed; skipping');

async function resolveInventory(dir: string): Promise<Record<string, Node>> {
  const mirror = mirrorInventory(dir);
  try {
    return ((await runOracle(mirror.dir, ['-i'])) as { nodes: Record<string, Node> }).nodes;
  } finally {
    mirror.cleanup();
  }
}

/** The node's interfaces keyed by device name (salt: `name`, else the key). */
function interfaces(node: Node): Map<string, Iface> {
  const table = at(node.parameters, 'linux', 'network', 'interface');
  const out = new Map<string, Iface>();
  for (const [key, iface] of Object.entries(isMap(table) ? table : {})) {
    if (!isMap(iface) || iface.enabled === false) continue;
    out.set(typeof iface.name === 'string' ? iface.name : key, iface);
  }
  return out;
}

const shortName = (full: string) => full.split('.')[0];
const words = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : [];

describe.skipIf(!available)('the embedded model under reclass 1.7', () => {
  let nodes: Record<string, Node>;
  const byShort = (short: string): Node => {
    const full = Object.keys(nodes).find((n) => shortName(n) === short);
    if (!full) throw new Error(`no node ${short}`);
    return nodes[full];
  };
  const ifaces = (short: string) => interfaces(byShort(short));

  beforeAll(async () => {
    nodes = await resolveInventory(ROOT);
  });

  it('resolves every node file, with no error', () => {
    expect(Object.keys(nodes).sort()).toEqual(nodeFiles().map(nodeName).sort());
    expect(Object.keys(nodes).length).toBe(61);
  });

  it("nodes/_generated/ is exactly generateNodeFiles of the cfg nodes' reclass:storage:node", () => {
    const wanted = new Map<string, string>();
    for (const name of handWrittenNodes(ROOT)) {
      const storage = at(nodes[name].parameters, 'reclass', 'storage');
      expect(at(storage, 'repeat_replace_symbol'), name).toBe('<<count>>');
      for (const f of generateNodeFiles(at(storage, 'node') ?? null)) {
        expect(wanted.has(f.fileName), f.fileName).toBe(false);
        wanted.set(f.fileName, formatGeneratedNode(f.document));
      }
    }
    const dir = join(ROOT, 'nodes', '_generated');
    expect(readdirSync(dir).sort()).toEqual([...wanted.keys()].sort());
    for (const [file, text] of wanted) expect(readFileSync(join(dir, file), 'utf8'), file).toBe(text);
  });

  it('gives each generated node the name, domain and classes its declaration says', () => {
    const cmp02 = byShort('cmp02');
    expect(at(cmp02.parameters, 'linux', 'system')).toMatchObject({ name: 'cmp02', domain: 'mcp-lab.local' });
    expect(at(cmp02.parameters, '_param', 'single_address')).toBe('10.11.1.102');
    expect(cmp02.classes).toContain('cluster.mcp-lab.openstack.compute');
    expect(at(byShort('kcmp02').parameters, '_param', 'tenant_address')).toBe('10.15.3.102');
  });

  it('uses valid Linux interface names of at most 15 bytes', () => {
    const bad: string[] = [];
    for (const [node, n] of Object.entries(nodes)) {
      for (const name of interfaces(n).keys()) {
        if (Buffer.byteLength(name) > 15 || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) bad.push(`${node}: ${name}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('assigns no address twice across the whole inventory', () => {
    const seen = new Map<string, string>();
    const dup: string[] = [];
    for (const [node, n] of Object.entries(nodes)) {
      for (const [name, iface] of interfaces(n)) {
        const address = iface.address;
        if (typeof address !== 'string' || address === '') continue;
        const where = `${node}:${name}`;
        if (seen.has(address)) dup.push(`${address}: ${seen.get(address)} and ${where}`);
        seen.set(address, where);
      }
    }
    expect(dup).toEqual([]);
    expect(seen.size).toBeGreaterThan(100);
  });

  it('every reference names an interface of the node, and patch peers are symmetric', () => {
    const bad: string[] = [];
    for (const [node, n] of Object.entries(nodes)) {
      const all = interfaces(n);
      for (const [name, iface] of all) {
        const refs = [
          ...words(iface.use_interfaces),
          ...words(iface.use_ovs_ports),
          ...words(iface.slaves),
          ...[iface.ovs_bridge, iface.bridge, iface.master, iface.peer].filter((v) => v !== undefined).map(String),
        ];
        for (const r of refs) if (!all.has(r)) bad.push(`${node}: ${name} -> ${r}`);
        if (iface.type === 'vlan' && words(iface.use_interfaces).length !== 1)
          bad.push(`${node}: VLAN ${name} without one parent`);
        if (
          iface.port_type === 'patch' &&
          (typeof iface.peer === 'string' ? all.get(iface.peer) : undefined)?.peer !== name
        )
          bad.push(`${node}: patch ${name} not mirrored`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('never gives a member a smaller MTU than what it carries', () => {
    const bad: string[] = [];
    for (const [node, n] of Object.entries(nodes)) {
      const all = interfaces(n);
      const check = (member: string, carrier: string) => {
        const mtu = (name: string) => {
          const value = all.get(name)?.mtu;
          return value === undefined ? undefined : Number(value);
        };
        const m = mtu(member);
        const c = mtu(carrier);
        if (m !== undefined && c !== undefined && m < c) bad.push(`${node}: ${member} (${m}) < ${carrier} (${c})`);
      };
      for (const [name, iface] of all) {
        if (iface.type === 'bridge')
          for (const m of [...words(iface.use_interfaces), ...words(iface.use_ovs_ports)]) check(m, name);
        if (iface.type === 'vlan') check(words(iface.use_interfaces)[0], name);
        if (iface.type === 'bond') for (const m of words(iface.slaves)) check(m, name);
        if (typeof iface.ovs_bridge === 'string' && iface.ovs_bridge) check(name, iface.ovs_bridge);
        if (
          iface.type === 'ovs_port' &&
          iface.port_type !== 'patch' &&
          typeof iface.bridge === 'string' &&
          iface.bridge
        )
          check(name, iface.bridge);
      }
    }
    expect(bad).toEqual([]);
  });

  it('puts every OVS bridge on the userspace datapath by default', () => {
    for (const [node, n] of Object.entries(nodes)) {
      for (const [name, iface] of interfaces(n)) {
        if (iface.type === 'ovs_bridge') expect(iface.datapath_type, `${node}:${name}`).toBe('netdev');
      }
    }
  });

  it('cmp01 (VXLAN, DVR both ways): br-mgmt, br-mesh, br-int and br-floating on the external VLAN', () => {
    const i = ifaces('cmp01');
    expect(i.get('br-mgmt')).toMatchObject({
      type: 'bridge',
      address: '10.11.1.101',
      gateway: '10.11.1.1',
      mtu: 1500,
      use_interfaces: ['bond0.2411'],
    });
    expect(i.get('br-mesh')).toMatchObject({
      type: 'bridge',
      address: '10.11.3.101',
      mtu: 9000,
      use_interfaces: ['bond0.2413'],
    });
    expect(i.get('br-int')).toMatchObject({ type: 'ovs_bridge' });
    expect(i.get('br-floating')).toMatchObject({ type: 'ovs_bridge' });
    expect(i.get('bond0.2416')).toMatchObject({ type: 'vlan', ovs_bridge: 'br-floating', use_interfaces: ['bond0'] });
    expect(i.get('bond0')).toMatchObject({ type: 'bond', mtu: 9000, slaves: 'enp3s0f0 enp3s0f1' });
    expect(at(byShort('cmp01').parameters, 'neutron', 'compute')).toMatchObject({
      dvr: true,
      agent_mode: 'dvr',
      local_ip: '10.11.3.101',
    });
  });

  it('gtw01 (SNAT node): float-to-ex of br-floating inside the Linux br-ex with the external VLAN', () => {
    const i = ifaces('gtw01');
    expect(i.get('float-to-ex')).toMatchObject({ type: 'ovs_port', bridge: 'br-floating', mtu: 65000 });
    expect(i.get('br-ex')).toMatchObject({
      type: 'bridge',
      address: '10.11.6.224',
      use_interfaces: ['bond0.2416'],
      use_ovs_ports: ['float-to-ex'],
    });
    expect(i.has('br-mesh')).toBe(true);
    expect(at(byShort('gtw01').parameters, 'neutron', 'gateway', 'agent_mode')).toBe('dvr_snat');
  });

  it('xcmp01/xcmp02 (VXLAN with network nodes): br-mesh but no external network; agent modes differ', () => {
    for (const n of ['xcmp01', 'xcmp02']) {
      const i = ifaces(n);
      expect(i.get('br-mesh')).toMatchObject({ use_interfaces: ['ens4'], mtu: 9000 });
      expect(i.has('br-floating')).toBe(false);
    }
    expect(at(byShort('xcmp01').parameters, 'neutron', 'compute', 'agent_mode')).toBe('legacy');
    expect(at(byShort('xcmp02').parameters, 'neutron', 'compute')).toMatchObject({
      dvr: true,
      agent_mode: 'dvr_no_external',
    });
    expect(ifaces('xgtw01').get('br-ex')).toMatchObject({ use_interfaces: ['ens5'], use_ovs_ports: ['float-to-ex'] });
  });

  it('VLAN designs: br-prv on the tenant interface; the DVR compute patches br-floating to it with a tag', () => {
    for (const n of ['vcmp01', 'vcmp02', 'vgtw01']) {
      const i = ifaces(n);
      expect(i.get('br-prv')).toMatchObject({ type: 'ovs_bridge' });
      expect(i.get('ens4')).toMatchObject({ ovs_bridge: 'br-prv', mtu: 9000 });
      expect(i.has('br-mesh')).toBe(false);
    }
    expect(ifaces('vcmp01').has('br-floating')).toBe(false);
    const dvr = ifaces('vcmp02');
    expect(dvr.get('floating-to-prv')).toMatchObject({
      port_type: 'patch',
      bridge: 'br-floating',
      peer: 'prv-to-floating',
      tag: 1100,
    });
    expect(dvr.get('prv-to-floating')).toMatchObject({
      port_type: 'patch',
      bridge: 'br-prv',
      peer: 'floating-to-prv',
      tag: 1100,
    });
    expect(ifaces('vgtw01').get('ens5')).toMatchObject({ ovs_bridge: 'br-floating' });
  });

  it('ocmp01 (OpenContrail vrouter): vhost0 holds the data address over the data NIC, no OVS, no bridge', () => {
    const i = ifaces('ocmp01');
    expect(i.get('vhost0')).toMatchObject({ proto: 'static', address: '10.14.3.101', mtu: 9000 });
    expect(i.get('ens4')).toMatchObject({ type: 'eth', proto: 'manual', mtu: 9000 });
    expect(at(byShort('ocmp01').parameters, 'opencontrail', 'compute', 'interface')).toMatchObject({
      dev: 'ens4',
      address: '10.14.3.101',
    });
    expect([...i.values()].filter((x) => x.type !== 'eth')).toEqual([]);
  });

  it('kcmp01 (Kubernetes/Calico): native routing on the data NIC, no bridge, no overlay', () => {
    const i = ifaces('kcmp01');
    expect(i.get('ens4')).toMatchObject({ proto: 'static', address: '10.15.3.101', mtu: 9000 });
    expect(at(i.get('ens4'), 'route', 'calico_fabric')).toEqual({
      address: '10.15.128.0',
      netmask: '255.255.128.0',
      gateway: '10.15.3.1',
    });
    expect([...i.values()].filter((x) => x.type !== 'eth')).toEqual([]);
    expect(at(byShort('kcmp01').parameters, 'kubernetes', 'common', 'network', 'calico')).toMatchObject({
      ipip: false,
      vxlan: false,
      bgp_address: '10.15.3.101',
    });
  });

  it('kvm01 (VCP host): br-pxe on the PXE NIC and br-mgmt, br-ctl, br-stor, br-proxy on VLANs of the bond', () => {
    const i = ifaces('kvm01');
    expect(i.get('br-pxe')).toMatchObject({ address: '10.11.0.241', use_interfaces: ['eno1'] });
    expect(i.get('br-mgmt')).toMatchObject({
      address: '10.11.1.241',
      gateway: '10.11.1.1',
      use_interfaces: ['bond0.2411'],
    });
    expect(i.get('br-ctl')).toMatchObject({ address: '10.11.2.241', mtu: 9000, use_interfaces: ['bond0.2412'] });
    expect(i.get('br-stor')).toMatchObject({ address: '10.11.4.241', mtu: 9000, use_interfaces: ['bond0.2414'] });
    expect(i.get('br-proxy')).toMatchObject({ proto: 'manual', use_interfaces: ['bond0.2417'] });
    expect(i.get('enp3s0f0')).toMatchObject({ type: 'slave', master: 'bond0', mtu: 9000 });
  });

  it('VCP VMs have a NIC per network; osd01 has its addresses directly on VLANs; cfg01 has one NIC', () => {
    const ctl = ifaces('ctl01');
    expect([...ctl.keys()].sort()).toEqual(['ens2', 'ens3', 'ens4', 'ens5']);
    expect(ctl.get('ens3')).toMatchObject({ address: '10.11.1.11', gateway: '10.11.1.1' });
    expect(ifaces('prx01').get('ens5')).toMatchObject({ address: '10.11.7.81' });
    const osd = ifaces('osd01');
    expect(osd.get('bond0.2414')).toMatchObject({ type: 'vlan', proto: 'static', address: '10.11.4.201' });
    expect(osd.get('bond0.2415')).toMatchObject({ type: 'vlan', address: '10.11.5.201' });
    expect([...ifaces('cfg01').keys()]).toEqual(['ens3']);
  });
});

describe.skipIf(!available)('a _param changed in one cluster class', () => {
  let dir: string;
  let before: Record<string, Node>;
  let after: Record<string, Node>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reclass-net-model-'));
    for (const p of ['reclass-config.yml', 'classes', 'system', 'cluster', 'nodes'])
      cpSync(join(ROOT, p), join(dir, p), { recursive: true });
    before = await resolveInventory(dir);
    const edit = (file: string, from: string, to: string) => {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text).toContain(from);
      writeFileSync(join(dir, file), text.replace(from, to));
    };
    edit('cluster/mcp-lab/networking/baremetal.yml', 'bond_slave_1: enp3s0f0', 'bond_slave_1: enp4s0f0');
    edit(
      'cluster/mcp-lab/init.yml',
      'linux_system_codename: focal',
      'linux_system_codename: focal\n    storage_mtu: 9100',
    );
    after = await resolveInventory(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renames the bond slave on every bare-metal node of the cluster and nowhere else', () => {
    const changed = Object.keys(after).filter(
      (n) =>
        JSON.stringify(at(after[n].parameters, 'linux', 'network')) !==
          JSON.stringify(at(before[n].parameters, 'linux', 'network')) && interfaces(after[n]).has('enp4s0f0'),
    );
    expect(changed.map(shortName).sort()).toEqual([
      'cmp01',
      'cmp02',
      'gtw01',
      'kvm01',
      'kvm02',
      'kvm03',
      'osd01',
      'osd02',
    ]);
    for (const n of changed) {
      expect(interfaces(after[n]).get('bond0')!.slaves).toBe('enp4s0f0 enp3s0f1');
      expect(interfaces(after[n]).has('enp3s0f0')).toBe(false);
    }
  });

  it('changes the storage MTU of every mcp-lab storage interface, only in mcp-lab', () => {
    const storageMtus = (nodes: Record<string, Node>) =>
      Object.entries(nodes).flatMap(([n, node]) =>
        Object.entries(at(node.parameters, 'linux', 'network', 'interface') as Record<string, Iface>)
          .filter(
            ([key]) => key === 'storage_interface' || key === 'storage_replication_interface' || key === 'br-stor',
          )
          .map(([key, iface]) => `${shortName(n)}:${key}:${JSON.stringify(iface.mtu)}`),
      );
    const b = storageMtus(before);
    const a = storageMtus(after);
    expect(b.every((x) => x.endsWith(':9000'))).toBe(true);
    expect(a.every((x) => x.endsWith(':9100'))).toBe(true);
    expect(a.length).toBeGreaterThanOrEqual(14);
    for (const n of Object.keys(after).filter((n) => !n.endsWith('.mcp-lab.local'))) {
      expect(at(after[n].parameters, 'linux', 'network'), n).toEqual(at(before[n].parameters, 'linux', 'network'));
    }
  });
});
