/**
 * The MTU each device really gets, also where the pillar sets none: a reader planning a
 * network needs the number the kernel or OVS will use, not "unset". Derived from the model
 * the way Linux and OVS derive it.
 */
import type { NetworkInterface, NetworkModel } from '../network/types.js';

/** Linux's MTU for a new Ethernet, bond or bridge device (and OVS's default). */
const KERNEL_DEFAULT_MTU = 1500;

export interface EffectiveMtu {
  mtu: number;
  /**
   * `pillar`: the pillar sets it. `default`: nothing sets it, the kernel's (or reclass-net's
   * pinned OVS) default applies. `inherited`: a VLAN takes its parent's, a Linux bridge the
   * smallest of its ports'.
   */
  origin: 'pillar' | 'default' | 'inherited';
  /** For `inherited`: the device it comes from. */
  from?: string;
}

/** Every device's effective MTU, by device name. */
export function effectiveMtus(model: Pick<NetworkModel, 'interfaces'>): Map<string, EffectiveMtu> {
  const byName = new Map(model.interfaces.map((i) => [i.name, i]));
  const out = new Map<string, EffectiveMtu>();
  const visiting = new Set<string>();
  const of = (iface: NetworkInterface): EffectiveMtu => {
    const known = out.get(iface.name);
    if (known) return known;
    let result: EffectiveMtu;
    if (iface.mtu !== undefined && !iface.mtuDefaulted) result = { mtu: iface.mtu, origin: 'pillar' };
    else if (visiting.has(iface.name))
      result = { mtu: KERNEL_DEFAULT_MTU, origin: 'default' }; // a loop validation reports
    else {
      visiting.add(iface.name);
      result = derived(iface);
      visiting.delete(iface.name);
    }
    out.set(iface.name, result);
    return result;
  };
  const derived = (iface: NetworkInterface): EffectiveMtu => {
    const parent = iface.vlan && byName.get(iface.vlan.rawDevice);
    if (parent) return { mtu: of(parent).mtu, origin: 'inherited', from: parent.name };
    const ports = (iface.bridgePorts ?? [])
      .map((p) => byName.get(p))
      .filter((p): p is NetworkInterface => p !== undefined);
    if (iface.kind === 'linux-bridge' && ports.length > 0) {
      const smallest = ports.map((p) => ({ p, mtu: of(p).mtu })).sort((a, b) => a.mtu - b.mtu)[0];
      return { mtu: smallest.mtu, origin: 'inherited', from: smallest.p.name };
    }
    return { mtu: iface.mtu ?? KERNEL_DEFAULT_MTU, origin: 'default' };
  };
  for (const iface of model.interfaces) of(iface);
  return out;
}

/** `9000`, `1500 (default)`, `9000 (from bond0)`. */
export function mtuText(e: EffectiveMtu | undefined): string {
  if (!e) return '';
  if (e.origin === 'pillar') return String(e.mtu);
  if (e.origin === 'default') return `${e.mtu} (default)`;
  return `${e.mtu} (from ${e.from})`;
}
