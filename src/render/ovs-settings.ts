/**
 * The OVSDB settings of each OVS object, shared by both renderers so that the interfaces
 * file's `ovs_extra` and `ovs-setup.sh` converge on the same database. Each setting is an
 * ovs-vsctl command (words, without the `--` separators); all are `set`s, which are
 * idempotent, unlike the column arguments of add-port that only apply at creation.
 */
import type { NetworkInterface, OvsColumn } from '../network/types.js';

export type Command = string[];

/** A Linux device (NIC, bond, VLAN) or an `ovs_port` of OVSPort type, attached to an OVS bridge. */
export function isOvsSystemPort(iface: NetworkInterface): boolean {
  if (iface.kind === 'ovs-system-port') return true;
  return (iface.kind === 'ethernet' || iface.kind === 'bond' || iface.kind === 'vlan') && iface.ovsBridge !== undefined;
}

export function ovsBridgeSettings(iface: NetworkInterface): Command[] {
  return [...mergeSets([...columnSets(iface.ovs.columns), ...mtuRequest(iface.name, iface.mtu)]), ...iface.ovs.extra];
}

/**
 * Settings of an internal, system or patch port. `typeSettings` (the Interface type and patch
 * peer) come first; the interfaces file leaves them to Debian's hook, ovs-setup.sh sets them.
 */
export function ovsPortSettings(iface: NetworkInterface, typeSettings: Command[] = []): Command[] {
  // A patch port has no device, so no MTU.
  const mtu = iface.kind === 'ovs-patch-port' ? [] : mtuRequest(iface.name, iface.mtu);
  return [...mergeSets([...typeSettings, ...columnSets(iface.ovs.columns), ...mtu]), ...iface.ovs.extra];
}

/**
 * Settings of an OVS bond: its Port columns, then each member's own settings: a DPDK member's
 * device and queues, and a member's own MTU. The bond's MTU is not pushed onto its members:
 * a bond never silently changes a member's MTU. `members` finds member interfaces.
 */
export function ovsBondSettings(
  iface: NetworkInterface,
  members: ((name: string) => NetworkInterface | undefined) | undefined,
): Command[] {
  const memberSettings = (iface.ovsBondSlaves ?? []).flatMap((slave) => {
    const member = members?.(slave);
    if (!member) return [];
    return member.kind === 'ovs-dpdk-port' ? dpdkInterfaceSettings(member) : mtuRequest(slave, member.mtu);
  });
  // Debian's hook adds a bond with --fake-iface (an extra internal device named after the
  // bond); salt's add-bond does not. Said explicitly, both paths give salt's host.
  const noFakeIface: Command = ['set', 'Port', iface.name, 'bond_fake_iface=false'];
  return [...mergeSets([noFakeIface, ...columnSets(iface.ovs.columns), ...memberSettings]), ...iface.ovs.extra];
}

/** A DPDK port: its Interface type, device, queues and MTU (as salt's dpdk state sets them). */
export function dpdkPortSettings(iface: NetworkInterface): Command[] {
  return [...mergeSets([...dpdkInterfaceSettings(iface), ...columnSets(iface.ovs.columns)]), ...iface.ovs.extra];
}

function dpdkInterfaceSettings(iface: NetworkInterface): Command[] {
  const dpdk = iface.dpdk;
  if (!dpdk) return [];
  const set = ['set', 'Interface', iface.name, 'type=dpdk', `options:dpdk-devargs=${dpdk.pci}`];
  if (dpdk.nRxq !== undefined) set.push(`options:n_rxq=${dpdk.nRxq}`);
  if (dpdk.pmdRxqAffinity !== undefined) set.push(`other_config:pmd-rxq-affinity=${dpdk.pmdRxqAffinity}`);
  return [set, ...mtuRequest(iface.name, iface.mtu)];
}

/**
 * `set Open_vSwitch . other_config:KEY=VALUE ...` for the host-wide settings (DPDK's), or
 * nothing. Values may hold spaces (dpdk-extra), so callers must quote the words.
 */
export function openVswitchSettings(otherConfig: Array<[string, string]>): Command[] {
  if (otherConfig.length === 0) return [];
  return [['set', 'Open_vSwitch', '.', ...otherConfig.map(([key, value]) => `other_config:${key}=${value}`)]];
}

/** One `set TABLE RECORD a=1 b=2` per record, in first-mention order. */
function columnSets(columns: OvsColumn[]): Command[] {
  const groups = new Map<string, Command>();
  for (const c of columns) {
    const id = `${c.table}\u0000${c.record}`;
    const command = groups.get(id) ?? ['set', c.table, c.record];
    command.push(`${c.column}=${c.value}`);
    groups.set(id, command);
  }
  return [...groups.values()];
}

/** Joins `set T R a=1` and `set T R b=2` into `set T R a=1 b=2`: one record, one command. */
function mergeSets(commands: Command[]): Command[] {
  const merged: Command[] = [];
  for (const command of commands) {
    const target = merged.find(
      (m) => m[0] === 'set' && command[0] === 'set' && m[1] === command[1] && m[2] === command[2],
    );
    if (target) target.push(...command.slice(3));
    else merged.push([...command]);
  }
  return merged;
}

function mtuRequest(name: string, mtu: number | undefined): Command[] {
  return mtu === undefined ? [] : [['set', 'Interface', name, `mtu_request=${mtu}`]];
}
