/**
 * The tree index: names and pathnames as reclass gives them, names in os.walk's order, and
 * the cases where the order of a directory's entries changes what reclass finds, checked
 * against Python's os.walk and reclass 1.7 itself.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { className, composedNodeName, MAX_DIRECTORIES, nodeName, TreeIndex } from '../../src/inventory/tree-index.js';
import { compareOutcome, reclassAvailable, runNet, runOracleCli } from '../differential/runner.js';
import { removeDir, runCli, tempDir, writeTree } from '../hardening/helpers.js';

const scratch = tempDir('reclass-net-tree-');
afterAll(() => removeDir(scratch));

let trees = 0;
const tree = (files: Record<string, string>): string => writeTree(join(scratch, `t${trees++}`), files);

/** Every file under `root` in the order Python's os.walk(root, followlinks=True) yields it. */
function pythonWalkOrder(root: string): string[] {
  const script = [
    'import json, os, sys',
    'out = []',
    'for d, _, files in os.walk(sys.argv[1], followlinks=True):',
    '    out.extend(os.path.join(d, f) for f in files)',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, root], { encoding: 'utf8' })) as string[];
}

describe('TreeIndex', () => {
  it('names classes and nodes as reclass does, with their pathnames', () => {
    const classes = tree({
      'a/init.yml': '',
      'a/b.yml': '',
      'a/c/d.yaml': '',
      'top.yml': '',
      'init.yml': '',
      'notes.txt': '',
    });
    const idx = new TreeIndex([{ dir: classes, mangle: className(null) }], 'class');
    expect(idx.names().sort()).toEqual(['a', 'a.b', 'a.c.d', 'init', 'top']);
    expect(idx.get('a.c.d')).toEqual({ file: join(classes, 'a/c/d.yaml'), pathname: 'a/c/d' });
    // reclass's class mangler drops the top directory '.', its plain node mangler keeps it.
    expect(idx.get('top')).toEqual({ file: join(classes, 'top.yml'), pathname: 'top' });
    const prefixed = new TreeIndex([{ dir: classes, mangle: className('salt') }], 'class');
    expect(prefixed.has('salt.a.b') && prefixed.has('salt.a') && prefixed.has('salt.top')).toBe(true);

    const nodes = tree({ 'lab/cmp01.yml': '', '_hidden/x.yml': '', 'ctl01.yml': '' });
    expect(new TreeIndex([{ dir: nodes, mangle: nodeName }], 'node').names().sort()).toEqual(['cmp01', 'ctl01', 'x']);
    expect(new TreeIndex([{ dir: nodes, mangle: composedNodeName }], 'node').names().sort()).toEqual([
      'ctl01',
      'lab.cmp01',
      'x',
    ]);
    const plain = new TreeIndex([{ dir: nodes, mangle: nodeName }], 'node');
    const composed = new TreeIndex([{ dir: nodes, mangle: composedNodeName }], 'node');
    expect([plain.get('ctl01')?.pathname, plain.get('cmp01')?.pathname]).toEqual(['./ctl01', 'lab/cmp01']);
    expect([composed.get('ctl01')?.pathname, composed.get('lab.cmp01')?.pathname]).toEqual(['ctl01', 'lab/cmp01']);
    expect(composed.get('x')?.pathname).toBe('_hidden/x');
  });

  it("takes the extension off as Python's splitext does, and walks directories named like files", () => {
    const classes = tree({
      '.yml': '',
      '..yaml': '',
      'b.c.yaml': '',
      'd.yml/init.yaml': '',
      'd.yml/e.yml': '',
      'sub/init.yml': '',
      'notes.yml.txt': '',
    });
    symlinkSync('sub', join(classes, 'link.yml'));
    const idx = new TreeIndex([{ dir: classes, mangle: className('p') }], 'class');
    expect(idx.names().sort()).toEqual(['p...yaml', 'p..yml', 'p.b.c', 'p.d.yml', 'p.d.yml.e', 'p.link.yml', 'p.sub']);
    expect(idx.get('p..yml')).toEqual({ file: join(classes, '.yml'), pathname: '.yml' });
    expect(idx.get('p.d.yml')).toEqual({ file: join(classes, 'd.yml/init.yaml'), pathname: 'd.yml/init' });
    expect(idx.get('p.link.yml')).toEqual({ file: join(classes, 'link.yml/init.yml'), pathname: 'link.yml/init' });
  });

  it('composes node names of every directory but below a top directory starting with _', () => {
    const nodes = tree({ 'lab/rack/c.yml': '', 'lab/init.yml': '', '_x/deep/y.yml': '', 'a/_b/z.yml': '' });
    const composed = new TreeIndex([{ dir: nodes, mangle: composedNodeName }], 'node');
    expect(composed.names().sort()).toEqual(['a._b.z', 'lab.init', 'lab.rack.c', 'y']);
    expect(composed.get('y')).toEqual({ file: join(nodes, '_x/deep/y.yml'), pathname: '_x/deep/y' });
  });

  it("lists names in os.walk's order, which is not sorted", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`${i % 3 ? 'sub/' : ''}n${(i * 37) % 100}.yml`] = '';
    const nodes = tree(files);
    const idx = new TreeIndex([{ dir: nodes, mangle: nodeName }], 'node');
    const expected = pythonWalkOrder(nodes).map((f) => f.slice(f.lastIndexOf('/') + 1, -'.yml'.length));
    expect(idx.names()).toEqual(expected);
    expect(idx.filter((n) => n.startsWith('n1'))).toEqual(expected.filter((n) => n.startsWith('n1')));
  });

  it('reports the first name defined twice, with its definitions in walk order', () => {
    // Ten names each defined twice, in sibling directories: which one the walk meets first,
    // and which of its two files first, is up to the directory order.
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) {
      files[`a${i}/b.yml`] = '';
      files[`a${i}.b/init.yml`] = '';
    }
    const classes = tree(files);
    const walked = pythonWalkOrder(classes);
    const nameOf = (f: string) =>
      f
        .slice(classes.length + 1)
        .replace(/(\/init)?\.yml$/, '')
        .replaceAll('/', '.');
    const second = walked.find((f, i) => walked.slice(0, i).some((g) => nameOf(g) === nameOf(f)))!;
    const first = walked.find((g) => nameOf(g) === nameOf(second))!;
    expect(() => new TreeIndex([{ dir: classes, mangle: className(null) }], 'class')).toThrow(
      expect.objectContaining({
        message: expect.stringContaining(`in '${second}' collides with the definition in '${first}'`) as unknown,
      }),
    );
  });
});

