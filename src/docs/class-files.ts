/**
 * The class files as written (not resolved): their `classes:`, `applications:` and
 * `parameters:`, read once per site, and the real chain that pulled each class into a node.
 */
import { readFile } from 'node:fs/promises';
import type { Inventory } from '../api/inventory.js';
import { toPlain } from '../inventory/plain.js';
import { loadYaml } from '../inventory/yaml.js';
import type { ClassSource, Value } from '../types.js';

/** One class file's own content. */
export interface ClassFile {
  /** Absolute file, or '' when the inventory has no file for the class. */
  file: string;
  includes: string[];
  applications: string[];
  /** `parameters:` as written, references not interpolated; undefined when none. */
  parameters: Value | undefined;
  /** Why the file could not be read, if it could not. */
  problem: string;
}

function get(value: Value | undefined, key: string): Value | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
}

function stringList(value: Value | undefined): string[] {
  return Array.isArray(value) ? value.filter((v) => v !== null).map(String) : [];
}

/** Reads the file of each class in `names`, once each. */
export async function readClassFiles(inv: Inventory, names: Iterable<string>): Promise<Map<string, ClassFile>> {
  const out = new Map<string, ClassFile>();
  for (const name of names) {
    if (out.has(name)) continue;
    const file = inv.classFile(name);
    const entry: ClassFile = { file: file ?? '', includes: [], applications: [], parameters: undefined, problem: '' };
    out.set(name, entry);
    if (!file) {
      entry.problem = 'the class has no file in this inventory (a node names it, and ignore_class_notfound skipped it)';
      continue;
    }
    try {
      const data = toPlain(loadYaml(await readFile(file, 'utf8'), file, inv.settings.limits));
      entry.includes = stringList(get(data, 'classes'));
      entry.applications = stringList(get(data, 'applications'));
      const parameters = get(data, 'parameters');
      entry.parameters = parameters === null ? undefined : parameters;
    } catch (e) {
      entry.problem = `the class file cannot be read: ${(e as Error).message}`;
    }
  }
  return out;
}

/** A `classes:` entry as reclass 1.7 reads it in class `includer`: `.x` is relative to its package. */
function absoluteName(entry: string, includer: string): string {
  if (!entry.startsWith('.')) return entry;
  const dots = entry.length - entry.replace(/^\.+/, '').length;
  const parts = includer.split('.');
  return [...parts.slice(0, Math.max(0, parts.length - dots)), entry.slice(dots)].filter(Boolean).join('.');
}

/**
 * The class tree with the chain of every class filled in. The resolver leaves the chain of a
 * class it could not find (ignore_class_notfound) empty, as if the node named it; the class
 * that names it is found here in the class files. The tree is in resolution order, so a
 * class's includer comes after it: the nearest following class that names it is the one.
 * A missing class has no file and includes nothing, so every includer's own chain is right.
 */
export function withRealChains(
  tree: readonly ClassSource[],
  files: ReadonlyMap<string, ClassFile>,
  nodeClasses: readonly string[],
): ClassSource[] {
  const own = new Set(nodeClasses);
  const names = (c: ClassSource) => (files.get(c.name)?.includes ?? []).map((i) => absoluteName(i, c.name));
  return tree.map((entry, index) => {
    if (entry.via.length > 0 || own.has(entry.name)) return entry;
    const includes = (c: ClassSource) => names(c).includes(entry.name);
    const includer = tree.slice(index + 1).find(includes) ?? tree.slice(0, index).find(includes);
    return includer ? { ...entry, via: [...includer.via, includer.name] } : entry;
  });
}
