/**
 * The normalised network model: one object model for a node's `linux:network` pillar, built
 * once (validated, defaults applied) and then handed to one renderer per backend, the way
 * os-net-config and netplan separate parsing from rendering.
 */
import type { Provenance, ValueMap } from '../types.js';

/** What the renderers need of a node: its name, parameters and, when known, provenance. */
export interface NetworkNode {
  name: string;
  parameters: ValueMap;
  provenance?: Provenance;
}

/** `type:` as salt-formula-linux spells it. */
export type PillarInterfaceType =
  | 'eth'
  | 'slave'
  | 'bond'
  | 'vlan'
  | 'bridge'
  | 'ovs_bridge'
  | 'ovs_port'
  | 'ovs_bond';

/** What a device is on the host, after defaults (an `ovs_port` becomes one of three kinds). */
export type DeviceKind =
  | 'ethernet'
  | 'bond'
  | 'vlan'
  | 'linux-bridge'
  | 'ovs-bridge'
  | 'ovs-internal-port'
  | 'ovs-system-port'
  | 'ovs-patch-port'
  | 'ovs-bond';

export type Proto = 'static' | 'dhcp' | 'manual';

/** `linux:network:bridge`: which bridge packages salt would install. */
export type BridgeBackend = 'none' | 'linuxbridge' | 'openvswitch';

export interface Ipv4Cidr {
  address: string;
  prefixLength: number;
}

export interface Route {
  /** The key of the route in the pillar's `route:` mapping. */
  name: string;
  network: Ipv4Cidr;
  gateway?: string;
}

/** ifupdown command options declared by the pillar (`*_cmds`), in declaration order. */
export interface Commands {
  preUp: string[];
  up: string[];
  postUp: string[];
  preDown: string[];
  down: string[];
  postDown: string[];
}

export interface LinuxBond {
  slaves: string[];
  /** Kernel bonding options without the `bond-` prefix, e.g. `mode`, `miimon`, `lacp-rate`. */
  options: Array<[string, string]>;
}

export interface Vlan {
  id: number;
  rawDevice: string;
}

/** One OVSDB column assignment, `ovs-vsctl set TABLE RECORD COLUMN=VALUE`. */
export interface OvsColumn {
  table: 'Bridge' | 'Port' | 'Interface';
  record: string;
  column: string;
  value: string;
}

/** OVS settings of a bridge, port or bond. */
export interface OvsSettings {
  /** Column values the pillar asks for (tag, bond_mode, datapath_type, `key=value` ovs_options). */
  columns: OvsColumn[];
  /** Further ovs-vsctl commands (`ovs_options` after `--`, `ovs_extra`), each as words. */
  extra: string[][];
}

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
  gateway?: string;
  metric?: number;
  mtu?: number;
  hwaddress?: string;
  nameServers: string[];
  dnsSearch: string[];
  routes: Route[];
  commands: Commands;
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

export interface NetworkModel {
  node: string;
  /** `linux:network:enabled`; when false salt manages nothing, and neither do we. */
  enabled: boolean;
  bridgeBackend: BridgeBackend;
  /** Every managed interface, in pillar order. */
  interfaces: NetworkInterface[];
  /** Device names, parents before children: the order stanzas and OVS commands are emitted in. */
  order: string[];
}
