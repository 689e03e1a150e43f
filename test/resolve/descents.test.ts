// Class descents merged once and merged again for later nodes (Resolver.descentOf), on a
// small inventory (test/fixtures/descents) where the same classes come up after different
// classes merged before them. expected.json is reclass 1.7's `-i -o json` for it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openInventory } from '../../src/index.js';
import { nodeDocument } from '../../src/cli/node-output.js';
import { pythonJson } from '../../src/cli/output.js';

const dir = fileURLToPath(new URL('../fixtures/descents', import.meta.url));
const expected = JSON.parse(readFileSync(`${dir}/expected.json`, 'utf8')) as Record<string, Record<string, unknown>>;

describe('class descents kept between nodes', async () => {
  const warnings: string[] = [];
  const inv = await openInventory(dir, { provenance: false, warn: (m) => warnings.push(m) });
  const documents = new Map(
    inv
      .nodeNames()
      .map((name) => [
        name,
        JSON.parse(pythonJson(nodeDocument(inv.rawNode(name)))) as { __reclass__: Record<string, unknown> },
      ]),
  );
  const descents = (inv as unknown as { resolver: { hooks: { descents: Map<string, unknown[]> } } }).resolver.hooks
    .descents;

  it('resolves every node as reclass 1.7 does, in one process', () => {
    expect([...documents.keys()].sort()).toEqual(Object.keys(expected));
    for (const [name, doc] of documents) {
      // The uri holds this checkout's path; reclass's was written elsewhere.
      const meta = { ...doc.__reclass__ };
      delete meta.uri;
      expect({ ...doc, __reclass__: meta }, name).toEqual(expected[name]);
    }
  });

  it('keeps one descent for each set of its classes merged before it', () => {
    // mid comes up with nothing, base, and base and leaf merged before it.
    expect(descents.get('mid')?.length).toBeGreaterThanOrEqual(3);
    expect(descents.has('top')).toBe(true);
  });

  it('keeps no descent that depended on the node or warned', () => {
    // named's class list names a class from the parameters and a missing class.
    expect(descents.has('named')).toBe(false);
    expect(warnings).toEqual(Array(2).fill("Reclass class not found: 'missing.thing'. Skipped!"));
    inv.rawNode('n5');
    expect(warnings).toHaveLength(3);
  });
});
