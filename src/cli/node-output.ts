/** The `node` and `inventory` documents, shaped as reclass 1.7 shapes them. */
import { reclassMetadata, type Inventory, type RawNode } from '../api/inventory.js';
import { JsonWriter, pythonJsonAt } from './output.js';

export function nodeDocument(node: RawNode): Map<string, unknown> {
  return new Map<string, unknown>([
    ['__reclass__', reclassMetadata(node)],
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
  private readonly classLists = new ListsOf(this.classes);
  private readonly applicationLists = new ListsOf(this.applications);

  add({ name, classes, applications }: NodeUsage): void {
    // forEach: a for...of allocates per list until V8 optimises it, and this runs per node.
    this.applicationLists.of(applications).forEach((list) => list.push(name));
    this.classLists.of(classes).forEach((list) => list.push(name));
  }
}

/**
 * The node lists of `map` for some keys, created as needed; the lists for the keys asked
 * last are kept: consecutive nodes mostly list the same classes, and comparing a node's
 * names with the last node's was cheaper than looking up each (a fiftieth of a run).
 */
class ListsOf {
  private lastKeys: readonly string[] = [];
  private lastLists: string[][] = [];

  constructor(private readonly map: Map<string, string[]>) {}

  of(keys: readonly string[]): string[][] {
    const last = this.lastKeys;
    if (keys.length === last.length && keys.every((k, i) => k === last[i])) return this.lastLists;
    this.lastKeys = keys;
    this.lastLists = keys.map((key) => {
      let list = this.map.get(key);
      if (!list) this.map.set(key, (list = []));
      return list;
    });
    return this.lastLists;
  }
}

/** What the usage index needs of one node. */
export interface NodeUsage {
  name: string;
  classes: string[];
  applications: string[];
}

/** A run of consecutive nodes' `"name": {...}` entries, ready to write. */
export interface NodeEntries {
  /** One text per node: a node's text is small enough to be allocated and dropped
   * cheaply, where a run's was not (see AsciiWriter). */
  texts: string[];
  usage: NodeUsage[];
}

/** The writer of one thread's node entries of `inv` (see nodeEntries): one per inventory,
 * so that the text it keeps serves every node the thread writes. */
export function entryWriter(inv: Inventory): JsonWriter {
  return new JsonWriter(inv.shared);
}

/**
 * The JSON entries of `names[from..to)`, each preceded by a comma unless it is the very
 * first node of the inventory, written by `writer` (entryWriter). Nodes are resolved one
 * at a time and only their text is kept, so memory holds a run of text rather than
 * resolved trees.
 */
export function nodeEntries(
  inv: Inventory,
  writer: JsonWriter,
  names: string[],
  from: number,
  to: number,
): NodeEntries {
  const texts: string[] = [];
  const usage: NodeUsage[] = [];
  for (let i = from; i < to; i++) {
    const node = inv.rawNode(names[i]);
    const parts = [`${i === 0 ? '' : ','}\n    ${JSON.stringify(node.name)}: `];
    writer.parts(nodeDocument(node), parts, 2);
    texts.push(parts.join(''));
    usage.push({ name: node.name, classes: node.classes, applications: node.applications });
  }
  return { texts, usage };
}

/** Nodes per run of entries: big enough that a write or a message per run costs nothing,
 * small enough that the two threads of parallel.ts finish close together. */
export const NODES_PER_RUN = 25;

/**
 * Below this many nodes a second thread (parallel.ts) costs more than it saves (measured in
 * docs/performance.md, "Two threads"): starting it, loading the code, parsing the class
 * files and warming up once more cost CPU and tens of MB, and on a 2-vCPU machine its
 * optimising compiler and collector take the second core from this thread's own. Below
 * it, Node's worker modules are not even loaded.
 */
export const MIN_NODES_FOR_WORKER = 2000;

export const INVENTORY_HEAD = '{\n  "__reclass__": {},\n  "nodes": {';

/** The end of the document: the class and application maps, after `count` nodes. */
export function inventoryTail(count: number, usage: UsageIndex): string {
  return (
    (count > 0 ? '\n  }' : '}') +
    `,\n  "classes": ${pythonJsonAt(usage.classes, 1)}` +
    `,\n  "applications": ${pythonJsonAt(usage.applications, 1)}\n}\n`
  );
}

/** `inventory --format json` on one thread, streamed a run of nodes at a time. */
export async function streamInventoryJson(
  inv: Inventory,
  out: (chunk: string) => Promise<void> | void,
  names: string[] = inv.nodeNames(),
): Promise<void> {
  const usage = new UsageIndex();
  const writer = entryWriter(inv);
  await out(INVENTORY_HEAD);
  for (let from = 0; from < names.length; from += NODES_PER_RUN) {
    const entries = nodeEntries(inv, writer, names, from, Math.min(from + NODES_PER_RUN, names.length));
    entries.usage.forEach((u) => usage.add(u));
    for (const text of entries.texts) await out(text);
  }
  await out(inventoryTail(names.length, usage));
}
