/**
 * The normalised network model: one object model for a node's `linux:network` pillar, built
 * once (validated, defaults applied) and then handed to one renderer per backend, the way
 * os-net-config and netplan separate parsing from rendering.
 */
import type { Provenance, ValueMap } from '../types.js';

/**
 * What the renderers need of a node: its name, parameters and, when known, provenance.
 * @example
 * const model = buildNetworkModel({ name: 'n1', parameters: { linux: { network: { interface: { eth0: { type: 'eth' } } } } } });
 * // a ResolvedNode is a NetworkNode too: buildNetworkModel(await inv.node('cmp01'))
 */
export interface NetworkNode {
  name: string;
  parameters: ValueMap;
  provenance?: Provenance;
}

/**
 * `type:` as salt-formula-linux spells it.
 * @example
 * const t: PillarInterfaceType = 'ovs_bridge';
 */
export type PillarInterfaceType =
  | 'eth'
  | 'slave'
  | 'bond'
  | 'vlan'
  | 'bridge'
  | 'ovs_bridge'
  | 'ovs_port'
  | 'ovs_bond'
  | 'dpdk_ovs_bridge'
  | 'dpdk_ovs_port'
  | 'dpdk_ovs_bond';

/**
 * What a device is on the host, after defaults (an `ovs_port` becomes one of three kinds).
 * @example
 * const bridges = model.interfaces.filter((i) => i.kind === 'ovs-bridge' || i.kind === 'linux-bridge');
 */
export type DeviceKind =
  | 'ethernet'
  | 'bond'
  | 'vlan'
  | 'linux-bridge'
  | 'ovs-bridge'
  | 'ovs-internal-port'
  | 'ovs-system-port'
  | 'ovs-patch-port'
  | 'ovs-bond'
  | 'ovs-dpdk-port';

/**
 * How an interface gets its address (`inet static|dhcp|manual`).
 * @example
 * const dhcp = model.interfaces.filter((i) => i.proto === 'dhcp').map((i) => i.name);
 */
export type Proto = 'static' | 'dhcp' | 'manual';

/**
 * `linux:network:bridge`: which bridge packages salt would install.
 * @example
 * if (model.bridgeBackend === 'openvswitch') console.log('needs openvswitch-switch');
 */
export type BridgeBackend = 'none' | 'linuxbridge' | 'openvswitch';

/**
 * An IPv4 address with its prefix length.
 * @example
 * const cidr: Ipv4Cidr = { address: '10.0.0.5', prefixLength: 24 };
 * formatCidr(cidr); // '10.0.0.5/24'
 */
export interface Ipv4Cidr {
  address: string;
  prefixLength: number;
}

/**
 * An IPv6 address with its prefix length (same shape as {@link Ipv4Cidr}).
 * @example
 * const cidr: Ipv6Cidr = { address: '2001:db8::5', prefixLength: 64 };
 */
export type Ipv6Cidr = Ipv4Cidr;

/**
 * The inet6 side of an interface (`enable_ipv6`, `ipv6proto`, `ipv6ipaddr`, `ipv6netmask`,
 * `ipv6gateway`): an `iface NAME inet6 PROTO` stanza.
 * @example
 * const v6 = model.interfaces.find((i) => i.ipv6)?.ipv6; // { proto: 'static', address: {...}, gateway: '2001:db8::1' }
 */
export interface Ipv6Settings {
  proto: 'static' | 'dhcp' | 'auto' | 'manual';
  address?: Ipv6Cidr;
  gateway?: string;
}

/**
 * A DPDK port's device: the PCI address DPDK takes over and its queue settings.
 * @example
 * const pci = model.interfaces.find((i) => i.kind === 'ovs-dpdk-port')?.dpdk?.pci; // '0000:00:05.0'
 */
export interface DpdkPort {
  pci: string;
  driver?: string;
  nRxq?: number;
  pmdRxqAffinity?: string;
  /** The dpdk_ovs_bond this port is a member of (`bond:`). */
  bond?: string;
}

/**
 * What only `apply` acts on: never written into a file.
 * @example
 * if (iface.applyTime.noIfupdown) console.log(`apply leaves ${iface.name} up as it is`);
 */
