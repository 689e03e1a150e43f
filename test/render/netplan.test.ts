import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NETPLAN_PATH, formatRenderText, renderNetwork } from '../../src/render/index.js';
import { INTERFACES_PATH } from '../../src/render/render.js';
import { nodeWithInterfaces } from '../network/helpers.js';

type Doc = { network: Record<string, Record<string, Record<string, unknown>>> & { version: number; renderer: string } };
const netplanOf = (interfacesYaml: string, extra = ''): Doc =>
  parse(renderNetwork(nodeWithInterfaces(interfacesYaml, extra), { backend: 'netplan' }).netplan!) as Doc;

describe('netplan backend', () => {
  it('writes the netplan file instead of the interfaces file, with ovs-setup.sh beside it', () => {
    const result = renderNetwork(nodeWithInterfaces('eth0: {type: eth, address: 192.0.2.5, netmask: 24}'), {
      backend: 'netplan',
    });
    expect(result.backend).toBe('netplan');
    expect(Object.keys(result.files).sort()).toEqual([NETPLAN_PATH, 'ovs-setup.sh']);
    expect(formatRenderText(result)).toContain(`### /${NETPLAN_PATH} (node cmp01)`);
    expect(formatRenderText(result)).not.toContain(INTERFACES_PATH);
    const ifupdown = renderNetwork(nodeWithInterfaces('eth0: {type: eth}'));
    expect(ifupdown.backend).toBe('ifupdown');
    expect(ifupdown.netplan).toBeUndefined();
    expect(Object.keys(ifupdown.files)).toContain(INTERFACES_PATH);
  });

  it('follows the pillar choice linux:network:backend, and --backend overrides it', () => {
    const node = nodeWithInterfaces('eth0: {type: eth}', 'backend: netplan');
    expect(renderNetwork(node).backend).toBe('netplan');
    expect(renderNetwork(node, { backend: 'ifupdown' }).backend).toBe('ifupdown');
  });

  it('writes addresses, gateway as a default route, routes, DNS, MTU and IPv6', () => {
    const doc = netplanOf(`
ens3:
  type: eth
  address: 192.0.2.15
  netmask: 255.255.255.0
  gateway: 192.0.2.1
  mtu: 9000
  name_servers: [192.0.2.53]
  enable_ipv6: true
  ipv6proto: static
  ipv6ipaddr: 2001:db8::15
  ipv6netmask: 64
  ipv6gateway: 2001:db8::1
  route:
    storage: {address: 10.20.0.0, netmask: 255.255.0.0, gateway: 192.0.2.254}
    oob: {address: 10.30.0.0, netmask: 24}
ens4: {type: eth, proto: dhcp}
`);
    expect(doc.network.version).toBe(2);
    expect(doc.network.renderer).toBe('networkd');
    expect(doc.network.ethernets['ens3']).toEqual({
      addresses: ['192.0.2.15/24', '2001:db8::15/64'],
      routes: [
        { to: 'default', via: '192.0.2.1' },
        { to: 'default', via: '2001:db8::1' },
        { to: '10.20.0.0/16', via: '192.0.2.254' },
        { to: '10.30.0.0/24', scope: 'link' },
      ],
      nameservers: { addresses: ['192.0.2.53'] },
      mtu: 9000,
    });
    expect(doc.network.ethernets['ens4']).toEqual({ dhcp4: true });
  });

  it('writes bonds with every bonding parameter, VLANs and Linux bridges with STP off unless asked', () => {
    const doc = netplanOf(`
eno1: {type: slave, master: bond0}
eno2: {type: slave, master: bond0}
bond0: {type: bond, proto: manual, mode: 802.3ad, slaves: [eno1, eno2], lacp_rate: fast, xmit_hash_policy: layer3+4, ad_select: bandwidth, mtu: 9000}
bond0.100: {type: vlan, use_interfaces: [bond0]}
vlan200: {type: vlan, vlan_id: 200, use_interfaces: [bond0]}
br-mgmt: {type: bridge, use_interfaces: [bond0.100], address: 10.0.0.2, netmask: 24}
br-stp: {type: bridge, use_interfaces: [vlan200], stp: true}
`);
    expect(doc.network.bonds['bond0']).toEqual({
      mtu: 9000,
      interfaces: ['eno1', 'eno2'],
      parameters: {
        mode: '802.3ad',
        'mii-monitor-interval': 100,
        'down-delay': 200,
        'up-delay': 0,
        'lacp-rate': 'fast',
        'transmit-hash-policy': 'layer3+4',
        'ad-select': 'bandwidth',
      },
    });
    expect(doc.network.vlans['bond0.100']).toEqual({ id: 100, link: 'bond0' });
    expect(doc.network.vlans['vlan200']).toEqual({ id: 200, link: 'bond0' });
    expect(doc.network.bridges['br-mgmt']).toEqual({
      addresses: ['10.0.0.2/24'],
      interfaces: ['bond0.100'],
      parameters: { stp: false },
    });
    expect(doc.network.bridges['br-stp']['parameters']).toEqual({ stp: true });
    expect(doc.network.ethernets['eno1']).toEqual({});
  });

  it('writes ARP monitoring as arp-ip-targets and arp-interval, and no MII setting', () => {
    const doc = netplanOf(`
eno1: {type: slave, master: bond0}
eno2: {type: slave, master: bond0}
bond0: {type: bond, mode: active-backup, slaves: [eno1, eno2], arp_ip_target: [10.0.0.1, 10.0.0.2], primary: eno1}
`);
    expect(doc.network.bonds['bond0']['parameters']).toEqual({
      mode: 'active-backup',
      'arp-ip-targets': ['10.0.0.1', '10.0.0.2'],
      'arp-interval': 250,
      primary: 'eno1',
    });
  });

  it('matches a NIC with a MAC by it and renames it; a bond gets the MAC set', () => {
    const doc = netplanOf(`
eno1: {type: slave, master: bond0, hwaddress: "52:54:00:AA:BB:01"}
eno2: {type: slave, master: bond0}
bond0: {type: bond, mode: active-backup, slaves: [eno1, eno2], hwaddress: "52:54:00:aa:bb:0f"}
`);
    expect(doc.network.ethernets['eno1']).toEqual({ match: { macaddress: '52:54:00:aa:bb:01' }, 'set-name': 'eno1' });
    expect(doc.network.bonds['bond0']['macaddress']).toBe('52:54:00:aa:bb:0f');
  });

  it('declares devices the pillar only references (a VLAN raw device) as bare ethernets', () => {
    const doc = netplanOf('ens5.300: {type: vlan, address: 10.3.0.5, netmask: 24}');
    expect(doc.network.vlans['ens5.300']).toEqual({ addresses: ['10.3.0.5/24'], id: 300, link: 'ens5' });
    expect(doc.network.ethernets['ens5']).toEqual({});
  });

  it('writes OVS bridges with their system ports, bonds and patch pairs; internal ports as devices matched by name', () => {
    const result = renderNetwork(
      nodeWithInterfaces(`
ens6: {type: eth, mtu: 9000}
ens7: {type: eth, mtu: 9000}
br-prv: {type: ovs_bridge, mtu: 9000, ovs_options: "fail_mode=secure other_config:hwaddr=52:54:00:00:00:01 external_ids:owner=neutron"}
bond-prv: {type: ovs_bond, bridge: br-prv, slaves: [ens6, ens7], mode: balance-slb}
br-floating: {type: ovs_bridge}
float-to-prv: {type: ovs_port, port_type: patch, bridge: br-floating, peer: prv-to-float, tag: 1100}
prv-to-float: {type: ovs_port, port_type: patch, bridge: br-prv, peer: float-to-prv}
br-ex-port: {type: ovs_port, bridge: br-floating, address: 172.16.0.5, netmask: 24}
`),
      { backend: 'netplan' },
    );
    const doc = parse(result.netplan!) as Doc;
    expect(doc.network.bridges['br-prv']).toEqual({
      mtu: 9000,
      openvswitch: {
        'fail-mode': 'secure',
        'other-config': { hwaddr: '52:54:00:00:00:01' },
        'external-ids': { owner: 'neutron' },
      },
      interfaces: ['bond-prv', 'prv-to-float'],
    });
    expect(doc.network.bridges['br-floating']).toEqual({ mtu: 1500, openvswitch: {}, interfaces: ['float-to-prv'] });
    expect(doc.network.bonds['bond-prv']).toEqual({
      interfaces: ['ens6', 'ens7'],
      parameters: { mode: 'balance-slb' },
      openvswitch: {},
    });
    expect(doc.network['openvswitch']).toEqual({ ports: [['float-to-prv', 'prv-to-float']] });
    // The internal port: its address here, its creation (and the patch port's tag) in ovs-setup.sh.
    expect(doc.network.ethernets['br-ex-port']).toEqual({ addresses: ['172.16.0.5/24'], mtu: 1500 });
    expect(result.ovsScript).toContain('add-port br-floating br-ex-port -- set Interface br-ex-port type=internal');
    expect(result.ovsScript).toContain('set Port float-to-prv tag=1100');
  });

  it('leaves disabled OVS objects out and does not bring disabled Linux devices up', () => {
    const doc = netplanOf(`
eth0: {type: eth, enabled: false, address: 192.0.2.9, netmask: 24}
br-x: {type: ovs_bridge, enabled: false}
`);
    expect(doc.network.ethernets['eth0']).toEqual({ 'activation-mode': 'manual', addresses: ['192.0.2.9/24'] });
    expect(doc.network.bridges).toBeUndefined();
  });

  it('quotes scalars YAML 1.1 readers would take for booleans', () => {
    const text = renderNetwork(nodeWithInterfaces('eth0: {type: eth, name_servers: [192.0.2.1], dns-search: ["on"]}'), {
      backend: 'netplan',
    }).netplan!;
    expect(text).toMatch(/- "on"|- 'on'/);
  });

  it('refuses what netplan cannot express, naming node, interface and key', () => {
    const render = () =>
      renderNetwork(
        nodeWithInterfaces(`
eth0: {type: eth, address: 192.0.2.5, netmask: 24, up_cmds: ["ip link set eth0 promisc on"], hardware-dma-ring-rx: 4096, sg: off}
eth1: {type: eth, address: 192.0.2.6, netmask: 24, broadcast: 192.0.2.127}
`),
        { backend: 'netplan' },
      );
    expect(render).toThrow(
      /interface eth0, key up_cmds: not expressible with the netplan backend: netplan runs no ifupdown hook commands/,
    );
    expect(render).toThrow(/interface eth0, key hardware-dma-ring-rx: not expressible with the netplan backend/);
    expect(render).toThrow(/interface eth0, key sg: not expressible/);
    expect(render).toThrow(/interface eth1, key broadcast: .*192\.0\.2\.127 is not the network's default/);
  });

  it('accepts the default broadcast and the offloads netplan has keys for', () => {
    const doc = netplanOf(
      'eth0: {type: eth, address: 192.0.2.5, netmask: 24, broadcast: 192.0.2.255, gro: off, tso: on}',
    );
    expect(doc.network.ethernets['eth0']).toEqual({
      addresses: ['192.0.2.5/24'],
      'generic-receive-offload': false,
      'tcp-segmentation-offload': true,
    });
  });

  it('refuses sourced ifupdown files and a VLAN on an OVS bridge', () => {
    expect(() =>
      renderNetwork(
        nodeWithInterfaces(
          'eth0: {type: eth}',
          'concat_iface_files: [{src: /etc/network/interfaces.d/50-cloud-init.cfg, dst: /etc/network/interfaces}]',
        ),
        { backend: 'netplan' },
      ),
    ).toThrow(/key concat_iface_files: not expressible with the netplan backend/);
    expect(() =>
      renderNetwork(
        nodeWithInterfaces('br-ovs: {type: ovs_bridge}\nvl5: {type: vlan, vlan_id: 5, use_interfaces: [br-ovs]}'),
        { backend: 'netplan' },
      ),
    ).toThrow(/fake bridge/);
  });

  it('renders nothing but the header for a node whose network is disabled', () => {
    const doc = parse(
      renderNetwork(nodeWithInterfaces('eth0: {type: eth}', 'enabled: false'), { backend: 'netplan' }).netplan!,
    ) as Doc;
    expect(doc).toEqual({ network: { version: 2, renderer: 'networkd' } });
  });
});
