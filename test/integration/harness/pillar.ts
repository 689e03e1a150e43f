/**
 * What a `linux:network` pillar asks of a host, read independently of the renderer under
 * test (a test oracle must not share the code it checks). Only the parts the integration
 * tests compare are interpreted: devices, their kinds, MTUs, addresses, gateways and routes,
 * bridge/bond/VLAN relations, and the OVS bridges, ports, patch peers, bonds and tags.
 *
 * Semantics follow salt-formula-linux: an interface's device name is its `name` or its key;
 * `enabled: false` means "not configured"; proto defaults to dhcp for an eth without
 * address; ovs_port is an internal port unless `port_type: patch` or
 * `ovs_port_type: OVSPort` (a system port); `use_interfaces` of a bridge lists its members.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };

export type DeviceType =
  'eth' | 'slave' | 'bond' | 'vlan' | 'bridge' | 'ovs_bridge' | 'ovs_port' | 'ovs_bond' | 'dpdk_port' | 'other';

export interface PillarDevice {
  /** The key in `linux:network:interface`. */
  key: string;
  /** The Linux device name. */
  name: string;
  type: DeviceType;
  /** The raw pillar type string. */
  rawType: string;
  enabled: boolean;
  proto: string;
  mtu?: number;
  /** `address/prefixlen` when the interface is static with an address. */
  address?: string;
  gateway?: string;
  routes: { dst: string; gateway?: string }[];
  /** Linux bridge: member devices (use_interfaces + use_ovs_ports). */
  members: string[];
  /** Bond: slave devices. */
  slaves: string[];
  bondMode?: string;
  vlan?: { id: number; parent: string };
  /** OVS port/bond/eth-in-OVS: the OVS bridge it belongs to. */
  ovsBridge?: string;
  /** OVS interface type: '' (system), internal, patch. */
  ovsInterfaceType?: string;
  peer?: string;
  tag?: number;
  /** dpdk_ovs_port: the PCI device DPDK takes over, its receive queues, the DPDK bond it is in. */
  dpdk?: { pci: string; nRxq?: number; bond?: string };
  /** ovs_bridge: fail_mode from ovs_options, if given. */
  failMode?: string;
  raw: JsonMap;
}

export interface PillarNetwork {
  /** Enabled devices by name (disabled ones are in {@link disabled}). */
  devices: Record<string, PillarDevice>;
  disabled: Record<string, PillarDevice>;
  /**
   * Devices that must exist before ifup, as NICs do on a host: type eth/slave, OVS system
   * ports, OVS bond slaves, and names used as members or parents but never defined.
   */
  physicalNics: string[];
  /** `linux:network:bridge` (none, linuxbridge, openvswitch). */
  bridgeBackend: string;
}

/** A pillar value as text, as String() shows it, with a mapping as JSON. */
function asText(value: Json | undefined): string {
  if (Array.isArray(value)) return value.map(asText).join(',');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function isMap(value: Json | undefined): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list from a YAML list or a whitespace-separated string (`slaves: eno1 eno2`). */
function names(value: Json | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  return asText(value)
    .split(/[\s,]+/)
    .filter((s) => s !== '');
}

function int(value: Json | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = Number(value);
  return Number.isInteger(number) ? number : undefined;
}

/** Prefix length from `24`, `"24"` or `255.255.255.0`. */
function prefixLength(netmask: Json | undefined): number | undefined {
  if (netmask === undefined || netmask === null) return undefined;
  const text = asText(netmask);
  if (/^\d+$/.test(text)) return Number(text);
  const octets = text.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !(o >= 0 && o <= 255))) return undefined;
  const bits = octets.map((o) => o.toString(2).padStart(8, '0')).join('');
  if (!/^1*0*$/.test(bits)) return undefined;
  return bits.includes('0') ? bits.indexOf('0') : 32;
}

