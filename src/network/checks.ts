/**
 * Checks across interfaces, run on the normalised model before anything is rendered: every
 * reference resolves to an interface of the right kind, patch peers point at each other,
 * nothing is enslaved twice, MTUs fit, no address is used twice, the graph has no cycle.
 */
import type { Value } from '../types.js';
import { isMapping } from './normalize.js';
import { dependencyOrder } from './order.js';
import type { ProblemSink } from './problems.js';
import type { DeviceKind, NetworkInterface } from './types.js';

type Raw = { [key: string]: Value };

/** The MTU Linux gives a device nobody sets one for. */
const DEFAULT_MTU = 1500;

const KIND_LABEL: Record<DeviceKind, string> = {
  ethernet: 'an eth interface',
  bond: 'a bond',
  vlan: 'a VLAN',
  'linux-bridge': 'a Linux bridge',
  'ovs-bridge': 'an OVS bridge',
  'ovs-internal-port': 'an OVS internal port',
  'ovs-system-port': 'an OVS system port',
  'ovs-patch-port': 'an OVS patch port',
  'ovs-bond': 'an OVS bond',
  'ovs-dpdk-port': 'a DPDK port',
};

/**
 * References a NIC of the host may satisfy without the pillar declaring it: ifupdown takes
 * such a device as the host has it. Bond members are not among them: a bond of NICs nobody
 * configured is almost always a typo, and enslaving takes the NIC's own addresses away.
 */
type HostNic = 'host-nic-ok' | undefined;

export function checkModel(interfaces: NetworkInterface[], table: Raw, sink: ProblemSink): string[] {
  const ctx = new CheckContext(interfaces, table, sink);
  ctx.names();
  ctx.references();
  ctx.ownership();
  ctx.mtus();
  ctx.addresses();
  const names = interfaces.map((i) => i.name);
  // Duplicate device names are already reported, and they leave no well-defined graph.
  if (new Set(names).size !== names.length) return names;
  const { order, cycle } = dependencyOrder(interfaces);
  if (cycle) {
    const first = interfaces.find((i) => i.name === cycle[0]) ?? interfaces[0];
    sink.iface(first.key, undefined, `interfaces depend on each other in a cycle: ${cycle.join(' -> ')}`);
  }
  return order;
}

class CheckContext {
  private readonly byName = new Map<string, NetworkInterface>();
  private readonly byKey = new Map<string, NetworkInterface>();

  constructor(
    private readonly interfaces: NetworkInterface[],
    private readonly table: Raw,
    private readonly sink: ProblemSink,
  ) {
    for (const iface of interfaces) {
      if (!this.byName.has(iface.name)) this.byName.set(iface.name, iface);
      this.byKey.set(iface.key, iface);
    }
  }

  names(): void {
    const seen = new Map<string, NetworkInterface>();
    for (const iface of this.interfaces) {
      if (iface.name === 'lo') {
        this.sink.iface(
          iface.key,
          this.nameKey(iface),
          'lo is the loopback interface, which reclass-net always writes itself',
        );
      }
      const other = seen.get(iface.name);
      if (other) {
        this.sink.iface(
          iface.key,
          this.nameKey(iface),
          `device name ${iface.name} is already used by interface ${other.key}`,
        );
      } else seen.set(iface.name, iface);
    }
  }

