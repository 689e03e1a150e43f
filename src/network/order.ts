/**
 * Which device must exist before which: `ifup -a` takes stanzas in file order, and
 * `ovs-vsctl add-port` needs its bridge, so both renderers emit parents first.
 */
import { mustGet } from '../invariant.js';
import type { NetworkInterface } from './types.js';

/**
 * The devices `iface` needs before it can be brought up, by name.
 * @example
 * parentsOf(model.interfaces.find((i) => i.name === 'bond0.2411')!); // ['bond0']
 */
export function parentsOf(iface: NetworkInterface): string[] {
  const parents: string[] = [];
  if (iface.bond) parents.push(...iface.bond.slaves); // NICs before the bond that enslaves them
  if (iface.vlan) parents.push(iface.vlan.rawDevice);
  if (iface.bridgePorts) parents.push(...iface.bridgePorts);
  if (iface.ovsBridge !== undefined) parents.push(iface.ovsBridge);
  if (iface.ovsBondSlaves) parents.push(...iface.ovsBondSlaves);
  parents.push(...iface.requires);
  return [...new Set(parents)];
}

/**
 * What an OVS bridge's stanza needs before it: the bridge's nested `ifup` of its `ovs_ports`
 * brings up a Linux bond or VLAN that is its port, so that device's own parents (the bond's
 * NICs, the VLAN's raw device) must already be up. Ports of the bridge itself are left out,
 * as they need the bridge.
 */
function bridgeParents(bridge: NetworkInterface, interfaces: NetworkInterface[]): string[] {
  const ports = interfaces.filter((i) => i.ovsBridge === bridge.name);
  const portNames = new Set(ports.map((p) => p.name));
  return ports
    .filter((p) => p.kind === 'bond' || p.kind === 'vlan' || p.kind === 'ovs-bond')
    .flatMap((p) => parentsOf(p))
    .filter((name) => name !== bridge.name && !portNames.has(name));
}

export interface Ordering {
  order: string[];
  /** Names on a dependency cycle, when there is one (the order then ends with them as declared). */
  cycle?: string[];
}

/**
 * Topological order, ties broken by pillar order so that output follows the model's own
 * layout wherever dependencies allow. References to unknown names are ignored here (the
 * reference checks report them).
 * @example
 * const { order, cycle } = dependencyOrder(model.interfaces);
 * if (cycle) console.error('cycle:', cycle.join(' -> '));
 */
export function dependencyOrder(interfaces: NetworkInterface[]): Ordering {
  const index = new Map(interfaces.map((iface, i) => [iface.name, i]));
  const children = new Map<string, string[]>();
  const pending = new Map<string, number>();
  for (const iface of interfaces) {
    const all =
      iface.kind === 'ovs-bridge' ? [...parentsOf(iface), ...bridgeParents(iface, interfaces)] : parentsOf(iface);
    const parents = [...new Set(all)].filter((p) => index.has(p) && p !== iface.name);
    pending.set(iface.name, parents.length);
    for (const p of parents) children.set(p, [...(children.get(p) ?? []), iface.name]);
  }
  const ready = interfaces.filter((i) => pending.get(i.name) === 0).map((i) => i.name);
  const order: string[] = [];
  const byPillarOrder = (a: string, b: string) => mustGet(index, a, 'interface') - mustGet(index, b, 'interface');
  let next: string | undefined;
  while ((next = ready.sort(byPillarOrder).shift()) !== undefined) {
    order.push(next);
    for (const child of children.get(next) ?? []) {
      const left = mustGet(pending, child, 'interface') - 1;
      pending.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  if (order.length === interfaces.length) return { order };
  const placed = new Set(order);
  const rest = interfaces.map((i) => i.name).filter((n) => !placed.has(n));
  return { order: [...order, ...rest], cycle: findCycle(interfaces, new Set(rest)) };
}

function findCycle(interfaces: NetworkInterface[], candidates: Set<string>): string[] {
  const byName = new Map(interfaces.map((i) => [i.name, i]));
  const start = [...candidates][0];
  const path: string[] = [];
  const seen = new Map<string, number>();
  let current: string | undefined = start;
  while (current !== undefined && !seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    const iface = byName.get(current);
    current = iface ? parentsOf(iface).find((p) => candidates.has(p)) : undefined;
  }
  if (current === undefined) return path;
  return [...path.slice(seen.get(current)), current];
}
