/**
 * Warnings given before a node or an inventory query fails are printed, as reclass prints
 * them before its traceback: with the accelerator and without it. The inventories are the
 * differential test's findings, where reclass 1.7's own output is stored beside them.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInventory } from '../../src/index.js';
import { ReclassNetError } from '../../src/errors.js';

const FINDINGS = new URL('../differential/findings/', import.meta.url).pathname;

async function failure(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (e) {
    if (e instanceof ReclassNetError) return e.kind;
    throw e;
  }
  return 'no failure';
}

describe.each([true, false])('warnings before a failure, accelerator %s', (accelerator) => {
  it('a query whose node skips a class: once resolving the node, once collecting exports', async () => {
    const warnings: string[] = [];
    const inv = await openInventory(join(FINDINGS, 'warn-before-failing-query'), {
      accelerator,
      warn: (m) => warnings.push(m),
    });
    expect(await failure(() => inv.node('n1'))).toBe('InvQueryError');
    expect(warnings).toEqual(Array(2).fill("Reclass class not found: 'opt.thing'. Skipped!"));
  });

  it('the whole inventory: the skipped class of the node that then fails', async () => {
    const warnings: string[] = [];
    const inv = await openInventory(join(FINDINGS, 'warn-before-failing-node-inventory'), {
      accelerator,
      warn: (m) => warnings.push(m),
    });
    const all = () =>
      inv.listing(async () => {
        for (const name of inv.nodeNames()) await inv.node(name);
      });
    expect(await failure(all)).toBe('InvQueryClassNotFound');
    expect(warnings).toEqual(["Reclass class not found: 'role.optional.missing'. Skipped!"]);
  });
});