describe.skipIf(!reclassAvailable())('trees whose entry order matters, against reclass 1.7', () => {
  it('skips hidden and VCS directories exactly as reclass does, two or more to a directory', async () => {
    const files: Record<string, string> = {
      'nodes/n1.yml': 'classes: [base]\n',
      'classes/base.yml': 'parameters: {base: true}\n',
    };
    const names = ['CVS', 'SCCS', '.git', '.svn', 'plain', 'other'];
    const found: string[] = [];
    for (const dir of names) {
      for (const sub of ['', 'CVS/', 'deeper/']) {
        const name = `${dir}.${sub.replace('/', '.')}k`.replace('..', '.');
        files[`classes/${dir}/${sub}k.yml`] = `parameters:\n  seen:\n    - ${JSON.stringify(name)}\n`;
        if (!dir.startsWith('.')) found.push(`${dir}.${sub.replace('/', '.')}k`);
      }
    }
    // Classes under hidden directories cannot be named (a leading dot is a relative name).
    files['nodes/n1.yml'] = `classes: [base, ${found.join(', ')}]\nparameters: {}\n`;
    files['reclass-config.yml'] = 'ignore_class_notfound: true\nignore_class_notfound_warning: false\n';
    const inv = tree(files);
    const oracle = await runOracleCli(inv, ['inventory']);
    const net = await runNet(inv, ['inventory']);
    expect(oracle.rc, oracle.stderr).toBe(0);
    expect(compareOutcome(['inventory'], oracle, net)).toEqual([]);
  });

  it('names files whose name is dots before the extension as reclass does', async () => {
    const inv = tree({
      'nodes/n1.yml': 'classes: [base]\n',
      'nodes/..yml': 'classes: [base]\n',
      'nodes/..yaml': 'classes: [base]\n',
      'nodes/sub/...yml': 'classes: [base]\n',
      'classes/base.yml': 'parameters: {base: true}\n',
    });
    const oracle = await runOracleCli(inv, ['inventory']);
    const net = await runNet(inv, ['inventory']);
    expect(oracle.rc, oracle.stderr).toBe(0);
    expect(compareOutcome(['inventory'], oracle, net)).toEqual([]);
  });

  it.each([
    [
      'two links to one directory',
      (inv: string) => {
        symlinkSync('a', join(inv, 'classes/b'));
        symlinkSync(join(inv, 'classes/a'), join(inv, 'classes/c'));
        return ['a.x', 'b.x', 'c.x'];
      },
    ],
    [
      'a link to an ancestor, followed until the kernel refuses',
      (inv: string) => {
        symlinkSync('..', join(inv, 'classes/a/up'));
        const deep = Array.from({ length: 39 }, () => 'a.up').join('.');
        return ['a.x', 'a.up.a.x', `${deep}.a.x`, `${deep}.a.up.a.x`];
      },
    ],
  ])('follows symlinks as os.walk does: %s', async (_what, link) => {
    const inv = tree({ 'classes/a/x.yml': 'parameters:\n  seen: [x]\n', 'classes/base.yml': 'parameters: {}\n' });
    const classes = ['base', ...link(inv)];
    writeFileSync(
      join(inv, 'reclass-config.yml'),
      'ignore_class_notfound: true\nignore_class_notfound_warning: false\n',
    );
    mkdirSync(join(inv, 'nodes'));
    writeFileSync(join(inv, 'nodes/n1.yml'), `classes:\n${classes.map((c) => `  - ${c}\n`).join('')}`);
    const oracle = await runOracleCli(inv, ['node', 'n1']);
    const net = await runNet(inv, ['node', 'n1']);
    expect(oracle.rc, oracle.stderr).toBe(0);
    expect(compareOutcome(['node', 'n1'], oracle, net)).toEqual([]);
    // Every name resolved: the walk reached as deep as reclass's.
    expect((JSON.parse(net.stdout) as { parameters: { seen: unknown[] } }).parameters.seen).toHaveLength(
      classes.length - 1,
    );
  });
});

describe('a tree that symlinks make endless', () => {
  it('is an error naming the tree, not a walk that never ends', () => {
    const inv = tree({ 'nodes/n1.yml': 'classes: [a.x]\n', 'classes/a/x.yml': '' });
    symlinkSync('..', join(inv, 'classes/a/up1'));
    symlinkSync('..', join(inv, 'classes/a/up2'));
    const r = runCli(['node', 'n1', '--inventory', inv], { timeoutMs: 60_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^reclass-net: SymlinkLoop: more than ${MAX_DIRECTORIES} directories under ${join(inv, 'classes')}`),
    );
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
