/**
 * One test per salt-formula-linux bug listed in network-reference/README.md, each showing
 * what salt writes and what reclass-net writes instead.
 */
import { describe, expect, it } from 'vitest';
import { NetworkValidationError } from '../../src/errors.js';
import { analyzeNetwork, formatProblem } from '../../src/network/index.js';
import { renderNetwork } from '../../src/render/index.js';
import { nodeWithInterfaces, referenceFile, referenceNode } from '../network/helpers.js';
import { option, options, parseInterfaces, simulateOvs } from './parse.js';

describe('salt-formula-linux bugs, fixed', () => {
  it('takes a VLAN raw device from use_interfaces, not from the VLAN name', () => {
    const salt = parseInterfaces(referenceFile('04-kvm-vcp-bond-vlan-bridges', 'expected-interfaces'));
    expect(option(salt.get('vlan2430'), 'vlan-raw-device')).toBe('vlan2430'); // the bug: its own parent

    const ours = parseInterfaces(renderNetwork(referenceNode('04-kvm-vcp-bond-vlan-bridges')).interfaces);
    const vlan = ours.get('vlan2430');
    expect(option(vlan, 'vlan-raw-device')).toBe('bond0');
    // ifupdown only creates PARENT.ID names itself, so the stanza creates vlan2430 on bond0.
    expect(options(vlan, 'pre-up')).toEqual([
      '[ -e /sys/class/net/vlan2430 ] || ip link add link bond0 name vlan2430 type vlan id 2430',
    ]);
    expect(options(vlan, 'post-down')).toEqual(['[ ! -e /sys/class/net/vlan2430 ] || ip link delete dev vlan2430']);
  });

  it('rejects a VLAN whose raw device cannot be resolved instead of guessing it from the name', () => {
    expect(() => renderNetwork(nodeWithInterfaces('vlan99: {type: vlan, proto: manual}'))).toThrow(
      /interface vlan99, key use_interfaces: cannot tell the VLAN's raw device/,
    );
    expect(() =>
      renderNetwork(
        nodeWithInterfaces(
          'eth0: {type: eth, proto: manual}\neth1: {type: eth, proto: manual}\neth0.5: {type: vlan, proto: manual, use_interfaces: [eth1]}',
        ),
      ),
    ).toThrow(/the name eth0\.5 makes ifupdown create the VLAN on eth0, but the pillar says eth1/);
  });

  it('does not let a bridge inherit options of its members (mtu, up/down commands, DNS)', () => {
    const salt = parseInterfaces(referenceFile('08-ovs-ovsport-patch-tag-upcmds', 'expected-interfaces'));
    expect(option(salt.get('br-pub'), 'mtu')).toBe('1500'); // inherited from eth1
    expect(options(salt.get('br-pub'), 'up')).toHaveLength(2); // eth1's up commands, run on the bridge

    const ours = parseInterfaces(renderNetwork(referenceNode('08-ovs-ovsport-patch-tag-upcmds')).interfaces);
    const brPub = ours.get('br-pub')!;
    expect(brPub.options).toEqual([
      ['address', '198.51.100.40/24'],
      ['bridge_ports', 'eth1'],
    ]);
    expect(options(ours.get('eth1'), 'up')).toEqual(['ip address add 0/0 dev $IFACE', 'ip link set $IFACE up']);
    expect(options(ours.get('eth1'), 'down')).toEqual(['ip link set $IFACE down']);

    const ctl = parseInterfaces(renderNetwork(referenceNode('03-ctl-linuxbridge')).interfaces).get('br-ctl');
    expect(option(ctl, 'mtu')).toBeUndefined(); // salt: mtu 9000, copied from br-mgmt's member
    expect(option(ctl, 'dns-nameservers')).toBeUndefined();
  });

  it('attaches a port whose name is a substring of its bridge name (ens7 in br-ens7)', () => {
    // salt guards add-port with `ovs-vsctl show | grep ens7`, which matches "br-ens7" and skips it.
    const result = renderNetwork(referenceNode('08-ovs-ovsport-patch-tag-upcmds'));
    expect(result.ovsScript).not.toMatch(/grep|show/);
    expect(result.ovs).toContain('ovs-vsctl --may-exist add-port br-ens7 ens7 -- set Interface ens7 mtu_request=9000');
    expect(simulateOvs(result.ovsScript).ports.get('ens7')?.bridge).toBe('br-ens7');
    // Same for a plain eth attached with ovs_bridge: (salt's add_int_* state).
    const node = nodeWithInterfaces(
      'ens7: {type: eth, proto: manual, ovs_bridge: br-ens7}\nbr-ens7: {type: ovs_bridge}',
    );
    expect(renderNetwork(node).ovs).toEqual([
      'ovs-vsctl --may-exist add-br br-ens7 -- set Interface br-ens7 mtu_request=1500',
      'ovs-vsctl --may-exist add-port br-ens7 ens7',
    ]);
  });

  it('pins the MTU salt pins on OVS bridges and internal ports without one, and gives it to OVS too (mtu_request)', () => {
    // salt writes `mtu 1500` but never tells OVS, which then gives an internal port the
    // smallest MTU among the bridge's ports (9000 on a jumbo-frame bridge) once ports change.
    const salt = parseInterfaces(referenceFile('08-ovs-ovsport-patch-tag-upcmds', 'expected-interfaces'));
    expect(option(salt.get('br-tun'), 'mtu')).toBe('1500'); // the pillar sets none

    const result = renderNetwork(referenceNode('08-ovs-ovsport-patch-tag-upcmds'));
    const ours = parseInterfaces(result.interfaces);
    expect(option(ours.get('br-tun'), 'mtu')).toBe('1500');
    expect(option(ours.get('br-tun'), 'ovs_extra')).toBe('set Interface br-tun mtu_request=1500');
    expect(option(ours.get('br-prv'), 'mtu')).toBe('9000');
    expect(option(ours.get('br-prv'), 'ovs_extra')).toBe('set Interface br-prv mtu_request=9000');
    const db = simulateOvs(result.ovsScript);
    expect(db.interfaces.get('br-tun')).toEqual({ mtu_request: '1500' });
    expect(db.interfaces.get('br-prv')).toEqual({ mtu_request: '9000' });
    expect(db.interfaces.get('ens7')).toEqual({ mtu_request: '9000' });

    const n07 = parseInterfaces(renderNetwork(referenceNode('07-ovs-native-bond-intport-ip')).interfaces);
    expect(option(n07.get('br-stor'), 'mtu')).toBe('1500'); // salt: mtu 1500
    // A system port (a NIC) keeps its own MTU: no bridge default is pushed onto it.
    expect(option(ours.get('ens7'), 'ovs_extra')).toBe('set Interface ens7 mtu_request=9000');
  });

  it('validates the whole pillar before rendering anything, reporting every problem at once', () => {
    // salt applies interfaces one by one and fails half-way on the first bad one.
    const node = nodeWithInterfaces(`
ens6: {type: eth, proto: manual, mtu: 9000, ovs_bridge: br-floating}
br-floating: {type: ovs_bridge, mtu: 9000}
br-ex: {type: ovs_bridge, mtu: 9000}
float-to-ex: {type: ovs_port, port_type: patch, bridge: br-floating, peer: ex-to-flaot}
ex-to-float: {type: ovs_port, port_type: patch, bridge: br-ex, peer: float-to-ex}
br-mgmt: {type: bridge, address: 10.0.0.1, netmask: 24, mtu: 9000, use_interfaces: [ens3]}
`);
    let error: unknown;
    try {
      renderNetwork(node);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NetworkValidationError);
    expect((error as NetworkValidationError).problems).toEqual([
      expect.stringMatching(
        /^node cmp01, interface float-to-ex, key peer: patch peer ex-to-flaot is not an interface of this node/,
      ),
      expect.stringMatching(
        /^node cmp01, interface ex-to-float, key peer: patch peers are asymmetric: ex-to-float points at float-to-ex, but float-to-ex points at ex-to-flaot/,
      ),
    ]);
    // An undeclared bridge member is a NIC of the host: a warning, not a refusal.
    const { problems } = analyzeNetwork(node);
    expect(problems.map(formatProblem)).toContainEqual(
      expect.stringMatching(
        /^warning: node cmp01, interface br-mgmt, key use_interfaces:0: bridge member ens3 is not declared/,
      ),
    );
  });
});
