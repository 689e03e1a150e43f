/** `format: 'markdown'`: the same content as the HTML site, for a git wiki, SVGs beside pages. */
import { posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDocs } from '../../src/docs/index.js';
import { mdCode, mdFence, mdText } from '../../src/docs/markdown.js';
import { openInventory } from '../../src/index.js';
import { LAB, read, relativeFiles, removeDir, tempDir, textOf } from './helpers.js';

let out: string;
let files: string[];

beforeAll(async () => {
  out = tempDir();
  files = relativeFiles(out, await generateDocs(await openInventory(LAB), out, { format: 'markdown' }));
});
afterAll(() => removeDir(out));

describe('docs as markdown', () => {
  it('writes .md pages and one .svg per node, an invalid network drawn too', () => {
    expect(files.filter((f) => f.endsWith('.svg'))).toEqual([
      'nodes/bad01.lab.local.svg',
      'nodes/cmp01.lab.local.svg',
      'nodes/ctl01.lab.local.svg',
    ]);
    expect(files).toContain('index.md');
    expect(files).toContain('classes.md');
    expect(files).toContain('nodes/bad01.lab.local.md');
    expect(files).toContain('classes/system.linux.network.ovs.md');
    expect(files.every((f) => f.endsWith('.md') || f.endsWith('.svg'))).toBe(true);
  });

  it('links the picture and every page relative to the page, all of them existing', () => {
    const generated = new Set(files);
    for (const page of files.filter((f) => f.endsWith('.md'))) {
      for (const [, target] of read(out, page).matchAll(/\]\(([^)]+)\)/g)) {
        expect(generated.has(posix.normalize(posix.join(posix.dirname(page), target))), `${page} -> ${target}`).toBe(
          true,
        );
      }
    }
    expect(read(out, 'nodes/cmp01.lab.local.md')).toContain('![topology of cmp01.lab.local](cmp01.lab.local.svg)');
  });

  it('has the same content: class tree, interfaces with provenance, topology labels', () => {
    const page = read(out, 'nodes/cmp01.lab.local.md');
    expect(page).toContain('| 4 | [cluster.lab.compute](../classes/cluster.lab.compute.md) | the node itself |');
    expect(page).toContain(
      '| 1 | [system.linux.network.defaults](../classes/system.linux.network.defaults.md) | [cluster.lab.compute](../classes/cluster.lab.compute.md) → [system.linux.network.ovs](../classes/system.linux.network.ovs.md) |',
    );
    const eth1 = page.split('\n').find((l) => l.startsWith('| **eth1**'))!;
    const text = textOf(eth1);
    expect(text).toContain(
      'set ${_param:data_mtu} by system.linux.network.ovs at classes/system/linux/network/ovs.yml:20:16',
    );
    expect(text).toContain('override 9000 by cluster.lab at classes/cluster/lab/init.yml:4:15');
    const svg = read(out, 'nodes/cmp01.lab.local.svg');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    for (const name of ['eth0', 'eth1', 'br-data', 'br-ex', 'data-to-ex', 'ex-to-data']) {
      expect(textOf(svg)).toContain(name);
    }
  });

  it('shows class parameters in a fence and escapes markup', () => {
    const cls = read(out, 'classes/cluster.lab.md');
    expect(cls).toContain('```yaml\n_param:\n');
    expect(read(out, 'nodes/bad01.lab.local.md')).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
  });

  it('escapes text, code and fences', () => {
    expect(mdText('a|b *c* [d](e) <x>')).toBe('a\\|b \\*c\\* \\[d\\]\\(e\\) &lt;x&gt;');
    expect(mdCode('a|b_c <x>')).toBe('<code>a&#124;b&#95;c &lt;x&gt;</code>');
    expect(mdFence('x ``` y\n')).toBe('````\nx ``` y\n````');
  });
});
