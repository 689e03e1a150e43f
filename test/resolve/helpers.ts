/** What the tests comparing two ways of resolving an inventory read off each node. */
import { openInventory, type InventoryOptions } from '../../src/index.js';
import { nodeDocument } from '../../src/cli/node-output.js';
import { pythonJson } from '../../src/cli/output.js';
import { ReclassNetError } from '../../src/errors.js';

/**
 * Each node's JSON document or error, and the warnings it gave, as one text per node; nodes
 * resolved in `order` (by default the inventory's own). An inventory that fails to open is
 * one entry, `(open)`.
 */
export async function nodeOutcomes(
  dir: string,
  options: InventoryOptions,
  order?: (names: string[]) => string[],
): Promise<Map<string, string>> {
  let warnings: string[] = [];
  let inv;
  try {
    inv = await openInventory(dir, { ...options, warn: (m) => warnings.push(m) });
  } catch (e) {
    if (e instanceof ReclassNetError) return new Map([['(open)', `${e.kind}: ${e.message}`]]);
    throw e;
  }
  const result = new Map<string, string>();
  const names = inv.nodeNames();
  for (const name of order ? order(names) : names) {
    warnings = [];
    let text: string;
    try {
      text = pythonJson(nodeDocument(inv.rawNode(name)), inv.shared);
    } catch (e) {
      if (!(e instanceof ReclassNetError)) throw e;
      text = `${e.kind}: ${e.message}`;
    }
    result.set(name, `${text}\nwarnings:\n${warnings.join('\n')}`);
  }
  return result;
}
