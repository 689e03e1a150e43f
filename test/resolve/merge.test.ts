// reclass 1.7's merge and interpolation rules, on a small real inventory
// (test/fixtures/merge): classes depth-first, each once, the node last.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openInventory } from '../../src/index.js';

/** A resolved document as the assertions walk it; toEqual checks what is really there. */
interface Tree {
  readonly [key: string]: Tree;
}

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

describe('merging classes', async () => {
  const inv = await openInventory(fixture('merge'));
  const n1 = await inv.node('n1');
  const p = n1.parameters as Tree;

  it("lists classes as reclass does: each entity's list joins after its includes", () => {
    // app's descent (common, app.web), then cluster.lab's (system.base.net), then the
    // node's own list (app, cluster.lab): verified against reclass 1.7.
    expect(n1.classes).toEqual(['common', 'app.web', 'system.base.net', 'app', 'cluster.lab']);
  });

  it('appends lists in class order, the node last', () => {
    expect(p.order).toEqual(['common', 'web', 'app', 'node']);
  });

  it('lets later scalars win', () => {
    expect(p.scalar).toBe('from-node');
  });

  it('merges dicts key by key, deeply', () => {
    expect(p.nested).toEqual({ a: 1, b: { x: 1, y: 2 }, c: 3 });
  });

  it('replaces instead of merging under a ~ key, dropping the prefix', () => {
    expect(p.replaced).toEqual({ new: true });
  });

  it('keeps a = constant against later plain values', () => {
    expect(p.fixed).toBe('constant');
  });

  it('removes applications with ~ and keeps the rest in order', () => {
    expect(n1.applications).toEqual(['linux', 'nginx']);
  });

  it('reads YAML 1.1 scalars as PyYAML does', () => {
    expect(p.yaml11).toEqual([true, true, false, 8, 31, '1e3', 1, 1000, 'yes', null]);
  });

  it('interpolates references against the final merged values', () => {
    expect(p.net.mtu).toBe(9000); // whole-value reference keeps the type
    expect(p.net.label).toBe('mtu=9000');
    expect(p.net.fqdn).toBe('n1.example.net');
    expect(p.net.copy).toEqual({ a: 1, b: { x: 1, y: 2 }, c: 3 });
    expect(p.net.pick).toBe(3); // ${nested:${_param:which}}
  });

  it('honours escapes: \\${ is literal, \\\\${ is a backslash then a reference', () => {
    expect(p.net.literal).toBe('${not:a:ref}');
    expect(p.net.escaped).toBe('\\9000');
  });

  it('sets the automatic _reclass_ parameters', () => {
    expect(p._reclass_).toEqual({ name: { full: 'n1.example.net', short: 'n1' }, environment: 'base' });
  });

  it('accepts an unambiguous short node name', () => {
    expect(n1.name).toBe('n1.example.net');
  });

  it('fails a node that changes a constant, naming the kind, node and file', async () => {
    await expect(inv.node('n2')).rejects.toMatchObject({
      kind: 'ChangedConstantError',
      context: { node: 'n2.example.net' },
    });
  });

  it('records where a value came from', () => {
    const steps = n1.provenance(['net', 'mtu']);
    expect(steps[0]).toMatchObject({ kind: 'set', source: 'system.base.net', location: { line: 3 } });
    expect(steps[1]).toMatchObject({ kind: 'reference', reference: '_param:mtu' });
    expect(steps.slice(2).map((s) => [s.kind, s.source, s.location?.line])).toEqual([
      ['set', 'common', 4],
      ['override', 'cluster.lab', 4],
    ]);
  });
});

describe('keys that are not strings', () => {
  it('are text as str() writes it in merged dicts, as json.dumps writes it elsewhere', async () => {
    const inv = await openInventory(fixture('merge'));
    const p = (await inv.node('n3')).parameters as Tree;
    expect(p.merged).toEqual({ True: 1, None: 2 });
    expect(p.listed).toEqual([{ true: 1, null: 2 }]);
    expect(p.replaced).toEqual({ true: 1 });
  });
});

describe('class include cycles', () => {
  it('are a clean ClassCycle error where reclass overflows its stack', async () => {
    const inv = await openInventory(fixture('cycle'));
    await expect(inv.node('n')).rejects.toMatchObject({
      kind: 'ClassCycle',
      message: expect.stringMatching(/a -> b -> a/) as unknown,
    });
  });
});
