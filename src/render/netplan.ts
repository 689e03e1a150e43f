/**
 * Model -> netplan YAML (`/etc/netplan/60-reclass-net.yaml`), the second backend beside the
 * ifupdown `interfaces` file, from the same validated NetworkModel.
 *
 * Choices, and why:
 * - `renderer: networkd`: netplan's Open vSwitch support and every key used here are networkd's.
 * - Netplan holds what it has keys for: ethernets, bonds (every bonding parameter the model
 *   carries), VLANs, Linux bridges, OVS bridges, the system ports, bonds and patch pairs
 *   (`openvswitch.ports`) in them, `other-config` / `external-ids` / `fail-mode` of a bridge,
 *   host-wide `other-config`. What netplan has no key for in OVS (internal ports other than the
 *   bridge's own, tags, `mtu_request`, `datapath_type`, other columns, `ovs_extra`, DPDK ports
 *   and bonds) stays in the accompanying `ovs-setup.sh`, which is the same idempotent script
 *   the ifupdown backend ships: its `--may-exist` / `set` commands converge with netplan's own.
 *   An internal port's addresses, MTU and routes are an `ethernets` entry matched by name:
 *   networkd configures the device when ovs-setup.sh creates it.
 * - What neither can carry is refused for this backend, naming the key (see
 *   {@link netplanRefusals}): ifupdown hook commands, ring sizes and the `sg` offload, a
 *   non-default broadcast, sourced interface files, a VLAN on an OVS bridge (netplan would make
 *   it a fake bridge, not a VLAN device).
 * - Linux bridges get `stp: false` unless the pillar asks for STP: netplan's default is on,
 *   bridge-utils' (the ifupdown backend) is off.
 * - A NIC the pillar gives a MAC (`hwaddress`) is matched by it and renamed (`match` +
 *   `set-name`), the way netplan pins names; a bond, VLAN or bridge gets it as `macaddress`.
 * - A device the pillar only references (a VLAN's raw device, a bridge member) gets an empty
 *   `ethernets` entry: netplan refuses references to undeclared devices.
 * - `enabled: false` interfaces get `activation-mode: manual` (configured, not brought up),
 *   as their ifupdown stanza has no `auto` line; disabled OVS objects are left out, as in OVS.
 */
import { stringify } from 'yaml';
import { formatCidr } from '../network/ipv4.js';
import { COMMAND_KEYS } from '../network/keys.js';
import { mustGet, present } from '../invariant.js';
import type { LinuxBond, NetworkInterface, NetworkModel } from '../network/types.js';
import { assertRenderableModel } from './guard.js';
import { headerLabel } from './labels.js';

/**
 * Relative path of the netplan file under `--out DIR/NODE/`. 60 sorts after the files an
 * installer writes (00-installer-config.yaml, 50-cloud-init.yaml), so its settings win.
 * @example
 * const yaml = renderNetwork(node, { backend: 'netplan' }).files[NETPLAN_PATH];
 */
export const NETPLAN_PATH = 'etc/netplan/60-reclass-net.yaml';

/**
 * Something of the model the netplan backend cannot express.
 * @example
 * for (const r of netplanRefusals(model)) console.error(r.interface ?? 'linux:network', r.key, r.message);
 */
export interface NetplanRefusal {
  /** The interface's pillar key; undefined for a `linux:network` key. */
  interface?: string;
  key: string;
  message: string;
}

type Mapping = Record<string, unknown>;

/** Debian ethtool hook offloads -> netplan's offload keys (0.104 and later). */
const OFFLOADS: Record<string, string> = {
  'offload-rx': 'receive-checksum-offload',
  'offload-tx': 'transmit-checksum-offload',
  'offload-tso': 'tcp-segmentation-offload',
  'offload-gso': 'generic-segmentation-offload',
  'offload-gro': 'generic-receive-offload',
  'offload-lro': 'large-receive-offload',
};

/** Kernel bonding option names (the model's) -> netplan bond parameters. */
const BOND_PARAMETERS: Record<string, string> = {
  mode: 'mode',
  miimon: 'mii-monitor-interval',
  downdelay: 'down-delay',
  updelay: 'up-delay',
  'lacp-rate': 'lacp-rate',
  'xmit-hash-policy': 'transmit-hash-policy',
  'ad-select': 'ad-select',
  'arp-interval': 'arp-interval',
  'arp-ip-target': 'arp-ip-targets',
  primary: 'primary',
};

const NUMERIC_BOND_PARAMETERS = new Set(['mii-monitor-interval', 'down-delay', 'up-delay', 'arp-interval']);

