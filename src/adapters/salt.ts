/**
 * What reclass 1.7's Salt adapter (reclass/adapters/salt.py) returns, built from the same
 * resolution: `ext_pillar` (the pillar), `top` (the state top) and the document Salt's
 * `master_tops: ext_nodes` reads from a command's standard output.
 */
import type { Inventory, RawNode } from '../api/inventory.js';

/**
 * `ext_pillar(minion_id, ...)`: the node's parameters with a `__reclass__` block assigned
 * last. reclass assigns into the parameters dict it returns, so an existing
 * `__reclass__` key keeps its place and loses its value, as Map.set does. The node's own
 * parameters are shared read-only data, hence the copy.
 */
export function saltPillar(node: RawNode, minionId: string = node.name): Map<string, unknown> {
  const pillar = new Map(node.parameters);
  pillar.set(
    '__reclass__',
    new Map<string, unknown>([
      ['nodename', minionId],
      ['applications', node.applications],
      ['classes', node.classes],
      ['environment', node.environment],
    ]),
  );
  return pillar;
}

/** `top(minion_id)`: the node's applications under its environment. */
export function saltTop(node: RawNode): Map<string, unknown> {
  return new Map<string, unknown>([[node.environment, node.applications]]);
}

/**
 * `top(None)`, what the adapter's CLI prints without a minion: every node's applications,
 * grouped by environment, environments and nodes in inventory order.
 */
export function saltTopAll(inv: Inventory): Map<string, Map<string, string[]>> {
  const top = new Map<string, Map<string, string[]>>();
  for (const name of inv.nodeNames()) {
    const node = inv.rawNode(name);
    let env = top.get(node.environment);
    if (!env) top.set(node.environment, (env = new Map<string, string[]>()));
    env.set(node.name, node.applications);
  }
  return top;
}

/**
 * Salt's `master_tops: ext_nodes` runs `COMMAND MINION_ID` and reads YAML with `classes`
 * (the states to apply, a list) and `environment` (else `base`): the same data as `top`.
 */
export function saltExtNodes(node: RawNode): Map<string, unknown> {
  return new Map<string, unknown>([
    ['classes', node.applications],
    ['environment', node.environment],
  ]);
}
