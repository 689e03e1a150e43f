import { describe, expect, it } from 'vitest';
import { buildNetworkModel, type NetworkInterface, type NetworkModel } from '../../src/network/index.js';
import { nodeFromYaml, nodeWithInterfaces, referenceNode } from './helpers.js';

const byName = (model: NetworkModel, name: string): NetworkInterface => {
  const iface = model.interfaces.find((i) => i.name === name);
  if (!iface) throw new Error(`no interface ${name}`);
  return iface;
};

describe('buildNetworkModel: normalisation', () => {
  it('gives a node without linux:network:interface an empty model', () => {
    const model = buildNetworkModel(nodeFromYaml('linux:\n  system:\n    name: x\n'));
    expect(model.interfaces).toEqual([]);
    expect(model.order).toEqual([]);
    expect(model.bridgeBackend).toBe('none');
    expect(buildNetworkModel({ name: 'bare', parameters: {} }).interfaces).toEqual([]);
  });

  it('uses name: over the dict key and keeps the key', () => {
    const model = buildNetworkModel(referenceNode('03-ctl-linuxbridge'));
    const mgmt = byName(model, 'ens3');
    expect(mgmt.key).toBe('mgmt_nic');
    expect(model.bridgeBackend).toBe('linuxbridge');
  });

  it('applies salt proto defaults: static with address, dhcp without, manual for members and OVS', () => {
    const model = buildNetworkModel(
      nodeWithInterfaces(`
lone: {type: eth}
withaddr: {type: eth, address: 10.0.0.5, netmask: 24}
member: {type: eth}
br0: {type: bridge, use_interfaces: [member]}
br-ovs: {type: ovs_bridge}
`),
    );
    expect(byName(model, 'lone').proto).toBe('dhcp');
    expect(byName(model, 'withaddr').proto).toBe('static');
    expect(byName(model, 'withaddr').address).toEqual({ address: '10.0.0.5', prefixLength: 24 });
    expect(byName(model, 'member').proto).toBe('manual');
    expect(byName(model, 'br0').proto).toBe('dhcp');
    expect(byName(model, 'br-ovs').proto).toBe('manual');
  });

  it('keeps enabled: false interfaces, marked disabled', () => {
    const model = buildNetworkModel(referenceNode('02-eth-manual-ipflush-noifupdown'));
    expect(byName(model, 'ens7').enabled).toBe(false);
    expect(byName(model, 'ens6').enabled).toBe(true);
    expect(byName(model, 'ens6').hwaddress).toBe('52:54:00:aa:bb:06');
    expect(byName(model, 'ens6').metric).toBe(200);
    expect(byName(model, 'ens6').dnsSearch).toEqual(['storage.lab.example.net']);
  });

  it('manages nothing when linux:network:enabled is false, and skips managed: false interfaces', () => {
    const off = buildNetworkModel(nodeWithInterfaces('eth0: {type: eth}', 'enabled: false'));
    expect(off.enabled).toBe(false);
    expect(off.interfaces).toEqual([]);
    const unmanaged = buildNetworkModel(nodeWithInterfaces('eth0: {type: eth, managed: false}\neth1: {type: eth}'));
    expect(unmanaged.interfaces.map((i) => i.name)).toEqual(['eth1']);
  });

  it('reads bonds: slaves from the string, master: of slaves, salt link-monitoring defaults', () => {
    const model = buildNetworkModel(referenceNode('04-kvm-vcp-bond-vlan-bridges'));
    const bond = byName(model, 'bond0');
    expect(bond.kind).toBe('bond');
    expect(bond.bond?.slaves).toEqual(['eno1', 'eno2']);
    expect(bond.bond?.options).toEqual([
      ['mode', '802.3ad'],
      ['miimon', '100'],
      ['downdelay', '200'],
      ['updelay', '0'],
      ['lacp-rate', 'fast'],
      ['xmit-hash-policy', 'layer3+4'],
    ]);
    expect(byName(model, 'eno1').bondMaster).toBe('bond0');
    expect(byName(model, 'eno1').proto).toBe('manual');
  });

  it('adds a slave that names its master to the bond even when slaves: omits it', () => {
    const model = buildNetworkModel(
      nodeWithInterfaces(`
eth0: {type: slave, master: bond0}
eth1: {type: slave, master: bond0}
bond0: {type: bond, mode: active-backup, slaves: eth0}
`),
    );
    expect(byName(model, 'bond0').bond?.slaves).toEqual(['eth0', 'eth1']);
  });

  it('takes the VLAN raw device from use_interfaces and the ID from the name or vlan_id', () => {
    const model = buildNetworkModel(
      nodeWithInterfaces(`
eth0: {type: eth, proto: manual}
vlan2430: {type: vlan, use_interfaces: [eth0]}
eth0.12: {type: vlan}
storage: {type: vlan, use_interfaces: [eth0], vlan_id: 77}
`),
    );
    expect(byName(model, 'vlan2430').vlan).toEqual({ id: 2430, rawDevice: 'eth0' });
    expect(byName(model, 'eth0.12').vlan).toEqual({ id: 12, rawDevice: 'eth0' });
    expect(byName(model, 'storage').vlan).toEqual({ id: 77, rawDevice: 'eth0' });
  });

  it('classifies ovs_port: internal by default, patch, OVSPort; reads tag and ovs_options', () => {
    const model = buildNetworkModel(referenceNode('08-ovs-ovsport-patch-tag-upcmds'));
    expect(byName(model, 'ens7').kind).toBe('ovs-system-port');
    expect(byName(model, 'ens7').ovsBridge).toBe('br-ens7');
    const patch = byName(model, 'ens7-to-prv');
    expect(patch.kind).toBe('ovs-patch-port');
    expect(patch.peer).toBe('prv-to-ens7');
    expect(patch.tag).toBe(1109);
    const m07 = buildNetworkModel(referenceNode('07-ovs-native-bond-intport-ip'));
    const mgmt = byName(m07, 'mgmt0');
    expect(mgmt.kind).toBe('ovs-internal-port');
    expect(mgmt.tag).toBe(2415);
    expect(mgmt.ovs.columns).toEqual([{ table: 'Port', record: 'mgmt0', column: 'tag', value: '2415' }]);
    expect(byName(m07, 'br-stor').ovs.extra).toEqual([['set', 'bridge', 'br-stor', 'fail_mode=standalone']]);
    expect(byName(m07, 'bond-data').ovsBondSlaves).toEqual(['enp5s0f0', 'enp5s0f1']);
  });

  it('treats a Linux device with ovs_bridge: as a port of that OVS bridge', () => {
    const model = buildNetworkModel(referenceNode('05-compute-ovs-dvr-patch'));
    expect(byName(model, 'ens6').kind).toBe('ethernet');
    expect(byName(model, 'ens6').ovsBridge).toBe('br-floating');
  });

  it('reads datapath_type and ovs_extra (with ${IFACE} expanded) on OVS bridges', () => {
    const model = buildNetworkModel(
      nodeWithInterfaces(`
br-x: {type: ovs_bridge, datapath_type: netdev, ovs_extra: 'set bridge \${IFACE} stp_enable=true'}
`),
    );
    const br = byName(model, 'br-x');
    expect(br.datapathType).toBe('netdev');
    expect(br.ovs.columns).toContainEqual({
      table: 'Bridge',
      record: 'br-x',
      column: 'datapath_type',
      value: 'netdev',
    });
    expect(br.ovs.extra).toEqual([['set', 'bridge', 'br-x', 'stp_enable=true']]);
  });

  it('accepts numbers written as strings (YAML quoting) for mtu and tag', () => {
    const model = buildNetworkModel(
      nodeWithInterfaces(`
br-a: {type: ovs_bridge, mtu: "9000"}
p: {type: ovs_port, bridge: br-a, tag: "12"}
`),
    );
    expect(byName(model, 'br-a').mtu).toBe(9000);
    expect(byName(model, 'p').tag).toBe(12);
  });

  it('orders parents first: slaves, bond, VLAN, bridge; OVS bridge before its ports', () => {
    const model = buildNetworkModel(
      nodeWithInterfaces(`
br-mesh: {type: bridge, address: 10.0.0.1, netmask: 24, use_interfaces: [bond0.100]}
bond0.100: {type: vlan, proto: manual}
bond0: {type: bond, mode: active-backup, slaves: eth0 eth1, proto: manual}
eth0: {type: slave, master: bond0}
eth1: {type: slave, master: bond0}
patch-a: {type: ovs_port, port_type: patch, bridge: br-ovs, peer: patch-b}
patch-b: {type: ovs_port, port_type: patch, bridge: br-ovs2, peer: patch-a}
br-ovs: {type: ovs_bridge}
br-ovs2: {type: ovs_bridge}
`),
    );
    expect(model.order).toEqual([
      'eth0',
      'eth1',
      'bond0',
      'bond0.100',
      'br-mesh',
      'br-ovs',
      'patch-a',
      'br-ovs2',
      'patch-b',
    ]);
  });

  it('produces a JSON-serialisable model', () => {
    const model = buildNetworkModel(referenceNode('05-compute-ovs-dvr-patch'));
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });
});
