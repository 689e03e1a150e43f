/**
 * The generator must keep reaching what independent testing found it missed (issue 17): the
 * default run of the differential test samples these inventories, so each feature below is
 * compared with reclass 1.7 on every `npm test`.
 */
import { describe, expect, it } from 'vitest';
import { sampleInventories } from './generator.js';
import { renderYaml, type GenInventory } from './yaml-model.js';

const DEFAULT_SEED = 1_717_171_717;
const sample = sampleInventories(DEFAULT_SEED, 300);

const text = (inv: GenInventory): string => inv.files.map((f) => `# ${f.path}\n${renderYaml(f.doc)}`).join('\n');
const withFeature = (f: string): GenInventory[] => sample.filter((inv) => inv.features.includes(f));

describe('the differential generator', () => {
  it('is reproducible from its seed', () => {
    expect(sampleInventories(DEFAULT_SEED, 20).map(text)).toEqual(sample.slice(0, 20).map(text));
  });

  it.each([
    'timestamp-key',
    'timestamp-key-in-list',
    'timestamp-value',
    'timestamp-export-in-string',
    'nonstring-keys',
    'nonstring-keys-in-list',
    'ref-bad-references',
    'node-duplicate-subdirs',
    'invquery-class-notfound',
    'invquery-classname-resolve',
    'invquery-error',
    'warn-class-notfound',
    'warn-class-notfound-in-class',
    'warn-overwritten-missing-ref',
    'class-invalid-name',
  ])('makes inventories with %s in the default run', (feature) => {
    expect(withFeature(feature).length).toBeGreaterThan(0);
  });

  it('writes what the feature names say', () => {
    // An unquoted timestamp as a mapping key.
    const stamp = /^\s*(- )?'?\d{4}-\d{1,2}-\d{1,2}[^\n]*: /m;
    for (const inv of withFeature('timestamp-key')) expect(text(inv)).toMatch(stamp);
    // Non-string keys (two or more in a list item).
    const nonString = /^ +(- )?(-?[\d.]+|0x10|yes|no|true|off|null|~):/gm;
    for (const inv of withFeature('nonstring-keys-in-list')) {
      expect(text(inv).match(nonString)?.length ?? 0).toBeGreaterThanOrEqual(2);
    }
    for (const inv of withFeature('node-duplicate-subdirs')) {
      const nodeFiles = inv.files.map((f) => f.path).filter((p) => /(^|\/)(nodes|inv_nodes)\//.test(p));
      const base = (p: string): string => p.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
      const twice = nodeFiles.filter((p) => nodeFiles.filter((q) => base(q) === base(p)).length === 2);
      expect(
        twice.every((p) => p.split('/').length >= 3),
        twice.join(', '),
      ).toBe(true);
      expect(twice.length).toBe(2);
    }
    for (const inv of withFeature('invquery-error')) expect(text(inv)).toMatch(/ip: \$\{_param:absent\}/);
    for (const inv of withFeature('warn-overwritten-missing-ref')) {
      expect(text(inv)).toMatch(/^parameters:\n(.*\n)*? {2}shadow:\n {4}[abc]: .*\$\{_param:absent\}/m);
    }
  });
});