export interface ApplyTimeSettings {
  noIfupdown: boolean;
  ipflushOnChange: boolean;
  restartOnIpflush: boolean;
}

/**
 * A static route of an interface (`route:` in the pillar).
 * @example
 * for (const r of iface.routes) console.log(r.name, formatCidr(r.network), 'via', r.gateway);
 */
export interface Route {
  /** The key of the route in the pillar's `route:` mapping. */
  name: string;
  /** 4 or 6: `ip route` or `ip -6 route`. */
  family: 4 | 6;
  network: Ipv4Cidr;
  gateway?: string;
  metric?: number;
}

/**
 * ifupdown command options declared by the pillar (`*_cmds`), in declaration order.
 * @example
 * const upCommands = model.interfaces.flatMap((i) => i.commands.up);
 */
export interface Commands {
  preUp: string[];
  up: string[];
  postUp: string[];
  preDown: string[];
  down: string[];
  postDown: string[];
}

/**
 * A Linux bond's members and kernel options.
 * @example
 * const bond = model.interfaces.find((i) => i.bond)?.bond;
 * // { slaves: ['eno1', 'eno2'], options: [['mode', 'active-backup'], ['miimon', '100'], ...] }
 */
export interface LinuxBond {
  slaves: string[];
  /** Kernel bonding options without the `bond-` prefix, e.g. `mode`, `miimon`, `lacp-rate`. */
  options: Array<[string, string]>;
}

/**
 * A VLAN device's ID and raw (parent) device.
 * @example
 * const vlan = model.interfaces.find((i) => i.name === 'bond0.2411')?.vlan; // { id: 2411, rawDevice: 'bond0' }
 */
export interface Vlan {
  id: number;
  rawDevice: string;
}

/**
 * One OVSDB column assignment, `ovs-vsctl set TABLE RECORD COLUMN=VALUE`.
 * @example
 * const tags = model.interfaces.flatMap((i) => i.ovs.columns).filter((c) => c.column === 'tag');
 * // [{ table: 'Port', record: 'floating-to-prv', column: 'tag', value: '1100' }]
 */
export interface OvsColumn {
  table: 'Bridge' | 'Port' | 'Interface' | 'Open_vSwitch';
  record: string;
  column: string;
  value: string;
}

/**
 * OVS settings of a bridge, port or bond.
 * @example
 * const { columns, extra } = model.interfaces.find((i) => i.name === 'br-int')!.ovs;
 */
export interface OvsSettings {
  /** Column values the pillar asks for (tag, bond_mode, datapath_type, `key=value` ovs_options). */
  columns: OvsColumn[];
  /** Further ovs-vsctl commands (`ovs_options` after `--`, `ovs_extra`), each as words. */
  extra: string[][];
}

/**
 * One managed device of a node, normalised from its pillar entry.
 * @example
 * for (const i of renderNetwork(node).model.interfaces) {
 *   console.log(i.name, i.kind, i.mtu ?? '-', i.address ? formatCidr(i.address) : '', i.ovsBridge ?? '');
 * }
 */
export interface NetworkInterface {
  /** The key under `linux:network:interface`. */
  key: string;
  /** The device name: `name:` when given, else the key. */
  name: string;
  pillarType: PillarInterfaceType;
  kind: DeviceKind;
  /** `enabled: false` interfaces keep a stanza (without `auto`) but take no part in OVS setup. */
  enabled: boolean;
  proto: Proto;
  address?: Ipv4Cidr;
  broadcast?: string;
  gateway?: string;
  metric?: number;
  ipv6?: Ipv6Settings;
  /**
   * The MTU the device gets. `mtu` when the pillar sets one; for OVS bridges and internal
   * ports without one, 1500 (salt pins it, and OVS would otherwise give an internal port the
   * smallest MTU among the bridge's ports).
   */
  mtu?: number;
  /** True when {@link mtu} is reclass-net's default rather than the pillar's. */
  mtuDefaulted?: boolean;
  hwaddress?: string;
  nameServers: string[];
  dnsSearch: string[];
  routes: Route[];
  commands: Commands;
  /** Debian ethtool hook options (`offload-gro off`, `hardware-dma-ring-rx 4096`), in pillar order. */
  ethtool: Array<[string, string]>;
  /** Interfaces that must come up first (`require_interfaces`, `use_interfaces` of an eth). */
  requires: string[];
  applyTime: ApplyTimeSettings;
  dpdk?: DpdkPort;
  /** The Linux bond this NIC is enslaved to (`type: slave`, `master:`). */
  bondMaster?: string;
  bond?: LinuxBond;
  vlan?: Vlan;
  /** Members of a Linux bridge (`use_interfaces` then `use_ovs_ports`). */
  bridgePorts?: string[];
  bridgeOptions?: Array<[string, string]>;
  /** The OVS bridge this device is a port of. */
  ovsBridge?: string;
  /** Patch peer (`peer:`) of an OVS patch port. */
  peer?: string;
  tag?: number;
  /** Member interfaces of an OVS bond. */
  ovsBondSlaves?: string[];
  datapathType?: string;
  /** Ports an OVS bridge's pillar lists (`use_interfaces`): checked to exist, attached by their own entries. */
  ovsPorts?: string[];
  ovs: OvsSettings;
}

