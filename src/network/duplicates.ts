/**
 * Addresses assigned twice across an inventory. Reads pillars leniently (no validation), so a
 * node whose pillar has other problems still takes part: `validate` reports those separately.
 */
import { isIpv4 } from './ipv4.js';
import { isMapping, networkPillar } from './normalize.js';
import type { NetworkNode } from './types.js';

interface Holder {
  node: string;
  iface: string;
}

/**
 * One message per address that more than one node (or interface) holds, in first-seen order.
 * @example
 * const clashes = findDuplicateAddresses(await inv.nodes());
 * if (clashes.length > 0) console.error(clashes.join('\n'));
 */
export function findDuplicateAddresses(nodes: NetworkNode[]): string[] {
  const holders = new Map<string, Holder[]>();
  for (const node of nodes) {
    const network = networkPillar(node.parameters);
    const table = network?.['interface'];
    if (network?.['enabled'] === false || !isMapping(table)) continue;
    for (const [key, raw] of Object.entries(table)) {
      if (!isMapping(raw) || raw['enabled'] === false || raw['managed'] === false) continue;
      const address = raw['address'];
      if (typeof address !== 'string') continue;
      const ip = address.split('/')[0].trim();
      if (!isIpv4(ip)) continue;
      const name = typeof raw['name'] === 'string' ? raw['name'] : key;
      holders.set(ip, [...(holders.get(ip) ?? []), { node: node.name, iface: name }]);
    }
  }
  const messages: string[] = [];
  for (const [ip, list] of holders) {
    if (list.length < 2) continue;
    const where = list.map((h) => `node ${h.node} (interface ${h.iface})`).join(', ');
    messages.push(`address ${ip} is assigned ${list.length} times: ${where}`);
  }
  return messages;
}
