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

/** Which nodes use each class and application, in node order (reclass -i's maps). */
export class UsageIndex {
  readonly classes = new Map<string, string[]>();
  readonly applications = new Map<string, string[]>();

  add(node: RawNode): void {
    node.applications.forEach((a) => UsageIndex.push(this.applications, a, node.name));
    node.classes.forEach((c) => UsageIndex.push(this.classes, c, node.name));
  }

  /** Appends an index built over later nodes. */
  extend(later: { classes: [string, string[]][]; applications: [string, string[]][] }): void {
    for (const [c, nodes] of later.classes) nodes.forEach((n) => UsageIndex.push(this.classes, c, n));
    for (const [a, nodes] of later.applications) nodes.forEach((n) => UsageIndex.push(this.applications, a, n));
  }

  private static push(map: Map<string, string[]>, key: string, node: string): void {
    const list = map.get(key);
    if (list) list.push(node);
    else map.set(key, [node]);
  }
}

/**
 * Writes the `"name": {...}` entries of `names` (each preceded by a comma unless it is the
 * very first node), resolving, writing and dropping one node at a time so that memory holds
 * one node rather than the inventory.
 */
export async function writeNodeEntries(
  inv: Inventory,
  names: string[],
  first: boolean,
  usage: UsageIndex,
  out: (chunk: string) => Promise<void> | void,
): Promise<void> {
  const pending: string[] = [];
  const emit = (chunk: string) => void pending.push(chunk);
  for (const name of names) {
    const node = inv.rawNode(name);
    emit(`${first ? '' : ','}\n    ${JSON.stringify(name)}: `);
    first = false;
    writePythonJson(nodeDocument(node), emit, 2);
    usage.add(node);
    for (const chunk of pending.splice(0)) await out(chunk);
  }
}

/** What a helper thread returns after writing the entries of the later nodes. */
export interface LaterNodes {
  count: number;
  classes: [string, string[]][];
  applications: [string, string[]][];
}

/**
 * `inventory --format json`, streamed. `later`, when given, writes the entries of the
 * nodes after `names` (another thread resolves them) and returns their usage index.
 */
export async function streamInventoryJson(
  inv: Inventory,
  out: (chunk: string) => Promise<void> | void,
  names: string[] = inv.nodeNames(),
  later?: (first: boolean) => Promise<LaterNodes>,
): Promise<void> {
  const usage = new UsageIndex();
  await out('{\n  "__reclass__": {},\n  "nodes": {');
  await writeNodeEntries(inv, names, true, usage, out);
  let count = names.length;
  if (later) {
    const rest = await later(names.length === 0);
    usage.extend(rest);
    count += rest.count;
  }
  const chunks: string[] = [count > 0 ? '\n  }' : '}', ',\n  "classes": '];
  writePythonJson(usage.classes, (c) => chunks.push(c), 1);
  chunks.push(',\n  "applications": ');
  writePythonJson(usage.applications, (c) => chunks.push(c), 1);
  chunks.push('\n}\n');
  for (const chunk of chunks) await out(chunk);
}
