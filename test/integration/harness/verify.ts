/**
 * Compare real host state (kernel links and routes, the OVS database) with what a pillar
 * asks for (pillar.ts). Checks that depend on a missing kernel feature are recorded as
 * skipped with the reason, never as failures.
 */
import type { Capabilities } from './capabilities.js';
import type { KernelState } from './kernel.js';
import { membersOf } from './kernel.js';
import type { OvsState } from './ovsdb.js';
import { type PillarDevice, type PillarNetwork, kernelBondMode } from './pillar.js';
import type { Report } from './report.js';

export interface StandIn {
  name: string;
  /** The pillar type it stands in for (vlan, bond). */
  type: string;
  reason: string;
}

export interface KernelContext {
  caps: Capabilities;
  /** Devices that exist as veth stand-ins because the kernel cannot create their kind. */
  standIns: readonly StandIn[];
  /** Whether OVS devices (bridges, internal ports) were created by ovs-vswitchd. */
  ovsDevices: boolean;
  /** `ifquery` options per device name (see ifupdown.ts), for checks on stood-in devices. */
  queries?: Record<string, Record<string, string> | undefined>;
}

/** Devices with no kernel netdev of their own: OVS patch ports, OVS bonds and DPDK ports. */
function hasKernelDevice(device: PillarDevice): boolean {
  if (device.type === 'ovs_bond' || device.type === 'dpdk_port') return false;
  if (device.type === 'ovs_port' && device.ovsInterfaceType === 'patch') return false;
  return device.type !== 'other';
}

/** Pillar keys whose shell commands may add addresses of their own. */
const COMMAND_KEYS = [
  'up_cmds',
  'down_cmds',
  'pre_up_cmds',
  'post_up_cmds',
  'pre_down_cmds',
  'post_down_cmds',
  'up',
  'pre-up',
  'post-up',
];

function hasOwnCommands(device: PillarDevice): boolean {
  return COMMAND_KEYS.some((key) => device.raw[key] !== undefined);
}

function isOvsDevice(device: PillarDevice): boolean {
  return device.type === 'ovs_bridge' || (device.type === 'ovs_port' && device.ovsInterfaceType === 'internal');
}

export function verifyKernel(
  report: Report,
  network: PillarNetwork,
  kernel: KernelState,
  context: KernelContext,
): void {
  const standIn = new Map(context.standIns.map((s) => [s.name, s]));
  for (const device of Object.values(network.devices)) {
    if (!hasKernelDevice(device)) continue;
    const label = `kernel ${device.name} (${device.rawType})`;
    if (isOvsDevice(device) && !context.ovsDevices) {
      report.skip(label, 'OVS devices not available (no OVS or no /dev/net/tun)');
      continue;
    }
    const link = kernel.links[device.name];
    if (!report.check(`${label} exists`, link !== undefined, 'no such device after ifup')) continue;
    if (!isOvsDevice(device) && device.ovsInterfaceType === undefined)
      report.check(`${label} is up`, link.up, `flags say down`);
    if (device.mtu !== undefined) report.equal(`${label} mtu`, link.mtu, device.mtu);
    if (device.address !== undefined) {
      report.check(
        `${label} address ${device.address}`,
        link.addresses.includes(device.address),
        `has ${JSON.stringify(link.addresses)}`,
      );
    }
    // Without commands of its own, a device has exactly the pillar's address (or none): an
    // address that came from elsewhere (e.g. a member's up commands copied onto a bridge, a
    // bug of salt-formula-linux) is a failure.
    if (!hasOwnCommands(device)) {
      const ipv4 = link.addresses.filter((a) => !a.includes(':'));
      report.equal(`${label} has only the pillar's IPv4 addresses`, ipv4, device.address ? [device.address] : []);
    }
    if (device.gateway !== undefined) {
      const route = kernel.routes.find((r) => r.dst === 'default' && r.gateway === device.gateway);
      report.check(
        `${label} default route via ${device.gateway}`,
        route !== undefined,
        `routes ${JSON.stringify(kernel.routes)}`,
      );
    }
    for (const expected of device.routes) {
      const route = kernel.routes.find(
        (r) => r.dst === expected.dst && (expected.gateway === undefined || r.gateway === expected.gateway),
      );
      report.check(
        `${label} route ${expected.dst}${expected.gateway ? ` via ${expected.gateway}` : ''}`,
        route !== undefined && (route.dev === undefined || route.dev === device.name),
        `routes ${JSON.stringify(kernel.routes)}`,
      );
    }

    const stood = standIn.get(device.name);
    switch (device.type) {
      case 'bridge':
        report.equal(`${label} kind`, link.kind, 'bridge');
        report.equal(`${label} members`, membersOf(kernel, device.name), [...device.members].sort());
        break;
      case 'bond':
        if (stood) {
          report.skip(
            `${label} is a bond of ${device.slaves.join(' ')}${device.bondMode ? ` mode ${device.bondMode}` : ''}`,
            'stood in (see note); ifquery checks instead',
          );
          verifyBondConfig(report, network, device, context.queries);
          break;
        }
        report.equal(`${label} kind`, link.kind, 'bond');
        report.equal(`${label} slaves`, membersOf(kernel, device.name), [...device.slaves].sort());
        if (device.bondMode !== undefined) report.equal(`${label} bond mode`, link.bondMode, device.bondMode);
        break;
      case 'vlan':
        if (stood) {
          report.skip(
            `${label} is VLAN ${device.vlan?.id ?? '?'} on ${device.vlan?.parent ?? '?'}`,
            'stood in (see note); ifquery checks instead',
          );
          verifyVlanConfig(report, device, context.queries);
          break;
        }
        report.equal(`${label} kind`, link.kind, 'vlan');
        report.equal(`${label} vlan`, link.vlan && { id: link.vlan.id, parent: link.vlan.parent }, device.vlan);
        break;
      default:
        break;
    }
  }
  // A disabled interface is not configured: its address must not appear anywhere.
  for (const device of Object.values(network.disabled)) {
    if (device.address === undefined) continue;
    const holder = Object.values(kernel.links).find((l) => l.addresses.includes(device.address!));
    report.check(
      `kernel ${device.name} (disabled) has no address ${device.address}`,
      holder === undefined,
      `found on ${holder?.name}`,
    );
  }
}

