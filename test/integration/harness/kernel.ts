/**
 * Kernel network state of a namespace, read back with `ip -d -j link`, `ip -j addr` and
 * `ip -j route` and reduced to what the tests compare: per device its MTU, addresses,
 * master (bridge or bond), kind and VLAN id/parent; plus the IPv4 routes.
 */
import type { Netns } from './netns.js';

export interface LinkState {
  name: string;
  ifindex: number;
  mtu: number;
  /** Administratively up (the UP flag), which is what ifupdown controls. */
  up: boolean;
  operstate: string;
  mac?: string;
  /** `linkinfo.info_kind`: veth, bridge, bond, vlan, tun (OVS userspace datapath), ... */
  kind?: string;
  /** The kind of the master this device is enslaved to (bridge, bond, openvswitch). */
  slaveKind?: string;
  /** The bridge or bond this device is a port of. */
  master?: string;
  /** For VLAN devices: the 802.1Q id and the raw (parent) device. */
  vlan?: { id: number; parent?: string; protocol?: string };
  /** For bond devices: the bonding mode as the kernel names it (802.3ad, active-backup, ...). */
  bondMode?: string;
  /** IPv4 and global IPv6 addresses as `address/prefixlen`. */
  addresses: string[];
}

export interface RouteState {
  /** `default` or `network/prefixlen`. */
  dst: string;
  gateway?: string;
  dev?: string;
  metric?: number;
}

export interface KernelState {
  links: Record<string, LinkState>;
  routes: RouteState[];
}

/** Shape of the parts of `ip -d -j link` / `ip -j addr` output that are read. */
interface IpLink {
  ifindex: number;
  ifname: string;
  flags?: string[];
  mtu: number;
  operstate?: string;
  address?: string;
  master?: string;
  link?: string;
  linkinfo?: {
    info_kind?: string;
    info_slave_kind?: string;
    info_data?: { id?: number; protocol?: string; mode?: string };
  };
  addr_info?: { family: string; local: string; prefixlen: number; scope?: string }[];
}

interface IpRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  metric?: number;
}

/** Parse `ip -d -j link` and `ip -j addr` output (both JSON arrays) into link states. */
function parseLinks(linkJson: string, addrJson: string): Record<string, LinkState> {
  const links = JSON.parse(linkJson) as IpLink[];
  const addrs = JSON.parse(addrJson) as IpLink[];
  const addressesOf = new Map<string, string[]>();
  for (const entry of addrs) {
    const list = (entry.addr_info ?? [])
      .filter((a) => a.family === 'inet' || (a.family === 'inet6' && a.scope === 'global'))
      .map((a) => `${a.local}/${a.prefixlen}`);
    addressesOf.set(entry.ifname, list);
  }
  const result: Record<string, LinkState> = {};
  for (const link of links) {
    const info = link.linkinfo;
    const state: LinkState = {
      name: link.ifname,
      ifindex: link.ifindex,
      mtu: link.mtu,
      up: (link.flags ?? []).includes('UP'),
      operstate: link.operstate ?? 'UNKNOWN',
      addresses: addressesOf.get(link.ifname) ?? [],
    };
    if (link.address !== undefined) state.mac = link.address;
    if (info?.info_kind !== undefined) state.kind = info.info_kind;
    if (info?.info_slave_kind !== undefined) state.slaveKind = info.info_slave_kind;
    if (link.master !== undefined) state.master = link.master;
    if (info?.info_kind === 'vlan' && info.info_data?.id !== undefined) {
      state.vlan = { id: info.info_data.id };
      if (link.link !== undefined) state.vlan.parent = link.link;
      if (info.info_data.protocol !== undefined) state.vlan.protocol = info.info_data.protocol;
    }
    if (info?.info_kind === 'bond' && info.info_data?.mode !== undefined) state.bondMode = info.info_data.mode;
    result[link.ifname] = state;
  }
  return result;
}

function parseRoutes(routeJson: string): RouteState[] {
  return (JSON.parse(routeJson) as IpRoute[]).map((route) => {
    const state: RouteState = { dst: route.dst };
    if (route.gateway !== undefined) state.gateway = route.gateway;
    if (route.dev !== undefined) state.dev = route.dev;
    if (route.metric !== undefined) state.metric = route.metric;
    return state;
  });
}

export async function readKernelState(ns: Netns): Promise<KernelState> {
  const [link, addr, route] = await Promise.all([
    ns.execChecked('ip', ['-d', '-j', 'link', 'show']),
    ns.execChecked('ip', ['-j', 'addr', 'show']),
    ns.execChecked('ip', ['-j', '-4', 'route', 'show', 'table', 'main']),
  ]);
  return { links: parseLinks(link.stdout, addr.stdout), routes: parseRoutes(route.stdout) };
}

/** Members of a bridge or bond: devices whose master is `name`, sorted. */
export function membersOf(state: KernelState, name: string): string[] {
  return Object.values(state.links)
    .filter((link) => link.master === name)
    .map((link) => link.name)
    .sort();
}
