/**
 * Which KVM host carries which virtual machine of the control plane: MCP declares it on the
 * KVM hosts as `salt:control:cluster:CLUSTER:node:VM:provider: HOST` (with the VM's `name`
 * and `domain`), which salt's virt module then creates.
 */
import type { ResolvedNode, Value } from '../types.js';

function mapping(value: Value | undefined): Record<string, Value> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

export interface Placement {
  /** KVM host -> the VMs it carries, sorted. */
  vms: Map<string, string[]>;
  /** VM -> its KVM host. */
  host: Map<string, string>;
}

/**
 * VMs and hosts are named as the site names its nodes: `name.domain` when that is a node,
 * else the one node whose short name matches, else as declared.
 */
export function vmPlacement(nodes: Iterable<ResolvedNode>, siteNodes: readonly string[]): Placement {
  const known = new Set(siteNodes);
  const byShort = new Map<string, string[]>();
  for (const n of siteNodes) byShort.set(n.split('.')[0], [...(byShort.get(n.split('.')[0]) ?? []), n]);
  const full = (name: string, domain: string | undefined) => {
    if (known.has(name)) return name;
    if (domain && known.has(`${name}.${domain}`)) return `${name}.${domain}`;
    const same = byShort.get(name.split('.')[0]) ?? [];
    return same.length === 1 ? same[0] : domain ? `${name}.${domain}` : name;
  };
  const vms = new Map<string, Set<string>>();
  const host = new Map<string, string>();
  for (const node of nodes) {
    const clusters = mapping(mapping(mapping(node.parameters['salt'])?.['control'])?.['cluster']);
    for (const cluster of Object.values(clusters ?? {})) {
      for (const [key, raw] of Object.entries(mapping(mapping(cluster)?.['node']) ?? {})) {
        const vm = mapping(raw);
        const provider = vm?.['provider'];
        if (typeof provider !== 'string') continue;
        const domain = typeof vm?.['domain'] === 'string' ? vm['domain'] : undefined;
        const name = full(typeof vm?.['name'] === 'string' ? vm['name'] : key, domain);
        const kvm = full(provider, undefined);
        vms.set(kvm, (vms.get(kvm) ?? new Set()).add(name));
        host.set(name, kvm);
      }
    }
  }
  return { vms: new Map([...vms].map(([k, v]) => [k, [...v].sort()])), host };
}
