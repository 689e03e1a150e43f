/**
 * The networks of a site, derived from every node's NetworkModel: an IPv4 subnet for each
 * address, a VLAN for tagged traffic that carries no address, a bridge for an unaddressed
 * bridge (a provider or floating network). Each network gets its VLANs, MTU, gateway, the
 * `_param` names that set it and the hosts on it; the plan's mistakes are marked: an address
 * held twice, a host whose MTU differs from the network's, a gateway outside its subnet.
 */
import { mustGet } from '../invariant.js';
import { formatCidr, isIpv4, networkOf } from '../network/ipv4.js';
import type { NetworkInterface, NetworkModel } from '../network/types.js';
import type { ResolvedNode } from '../types.js';
import { effectiveMtus, mtuText } from './mtu.js';
import { keyHistory, type KeyHistory } from './provenance.js';

/** One interface of one node, as it sits on a network. */
export interface HostLink {
  /** Network id: `subnet-10.0.0.0-24`, `vlan-2416`, `bridge-br-floating`. */
  network: string;
  kind: 'subnet' | 'vlan' | 'bridge';
  /** The display name of the network (`10.0.0.0/24`, `VLAN 2416`, `br-floating`). */
  label: string;
  iface: string;
  address: string;
  /** The bridge the address (or the VLAN) is on, when it is on one. */
  bridge: string;
  vlans: number[];
  mtu: number;
  mtuText: string;
  gateway: string;
  /** The class file and line that set the address (or the VLAN), relative to the inventory. */
  setBy: string;
  /** `_param:...` references the address, netmask, gateway, MTU or tag went through. */
  params: string[];
}

export interface NetworkHost extends HostLink {
  node: string;
  cluster: string;
  /** Another interface of the site holds this address too. */
  conflict: boolean;
  /** The host's MTU is not the network's. */
  mtuMismatch: boolean;
}

export interface NetworkView {
  id: string;
  kind: HostLink['kind'];
  label: string;
  subnet: string;
  vlans: number[];
  /** The MTU most hosts on it have; hosts with another are marked. */
  mtu: number | undefined;
  gateways: string[];
  /** Gateways that are not inside `subnet`. */
  gatewaysOutside: string[];
  bridges: string[];
  params: string[];
  clusters: string[];
  hosts: NetworkHost[];
  /** Addresses held by more than one host interface. */
  conflicts: string[];
  mtuMismatches: number;
}

function toInt(ip: string): number {
  return ip.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);
}

function inside(ip: string, network: string, prefix: number): boolean {
  if (!isIpv4(ip)) return false;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return (toInt(ip) & mask) >>> 0 === toInt(network);
}

const INTERFACE_PATH = ['linux', 'network', 'interface'];

/** The `_param` (or other) references a key's value went through. */
function references(history: KeyHistory): string[] {
  return history.steps.flatMap((s) => (s.kind === 'reference' && s.reference ? [s.reference] : []));
}

/**
 * Where each interface of a node sits: one link per addressed interface, per unaddressed
 * VLAN or tagged port that no addressed bridge carries, per unaddressed bridge without VLAN.
 */
