/**
 * Hardening issue, item 6, for the docs: a valid interface name that looks like a URL
 * (`javascript:1`) is shown as text, never refused and never a link target; node names that
 * differ only in unsafe characters or in case get pages of their own.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDocs } from '../../src/docs/index.js';
import { allocateStems, pageLayout } from '../../src/docs/paths.js';
import { openInventory } from '../../src/index.js';
import { links, read, relativeFiles, removeDir, tempDir, textOf } from './helpers.js';

const NODE = (iface: string, address: string) =>
  `parameters:\n  linux:\n    network:\n      interface:\n        "${iface}":\n          type: eth\n          proto: static\n          address: ${address}\n          netmask: 255.255.255.0\n`;

/** Node names as their files spell them: same letters in another case, unsafe characters. */
const NODES: Record<string, string> = {
  'web01.yml': NODE('eth0', '10.1.0.1'),
  'WEB01.yml': NODE('eth0', '10.1.0.2'),
  'a b.yml': NODE('eth0', '10.1.0.3'),
  'a_b.yml': NODE('eth0', '10.1.0.4'),
  'a?b.yml': NODE('eth0', '10.1.0.5'),
  'js.yml': NODE('javascript:1', '10.1.0.6'),
};

let dir: string;
let out: string;
let files: string[];

beforeAll(async () => {
  dir = tempDir();
  mkdirSync(join(dir, 'nodes'));
  mkdirSync(join(dir, 'classes'));
  for (const [file, text] of Object.entries(NODES)) writeFileSync(join(dir, 'nodes', file), text);
  out = join(dir, 'site');
  files = relativeFiles(out, await generateDocs(await openInventory(dir), out, { format: 'html' }));
});
afterAll(() => removeDir(dir));

describe('docs of hostile names', () => {
  it('gives every node its own page, also where names differ only in case or unsafe characters', () => {
    const pages = files.filter((f) => f.startsWith('nodes/'));
    expect(pages).toHaveLength(Object.keys(NODES).length);
    expect(new Set(pages.map((p) => p.toLowerCase())).size).toBe(pages.length);
    for (const file of Object.keys(NODES)) {
      const name = file.replace(/\.yml$/, '');
      const page = pages.find((p) => textOf(/<h1>([\s\S]*?)<\/h1>/.exec(read(out, p))![1]).trim() === `Node ${name}`);
      expect(page, name).toBeDefined();
    }
  });

  it('shows the interface javascript:1 as text, never as a link target', () => {
    const page = files.find((f) => f.startsWith('nodes/js'))!;
    const html = read(out, page);
    expect(textOf(html)).toContain('javascript:1');
    for (const f of files.filter((f) => f.endsWith('.html'))) {
      for (const href of links(read(out, f))) expect(href, f).not.toMatch(/^\s*javascript:/i);
    }
    expect(read(out, 'search-index.js')).toContain('javascript:1'); // searchable, as data
  });

  it('allocates stems uniquely and case-insensitively, whatever the order of the names', () => {
    const names = [
      'CMP01',
      'cmp01',
      'a b',
      'a_b',
      `a_b-${allocateStems(['a b']).get('a b')!.split('-').pop()}`,
      '..',
      'x',
    ];
    const stems = allocateStems(names);
    const lower = [...stems.values()].map((s) => s.toLowerCase());
    expect(new Set(lower).size).toBe(names.length);
    expect(stems.get('a_b')).toBe('a_b'); // a safe name keeps its own stem
    expect(allocateStems([...names].reverse())).toEqual(stems);
    for (const s of stems.values()) expect(s).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
    const layout = pageLayout('html', { nodes: names });
    expect(new Set(names.map((n) => layout.node(n).toLowerCase())).size).toBe(names.length);
  });
});
