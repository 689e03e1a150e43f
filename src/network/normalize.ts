/**
 * Pillar -> model: applies salt-formula-linux's defaults and parses every value into the
 * narrow shape it is rendered in, reporting values that do not fit. Shape errors the schema
 * already reported (a list where a string belongs) are skipped silently here, so each problem
 * is reported once; cross-interface checks live in `checks.ts`.
 */
import { isIpv6 } from './ipv6.js';
import type { Value } from '../types.js';
import { isIpv4, parseCidr } from './ipv4.js';
import { COMMAND_KEYS, INTERFACE_KEYS, INTERFACE_TYPES, keysOfType } from './keys.js';
import type { ProblemSink } from './problems.js';
import {
  interfaceNameProblem,
  ovsWordProblem,
  plainTokenProblem,
  printable,
  singleLineProblem,
  valueText,
} from './safety.js';
import type {
  ApplyTimeSettings,
  BridgeBackend,
  Commands,
  DeviceKind,
  NetworkInterface,
  OvsColumn,
  OvsSettings,
  PillarInterfaceType,
  Proto,
  Route,
} from './types.js';

type Raw = { [key: string]: Value };

export interface NormalizedPillar {
  enabled: boolean;
  bridgeBackend: BridgeBackend;
  interfaces: NetworkInterface[];
}

/** The MTU salt pins on OVS bridges and internal ports that set none. */
const OVS_DEFAULT_MTU = 1500;
const ETHTOOL_OFFLOADS = ['rx', 'tx', 'sg', 'tso', 'gso', 'gro', 'lro'];
const LINUX_BOND_MODES = [
  'balance-rr',
  'active-backup',
  'balance-xor',
  'broadcast',
  '802.3ad',
  'balance-tlb',
  'balance-alb',
];
const OVS_BOND_MODES = ['active-backup', 'balance-slb', 'balance-tcp'];

