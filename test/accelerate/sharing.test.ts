// Merging that shares containers (src/accelerate/sharing.ts) against reclass's copying
// (src/resolve/copying.ts): the same trees, the same rendering, and nothing a node merges
// reaching the class it was lent or another node. That whole inventories resolve alike
// either way is equality.test.ts's part.
import { describe, expect, it } from 'vitest';
import { ContainerSharing, SharedDict } from '../../src/accelerate/sharing.js';
import { pythonJson } from '../../src/cli/output.js';
import { COPYING } from '../../src/resolve/copying.js';
import type { TreeSharing } from '../../src/resolve/hooks.js';
import { Parameters } from '../../src/resolve/parameters.js';
import { PyKey } from '../../src/resolve/pyvalue.js';
import { makeSettings } from '../../src/resolve/settings.js';
import { ValueList } from '../../src/resolve/values.js';

const settings = makeSettings({});
const origin = { entity: 'test', file: 'test.yml' };

const dict = (entries: Array<[unknown, unknown]>) => new Map(entries as Array<[string, unknown]>);

/** A class setting what merging treats specially: prefixes, a key twice, typed keys. */
function classMapping(): Map<string, unknown> {
  return dict([
    [
      'role',
      dict([
        ['name', 'web'],
        ['ports', [80, 443]],
        ['greeting', 'hello ${node:name}'],
      ]),
    ],
    [
      'static',
      dict([
        ['a', 1],
        [new PyKey(true), 'typed key'],
        [new PyKey(2), 'number key'],
      ]),
    ],
    ['~replaced', dict([['old', 1]])],
    ['~~twice', 'prefix kept one merge longer'],
    ['=fixed', 'constant'],
    ['listed', dict([['items', ['x']]])],
  ]);
}

/** A node: the class merged twice over (two descents listing it), then its own values. */
function nodeOf(trees: TreeSharing, klass: Parameters, name: string): Parameters {
  const node = new Parameters(null, settings, origin, trees);
  node.merge(klass);
  node.merge(
    dict([
      ['node', dict([['name', name]])],
      [
        'role',
        dict([
          ['name', `web-${name}`],
          ['extra', name],
        ]),
      ],
      ['listed', dict([['items', [name]]])],
      ['replaced', dict([['new', name]])],
    ]),
  );
  return node;
}

function rendered(node: Parameters): string {
  node.initialiseInterpolation();
  node.interpolate(null);
  return pythonJson(node.asDict());
}

describe('ContainerSharing', () => {
  it('merges and renders what copying merges and renders, node after node', () => {
    const sharing = new ContainerSharing();
    const sharedClass = new Parameters(classMapping(), settings, origin, sharing);
    const copiedClass = new Parameters(classMapping(), settings, origin, COPYING);
    for (const name of ['n1', 'n2', 'n3']) {
      const expected = rendered(nodeOf(COPYING, copiedClass, name));
      expect(rendered(nodeOf(sharing, sharedClass, name))).toBe(expected);
      expect(expected).toContain(`"greeting": "hello ${name}"`);
    }
  });

  it('shares what a node leaves alone and copies, once, what it changes', () => {
    const sharing = new ContainerSharing();
    const klass = new Parameters(classMapping(), settings, origin, sharing);
    const classRole = klass.base.get('role') as Map<string, unknown>;
    const className = classRole.get('name');
    const n1 = nodeOf(sharing, klass, 'n1');
    const n2 = nodeOf(sharing, klass, 'n2');
    expect(n1.base.get('static')).toBe(klass.base.get('static'));
    expect(n2.base.get('static')).toBe(klass.base.get('static'));
    expect(n1.tree.isFrozen(n1.base.get('static'))).toBe(true);

    const role = n1.base.get('role') as SharedDict;
    expect(role).toBeInstanceOf(SharedDict);
    expect(role.source).toBe(classRole);
    expect([...(role.changed ?? [])]).toEqual(['name', 'extra']);
    expect(n1.tree.isFrozen(role)).toBe(false);
    expect(n2.tree.isFrozen(role)).toBe(true);
    // The class's dict is as it was, and each node has its own copy.
    expect(classRole.get('name')).toBe(className);
    expect(classRole.has('extra')).toBe(false);
    expect(n2.base.get('role')).not.toBe(role);

    // Copying shares no container.
    const copied = nodeOf(COPYING, new Parameters(classMapping(), settings, origin, COPYING), 'n1');
    expect(copied.tree.isFrozen(copied.base.get('static'))).toBe(false);
  });

  it("appends to a ValueList of its own, never to a lent one's", () => {
    const sharing = new ContainerSharing();
    const klass = new Parameters(null, settings, origin, sharing);
    klass.merge(dict([['v', 'first']]));
    klass.merge(dict([['v', 'second']]));
    const classList = klass.base.get('v') as ValueList;
    expect(classList).toBeInstanceOf(ValueList);
    const nodes = ['n1', 'n2'].map((name) => {
      const node = new Parameters(null, settings, origin, sharing);
      node.merge(klass);
      node.merge(dict([['v', name]]));
      node.merge(dict([['v', `${name} again`]]));
      return node;
    });
    expect(classList.values).toHaveLength(2);
    expect(nodes.map((n) => (n.base.get('v') as ValueList).values.length)).toEqual([4, 4]);
    expect(nodes.map((n): unknown => JSON.parse(rendered(n)))).toEqual([{ v: 'n1 again' }, { v: 'n2 again' }]);
  });

  it('takes a lent dict as it is only when merging would not change its keys', () => {
    const sharing = new ContainerSharing();
    const klass = new Parameters(classMapping(), settings, origin, sharing);
    const node = new Parameters(null, settings, origin, sharing);
    node.merge(klass);
    // `twice` still has one prefix to lose: merging it again makes a new dict.
    expect(node.base.has('~twice')).toBe(false);
    expect(node.base.get('twice')).toBeDefined();
    // Typed keys are made text by merging: the class's dict held them as they were read.
    const again = new Parameters(null, settings, origin, sharing);
    again.merge(dict([['typed', dict([[new PyKey(true), 1]])]]));
    const outer = new Parameters(null, settings, origin, sharing);
    outer.merge(again);
    expect([...(outer.base.get('typed') as Map<string, unknown>).keys()]).toEqual(['True']);
  });
});