/**
 * Where the kernel cannot show a VLAN, check what ifupdown read for it (`ifquery`): the raw
 * device it would create the VLAN on (`vlan-raw-device`, else the part of the name before
 * the dot, as ifupdown and the vlan package derive it) and the id the name implies.
 */
function verifyVlanConfig(report: Report, device: PillarDevice, queries: KernelContext['queries']): void {
  const label = `config ${device.name} (vlan, ifquery)`;
  if (!queries) return;
  const options = queries[device.name];
  if (!report.check(`${label} has a stanza`, options !== undefined, 'ifupdown does not know this interface')) return;
  if (!device.vlan) {
    report.skip(`${label} parent and id`, 'the pillar gives no VLAN id or parent to compare with');
    return;
  }
  const dotted = /^(.+)\.0*(\d+)$/.exec(device.name);
  const parent = options!['vlan-raw-device'] ?? dotted?.[1];
  report.equal(`${label} raw device`, parent, device.vlan.parent);
  const id = dotted?.[2] ?? /^vlan0*(\d+)$/.exec(device.name)?.[1];
  if (id === undefined)
    report.skip(`${label} id`, 'ifupdown derives VLAN ids from the name, and this name carries none');
  else report.equal(`${label} id (from the name)`, Number(id), device.vlan.id);
}

/** Where the kernel cannot show a bond, check the bond-* options ifupdown read (`ifquery`). */
function verifyBondConfig(
  report: Report,
  network: PillarNetwork,
  device: PillarDevice,
  queries: KernelContext['queries'],
): void {
  const label = `config ${device.name} (bond, ifquery)`;
  if (!queries) return;
  const options = queries[device.name];
  if (!report.check(`${label} has a stanza`, options !== undefined, 'ifupdown does not know this interface')) return;
  const slaves = new Set((options!['bond-slaves'] ?? '').split(/\s+/).filter((s) => s !== '' && s !== 'none'));
  for (const name of Object.keys(network.devices)) if (queries[name]?.['bond-master'] === device.name) slaves.add(name);
  report.equal(`${label} slaves`, [...slaves].sort(), [...device.slaves].sort());
  if (device.bondMode !== undefined) {
    const mode = options!['bond-mode'];
    report.equal(`${label} bond-mode`, mode === undefined ? undefined : kernelBondMode(mode), device.bondMode);
  }
}

export interface OvsContext {
  /** True when the NICs exist (host run), so system ports must open without error. */
  nicsExist: boolean;
}

/** The MTU salt pins on OVS bridges and internal ports whose pillar sets none. */
const OVS_DEFAULT_MTU = 1500;