export function isMapping(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function networkPillar(parameters: Raw): Raw | undefined {
  const linux = parameters['linux'];
  if (!isMapping(linux)) return undefined;
  const network = linux['network'];
  return isMapping(network) ? network : undefined;
}

export function normalizePillar(network: Raw | undefined, sink: ProblemSink): NormalizedPillar {
  const enabled = network?.['enabled'] !== false;
  const bridge = network?.['bridge'];
  const bridgeBackend: BridgeBackend = bridge === 'linuxbridge' || bridge === 'openvswitch' ? bridge : 'none';
  const interfaces: NetworkInterface[] = [];
  const table = network?.['interface'];
  if (!enabled || !isMapping(table)) return { enabled, bridgeBackend, interfaces };

  for (const [key, raw] of Object.entries(table)) {
    if (!isMapping(raw) || typeof raw['type'] !== 'string') continue; // reported by the schema
    if (raw['managed'] === false) continue; // salt leaves unmanaged interfaces alone
    const parsed = new InterfaceReader(key, raw, sink).read();
    if (parsed) interfaces.push(parsed);
  }
  applyMembershipDefaults(interfaces, table);
  return { enabled, bridgeBackend, interfaces };
}

/** Reads one interface's pillar into the model, reporting values that cannot be rendered. */
class InterfaceReader {
  constructor(
    private readonly key: string,
    private readonly raw: Raw,
    private readonly sink: ProblemSink,
  ) {}

  read(): NetworkInterface | undefined {
    const type = this.raw['type'] as string;
    if (!(INTERFACE_TYPES as readonly string[]).includes(type)) {
      this.problem(
        'type',
        `interface type "${printable(type)}" is not supported (supported: ${INTERFACE_TYPES.join(', ')})`,
      );
      return undefined;
    }
    const pillarType = type as PillarInterfaceType;
    this.keyFates(pillarType);
    // salt's DPDK states name the OVS port, bond or bridge after the key, never after `name:`.
    const name = pillarType.startsWith('dpdk_') ? this.key : (this.str('name') ?? this.key);
    const kind = this.kind(pillarType);
    const nameProblem = interfaceNameProblem(name, kind === 'ethernet');
    if (nameProblem) this.problem(this.raw['name'] !== undefined ? 'name' : undefined, nameProblem);

    const iface: NetworkInterface = {
      key: this.key,
      name,
      pillarType,
      kind,
      enabled: this.raw['enabled'] !== false,
      proto: 'manual', // settled by applyMembershipDefaults once memberships are known
      nameServers: this.addressList('name_servers'),
      dnsSearch: this.tokens('dns-search'),
      routes: this.routes(),
      commands: this.commands(),
      ethtool: this.ethtool(pillarType),
      requires: unique([
        ...this.refList('require_interfaces'),
        ...(pillarType === 'eth' ? this.refList('use_interfaces') : []),
      ]),
      applyTime: this.applyTime(),
      ovs: { columns: [], extra: [] },
    };
    this.addressing(iface);
    this.ipv6(iface);
    const mtu = this.int('mtu', 68, 65535);
    if (mtu !== undefined) iface.mtu = mtu;
    else if (kind === 'ovs-bridge' || kind === 'ovs-internal-port') {
      iface.mtu = OVS_DEFAULT_MTU;
      iface.mtuDefaulted = true;
    }
    const hw = this.str('hwaddress') ?? this.str('hwaddr');
    if (hw !== undefined) {
      if (/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/.test(hw)) iface.hwaddress = hw.toLowerCase();
      else
        this.problem(
          this.raw['hwaddress'] !== undefined ? 'hwaddress' : 'hwaddr',
          `"${printable(hw)}" is not a MAC address`,
        );
    }

    switch (kind) {
      case 'ethernet':
        this.ethernet(iface);
        break;
      case 'bond':
        this.linuxBond(iface);
        break;
      case 'vlan':
        this.vlan(iface);
        break;
      case 'linux-bridge':
        this.linuxBridge(iface);
        break;
      case 'ovs-bridge':
        this.ovsBridge(iface);
        break;
      case 'ovs-bond':
        this.ovsBond(iface);
        break;
      case 'ovs-dpdk-port':
        this.dpdkPort(iface);
        break;
      default:
        this.ovsPort(iface);
    }
    if (kind === 'ethernet' || kind === 'bond' || kind === 'vlan') {
      // A Linux device may itself be a port of an OVS bridge (salt's `ovs_bridge:` on an eth).
      const ovsBridge = this.ref('ovs_bridge');
      if (ovsBridge !== undefined) {
        iface.ovsBridge = ovsBridge;
        this.ovsOptions(iface, 'Port');
      }
    }
    return iface;
  }

  private kind(type: PillarInterfaceType): DeviceKind {
    switch (type) {
      case 'eth':
      case 'slave':
        return 'ethernet';
      case 'bond':
        return 'bond';
      case 'vlan':
        return 'vlan';
      case 'bridge':
        return 'linux-bridge';
      case 'ovs_bridge':
      case 'dpdk_ovs_bridge':
        return 'ovs-bridge';
      case 'ovs_bond':
      case 'dpdk_ovs_bond':
        return 'ovs-bond';
      case 'dpdk_ovs_port':
        return 'ovs-dpdk-port';
      case 'ovs_port': {
        const portType = this.raw['port_type'];
        const ovsType = this.raw['ovs_port_type'];
        if (portType === 'patch' || ovsType === 'OVSPatchPort') return 'ovs-patch-port';
        if (ovsType === 'OVSPort') return 'ovs-system-port';
        return 'ovs-internal-port'; // salt's default port_type is internal
      }
    }
  }

  /**
   * Keys with no effect on this type, and refused keys, are warnings: the render goes on
   * without them, and says so. Unknown keys were reported by the schema.
   */
  private keyFates(type: PillarInterfaceType): void {
    const read = new Set(keysOfType(type).map((k) => k.key));
    for (const key of Object.keys(this.raw)) {
      const spec = INTERFACE_KEYS.find((k) => k.key === key);
      if (!spec) continue;
      if (!read.has(key)) {
        const readers = spec.types === 'all' ? [] : (spec.types ?? []);
        this.problem(
          key,
          `key ${key} has no effect on a ${type} interface (it is read by ${readers.join(', ')}); it is not rendered`,
          'warning',
        );
      } else if (spec.fate === 'refused') {
        this.problem(key, `key ${key} is not rendered: ${spec.effect}`, 'warning');
      }
    }
  }

  /** Debian's ethtool hook options; salt's offload keys take on/off in any YAML spelling. */
  private ethtool(type: PillarInterfaceType): Array<[string, string]> {
    if (!['eth', 'slave', 'bond', 'vlan'].includes(type)) return [];
    const options: Array<[string, string]> = [];
    for (const key of ETHTOOL_OFFLOADS) {
      const value = this.raw[key];
      if (value === undefined) continue;
      const text = valueText(value).toLowerCase();
      if (['on', 'yes', 'true', '1'].includes(text)) options.push([`offload-${key}`, 'on']);
      else if (['off', 'no', 'false', '0'].includes(text)) options.push([`offload-${key}`, 'off']);
      else this.problem(key, `"${printable(valueText(value))}" is not on or off`);
    }
    for (const key of ['hardware-dma-ring-rx', 'hardware-dma-ring-tx']) {
      const size = this.int(key, 1, 1 << 20);
      if (size !== undefined) options.push([key, String(size)]);
    }
    return options;
  }

  private applyTime(): ApplyTimeSettings {
    return {
      noIfupdown: this.raw['noifupdown'] !== undefined && this.raw['noifupdown'] !== false,
      ipflushOnChange: this.raw['ipflush_onchange'] === true,
      restartOnIpflush: this.raw['restart_on_ipflush'] === true,
    };
  }

  /** salt's IPv6 keys (`enable_ipv6`, `ipv6ipaddr`, ...) -> an inet6 stanza. */
  private ipv6(iface: NetworkInterface): void {
    const keys = ['enable_ipv6', 'ipv6proto', 'ipv6ipaddr', 'ipv6netmask', 'ipv6gateway'];
    if (!keys.some((k) => this.raw[k] !== undefined)) return;
    if (this.raw['enable_ipv6'] === false) {
      for (const key of keys.slice(1)) {
        if (this.raw[key] !== undefined)
          this.problem(key, `${key} is set but enable_ipv6 is false, so no inet6 stanza is written`, 'warning');
      }
      return;
    }
    const address = this.str('ipv6ipaddr');
    const explicit = this.raw['ipv6proto'];
    const proto =
      explicit === 'static' || explicit === 'dhcp' || explicit === 'auto' || explicit === 'manual'
        ? explicit
        : address !== undefined
          ? 'static'
          : 'auto';
    const v6: NonNullable<NetworkInterface['ipv6']> = { proto };
    if (address !== undefined) {
      const [ip, inline] = address.split('/');
      const prefix =
        inline !== undefined ? (/^\d+$/.test(inline) ? Number(inline) : NaN) : (this.int('ipv6netmask', 0, 128) ?? 64);
      if (!ip || !isIpv6(ip)) this.problem('ipv6ipaddr', `"${printable(address)}" is not an IPv6 address`);
      else if (!(prefix >= 0 && prefix <= 128))
        this.problem('ipv6ipaddr', `"${printable(address)}" has no valid prefix length (0-128)`);
      else if (proto !== 'static') {
        this.problem(
          'ipv6ipaddr',
          `address ${printable(address)} is ignored: ipv6proto is ${proto}, which assigns none`,
          'warning',
        );
      } else v6.address = { address: ip.toLowerCase(), prefixLength: prefix };
    } else if (proto === 'static') this.problem('ipv6proto', 'ipv6proto is static but no ipv6ipaddr is set');
    const gateway = this.str('ipv6gateway');
    if (gateway !== undefined) {
      if (!isIpv6(gateway)) this.problem('ipv6gateway', `"${printable(gateway)}" is not an IPv6 address`);
      else if (v6.address === undefined)
        this.problem('ipv6gateway', 'an IPv6 gateway needs a static IPv6 address on the same interface');
      else v6.gateway = gateway.toLowerCase();
    }
    iface.ipv6 = v6;
  }

  private addressing(iface: NetworkInterface): void {
    const proto = this.raw['proto'];
    const address = this.str('address');
    const netmask = this.raw['netmask'];
    if (address !== undefined) {
      const cidr = parseCidr(address, typeof netmask === 'string' || typeof netmask === 'number' ? netmask : undefined);
      if (typeof cidr === 'string')
        this.problem(cidr.includes('netmask') && netmask !== undefined ? 'netmask' : 'address', cidr);
      else if (proto === 'dhcp' || proto === 'manual') {
        // ifupdown's dhcp and manual methods take no address; the host comes up without it.
        this.problem(
          'address',
          `address ${printable(address)} is not rendered: proto is ${proto}, which assigns no static address (use proto: static to assign it)`,
          'warning',
        );
      } else iface.address = cidr;
    } else if (netmask !== undefined) {
      this.problem('netmask', 'netmask is set without an address');
    }
    if (proto === 'static' && address === undefined) this.problem('proto', 'proto is static but no address is set');
    const gateway = this.str('gateway');
    if (gateway !== undefined) {
      if (!isIpv4(gateway)) this.problem('gateway', `"${printable(gateway)}" is not an IPv4 address`);
      else if (iface.address === undefined) {
        if (address === undefined) this.problem('gateway', 'a gateway needs a static address on the same interface');
        else this.problem('gateway', 'gateway is not rendered: the interface assigns no static address', 'warning');
      } else iface.gateway = gateway;
    }
    const broadcast = this.str('broadcast');
    if (broadcast !== undefined) {
      if (!isIpv4(broadcast)) this.problem('broadcast', `"${printable(broadcast)}" is not an IPv4 address`);
      else if (iface.address !== undefined) iface.broadcast = broadcast;
    }
    const metric = this.int('metric', 0, 4294967295);
    if (metric !== undefined) iface.metric = metric;
  }

  private ethernet(iface: NetworkInterface): void {
    if (iface.pillarType === 'slave') {
      const master = this.ref('master');
      if (master === undefined) this.problem('master', 'a slave needs master: the bond it belongs to');
      else iface.bondMaster = master;
    }
  }

  private linuxBond(iface: NetworkInterface): void {
    const slaves = unique([...this.refList('slaves'), ...this.refList('use_interfaces')]);
    const options: Array<[string, string]> = [];
    const mode = this.scalar('mode');
    const modeName = mode === undefined ? undefined : bondModeName(mode);
    if (mode === undefined) this.problem('mode', 'a bond needs mode: (e.g. active-backup, 802.3ad)');
    else if (modeName === undefined) {
      this.problem('mode', `"${printable(mode)}" is not a Linux bonding mode (${LINUX_BOND_MODES.join(', ')})`);
    } else options.push(['mode', modeName]);
    // Link monitoring: ARP when the pillar names targets, else MII with salt's defaults (a
    // bond must watch its links somehow; salt always writes miimon 100, downdelay 200).
    const targets = this.arpTargets();
    if (targets.length > 0) {
      options.push(['arp-ip-target', targets.join(',')]);
      options.push(['arp-interval', String(this.int('arp_interval', 1, 2147483647) ?? 250)]);
      const miimon = this.int('miimon', 0, 2147483647);
      if (miimon !== undefined && miimon > 0) {
        this.problem(
          'miimon',
          'miimon and arp_ip_target exclude each other in the bonding driver; ARP monitoring is used',
          'warning',
        );
      }
    } else {
      if (this.raw['arp_interval'] !== undefined)
        this.problem('arp_interval', 'arp_interval is not rendered: no arp_ip_target is set', 'warning');
      options.push(['miimon', String(this.int('miimon', 0, 2147483647) ?? 100)]);
      options.push(['downdelay', String(this.int('downdelay', 0, 2147483647) ?? 200)]);
      options.push(['updelay', String(this.int('updelay', 0, 2147483647) ?? 0)]);
    }
    const lacpKey = this.raw['lacp_rate'] !== undefined ? 'lacp_rate' : 'lacp-rate';
    const lacp = this.scalar(lacpKey);
    if (lacp !== undefined) {
      if (['fast', 'slow', '1', '0'].includes(lacp)) options.push(['lacp-rate', lacp]);
      else this.problem(lacpKey, `"${printable(lacp)}" is not a LACP rate (fast, slow)`);
    }
    const hashKey = this.raw['hashing-algorithm'] !== undefined ? 'hashing-algorithm' : 'xmit_hash_policy';
    const hash = this.str(hashKey);
    if (hash !== undefined) {
      if (/^(layer2|layer2\+3|layer3\+4|encap2\+3|encap3\+4|vlan\+srcmac)$/.test(hash))
        options.push(['xmit-hash-policy', hash]);
      else
        this.problem(hashKey, `"${printable(hash)}" is not a transmit hash policy (layer2, layer2+3, layer3+4, ...)`);
    }
    const adSelect = this.scalar('ad_select');
    if (adSelect !== undefined) {
      if (['stable', 'bandwidth', 'count', '0', '1', '2'].includes(adSelect)) options.push(['ad-select', adSelect]);
      else this.problem('ad_select', `"${printable(adSelect)}" is not an ad_select policy (stable, bandwidth, count)`);
    }
    const primary = this.ref('primary');
    if (primary !== undefined) options.push(['primary', primary]);
    iface.bond = { slaves, options };
  }

  private arpTargets(): string[] {
    const value = this.raw['arp_ip_target'];
    const items = typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : Array.isArray(value) ? value : [];
    const targets: string[] = [];
    items.forEach((item, i) => {
      if (typeof item === 'string' && isIpv4(item)) targets.push(item);
      else if (typeof item === 'string')
        this.problem(
          Array.isArray(value) ? ['arp_ip_target', i] : 'arp_ip_target',
          `"${printable(item)}" is not an IPv4 address`,
        );
    });
    if (targets.length > 16)
      this.problem('arp_ip_target', `the bonding driver takes at most 16 ARP targets, got ${targets.length}`);
    return targets.slice(0, 16);
  }

  private vlan(iface: NetworkInterface): void {
    const uses = this.refList('use_interfaces');
    const explicit = this.ref('vlan_raw_device');
    const dotted = /^(.+)\.(\d+)$/.exec(iface.name);
    let rawDevice = explicit ?? uses[0];
    if (uses.length > 1)
      this.problem('use_interfaces', `a VLAN has one raw device, but use_interfaces lists ${uses.length}`);
    if (explicit !== undefined && uses.length > 0 && uses[0] !== explicit) {
      this.problem('vlan_raw_device', `vlan_raw_device ${explicit} disagrees with use_interfaces ${uses[0]}`);
    }
    if (dotted) {
      // ifupdown derives the parent of NAME.ID from the name itself, whatever the stanza says.
      if (rawDevice === undefined) rawDevice = dotted[1];
      else if (rawDevice !== dotted[1]) {
        this.problem(
          explicit !== undefined ? 'vlan_raw_device' : 'use_interfaces',
          `the name ${iface.name} makes ifupdown create the VLAN on ${dotted[1]}, but the pillar says ${rawDevice}; rename the interface or fix its parent`,
        );
      }
    }
    if (rawDevice === undefined) {
      this.problem(
        'use_interfaces',
        `cannot tell the VLAN's raw device: list it in use_interfaces (the name ${iface.name} is not PARENT.ID)`,
      );
      return;
    }
    const vlanNamed = /^vlan0*(\d+)$/.exec(iface.name);
    const fromName = dotted ? Number(dotted[2]) : vlanNamed ? Number(vlanNamed[1]) : undefined;
    const explicitId = this.int('vlan_id', 1, 4094);
    if (explicitId !== undefined && fromName !== undefined && explicitId !== fromName) {
      this.problem('vlan_id', `vlan_id ${explicitId} disagrees with the ID ${fromName} in the name ${iface.name}`);
    }
    const id = explicitId ?? fromName;
    if (id === undefined) {
      if (this.raw['vlan_id'] === undefined)
        this.problem('vlan_id', `cannot tell the VLAN ID: set vlan_id (the name ${iface.name} carries none)`);
      return;
    }
    if (id < 1 || id > 4094) {
      this.problem(this.raw['vlan_id'] !== undefined ? 'vlan_id' : 'name', `VLAN ID ${id} is outside 1-4094`);
      return;
    }
    iface.vlan = { id, rawDevice };
  }

  private linuxBridge(iface: NetworkInterface): void {
    iface.bridgePorts = unique([...this.refList('use_interfaces'), ...this.refList('use_ovs_ports')]);
    const options: Array<[string, string]> = [];
    const stp = this.raw['stp'];
    if (typeof stp === 'boolean') options.push(['bridge_stp', stp ? 'on' : 'off']);
    const maxwait = this.int('maxwait', 0, 3600);
    if (maxwait !== undefined) options.push(['bridge_maxwait', String(maxwait)]);
    iface.bridgeOptions = options;
  }

  private ovsBridge(iface: NetworkInterface): void {
    const ports = unique([...this.refList('use_interfaces'), ...this.refList('ovs_ports')]);
    if (ports.length > 0) iface.ovsPorts = ports;
    if (iface.pillarType === 'dpdk_ovs_bridge') {
      // A DPDK bridge runs in the userspace datapath; salt adds it with datapath_type=netdev.
      iface.datapathType = 'netdev';
      iface.ovs.columns.push({ table: 'Bridge', record: iface.name, column: 'datapath_type', value: 'netdev' });
      this.tag(iface);
    }
    const datapath = this.str('datapath_type');
    if (datapath !== undefined) {
      if (/^[a-z][a-z0-9_]*$/.test(datapath)) {
        iface.datapathType = datapath;
        iface.ovs.columns.push({ table: 'Bridge', record: iface.name, column: 'datapath_type', value: datapath });
      } else this.problem('datapath_type', `"${printable(datapath)}" is not an OVS datapath type (system, netdev)`);
    }
    this.ovsOptions(iface, 'Bridge');
  }

  private ovsPort(iface: NetworkInterface): void {
    const bridge = this.ref('bridge');
    const ovsBridge = this.ref('ovs_bridge');
    if (bridge !== undefined && ovsBridge !== undefined && bridge !== ovsBridge) {
      this.problem('ovs_bridge', `ovs_bridge ${ovsBridge} disagrees with bridge ${bridge}`);
    }
    const owner = bridge ?? ovsBridge;
    if (owner === undefined) this.problem('bridge', 'an ovs_port needs bridge: the OVS bridge it belongs to');
    else iface.ovsBridge = owner;
    if (iface.kind === 'ovs-patch-port') {
      const peer = this.ref('peer');
      if (peer === undefined) this.problem('peer', 'a patch port needs peer: the patch port at the other end');
      else iface.peer = peer;
    } else if (this.raw['peer'] !== undefined) {
      this.problem('peer', 'peer is only meaningful on a patch port (port_type: patch)');
    }
    this.tag(iface);
    this.ovsOptions(iface, 'Port');
  }

  private ovsBond(iface: NetworkInterface): void {
    const bridge = this.ref('bridge') ?? this.ref('ovs_bridge');
    if (bridge === undefined) this.problem('bridge', 'an ovs_bond needs bridge: the OVS bridge it belongs to');
    else iface.ovsBridge = bridge;
    // DPDK bonds list no members: their ports name the bond (`bond:`), see applyMembershipDefaults.
    const slaves = unique([...this.refList('slaves'), ...this.refList('use_interfaces')]);
    iface.ovsBondSlaves = slaves;
    const mode = this.scalar('mode');
    if (mode !== undefined) {
      if (OVS_BOND_MODES.includes(mode))
        iface.ovs.columns.push({ table: 'Port', record: iface.name, column: 'bond_mode', value: mode });
      else this.problem('mode', `"${printable(mode)}" is not an OVS bond mode (${OVS_BOND_MODES.join(', ')})`);
      // salt's DPDK bonds in balance-slb also negotiate LACP.
      if (mode === 'balance-slb' && iface.pillarType === 'dpdk_ovs_bond') {
        iface.ovs.columns.push({ table: 'Port', record: iface.name, column: 'lacp', value: 'active' });
      }
    }
    this.tag(iface);
    this.ovsOptions(iface, 'Port');
  }

  /** A port DPDK drives: the PCI device, its queues, and the bridge or the DPDK bond it is in. */
  private dpdkPort(iface: NetworkInterface): void {
    // Real models quote the PCI address twice ('"0000:00:05.0"'); salt passes it through the shell.
    const pci = this.str('pci')?.replace(/^"(.*)"$/, '$1');
    if (pci === undefined) this.problem('pci', 'a dpdk_ovs_port needs pci: the PCI address DPDK takes over');
    else if (!/^([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$/.test(pci))
      this.problem('pci', `"${printable(pci)}" is not a PCI address (0000:00:05.0)`);
    const dpdk: NonNullable<NetworkInterface['dpdk']> = { pci: pci ?? '' };
    const driver = this.str('driver');
    if (driver !== undefined) {
      if (/^[A-Za-z0-9_-]+$/.test(driver)) dpdk.driver = driver;
      else this.problem('driver', `"${printable(driver)}" is not a driver name`);
    }
    const nRxq = this.int('n_rxq', 1, 1024);
    if (nRxq !== undefined) dpdk.nRxq = nRxq;
    const affinity = this.str('pmd_rxq_affinity');
    if (affinity !== undefined) {
      if (/^\d+:\d+(,\d+:\d+)*$/.test(affinity)) dpdk.pmdRxqAffinity = affinity;
      else this.problem('pmd_rxq_affinity', `"${printable(affinity)}" is not a QUEUE:CORE list (0:3,1:7)`);
    }
    const bond = this.ref('bond');
    const bridge = this.ref('bridge');
    if (bond !== undefined) {
      dpdk.bond = bond;
      if (bridge !== undefined)
        this.problem(
          'bridge',
          `a member of DPDK bond ${bond} is attached through the bond; bridge is not rendered`,
          'warning',
        );
    } else if (bridge !== undefined) iface.ovsBridge = bridge;
    else
      this.problem(
        'bridge',
        'a dpdk_ovs_port needs bridge: (the OVS bridge) or bond: (the dpdk_ovs_bond it is a member of)',
      );
    iface.dpdk = dpdk;
  }

  private tag(iface: NetworkInterface): void {
    const tag = this.int('tag', 0, 4095);
    if (tag === undefined) return;
    iface.tag = tag;
    iface.ovs.columns.push({ table: 'Port', record: iface.name, column: 'tag', value: String(tag) });
  }

  /**
   * `ovs_options` are extra ovs-vsctl arguments (Debian appends them to add-br / add-port):
   * leading COLUMN=VALUE words become columns of the record (so they converge on every run,
   * not only at creation); what follows a `--` is further commands. `ovs_extra` is commands.
   */
  private ovsOptions(iface: NetworkInterface, table: 'Bridge' | 'Port'): void {
    const settings: OvsSettings = iface.ovs;
    const options = this.str('ovs_options');
    if (options !== undefined) {
      const words = this.ovsWords('ovs_options', options);
      if (words) {
        const firstSep = words.indexOf('--');
        const leading = firstSep === -1 ? words : words.slice(0, firstSep);
        for (const word of leading) {
          const m = /^([a-z_][a-z0-9_:-]*)=(.+)$/.exec(word);
          if (!m) {
            this.problem('ovs_options', `"${printable(word)}" is neither COLUMN=VALUE nor preceded by "--"`);
            continue;
          }
          const column: OvsColumn = { table, record: iface.name, column: m[1], value: m[2] };
          if (column.column === 'tag' && table === 'Port') {
            const tag = /^\d+$/.test(column.value) ? Number(column.value) : NaN;
            if (!(tag >= 0 && tag <= 4095)) {
              this.problem('ovs_options', `tag "${printable(column.value)}" is not a VLAN ID`);
              continue;
            }
            if (iface.tag !== undefined && iface.tag !== tag)
              this.problem('ovs_options', `tag=${tag} disagrees with tag: ${iface.tag}`);
            iface.tag ??= tag;
            if (settings.columns.some((c) => c.column === 'tag')) continue;
          }
          settings.columns.push(column);
        }
        if (firstSep !== -1) settings.extra.push(...splitCommands(words.slice(firstSep)));
      }
    }
    const extra = this.raw['ovs_extra'];
    const extras =
      typeof extra === 'string'
        ? [extra]
        : Array.isArray(extra)
          ? extra.filter((e): e is string => typeof e === 'string')
          : [];
    extras.forEach((text, i) => {
      const keyPath = Array.isArray(extra) ? ['ovs_extra', i] : ['ovs_extra'];
      // Debian's hook expands ${IFACE}; do the same here so both outputs say the same thing.
      const words = this.ovsWords(keyPath, text.replace(/\$\{IFACE\}|\$IFACE\b/g, iface.name));
      if (words) settings.extra.push(...splitCommands(['--', ...words]));
    });
  }

  private ovsWords(key: string | Array<string | number>, text: string): string[] | undefined {
    const words = text
      .trim()
      .split(/[ \t]+/)
      .filter(Boolean);
    const bad = words.map(ovsWordProblem).find((p) => p !== undefined) ?? singleLineProblem(text);
    if (bad) {
      this.problem(
        key,
        `${bad}; ovs-vsctl arguments may not carry shell syntax (Debian's ifupdown hook evaluates them)`,
      );
      return undefined;
    }
    return words;
  }

  private routes(): Route[] {
    const table = this.raw['route'];
    if (!isMapping(table)) return [];
    const routes: Route[] = [];
    for (const [name, raw] of Object.entries(table)) {
      if (!isMapping(raw) || typeof raw['address'] !== 'string') continue; // schema reports it
      const route = this.route(name, raw);
      if (route) routes.push(route);
    }
    return routes;
  }

  private route(name: string, raw: Raw): Route | undefined {
    const address = raw['address'] as string;
    const netmask = raw['netmask'];
    const mask = typeof netmask === 'string' || typeof netmask === 'number' ? netmask : undefined;
    let route: Route;
    if (isIpv6(address.split('/')[0])) {
      const prefix = Number(String(mask ?? address.split('/')[1] ?? '').replace(/^\//, ''));
      if (!(Number.isInteger(prefix) && prefix >= 0 && prefix <= 128)) {
        this.problem(['route', name, 'netmask'], `"${printable(String(mask))}" is not an IPv6 prefix length (0-128)`);
        return undefined;
      }
      route = { name, family: 6, network: { address: address.split('/')[0].toLowerCase(), prefixLength: prefix } };
    } else {
      const cidr = parseCidr(address, mask);
      if (typeof cidr === 'string') {
        this.problem(['route', name], cidr);
        return undefined;
      }
      route = { name, family: 4, network: cidr };
    }
    const gateway = raw['gateway'];
    if (typeof gateway === 'string') {
      const ok = route.family === 4 ? isIpv4(gateway) : isIpv6(gateway);
      if (!ok) {
        this.problem(['route', name, 'gateway'], `"${printable(gateway)}" is not an IPv${route.family} address`);
        return undefined;
      }
      route.gateway = gateway;
    }
    const metric = raw['metric'];
    if (metric !== undefined) {
      const n = Number(metric);
      if (Number.isInteger(n) && n >= 0 && n <= 4294967295) route.metric = n;
      else this.problem(['route', name, 'metric'], `"${printable(valueText(metric))}" is not a route metric`);
    }
    return route;
  }

  private commands(): Commands {
    const commands: Commands = { preUp: [], up: [], postUp: [], preDown: [], down: [], postDown: [] };
    for (const [field, key] of COMMAND_KEYS) {
      const list = this.raw[key];
      if (!Array.isArray(list)) continue;
      list.forEach((command, i) => {
        if (typeof command !== 'string') return;
        // The pillar declares these as shell commands; they only must stay one option line.
        const bad = singleLineProblem(command) ?? (command.trim() === '' ? 'the command is empty' : undefined);
        if (bad) this.problem([key, i], bad);
        else commands[field].push(command.trim());
      });
    }
    return commands;
  }

  private addressList(key: string): string[] {
    const list = this.raw[key];
    if (!Array.isArray(list)) return [];
    const out: string[] = [];
    list.forEach((item, i) => {
      if (typeof item !== 'string') return;
      if (isIpv4(item) || (/^[0-9A-Fa-f:]+$/.test(item) && item.includes(':'))) out.push(item);
      else this.problem([key, i], `"${printable(item)}" is not an IP address`);
    });
    return out;
  }

  private tokens(key: string): string[] {
    return this.checkedList(key, plainTokenProblem);
  }

  /** An interface name this interface refers to. */
  private ref(key: string): string | undefined {
    const value = this.str(key);
    if (value === undefined) return undefined;
    const bad = interfaceNameProblem(value);
    if (bad) {
      this.problem(key, bad);
      return undefined;
    }
    return value;
  }

  /** Interface names from a list or a whitespace-separated string (salt's `slaves: eno1 eno2`). */
  private refList(key: string): string[] {
    return this.checkedList(key, interfaceNameProblem);
  }

  /** Items of a list or a whitespace-separated string that pass `check`; the rest are problems. */
  private checkedList(key: string, check: (item: string) => string | undefined): string[] {
    const value = this.raw[key];
    const items = typeof value === 'string' ? value.split(/[ \t]+/).filter(Boolean) : Array.isArray(value) ? value : [];
    const out: string[] = [];
    items.forEach((item, i) => {
      if (typeof item !== 'string') return;
      const bad = check(item);
      if (bad) this.problem(Array.isArray(value) ? [key, i] : key, bad);
      else out.push(item);
    });
    return out;
  }

  private str(key: string): string | undefined {
    const value = this.raw[key];
    if (typeof value !== 'string') return undefined;
    const bad = singleLineProblem(value);
    if (bad) {
      this.problem(key, bad);
      return undefined;
    }
    return value;
  }

  private scalar(key: string): string | undefined {
    const value = this.raw[key];
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return this.str(key);
  }

  private int(key: string, min: number, max: number): number | undefined {
    const value = this.raw[key];
    const n =
      typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
    if (n === undefined || !Number.isInteger(n)) return undefined; // the schema reports the shape
    if (n < min || n > max) {
      this.problem(key, `${n} is outside ${min}-${max}`);
      return undefined;
    }
    return n;
  }

  private problem(
    key: string | Array<string | number> | undefined,
    message: string,
    severity: 'error' | 'warning' = 'error',
  ): void {
    this.sink.iface(this.key, key, message, severity);
  }
}

function bondModeName(mode: string): string | undefined {
  if (/^[0-6]$/.test(mode)) return LINUX_BOND_MODES[Number(mode)];
  return LINUX_BOND_MODES.includes(mode) ? mode : undefined;
}

/** Splits `-- a b -- c d` into `[[a, b], [c, d]]`, dropping empty commands. */
function splitCommands(words: string[]): string[][] {
  const commands: string[][] = [];
  let current: string[] = [];
  for (const word of words) {
    if (word === '--') {
      if (current.length > 0) commands.push(current);
      current = [];
    } else current.push(word);
  }
  if (current.length > 0) commands.push(current);
  return commands;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/**
 * Proto and bond membership depend on other interfaces: salt's default for an interface
 * without address is dhcp, but a bridge port, bond slave or OVS port never runs DHCP itself
 * (salt's own examples always say `proto: manual` there), so those default to manual.
 */
function applyMembershipDefaults(interfaces: NetworkInterface[], table: Raw): void {
  const members = new Set<string>();
  for (const iface of interfaces) {
    iface.bridgePorts?.forEach((p) => members.add(p));
    iface.bond?.slaves.forEach((s) => members.add(s));
    iface.ovsBondSlaves?.forEach((s) => members.add(s));
    if (iface.bondMaster !== undefined || iface.ovsBridge !== undefined) members.add(iface.name);
  }
  // A DPDK port names its bond (`bond:`); the bond's members are those ports, in pillar order.
  for (const iface of interfaces) {
    const bondName = iface.dpdk?.bond;
    if (bondName === undefined) continue;
    const bond = interfaces.find((b) => b.name === bondName && b.kind === 'ovs-bond');
    if (bond?.ovsBondSlaves && !bond.ovsBondSlaves.includes(iface.name)) bond.ovsBondSlaves.push(iface.name);
    members.add(iface.name);
  }
  // A slave names its bond with master:; the bond enslaves it even if its slaves: omits it.
  for (const iface of interfaces) {
    if (iface.bondMaster === undefined) continue;
    const bond = interfaces.find((b) => b.name === iface.bondMaster && b.bond);
    if (bond?.bond && !bond.bond.slaves.includes(iface.name)) bond.bond.slaves.push(iface.name);
  }
  for (const iface of interfaces) {
    const raw = table[iface.key] as Raw;
    const explicit = raw['proto'];
    let proto: Proto;
    if (explicit === 'static' || explicit === 'dhcp' || explicit === 'manual') proto = explicit;
    else if (iface.address) proto = 'static';
    else if (iface.kind.startsWith('ovs-') || members.has(iface.name)) proto = 'manual';
    else proto = 'dhcp';
    // Salt's debian_ip writes every bond slave as manual, whatever its proto says.
    if (iface.bondMaster !== undefined) proto = 'manual';
    iface.proto = proto;
  }
}