/** The network address of `address/prefix` (for route destinations). */
function networkOf(address: string, prefix: number): string {
  const value = address
    .split('.')
    .map(Number)
    .reduce((acc, octet) => acc * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  const network = value - (value % size);
  return [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.');
}

const BOND_MODES: Record<string, string> = {
  '0': 'balance-rr',
  '1': 'active-backup',
  '2': 'balance-xor',
  '3': 'broadcast',
  '4': '802.3ad',
  '5': 'balance-tlb',
  '6': 'balance-alb',
};

/** The kernel's name for a bonding mode given as a number or a name. */
export function kernelBondMode(mode: string): string {
  return BOND_MODES[mode] ?? mode;
}

/**
 * salt-formula-linux's DPDK types are OVS devices of the userspace datapath: a DPDK bridge is
 * an OVS bridge, a DPDK bond an OVS bond, a DPDK port an OVS port of Interface type dpdk.
 */
const DPDK_TYPES: Record<string, DeviceType> = {
  dpdk_ovs_bridge: 'ovs_bridge',
  dpdk_ovs_bond: 'ovs_bond',
  dpdk_ovs_port: 'dpdk_port',
};

function deviceType(raw: string): DeviceType {
  if (raw in DPDK_TYPES) return DPDK_TYPES[raw];
  return (
    (['eth', 'slave', 'bond', 'vlan', 'bridge', 'ovs_bridge', 'ovs_port', 'ovs_bond'] as const).find(
      (t) => t === raw,
    ) ?? 'other'
  );
}

/** VLAN id and parent: explicit keys first, then the name (`bond0.2415`, `vlan2430`). */
function vlanOf(name: string, raw: JsonMap): { id: number; parent: string } | undefined {
  const id =
    int(raw.vlan_id) ?? int(raw['vlan-id']) ?? int(/\.(\d+)$/.exec(name)?.[1]) ?? int(/^vlan0*(\d+)$/.exec(name)?.[1]);
  const parent =
    names(raw.use_interfaces)[0] ??
    ((raw['vlan-raw-device'] ?? raw.vlan_raw_device ?? raw.device ?? /^(.+)\.\d+$/.exec(name)?.[1]) as
      string | undefined);
  return id !== undefined && parent !== undefined ? { id, parent: String(parent) } : undefined;
}

/** Read `parameters.linux.network` of a resolved node (or a network-reference pillar.yml). */
export function readPillarNetwork(node: Record<string, unknown>): PillarNetwork {
  const parameters = node as JsonMap;
  const linux = isMap(parameters.linux) ? parameters.linux : {};
  const network = isMap(linux.network) ? linux.network : {};
  const interfaces = isMap(network.interface) ? network.interface : {};
  const devices: Record<string, PillarDevice> = {};
  const disabled: Record<string, PillarDevice> = {};

  for (const [key, value] of Object.entries(interfaces)) {
    if (!isMap(value)) continue;
    const rawType = asText(value.type ?? 'eth');
    const type = deviceType(rawType);
    // salt's DPDK states name the OVS bridge, bond or port after the key; `name` is the NIC.
    const name = rawType.startsWith('dpdk_') ? key : asText(value.name ?? key);
    const enabled = value.enabled !== false;
    const defaultProto =
      type === 'eth' && value.address === undefined ? 'dhcp' : value.address !== undefined ? 'static' : 'manual';
    const proto = asText(value.proto ?? defaultProto);
    const device: PillarDevice = {
      key,
      name,
      type,
      rawType,
      enabled,
      proto,
      routes: [],
      members: [],
      slaves: [],
      raw: value,
    };
    const mtu = int(value.mtu);
    if (mtu !== undefined) device.mtu = mtu;
    const prefix = prefixLength(value.netmask);
    if (value.address !== undefined && value.address !== null && proto !== 'dhcp' && proto !== 'manual') {
      const address = asText(value.address);
      device.address = address.includes('/') ? address : `${address}/${prefix ?? 32}`;
      if (value.gateway !== undefined && value.gateway !== null) device.gateway = asText(value.gateway);
      const routes = isMap(value.route) ? value.route : {};
      for (const route of Object.values(routes)) {
        if (!isMap(route) || route.address === undefined) continue;
        const routePrefix = prefixLength(route.netmask) ?? 32;
        const dst = routePrefix === 0 ? 'default' : `${networkOf(asText(route.address), routePrefix)}/${routePrefix}`;
        device.routes.push(route.gateway ? { dst, gateway: asText(route.gateway) } : { dst });
      }
    }
    switch (type) {
      case 'bridge':
        device.members = [...names(value.use_interfaces), ...names(value.use_ovs_ports)];
        break;
      case 'bond':
        device.slaves = names(value.slaves);
        if (value.mode !== undefined) device.bondMode = kernelBondMode(asText(value.mode));
        break;
      case 'vlan': {
        const vlan = vlanOf(name, value);
        if (vlan) device.vlan = vlan;
        break;
      }
      case 'ovs_bridge': {
        const failMode = /fail_mode=(\S+)/.exec(asText(value.ovs_options ?? ''))?.[1];
        if (failMode) device.failMode = failMode;
        break;
      }
      case 'ovs_port': {
        const bridge = value.bridge ?? value.ovs_bridge;
        if (bridge !== undefined) device.ovsBridge = asText(bridge);
        if (value.port_type === 'patch') {
          device.ovsInterfaceType = 'patch';
          if (value.peer !== undefined) device.peer = asText(value.peer);
        } else device.ovsInterfaceType = value.ovs_port_type === 'OVSPort' ? '' : 'internal';
        const tag = int(value.tag) ?? int(/(?:^|\s)tag=(\d+)/.exec(asText(value.ovs_options ?? ''))?.[1]);
        if (tag !== undefined) device.tag = tag;
        break;
      }
      case 'ovs_bond':
        if (value.bridge !== undefined) device.ovsBridge = asText(value.bridge);
        device.slaves = names(value.slaves);
        if (value.mode !== undefined) device.bondMode = asText(value.mode);
        break;
      case 'dpdk_port': {
        device.ovsInterfaceType = 'dpdk';
        device.dpdk = { pci: asText(value.pci ?? '').replace(/^"(.*)"$/, '$1') };
        const nRxq = int(value.n_rxq);
        if (nRxq !== undefined) device.dpdk.nRxq = nRxq;
        // A member of a DPDK bond is attached through the bond, not as a port of its own.
        if (value.bond !== undefined) device.dpdk.bond = asText(value.bond);
        else if (value.bridge !== undefined) device.ovsBridge = asText(value.bridge);
        break;
      }
      default:
        break;
    }
    // A kernel device (NIC, bond, VLAN) with `ovs_bridge` is a system port of that OVS bridge.
    if (!type.startsWith('ovs_') && value.ovs_bridge !== undefined && value.ovs_bridge !== null) {
      device.ovsBridge = asText(value.ovs_bridge);
      device.ovsInterfaceType = '';
    }
    (enabled ? devices : disabled)[name] = device;
  }

  // Bond slaves declared from the slave side (type slave, master: bond0).
  for (const device of Object.values(devices)) {
    const master = device.raw.master;
    if (device.type === 'slave' && typeof master === 'string') {
      const bond = devices[master];
      if (bond && bond.type === 'bond' && !bond.slaves.includes(device.name)) bond.slaves.push(device.name);
    }
  }
  // A DPDK bond's members are the DPDK ports naming it in `bond:`.
  for (const port of Object.values(devices)) {
    const bond = port.dpdk?.bond !== undefined ? devices[port.dpdk.bond] : undefined;
    if (bond && bond.type === 'ovs_bond' && !bond.slaves.includes(port.name)) bond.slaves.push(port.name);
  }
  // OVS bridges' use_interfaces are system ports of that bridge.
  for (const bridge of Object.values(devices)) {
    if (bridge.type !== 'ovs_bridge') continue;
    for (const member of names(bridge.raw.use_interfaces)) {
      const device = devices[member];
      if (device && device.ovsBridge === undefined) {
        device.ovsBridge = bridge.name;
        device.ovsInterfaceType = '';
      }
    }
  }

  const all = { ...disabled, ...devices };
  const physical = new Set<string>();
  const needsToExist = (name: string) => {
    if (!(name in all)) physical.add(name);
  };
  for (const device of Object.values(all)) {
    if (device.type === 'eth' || device.type === 'slave') physical.add(device.name);
    if (device.type === 'ovs_port' && device.ovsInterfaceType === '') physical.add(device.name);
    if (device.type === 'ovs_bond' && !device.rawType.startsWith('dpdk_'))
      device.slaves.forEach((s) => physical.add(s));
    if (device.type === 'bridge') device.members.forEach(needsToExist);
    if (device.type === 'bond') device.slaves.forEach(needsToExist);
    if (device.type === 'ovs_bridge') names(device.raw.use_interfaces).forEach(needsToExist);
    if (device.vlan) needsToExist(device.vlan.parent);
  }

  return {
    devices,
    disabled,
    physicalNics: [...physical].sort(),
    bridgeBackend: asText(network.bridge ?? 'none'),
  };
}

/** Devices of kinds the kernel must create (for stand-ins when a module is missing). */
export function devicesOfType(network: PillarNetwork, type: DeviceType): PillarDevice[] {
  return Object.values(network.devices).filter((d) => d.type === type);
}

/** True if the pillar needs Open vSwitch. */
export function usesOvs(network: PillarNetwork): boolean {
  return Object.values(network.devices).some(
    (d) => d.type === 'ovs_bridge' || d.type === 'ovs_port' || d.type === 'ovs_bond' || d.type === 'dpdk_port',
  );
}