/** Check bridges, ports, interface types, patch peers, bonds, tags and mtu_request. */
export function verifyOvs(report: Report, network: PillarNetwork, ovs: OvsState, context: OvsContext): void {
  const devices = Object.values(network.devices);
  const bridges = devices.filter((d) => d.type === 'ovs_bridge');
  report.equal('ovs bridges', Object.keys(ovs.bridges).sort(), bridges.map((b) => b.name).sort());

  const expectedPorts = new Map<string, string[]>(bridges.map((b) => [b.name, [b.name]]));
  for (const device of devices) {
    if (device.ovsBridge === undefined) continue;
    if (
      device.type === 'ovs_port' ||
      device.type === 'ovs_bond' ||
      device.type === 'dpdk_port' ||
      device.ovsInterfaceType === ''
    ) {
      const ports = expectedPorts.get(device.ovsBridge);
      if (ports) ports.push(device.name);
      else report.check(`ovs ${device.name} bridge ${device.ovsBridge} is an ovs_bridge of the pillar`, false);
    }
  }
  for (const bridge of bridges) {
    const label = `ovs bridge ${bridge.name}`;
    const actual = ovs.bridges[bridge.name];
    if (!actual) continue;
    report.equal(`${label} ports`, actual.ports, [...new Set(expectedPorts.get(bridge.name) ?? [])].sort());
    if (bridge.failMode !== undefined) report.equal(`${label} fail_mode`, actual.failMode, bridge.failMode);
    // The bridge's own internal interface carries the bridge MTU; none set means salt's 1500,
    // pinned in OVS (docs/network.md, "Host decisions").
    report.equal(`${label} mtu_request`, ovs.interfaces[bridge.name]?.mtuRequest, bridge.mtu ?? OVS_DEFAULT_MTU);
  }

  for (const device of devices) {
    if (device.ovsBridge === undefined) continue;
    const label = `ovs port ${device.name}`;
    const port = ovs.ports[device.name];
    if (!report.check(`${label} exists`, port !== undefined, 'no such Port row')) continue;
    report.equal(`${label} bridge`, port.bridge, device.ovsBridge);
    if (device.type === 'ovs_bond') {
      report.equal(`${label} interfaces`, port.interfaces, [...device.slaves].sort());
      if (device.bondMode !== undefined) report.equal(`${label} bond_mode`, port.bondMode, device.bondMode);
      for (const slave of device.slaves) {
        const iface = ovs.interfaces[slave];
        const member = network.devices[slave];
        if (member?.dpdk) {
          verifyDpdkInterface(report, `${label} slave ${slave}`, member, iface);
          continue;
        }
        report.equal(`${label} slave ${slave} type`, iface?.type, '');
        if (context.nicsExist) report.equal(`${label} slave ${slave} opens`, iface?.error, undefined);
      }
      continue;
    }
    if (device.dpdk) {
      report.equal(`${label} interfaces`, port.interfaces, [device.name]);
      verifyDpdkInterface(report, label, device, ovs.interfaces[device.name]);
      continue;
    }
    report.equal(`${label} interfaces`, port.interfaces, [device.name]);
    const iface = ovs.interfaces[device.name];
    report.equal(`${label} type`, iface?.type, device.ovsInterfaceType);
    if (device.ovsInterfaceType === 'patch') report.equal(`${label} peer`, iface?.options.peer, device.peer);
    if (device.type === 'ovs_port') report.equal(`${label} tag`, port.tag, device.tag);
    if (device.ovsInterfaceType === 'internal')
      report.equal(`${label} mtu_request`, iface?.mtuRequest, device.mtu ?? OVS_DEFAULT_MTU);
    if (device.ovsInterfaceType === '' && context.nicsExist) report.equal(`${label} opens`, iface?.error, undefined);
  }
}

/**
 * A DPDK interface as the database holds it. ovs-vswitchd here has no DPDK, so it cannot open
 * the device: the row must still say what the pillar declared (type, PCI device, queues, MTU).
 */
function verifyDpdkInterface(
  report: Report,
  label: string,
  device: PillarDevice,
  iface: OvsState['interfaces'][string] | undefined,
): void {
  report.equal(`${label} type`, iface?.type, 'dpdk');
  report.equal(`${label} dpdk-devargs`, iface?.options['dpdk-devargs'], device.dpdk!.pci);
  if (device.dpdk!.nRxq !== undefined) report.equal(`${label} n_rxq`, iface?.options.n_rxq, String(device.dpdk!.nRxq));
  if (device.mtu !== undefined) report.equal(`${label} mtu_request`, iface?.mtuRequest, device.mtu);
  report.skip(`${label} opens`, 'ovs-vswitchd of this machine has no DPDK; the database row is checked instead');
}
