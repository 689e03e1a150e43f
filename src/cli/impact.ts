/** `impact OLD NEW | --git REV [--format text|json]`: see src/plan/impact.ts. */
import { formatImpact, inventoryAtRevision, modelImpact } from '../plan/impact.js';
import { expectPositionals, usageError, type Command } from './args.js';
import { chosenInventory } from './which-model.js';

export async function impact(cmd: Command, format: string, write: (text: string) => void): Promise<number> {
  let result;
  if (cmd.plan.git !== undefined) {
    expectPositionals(
      cmd,
      0,
      0,
      'no directories with --git REV (the inventory is compared with REV of its own history)',
    );
    const old = await inventoryAtRevision(chosenInventory(cmd), cmd.plan.git);
    try {
      result = await modelImpact(old.dir, chosenInventory(cmd), { showSecrets: cmd.showSecrets });
    } finally {
      await old.remove();
    }
    result.old = `${cmd.plan.git}`;
  } else {
    if (cmd.positionals.length !== 2)
      throw usageError("'impact' takes two inventory directories OLD NEW, or --git REV");
    const [oldDir, newDir] = cmd.positionals as [string, string];
    result = await modelImpact(oldDir, newDir, { showSecrets: cmd.showSecrets });
  }
  write(format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatImpact(result));
  const changes = result.changed.length + result.added.length + result.removed.length > 0;
  return cmd.plan['detailed-exit-codes'] && changes ? 2 : 0;
}
