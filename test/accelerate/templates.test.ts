// The rendering of frozen subtrees behind RenderingHooks (src/accelerate/templates.ts): the
// same values as Parameters' own rendering, shared between nodes only through the hooks a
// Parameters is given, and kept where no other accelerator and no plain resolution sees it.
// That whole inventories render alike either way is equality.test.ts's part.
import { describe, expect, it } from 'vitest';
import { pythonJson } from '../../src/cli/output.js';
import { ContainerSharing } from '../../src/accelerate/sharing.js';
import { FrozenTemplates } from '../../src/accelerate/templates.js';
import { Parameters } from '../../src/resolve/parameters.js';
import { makeSettings } from '../../src/resolve/settings.js';
import { SharedResults, SharedSubtree } from '../../src/resolve/shared.js';

const settings = makeSettings({});
const origin = { entity: 'test', file: 'test.yml' };
/** Merges that share containers, as an accelerator's do: what makes a subtree frozen. */
const trees = new ContainerSharing();

/** A class's parameters: `role` no node changes, with one value to interpolate. */
function classMapping(): Map<string, unknown> {
  return new Map<string, unknown>([
    [
      'role',
      new Map<string, unknown>([
        ['name', 'web'],
        ['ports', [80, 443]],
        ['greeting', 'hello ${node:name}'],
      ]),
    ],
    ['static', new Map<string, unknown>([['a', 1]])],
  ]);
}

/** A node merging the class (lent to it, so frozen there) and setting its own name. */
function nodeOf(klass: Parameters, name: string): Parameters {
  const node = new Parameters(null, settings, origin, trees);
  node.merge(klass);
  node.merge(new Map<string, unknown>([['node', new Map<string, unknown>([['name', name]])]]));
  return node;
}

function rendered(node: Parameters, rendering: FrozenTemplates | undefined): Map<string, unknown> {
  node.rendering = rendering;
  node.initialiseInterpolation();
  node.interpolate(null);
  return node.asDict();
}

const at = (dict: Map<string, unknown>, key: string) => dict.get(key) as Map<string, unknown>;

describe('FrozenTemplates', () => {
  it('renders what Parameters renders alone, value for value', () => {
    const klass = new Parameters(classMapping(), settings, origin, trees);
    for (const name of ['n1', 'n2']) {
      const fast = rendered(nodeOf(klass, name), new FrozenTemplates(new SharedResults()));
      const plain = rendered(nodeOf(klass, name), undefined);
      // Compared as reclass prints them: the rendering's sharing marks are not values.
      expect(pythonJson(fast)).toBe(pythonJson(plain));
      expect(at(fast, 'role').get('greeting')).toBe(`hello ${name}`);
    }
  });

  it('shares a frozen subtree with nothing to interpolate between nodes, marked in its own SharedResults', () => {
    const klass = new Parameters(classMapping(), settings, origin, trees);
    const shared = new SharedResults();
    const templates = new FrozenTemplates(shared);
    // The first node renders the subtree itself: a template pays only from the second on.
    const n1 = rendered(nodeOf(klass, 'n1'), templates);
    expect(shared.sharingOf(at(n1, 'static'))).toBeUndefined();
    const n2 = rendered(nodeOf(klass, 'n2'), templates);
    const n3 = rendered(nodeOf(klass, 'n3'), templates);
    expect(at(n2, 'static')).not.toBe(at(n1, 'static'));
    expect(at(n3, 'static')).toBe(at(n2, 'static'));
    expect(shared.sharingOf(at(n2, 'static'))).toBeInstanceOf(SharedSubtree);
    // A subtree with a value to interpolate is a copy per node, derived from the template.
    expect(at(n3, 'role')).not.toBe(at(n2, 'role'));
    expect(at(n3, 'role').get('ports')).toBe(at(n2, 'role').get('ports'));

    const otherShared = new SharedResults();
    const otherTemplates = new FrozenTemplates(otherShared);
    rendered(nodeOf(klass, 'n4'), otherTemplates);
    const other = rendered(nodeOf(klass, 'n5'), otherTemplates);
    expect(at(other, 'static')).not.toBe(at(n2, 'static'));
    expect(otherShared.sharingOf(at(n2, 'static'))).toBeUndefined();
    expect(shared.sharingOf(at(other, 'static'))).toBeUndefined();
  });

  it('is not reached without rendering hooks, nor while recording provenance', () => {
    const klass = new Parameters(classMapping(), settings, origin, trees);
    const frozen = klass.base.get('static') as object;
    const plain1 = rendered(nodeOf(klass, 'n1'), undefined);
    const plain2 = rendered(nodeOf(klass, 'n2'), undefined);
    expect(at(plain2, 'static')).not.toBe(at(plain1, 'static'));
    expect(Object.getOwnPropertySymbols(frozen)).toEqual([]);

    const logged = nodeOf(klass, 'n3');
    logged.log = new Map();
    const templates = new FrozenTemplates(new SharedResults());
    rendered(logged, templates);
    expect(Object.getOwnPropertySymbols(frozen)).toEqual([]);
    expect(logged.log.size).toBeGreaterThan(0);

    rendered(nodeOf(klass, 'n4'), templates);
    expect(Object.getOwnPropertySymbols(frozen).length).toBeGreaterThan(0);
  });
});
