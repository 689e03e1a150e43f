/** `apply NAME [--root DIR] [--ovsdb SOCKET] [--noop]`: see src/apply/apply.ts. */
import { applyNode, type ApplyPlan } from '../apply/apply.js';
import { warnOnStderr, writeStderr } from './stdio.js';
import { openInventory } from '../api/inventory.js';
import { formatProblem } from '../network/problems.js';
import { ovsTransactions } from '../render/ovs.js';
import { renderNetwork } from '../render/render.js';
import { expectPositionals, type Command } from './args.js';
import { formatPlan } from './diff.js';
import { escapeControl } from './terminal.js';
import { chosenInventory } from './which-model.js';

/** The plan as text: diffs, OVS commands, then the interfaces to take down and bring up. */
export function formatApplyPlan(plan: ApplyPlan): string {
  let text = formatPlan(plan, plan.ovsdb);
  if (plan.ifdown.length > 0) text += `# ifdown (previous file): ${plan.ifdown.join(' ')}\n`;
  if (plan.flush.length > 0) text += `# ip addr flush (ipflush_onchange): ${plan.flush.join(' ')}\n`;
  if (plan.ifup.length > 0) text += `# ifup: ${plan.ifup.join(' ')}\n`;
  return text;
}

export async function apply(cmd: Command, format: string, write: (text: string) => void): Promise<number> {
  const [name] = expectPositionals(cmd, 1, 1, 'one node name');
  const inv = await openInventory(chosenInventory(cmd), { warn: warnOnStderr });
  const node = await inv.node(name);
  const result = renderNetwork(node, { strict: cmd.strict });
  for (const w of result.warnings) writeStderr(`reclass-net: ${escapeControl(formatProblem(w))}\n`);
  const rendered = {
    name: node.name,
    ok: true as const,
    files: result.files,
    ovs: ovsTransactions(result.model),
    warnings: [],
    remove: result.model.host.removeFiles,
  };
  const outcome = await applyNode(rendered, result.model, {
    root: cmd.plan.root ?? '/',
    ...(cmd.plan.ovsdb !== undefined ? { ovsdb: cmd.plan.ovsdb } : {}),
    noop: cmd.plan.noop ?? false,
    log: (line) => (cmd.verbose ? writeStderr(`reclass-net: ${line}\n`) : undefined),
  });
  const { plan } = outcome;
  if (format === 'json') {
    write(
      JSON.stringify(
        { inventory: cmd.inventory, node: node.name, applied: outcome.applied, noop: cmd.plan.noop ?? false, plan },
        null,
        2,
      ) + '\n',
    );
  } else {
    write(formatApplyPlan(plan));
    if (outcome.applied)
      write(
        `applied to node ${node.name}: ${plan.files.length} file(s), ${plan.ovs?.commands.length ?? 0} OVS command(s), ${plan.ifup.length} interface(s) brought up\n`,
      );
    else if (!cmd.plan.noop) write(`node ${node.name} already matches its model\n`);
  }
  const pending = plan.files.length > 0 || (plan.ovs?.commands.length ?? 0) > 0;
  return cmd.plan.noop && cmd.plan['detailed-exit-codes'] && pending ? 2 : 0;
}