/**
 * One line of /etc/hosts.
 * @example
 * const line = `${entry.address} ${entry.names.join(' ')}`;
 */
export interface HostEntry {
  address: string;
  names: string[];
}

/**
 * /etc/resolv.conf (`linux:network:resolv`).
 * @example
 * const { nameservers, search } = model.host.resolv!;
 */
export interface ResolvSettings {
  nameservers: string[];
  domain?: string;
  search: string[];
  options: string[];
}

/**
 * A systemd-networkd file of `linux:network:systemd`: `/etc/systemd/network/NAME.TYPE`.
 * @example
 * const unit: SystemdNetworkUnit = { file: '40-dhcp.network', sections: [['Match', [['Name', '*']]]] };
 */
export interface SystemdNetworkUnit {
  file: string;
  sections: Array<[string, Array<[string, string]>]>;
}

/**
 * The host-level part of `linux:network`: files beside the interfaces file, global OVS
 * settings, and what only `apply` does.
 * @example
 * if (model.host.hosts) console.log(model.host.hosts.map((h) => h.address));
 */
export interface HostSettings {
  /** /etc/hostname, when the pillar declares a hostname. */
  hostname?: string;
  fqdn?: string;
  /** /etc/hosts entries, when the pillar declares `host` (undefined: no file). */
  hosts?: HostEntry[];
  resolv?: ResolvSettings;
  /** `linux:network:proxy` (`host: none` is no proxy). */
  proxy?: { host: string; port?: string };
  /** `concat_iface_files` sources: `source` lines of the interfaces file. */
  sources: string[];
  /** `remove_iface_files`: removed by apply, never sourced. */
  removeFiles: string[];
  /** `linux:network:noifupdown`: apply writes files but runs no ifdown/ifup. */
  noIfupdown: boolean;
  /** `linux:network:dpdk`. */
  dpdk?: { enabled: boolean; driver?: string };
  /** `set Open_vSwitch . other_config:KEY=VALUE`, from `dpdk` and `openvswitch`. */
  ovsOtherConfig: Array<[string, string]>;
  systemdUnits: SystemdNetworkUnit[];
  /** `tap_custom_txqueuelen`. */
  tapTxqueuelen?: number;
  /** `linux:network:backend`: the host file the node asks for (`render --backend` overrides it). */
  backend?: NetworkBackend;
}

/**
 * Which writer renders the host's network file.
 * @example
 * const backend: NetworkBackend = model.host.backend ?? 'ifupdown';
 */
export type NetworkBackend = 'ifupdown' | 'netplan';

/**
 * A node's whole network, validated and normalised: what every renderer reads.
 * @example
 * const model = buildNetworkModel(await inv.node('cmp01'));
 * console.log(model.order.join(' ')); // parents first: eno1 enp3s0f0 enp3s0f1 bond0 bond0.2411 ...
 */
export interface NetworkModel {
  node: string;
  /** `linux:network:enabled`; when false salt manages nothing, and neither do we. */
  enabled: boolean;
  bridgeBackend: BridgeBackend;
  /** Every managed interface, in pillar order. */
  interfaces: NetworkInterface[];
  /** Device names, parents before children: the order stanzas and OVS commands are emitted in. */
  order: string[];
  host: HostSettings;
}