const WHY_NOT = 'netplan has no such setting; use the ifupdown backend for this node';

/**
 * What of the model the netplan backend refuses, each naming the pillar key. Empty: the node
 * renders with netplan.
 * @example
 * if (netplanRefusals(model).length === 0) writeFileSync('60-reclass-net.yaml', renderNetplan(model));
 */
export function netplanRefusals(model: NetworkModel): NetplanRefusal[] {
  if (!model.enabled) return [];
  const refusals: NetplanRefusal[] = [];
  const byName = new Map(model.interfaces.map((i) => [i.name, i]));
  for (const src of model.host.sources.filter((s) => !model.host.removeFiles.includes(s))) {
    refusals.push({
      key: 'concat_iface_files',
      message: `netplan cannot source the ifupdown file ${src}: the stanzas it holds would be lost; use the ifupdown backend for this node`,
    });
  }
  for (const iface of model.interfaces) {
    const refuse = (key: string, message: string) => refusals.push({ interface: iface.key, key, message });
    for (const [field, key] of COMMAND_KEYS) {
      if (iface.commands[field].length > 0) refuse(key, `netplan runs no ifupdown hook commands (${key}); ${WHY_NOT}`);
    }
    for (const [option] of iface.ethtool) {
      if (OFFLOADS[option] === undefined)
        refuse(option.replace(/^offload-/, ''), `the ethtool setting ${option}: ${WHY_NOT}`);
    }
    if (
      iface.broadcast !== undefined &&
      iface.address &&
      iface.broadcast !== defaultBroadcast(iface.address.address, iface.address.prefixLength)
    ) {
      refuse('broadcast', `broadcast ${iface.broadcast} is not the network's default; ${WHY_NOT}`);
    }
    for (const [option] of iface.bond?.options ?? []) {
      if (BOND_PARAMETERS[option] === undefined) refuse(option, `the bonding option ${option}: ${WHY_NOT}`);
    }
    const raw = iface.vlan ? byName.get(iface.vlan.rawDevice) : undefined;
    if (raw?.kind === 'ovs-bridge') {
      refuse(
        'use_interfaces',
        `VLAN ${iface.name} on OVS bridge ${raw.name}: netplan would make it an OVS fake bridge, not a VLAN device; use an OVS internal port with tag, or the ifupdown backend`,
      );
    }
  }
  return refusals;
}

/**
 * The netplan document of a model, as plain data (`{ network: { version: 2, ... } }`).
 * Callers check {@link netplanRefusals} first; what it refuses is left out here.
 * @example
 * const doc = netplanDocument(model) as { network: { bonds?: Record<string, unknown> } };
 */