  references(): void {
    for (const iface of this.interfaces) {
      const self = iface.name;
      for (const slave of iface.bond?.slaves ?? []) {
        this.expect(iface, ['slaves', 'use_interfaces'], slave, ['ethernet'], `bond slave ${slave}`);
      }
      if (iface.bondMaster !== undefined) {
        this.expect(iface, ['master'], iface.bondMaster, ['bond'], `bond master ${iface.bondMaster}`);
      }
      if (iface.vlan) {
        this.expect(
          iface,
          ['vlan_raw_device', 'use_interfaces', 'name'],
          iface.vlan.rawDevice,
          ['ethernet', 'bond', 'linux-bridge', 'ovs-bridge', 'ovs-internal-port'],
          `VLAN raw device ${iface.vlan.rawDevice}`,
          'host-nic-ok',
        );
      }
      for (const port of iface.bridgePorts ?? []) {
        const viaOvs = this.keyPath(iface, ['use_ovs_ports'], port) !== undefined;
        const kinds: DeviceKind[] = viaOvs ? ['ovs-internal-port'] : ['ethernet', 'bond', 'vlan', 'ovs-internal-port'];
        this.expect(
          iface,
          ['use_interfaces', 'use_ovs_ports'],
          port,
          kinds,
          `bridge member ${port}`,
          viaOvs ? undefined : 'host-nic-ok',
        );
      }
      if (iface.ovsBridge !== undefined) {
        this.expect(iface, ['bridge', 'ovs_bridge'], iface.ovsBridge, ['ovs-bridge'], `OVS bridge ${iface.ovsBridge}`);
      }
      for (const port of iface.ovsPorts ?? []) {
        const found = this.expect(
          iface,
          ['use_interfaces', 'ovs_ports'],
          port,
          [
            'ethernet',
            'bond',
            'vlan',
            'ovs-system-port',
            'ovs-internal-port',
            'ovs-patch-port',
            'ovs-bond',
            'ovs-dpdk-port',
          ],
          `OVS bridge port ${port}`,
        );
        if (found && found.ovsBridge !== iface.name) {
          this.sink.iface(
            iface.key,
            this.keyPath(iface, ['use_interfaces', 'ovs_ports'], port) ?? 'use_interfaces',
            `${port} is listed in use_interfaces but is not attached to ${iface.name} (give it ovs_bridge: ${iface.name})`,
          );
        }
      }
      const dpdkBond = iface.pillarType === 'dpdk_ovs_bond';
      for (const slave of iface.ovsBondSlaves ?? []) {
        this.expect(
          iface,
          ['slaves', 'use_interfaces'],
          slave,
          dpdkBond ? ['ovs-dpdk-port'] : ['ethernet'],
          `OVS bond member ${slave}`,
        );
      }
      if (iface.kind === 'ovs-bond' && (iface.ovsBondSlaves?.length ?? 0) < 2) {
        const how = dpdkBond ? 'dpdk_ovs_port entries naming it in bond:' : 'interfaces in slaves:';
        this.sink.iface(
          iface.key,
          dpdkBond ? undefined : 'slaves',
          `an OVS bond needs at least two members (${how}), got ${iface.ovsBondSlaves?.length ?? 0}`,
        );
      }
      for (const required of iface.requires) {
        this.expect(
          iface,
          ['require_interfaces', 'use_interfaces'],
          required,
          Object.keys(KIND_LABEL) as DeviceKind[],
          `required interface ${required}`,
          'host-nic-ok',
        );
      }
      if (iface.dpdk?.bond !== undefined) {
        this.expect(iface, ['bond'], iface.dpdk.bond, ['ovs-bond'], `DPDK bond ${iface.dpdk.bond}`);
      }
      if (iface.peer !== undefined) {
        const peer = this.expect(iface, ['peer'], iface.peer, ['ovs-patch-port'], `patch peer ${iface.peer}`);
        if (peer && peer.name !== self && peer.peer !== undefined && peer.peer !== self) {
          this.sink.iface(
            iface.key,
            'peer',
            `patch peers are asymmetric: ${self} points at ${peer.name}, but ${peer.name} points at ${peer.peer}`,
          );
        }
      }
    }
  }

  /** A device carries the traffic of at most one bridge or bond. */
  ownership(): void {
    const owners = new Map<string, string[]>();
    const claim = (member: string, owner: string) => owners.set(member, [...(owners.get(member) ?? []), owner]);
    for (const iface of this.interfaces) {
      if (!iface.enabled) continue;
      iface.bond?.slaves.forEach((s) => claim(s, `bond ${iface.name}`));
      iface.bridgePorts?.forEach((p) => claim(p, `Linux bridge ${iface.name}`));
      iface.ovsBondSlaves?.forEach((s) => claim(s, `OVS bond ${iface.name}`));
      // An internal port belongs to OVS but is a device of its own that may join a Linux bridge.
      if (
        iface.ovsBridge !== undefined &&
        iface.kind !== 'ovs-internal-port' &&
        iface.kind !== 'ovs-patch-port' &&
        iface.kind !== 'ovs-bond'
      ) {
        claim(iface.name, `OVS bridge ${iface.ovsBridge}`);
      }
    }
    for (const [member, claimants] of owners) {
      const unique = [...new Set(claimants)];
      if (unique.length < 2) continue;
      const iface = this.byName.get(member);
      if (iface)
        this.sink.iface(
          iface.key,
          undefined,
          `${member} is claimed by ${unique.join(' and ')}; a device can carry only one of them`,
        );
    }
  }

