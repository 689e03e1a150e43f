/** The `node` and `inventory` documents, shaped as reclass 1.7 shapes them. */
import type { Inventory, RawNode } from '../inventory/open.js';

export function nodeDocument(node: RawNode): Map<string, unknown> {
  return new Map<string, unknown>([
    ['__reclass__', new Map<string, unknown>([
      ['node', node.name],
      ['name', node.name],
      ['uri', `yaml_fs://${node.file}`],
      ['environment', node.environment],
    ])],
    ['applications', node.applications],
    ['classes', node.classes],
    ['environment', node.environment],
    ['exports', node.exports],
    ['parameters', node.parameters],
  ]);
}

/** `reclass -i`: every node, plus which nodes use each class and application. */
export function inventoryDocument(inv: Inventory): Map<string, unknown> {
  const nodes = new Map<string, unknown>();
  const classes = new Map<string, string[]>();
  const applications = new Map<string, string[]>();
  const index = (map: Map<string, string[]>, key: string, node: string) => {
    const list = map.get(key);
    if (list) list.push(node);
    else map.set(key, [node]);
  };
  for (const name of inv.nodeNames()) {
    const node = inv.rawNode(name);
    nodes.set(name, nodeDocument(node));
    node.applications.forEach((a) => index(applications, a, name));
    node.classes.forEach((c) => index(classes, c, name));
  }
  return new Map<string, unknown>([
    ['__reclass__', new Map<string, unknown>()],
    ['applications', applications],
    ['classes', classes],
    ['nodes', nodes],
  ]);
}
