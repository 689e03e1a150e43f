/** The `node` and `inventory` documents, shaped as reclass 1.7 shapes them. */
import type { Inventory, RawNode } from '../inventory/open.js';
import { writePythonJson } from './output.js';

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

/**
 * `inventory --format json`, streamed: each node is resolved, written and dropped before
 * the next, so memory holds one node at a time rather than the whole inventory.
 */
export async function streamInventoryJson(inv: Inventory, out: (chunk: string) => Promise<void> | void): Promise<void> {
  const classes = new Map<string, string[]>();
  const applications = new Map<string, string[]>();
  const index = (map: Map<string, string[]>, key: string, node: string) => {
    const list = map.get(key);
    if (list) list.push(node);
    else map.set(key, [node]);
  };
  const pending: string[] = [];
  const emit = (chunk: string) => void pending.push(chunk);
  const flush = async () => {
    for (const chunk of pending.splice(0)) await out(chunk);
  };
  emit('{\n  "__reclass__": {},\n  "nodes": {');
  let first = true;
  for (const name of inv.nodeNames()) {
    const node = inv.rawNode(name);
    emit(`${first ? '' : ','}\n    ${JSON.stringify(name)}: `);
    first = false;
    writePythonJson(nodeDocument(node), emit, 2);
    node.applications.forEach((a) => index(applications, a, name));
    node.classes.forEach((c) => index(classes, c, name));
    await flush();
  }
  emit(first ? '}' : '\n  }');
  emit(',\n  "classes": ');
  writePythonJson(classes, emit, 1);
  emit(',\n  "applications": ');
  writePythonJson(applications, emit, 1);
  emit('\n}\n');
  await flush();
}