export function hostLinks(node: ResolvedNode, model: NetworkModel, root: string, delimiter: string): HostLink[] {
  const byName = new Map(model.interfaces.map((i) => [i.name, i]));
  const mtus = effectiveMtus(model);
  // The bridge each device is a port of (Linux bridges list ports, OVS ports name their bridge).
  const carrier = new Map<string, NetworkInterface>();
  for (const iface of model.interfaces) {
    for (const port of iface.bridgePorts ?? []) if (byName.has(iface.name)) carrier.set(port, iface);
    const bridge = iface.ovsBridge === undefined ? undefined : byName.get(iface.ovsBridge);
    if (bridge) carrier.set(iface.name, bridge);
  }
  const portsOf = (bridge: NetworkInterface) => model.interfaces.filter((i) => carrier.get(i.name) === bridge);
  const ownVlan = (i: NetworkInterface): number[] => (i.vlan ? [i.vlan.id] : i.tag !== undefined ? [i.tag] : []);
  const vlansOf = (i: NetworkInterface): number[] => {
    const own = ownVlan(i);
    if (own.length > 0 || (i.kind !== 'linux-bridge' && i.kind !== 'ovs-bridge')) return own;
    return [...new Set(portsOf(i).flatMap(ownVlan))].sort((a, b) => a - b);
  };
  const history = (i: NetworkInterface, key: string) =>
    keyHistory(node, [...INTERFACE_PATH, i.key, key], root, delimiter);
  const links: HostLink[] = [];
  for (const iface of model.interfaces) {
    if (!iface.enabled) continue;
    const mtu = mustGet(mtus, iface.name, 'the MTU of interface');
    const base = {
      iface: iface.name,
      mtu: mtu.mtu,
      mtuText: mtuText(mtu),
      gateway: iface.gateway ?? '',
      bridge:
        iface.kind === 'linux-bridge' || iface.kind === 'ovs-bridge'
          ? iface.name
          : (carrier.get(iface.name)?.name ?? ''),
      vlans: vlansOf(iface),
    };
    const refs = (keys: string[]) => [...new Set(keys.flatMap((k) => references(history(iface, k))))];
    const setBy = (key: string) => history(iface, key).lastWrite?.where ?? '';
    if (iface.address) {
      const net = networkOf(iface.address);
      const cidr = `${net}/${iface.address.prefixLength}`;
      links.push({
        ...base,
        network: `subnet-${net}-${iface.address.prefixLength}`,
        kind: 'subnet',
        label: cidr,
        address: formatCidr(iface.address),
        setBy: setBy('address'),
        params: refs(['address', 'netmask', 'gateway', 'mtu']),
      });
      continue;
    }
    const bridge = carrier.get(iface.name);
    if (bridge?.address) continue; // its VLAN belongs to the bridge's subnet
    const own = ownVlan(iface);
    if (own.length > 0) {
      links.push({
        ...base,
        network: `vlan-${own[0]}`,
        kind: 'vlan',
        label: `VLAN ${own[0]}`,
        address: '',
        setBy: setBy(iface.vlan ? 'name' : 'tag') || setBy('type'),
        params: refs(['tag', 'name', 'use_interfaces', 'mtu']),
      });
    } else if ((iface.kind === 'linux-bridge' || iface.kind === 'ovs-bridge') && base.vlans.length === 0) {
      links.push({
        ...base,
        network: `bridge-${iface.name}`,
        kind: 'bridge',
        label: iface.name,
        address: '',
        setBy: setBy('type'),
        params: refs(['mtu']),
      });
    }
  }
  return links;
}

function mostCommon(values: number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
}

const KIND_ORDER = { subnet: 0, vlan: 1, bridge: 2 } as const;

/** Every network of the site, from the host links of every node. */
export function collectNetworks(
  nodes: ReadonlyArray<{ name: string; cluster: string; links: HostLink[] }>,
): NetworkView[] {
  const byId = new Map<string, NetworkHost[]>();
  const holders = new Map<string, number>();
  for (const node of nodes) {
    for (const link of node.links) {
      const host: NetworkHost = {
        ...link,
        node: node.name,
        cluster: node.cluster,
        conflict: false,
        mtuMismatch: false,
      };
      const list = byId.get(link.network);
      if (list) list.push(host);
      else byId.set(link.network, [host]);
      if (link.address) holders.set(link.address.split('/')[0], (holders.get(link.address.split('/')[0]) ?? 0) + 1);
    }
  }
  const views: NetworkView[] = [];
  for (const [id, hosts] of byId) {
    const first = hosts[0];
    const mtu = mostCommon(hosts.map((h) => h.mtu));
    const [net, prefix] = first.kind === 'subnet' ? first.label.split('/') : ['', ''];
    const gateways = [...new Set(hosts.map((h) => h.gateway).filter(Boolean))].sort();
    for (const h of hosts) {
      h.conflict = h.address !== '' && (holders.get(h.address.split('/')[0]) ?? 0) > 1;
      h.mtuMismatch = mtu !== undefined && h.mtu !== mtu;
    }
    hosts.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : a.iface < b.iface ? -1 : 1));
    views.push({
      id,
      kind: first.kind,
      label: first.label,
      subnet: first.kind === 'subnet' ? first.label : '',
      vlans: [...new Set(hosts.flatMap((h) => h.vlans))].sort((a, b) => a - b),
      mtu,
      gateways,
      gatewaysOutside: first.kind === 'subnet' ? gateways.filter((g) => !inside(g, net, Number(prefix))) : [],
      bridges: [...new Set(hosts.map((h) => h.bridge).filter(Boolean))].sort(),
      params: [...new Set(hosts.flatMap((h) => h.params))].sort(),
      clusters: [...new Set(hosts.map((h) => h.cluster))].sort(),
      hosts,
      conflicts: [...new Set(hosts.filter((h) => h.conflict).map((h) => h.address.split('/')[0]))],
      mtuMismatches: hosts.filter((h) => h.mtuMismatch).length,
    });
  }
  return views.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compareLabels(a, b));
}

function compareLabels(a: NetworkView, b: NetworkView): number {
  if (a.kind === 'subnet')
    return toInt(a.label.split('/')[0]) - toInt(b.label.split('/')[0]) || a.label.localeCompare(b.label);
  if (a.kind === 'vlan') return (a.vlans[0] ?? 0) - (b.vlans[0] ?? 0);
  return a.label.localeCompare(b.label);
}