export function netplanDocument(model: NetworkModel): { network: Mapping } {
  assertRenderableModel(model);
  const network: Mapping = { version: 2, renderer: 'networkd' };
  if (!model.enabled) return { network };
  const byName = new Map(model.interfaces.map((i) => [i.name, i]));
  const sections: Record<'ethernets' | 'bonds' | 'vlans' | 'bridges', Mapping> = {
    ethernets: {},
    bonds: {},
    vlans: {},
    bridges: {},
  };
  const patchPairs: string[][] = [];
  const ovsMembers = new Map<string, string[]>();
  const addMember = (bridge: string, port: string) => ovsMembers.set(bridge, [...(ovsMembers.get(bridge) ?? []), port]);

  for (const name of model.order) {
    const iface = mustGet(byName, name, 'interface');
    const ovsObject = iface.kind.startsWith('ovs-') || iface.ovsBridge !== undefined;
    if (ovsObject && !iface.enabled) continue;
    if (iface.ovsBridge !== undefined && iface.kind !== 'ovs-internal-port' && iface.kind !== 'ovs-dpdk-port')
      addMember(iface.ovsBridge, iface.name);
    switch (iface.kind) {
      case 'ethernet':
      case 'ovs-system-port':
      case 'ovs-internal-port':
        sections.ethernets[name] = ethernet(iface);
        break;
      case 'bond': {
        const bond = present(iface.bond, `the bond settings of ${name}`);
        sections.bonds[name] = { ...device(iface), interfaces: bond.slaves, parameters: bondParameters(bond) };
        break;
      }
      case 'vlan': {
        const vlan = present(iface.vlan, `the VLAN settings of ${name}`);
        sections.vlans[name] = { ...device(iface), id: vlan.id, link: vlan.rawDevice };
        break;
      }
      case 'linux-bridge':
        sections.bridges[name] = {
          ...device(iface),
          interfaces: iface.bridgePorts ?? [],
          parameters: bridgeParameters(iface),
        };
        break;
      case 'ovs-bridge':
        sections.bridges[name] = { ...device(iface), openvswitch: ovsBridgeSettings(iface) };
        break;
      case 'ovs-bond': {
        const members = iface.ovsBondSlaves ?? [];
        // A DPDK bond's members have no kernel device: ovs-setup.sh alone adds it.
        if (members.some((m) => byName.get(m)?.kind === 'ovs-dpdk-port') || members.length === 0) {
          const bridge = present(iface.ovsBridge, `the OVS bridge of ${name}`);
          ovsMembers.set(
            bridge,
            (ovsMembers.get(bridge) ?? []).filter((p) => p !== name),
          );
          break;
        }
        sections.bonds[name] = { interfaces: members, ...ovsBondSettings(iface) };
        break;
      }
      case 'ovs-patch-port':
        if (iface.peer !== undefined && !patchPairs.some((p) => p.includes(name))) patchPairs.push([name, iface.peer]);
        break;
      case 'ovs-dpdk-port':
        break;
    }
  }
  for (const [bridge, ports] of ovsMembers) {
    const entry = sections.bridges[bridge] as Mapping | undefined;
    if (entry && ports.length > 0) sections.bridges[bridge] = { ...entry, interfaces: ports };
  }
  // Devices the pillar only references are NICs of the host: netplan needs them declared.
  const declared = new Set(Object.values(sections).flatMap((s) => Object.keys(s)));
  const referenced = Object.values(sections).flatMap((s) =>
    Object.values(s).flatMap((e) => {
      const entry = e as Mapping;
      return [
        ...((entry['interfaces'] as string[] | undefined) ?? []),
        ...(typeof entry['link'] === 'string' ? [entry['link']] : []),
      ];
    }),
  );
  const patchNames = new Set(patchPairs.flat());
  for (const name of referenced) {
    if (!declared.has(name) && !patchNames.has(name)) {
      sections.ethernets[name] = {};
      declared.add(name);
    }
  }
  for (const key of ['ethernets', 'bonds', 'vlans', 'bridges'] as const) {
    if (Object.keys(sections[key]).length > 0) network[key] = sections[key];
  }
  const openvswitch: Mapping = {};
  if (model.host.ovsOtherConfig.length > 0 && model.interfaces.some((i) => i.enabled && i.kind.startsWith('ovs-'))) {
    openvswitch['other-config'] = Object.fromEntries(model.host.ovsOtherConfig);
  }
  if (patchPairs.length > 0) openvswitch['ports'] = patchPairs;
  if (Object.keys(openvswitch).length > 0) network['openvswitch'] = openvswitch;
  return { network };
}

/**
 * The netplan file of a model. Throws on nothing {@link netplanRefusals} reports: check it first.
 * @example
 * await writeFile('/etc/netplan/60-reclass-net.yaml', renderNetplan(model), { mode: 0o600 });
 */
export function renderNetplan(model: NetworkModel): string {
  const header = [
    `# Generated by reclass-net for node ${headerLabel(model.node)} from its linux:network pillar.`,
    '# Open vSwitch settings netplan has no key for are in ovs-setup.sh, run after netplan apply.',
  ];
  // YAML 1.1 quoting: netplan's libyaml reader takes yes/no/on/off as booleans.
  return `${header.join('\n')}\n${stringify(netplanDocument(model), { version: '1.1', lineWidth: 0 })}`;
}

function ethernet(iface: NetworkInterface): Mapping {
  const entry = device(iface, false);
  if (iface.hwaddress !== undefined && iface.kind === 'ethernet') {
    return { match: { macaddress: iface.hwaddress.toLowerCase() }, 'set-name': iface.name, ...entry };
  }
  return entry;
}

