/**
 * The schema validator the build generates (ajv's standalone code, loaded without ajv) against
 * the plain path that compiles the schema with ajv in the process: the same verdict and the
 * same errors, in the same order, for the pillars of every node of the embedded model and the
 * shared corpora, and for random corruptions of them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openInventory } from '../../src/api/inventory.js';
import { INTERFACE_KEYS, NETWORK_KEYS } from '../../src/network/keys.js';
import { compileSchemaValidator, precompiledSchemaValidator, PRECOMPILED_VALIDATOR } from '../../src/network/schema.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
// `npm test` builds first; the build writes the validator beside the compiled schema module.
const BUILT = join(REPO, 'dist/src/network', PRECOMPILED_VALIDATOR);
const CORPORA = ['mk24-ovs-dvr-vlan-bm', 'mcp-ocata-ovs'].map((c) => join(REPO, '../shared/corpus', c, 'inventory'));
const SEED = Number(process.env.HARDENING_SEED ?? 20_250_611);

async function pillars(dir: string): Promise<unknown[]> {
  const inv = await openInventory(dir, { provenance: false });
  const found = [];
  for (const name of inv.nodeNames()) {
    const linux = (await inv.node(name)).parameters.linux as Record<string, unknown> | undefined;
    if (linux?.network !== undefined) found.push(linux.network);
  }
  return found;
}

describe('the precompiled linux:network validator', () => {
  const plain = compileSchemaValidator();
  const verdict = (validate: typeof plain, pillar: unknown) => ({
    valid: validate(pillar),
    errors: validate.errors ?? null,
  });

  it('is built, and made from the current schema', () => {
    expect(existsSync(BUILT)).toBe(true);
    expect(precompiledSchemaValidator(BUILT)).toBeTypeOf('function');
  });

  it('is not used when it is missing', () => {
    expect(precompiledSchemaValidator(join(REPO, 'dist/no-such-validator.cjs'))).toBeUndefined();
  });

  it('agrees with ajv on every node of the embedded model and the corpora', async (context) => {
    const fast = precompiledSchemaValidator(BUILT)!;
    const dirs = [REPO, ...CORPORA.filter((d) => existsSync(d))];
    if (dirs.length < 3) context.skip('shared corpora missing');
    let checked = 0;
    for (const dir of dirs) {
      for (const pillar of await pillars(dir)) {
        expect(verdict(fast, pillar)).toEqual(verdict(plain, pillar));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('agrees with ajv on corrupted pillars', async () => {
    const fast = precompiledSchemaValidator(BUILT)!;
    const base = (await pillars(REPO)).filter((p) => typeof p === 'object' && p !== null) as Array<
      Record<string, unknown>
    >;
    const key = fc.oneof(
      fc.constantFrom(...INTERFACE_KEYS.map((k) => k.key), ...NETWORK_KEYS.map((k) => k.key)),
      fc.string({ maxLength: 6 }),
    );
    const corruption = fc.record({
      pillar: fc.nat(base.length - 1),
      iface: fc.nat(),
      key,
      value: fc.jsonValue({ maxDepth: 2 }),
      top: fc.boolean(),
    });
    fc.assert(
      fc.property(corruption, ({ pillar, iface, key, value, top }) => {
        const copy = structuredClone(base[pillar]);
        const interfaces = copy.interface as Record<string, Record<string, unknown>> | undefined;
        const names = Object.keys(interfaces ?? {});
        if (top || names.length === 0) copy[key] = value;
        else interfaces![names[iface % names.length]][key] = value;
        expect(verdict(fast, copy)).toEqual(verdict(plain, copy));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
