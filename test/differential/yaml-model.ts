/**
 * A tiny YAML document model whose scalars are raw YAML text, so that the generator controls
 * the exact spelling reclass sees (`yes`, `010`, `'010'`, `1.0`, `~`, `${a:b}`), and a
 * renderer to block-style YAML. Mappings are entry lists, so duplicate keys can be written.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export type YNode =
  | { t: 'scalar'; text: string }
  | { t: 'block'; indicator: '|' | '|-' | '>'; lines: string[] }
  | { t: 'map'; entries: Array<[string, YNode]> }
  | { t: 'list'; items: YNode[] };

export const sc = (text: string): YNode => ({ t: 'scalar', text });
export const map = (entries: Array<[string, YNode]>): YNode => ({ t: 'map', entries });
export const list = (items: YNode[]): YNode => ({ t: 'list', items });

/** A file of the inventory: a YAML document (null: an empty file). */
export interface GenFile {
  path: string;
  doc: YNode | null;
}

export interface GenNode {
  name: string;
  file: string;
}

export interface GenInventory {
  files: GenFile[];
  /** Nodes as reclass names them (after compose_node_name), with the file defining each. */
  nodes: GenNode[];
  /** Node names requested that have no file (NodeNotFound). */
  missingNodes: string[];
  /** Generator features used, for the coverage summary. */
  features: string[];
}

function pad(n: number): string {
  return ' '.repeat(n);
}

function renderEntries(entries: Array<[string, YNode]>, indent: number, out: string[]): void {
  for (const [key, value] of entries) {
    const head = `${pad(indent)}${key}:`;
    switch (value.t) {
      case 'scalar':
        out.push(value.text === '' ? head : `${head} ${value.text}`);
        break;
      case 'block':
        out.push(`${head} ${value.indicator}`);
        for (const l of value.lines) out.push(l === '' ? '' : `${pad(indent + 2)}${l}`);
        break;
      case 'map':
        if (value.entries.length === 0) out.push(`${head} {}`);
        else {
          out.push(head);
          renderEntries(value.entries, indent + 2, out);
        }
        break;
      case 'list':
        if (value.items.length === 0) out.push(`${head} []`);
        else {
          out.push(head);
          renderItems(value.items, indent + 2, out);
        }
        break;
    }
  }
}

function renderItems(items: YNode[], indent: number, out: string[]): void {
  for (const item of items) {
    const dash = `${pad(indent)}- `;
    switch (item.t) {
      case 'scalar':
        out.push(item.text === '' ? `${pad(indent)}-` : `${dash}${item.text}`);
        break;
      case 'block':
        out.push(`${dash}${item.indicator}`);
        for (const l of item.lines) out.push(l === '' ? '' : `${pad(indent + 2)}${l}`);
        break;
      case 'map':
      case 'list': {
        const empty = item.t === 'map' ? item.entries.length === 0 : item.items.length === 0;
        if (empty) {
          out.push(`${dash}${item.t === 'map' ? '{}' : '[]'}`);
          break;
        }
        const sub: string[] = [];
        if (item.t === 'map') renderEntries(item.entries, indent + 2, sub);
        else renderItems(item.items, indent + 2, sub);
        sub[0] = dash + sub[0].slice(indent + 2);
        out.push(...sub);
        break;
      }
    }
  }
}

export function renderYaml(doc: YNode | null): string {
  if (doc === null) return '';
  const out: string[] = [];
  switch (doc.t) {
    case 'map':
      if (doc.entries.length === 0) return '{}\n';
      renderEntries(doc.entries, 0, out);
      break;
    case 'list':
      renderItems(doc.items, 0, out);
      break;
    case 'scalar':
      out.push(doc.text);
      break;
    case 'block':
      out.push(doc.indicator, ...doc.lines.map((l) => `  ${l}`));
      break;
  }
  return `${out.join('\n')}\n`;
}

export async function writeInventory(inv: GenInventory, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const f of inv.files) {
    const p = join(dir, f.path);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, renderYaml(f.doc));
  }
}

/** The whole inventory as one text: every file's path and content (for reports). */
export function describeInventory(inv: GenInventory): string {
  return inv.files
    .map((f) => {
      const body = renderYaml(f.doc);
      return `# ${f.path}\n${body === '' ? '# (empty file)\n' : body}`;
    })
    .join('\n');
}