  mtus(): void {
    const memo = new Map<string, number>();
    const effective = (name: string, seen: Set<string> = new Set()): number => {
      const cached = memo.get(name);
      if (cached !== undefined) return cached;
      const iface = this.byName.get(name);
      if (!iface || seen.has(name)) return DEFAULT_MTU;
      seen.add(name);
      let mtu = iface.mtu;
      if (mtu === undefined) {
        // Linux derives these when nothing is set: a VLAN starts at its parent's MTU, a bridge
        // runs at the smallest MTU among its ports.
        if (iface.vlan) mtu = effective(iface.vlan.rawDevice, seen);
        else if (iface.kind === 'linux-bridge' && iface.bridgePorts?.length) {
          mtu = Math.min(...iface.bridgePorts.map((p) => effective(p, seen)));
        } else mtu = DEFAULT_MTU;
      }
      memo.set(name, mtu);
      return mtu;
    };
    const describe = (name: string) => {
      const iface = this.byName.get(name);
      return iface?.mtu !== undefined ? `MTU ${iface.mtu}` : `MTU ${effective(name)} (no mtu set)`;
    };
    const tooSmall = (member: string, carrier: NetworkInterface, role: string) => {
      const m = this.byName.get(member);
      // A defaulted carrier MTU (an OVS bridge's 1500) is no demand on its members.
      if (!m || carrier.mtu === undefined || carrier.mtuDefaulted || effective(member) >= carrier.mtu) return;
      this.sink.iface(
        m.key,
        'mtu',
        `${describe(member)} is below the MTU ${carrier.mtu} of ${role} ${carrier.name}, whose traffic it carries`,
      );
    };
    for (const iface of this.interfaces) {
      if (!iface.enabled) continue;
      iface.bridgePorts?.forEach((p) => tooSmall(p, iface, 'Linux bridge'));
      if (iface.vlan) tooSmall(iface.vlan.rawDevice, iface, 'VLAN');
      // Bonding sets unset slave MTUs to its own; only an explicit smaller one contradicts it.
      iface.bond?.slaves.forEach((s) => {
        if (this.byName.get(s)?.mtu !== undefined) tooSmall(s, iface, 'bond');
      });
      if (iface.kind === 'ovs-bridge') {
        for (const port of this.interfaces) {
          if (!port.enabled || port.ovsBridge !== iface.name) continue;
          if (['ethernet', 'bond', 'vlan', 'ovs-system-port'].includes(port.kind))
            tooSmall(port.name, iface, 'OVS bridge');
          port.ovsBondSlaves?.forEach((s) => tooSmall(s, iface, 'OVS bridge'));
        }
      }
    }
  }

  addresses(): void {
    const seen = new Map<string, NetworkInterface>();
    const gateways: NetworkInterface[] = [];
    for (const iface of this.interfaces) {
      if (!iface.enabled) continue;
      if (iface.address) {
        if (iface.bondMaster !== undefined) {
          this.sink.iface(
            iface.key,
            'address',
            `${iface.name} is a slave of bond ${iface.bondMaster}; put the address on the bond`,
          );
        }
        const other = seen.get(iface.address.address);
        if (other) {
          this.sink.iface(
            iface.key,
            'address',
            `address ${iface.address.address} is already assigned to interface ${other.key} (${other.name}) of this node`,
          );
        } else seen.set(iface.address.address, iface);
      }
      if (iface.gateway !== undefined) gateways.push(iface);
    }
    for (let i = 1; i < gateways.length; i++) {
      const clash = gateways.slice(0, i).find((g) => g.metric === gateways[i].metric);
      if (clash) {
        this.sink.iface(
          gateways[i].key,
          'gateway',
          `a second default gateway with the same metric as ${clash.name}'s; ifup fails adding it (set distinct metric: values or keep one gateway)`,
        );
      }
    }
  }

  /** Reports unless `target` names an enabled interface of one of `kinds`; returns it if it exists. */
  private expect(
    from: NetworkInterface,
    keys: string[],
    target: string,
    kinds: DeviceKind[],
    what: string,
    hostNic?: HostNic,
  ): NetworkInterface | undefined {
    const key = this.keyPath(from, keys, target) ?? keys[0];
    const found = this.byName.get(target);
    if (target === from.name) {
      this.sink.iface(from.key, key, `${what} is the interface itself`);
      return undefined;
    }
    if (!found) {
      const byKey = this.byKey.get(target);
      const hint = byKey ? ` (there is an interface with key ${target}, but its device name is ${byKey.name})` : '';
      if (!byKey && hostNic === 'host-nic-ok') {
        // A NIC the pillar does not declare still exists on the host: ifupdown takes it as it is.
        this.sink.iface(
          from.key,
          key,
          `${what} is not declared in the pillar; it is taken to be a NIC of the host, configured as the host has it`,
          'warning',
        );
      } else {
        this.sink.iface(from.key, key, `${what} is not an interface of this node${hint}`);
      }
      return undefined;
    }
    if (!kinds.includes(found.kind)) {
      this.sink.iface(
        from.key,
        key,
        `${what} is ${KIND_LABEL[found.kind]}, expected ${kinds.map((k) => KIND_LABEL[k]).join(' or ')}`,
      );
      return found;
    }
    if (from.enabled && !found.enabled) {
      this.sink.iface(from.key, key, `${what} is disabled (enabled: false), so it would never come up`);
    }
    return found;
  }

  /** The pillar key (and list index) under which `from` names `target`. */
  private keyPath(from: NetworkInterface, keys: string[], target: string): Array<string | number> | undefined {
    const raw = this.table[from.key];
    if (!isMapping(raw)) return undefined;
    for (const key of keys) {
      const value = raw[key];
      if (key === 'name' && value === undefined && from.key.startsWith(`${target}.`)) return [];
      if (typeof value === 'string' && (value === target || value.split(/[ \t]+/).includes(target))) return [key];
      if (typeof value === 'string' && key === 'name' && value.startsWith(`${target}.`)) return [key];
      if (Array.isArray(value)) {
        const index = value.indexOf(target);
        if (index !== -1) return [key, index];
      }
    }
    return undefined;
  }

  private nameKey(iface: NetworkInterface): string | undefined {
    const raw = this.table[iface.key];
    return isMapping(raw) && raw['name'] !== undefined ? 'name' : undefined;
  }
}