/** What every device may carry: addresses, routes, DNS, MTU, MAC, offloads. */
function device(iface: NetworkInterface, withMac = true): Mapping {
  const entry: Mapping = {};
  if (!iface.enabled) entry['activation-mode'] = 'manual';
  if (withMac && iface.hwaddress !== undefined) entry['macaddress'] = iface.hwaddress.toLowerCase();
  if (iface.proto === 'dhcp') entry['dhcp4'] = true;
  const v6 = iface.ipv6;
  if (v6?.proto === 'dhcp') entry['dhcp6'] = true;
  if (v6?.proto === 'auto') entry['accept-ra'] = true;
  const addresses = [
    ...(iface.address && iface.proto === 'static' ? [formatCidr(iface.address)] : []),
    ...(v6?.address && v6.proto === 'static' ? [formatCidr(v6.address)] : []),
  ];
  if (addresses.length > 0) entry['addresses'] = addresses;
  const routes: Mapping[] = [];
  if (iface.gateway !== undefined)
    routes.push({ to: 'default', via: iface.gateway, ...(iface.metric !== undefined ? { metric: iface.metric } : {}) });
  if (v6?.gateway !== undefined) routes.push({ to: 'default', via: v6.gateway });
  for (const route of iface.routes) {
    routes.push({
      to: formatCidr(route.network),
      ...(route.gateway !== undefined ? { via: route.gateway } : { scope: 'link' }),
      ...(route.metric !== undefined ? { metric: route.metric } : {}),
    });
  }
  if (routes.length > 0) entry['routes'] = routes;
  if (iface.nameServers.length > 0 || iface.dnsSearch.length > 0) {
    entry['nameservers'] = {
      ...(iface.nameServers.length > 0 ? { addresses: iface.nameServers } : {}),
      ...(iface.dnsSearch.length > 0 ? { search: iface.dnsSearch } : {}),
    };
  }
  // Patch ports and OVS bonds have no device; DPDK ports are not here at all.
  if (iface.mtu !== undefined) entry['mtu'] = iface.mtu;
  for (const [option, value] of iface.ethtool) {
    const key = OFFLOADS[option];
    if (key !== undefined) entry[key] = value === 'on';
  }
  return entry;
}

function bondParameters(bond: LinuxBond): Mapping {
  const parameters: Mapping = {};
  for (const [option, value] of bond.options) {
    const key = BOND_PARAMETERS[option];
    if (key === undefined) continue;
    if (key === 'arp-ip-targets') parameters[key] = value.split(',');
    else if (key === 'lacp-rate') parameters[key] = value === '1' ? 'fast' : value === '0' ? 'slow' : value;
    else if (key === 'ad-select')
      parameters[key] = ({ '0': 'stable', '1': 'bandwidth', '2': 'count' } as Record<string, string>)[value] ?? value;
    else parameters[key] = NUMERIC_BOND_PARAMETERS.has(key) ? Number(value) : value;
  }
  return parameters;
}

function bridgeParameters(iface: NetworkInterface): Mapping {
  const stp = iface.bridgeOptions?.find(([k]) => k === 'bridge_stp')?.[1];
  return { stp: stp === 'on' };
}

function column(iface: NetworkInterface, table: string, name: string): string | undefined {
  return iface.ovs.columns.find((c) => c.table === table && c.record === iface.name && c.column === name)?.value;
}

/** `other_config:K=V` / `external_ids:K=V` columns of a record, as a mapping. */
function keyed(iface: NetworkInterface, table: string, prefix: string): Mapping | undefined {
  const entries = iface.ovs.columns
    .filter((c) => c.table === table && c.record === iface.name && c.column.startsWith(`${prefix}:`))
    .map((c): [string, string] => [c.column.slice(prefix.length + 1), c.value]);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function ovsBridgeSettings(iface: NetworkInterface): Mapping {
  const settings: Mapping = {};
  const failMode = column(iface, 'Bridge', 'fail_mode');
  if (failMode === 'secure' || failMode === 'standalone') settings['fail-mode'] = failMode;
  const otherConfig = keyed(iface, 'Bridge', 'other_config');
  if (otherConfig) settings['other-config'] = otherConfig;
  const externalIds = keyed(iface, 'Bridge', 'external_ids');
  if (externalIds) settings['external-ids'] = externalIds;
  return settings;
}

function ovsBondSettings(iface: NetworkInterface): Mapping {
  const settings: Mapping = {};
  const mode = column(iface, 'Port', 'bond_mode');
  if (mode !== undefined) settings['parameters'] = { mode };
  const openvswitch: Mapping = {};
  const lacp = column(iface, 'Port', 'lacp');
  if (lacp === 'active' || lacp === 'passive' || lacp === 'off') openvswitch['lacp'] = lacp;
  const otherConfig = keyed(iface, 'Port', 'other_config');
  if (otherConfig) openvswitch['other-config'] = otherConfig;
  const externalIds = keyed(iface, 'Port', 'external_ids');
  if (externalIds) openvswitch['external-ids'] = externalIds;
  return { ...settings, openvswitch };
}

/** The broadcast address networkd gives an address by default (the network's last address). */
function defaultBroadcast(address: string, prefixLength: number): string {
  const value = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const host = prefixLength >= 32 ? 0 : 2 ** (32 - prefixLength) - 1;
  const broadcast = value - (value % (host + 1)) + host;
  return [24, 16, 8, 0].map((shift) => Math.floor(broadcast / 2 ** shift) % 256).join('.');
}
