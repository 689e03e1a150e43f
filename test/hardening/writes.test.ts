/**
 * Issue 16, items 2 and 3: commands that write go through one writer. A planted link is
 * never written through, and a refused target refuses the whole command before anything
 * is written: render --out and generate-nodes write everything they were asked to, or nothing.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectBoundedFailure, listFiles, removeDir, runCli, runMeasured, tempDir, writeTree } from './helpers.js';

let scratch: string;
beforeAll(() => {
  scratch = tempDir();
});
afterAll(() => removeDir(scratch));

/** Two cfg nodes, each declaring one generated node. */
function generatingInventory(name: string): string {
  const storage = (node: string) =>
    `parameters:\n  reclass:\n    storage:\n      node:\n        ${node}:\n          name: ${node}\n          domain: lab.local\n          classes: [c]\n`;
  return writeTree(join(scratch, name), {
    'classes/c.yml': 'parameters: {}\n',
    'nodes/cfg01.yml': storage('aaa'),
    'nodes/cfg02.yml': storage('bbb'),
  });
}

describe('generate-nodes never writes through a link', () => {
  it('ignores a link planted at NAME.yml.tmp: the temporary names are random and exclusive', () => {
    const inv = generatingInventory('tmp-link');
    const victim = join(scratch, 'victim-tmp');
    writeFileSync(victim, 'precious');
    mkdirSync(join(inv, 'nodes/_generated'));
    for (const n of ['aaa', 'bbb']) symlinkSync(victim, join(inv, `nodes/_generated/${n}.lab.local.yml.tmp`));
    const r = runCli(['generate-nodes', '--inventory', inv]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readFileSync(join(inv, 'nodes/_generated/bbb.lab.local.yml'), 'utf8')).toContain('name: bbb');
  });

  it('refuses a symlinked _generated/ and writes nothing', () => {
    const inv = generatingInventory('dir-link');
    const elsewhere = join(scratch, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(inv, 'nodes/_generated'));
    const before = listFiles(join(inv, 'nodes'));
    const r = runMeasured(['generate-nodes', '--inventory', inv]);
    expectBoundedFailure(r, { code: 1, kind: 'OutputError', contains: ['symlink', join(inv, 'nodes/_generated')] });
    expect(listFiles(elsewhere)).toEqual([]);
    expect(listFiles(join(inv, 'nodes'))).toEqual(before);
  });

  it("refuses the second cfg node's target before writing the first one's", () => {
    const inv = generatingInventory('second-refused');
    const victim = join(scratch, 'victim-second');
    writeFileSync(victim, 'precious');
    mkdirSync(join(inv, 'nodes/_generated'));
    symlinkSync(victim, join(inv, 'nodes/_generated/bbb.lab.local.yml'));
    const r = runMeasured(['generate-nodes', '--inventory', inv]);
    expectBoundedFailure(r, { code: 1, kind: 'OutputError', contains: ['bbb.lab.local.yml'] });
    expect(existsSync(join(inv, 'nodes/_generated/aaa.lab.local.yml'))).toBe(false);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });
});

describe('render --out writes both files or neither', () => {
  it('refuses an OVS script target that is a directory before writing the interfaces file', () => {
    const out = join(scratch, 'render-out');
    const nodeDir = join(out, 'cmp01.mcp-lab.local');
    writeTree(nodeDir, { 'etc/network/interfaces': 'old interfaces\n' });
    mkdirSync(join(nodeDir, 'ovs-setup.sh'));
    const r = runMeasured(['render', 'cmp01', '--out', out]);
    expectBoundedFailure(r, { code: 1, kind: 'OutputError', contains: [join(nodeDir, 'ovs-setup.sh')] });
    expect(readFileSync(join(nodeDir, 'etc/network/interfaces'), 'utf8')).toBe('old interfaces\n');
    expect(listFiles(out)).toEqual(['cmp01.mcp-lab.local/etc/network/interfaces']);
  });
});
