/**
 * `diff NAME... [--root DIR] [--ovsdb SOCKET] [--detailed-exit-codes]`: what `render` would
 * change on a host, as unified diffs per file and the ovs-vsctl commands that would bring the
 * live OVS database to the model. One node is compared with ROOT (default `/`) and the OVS
 * database; several with ROOT/NODE (the layout of `render --out`), files only.
 */
import { join } from 'node:path';
import { warnOnStderr, writeStderr } from './stdio.js';
import { openInventory } from '../api/inventory.js';
import { SYSTEM_OVSDB, readLiveOvs, type LiveOvs } from '../ovs/ovsdb.js';
import { hasChanges, planNode, type NodePlan } from '../plan/plan.js';
import { renderMany } from '../plan/render-many.js';
import { shellCommand } from '../render/shell.js';
import type { Command } from './args.js';
import { namedNodes } from './render-many.js';
import { escapeControl } from './terminal.js';
import { chosenInventory } from './which-model.js';

/** `ovs-vsctl [--db=unix:SOCK] ARGS`, quoted for a shell. */
export function ovsLine(argv: readonly string[], socket?: string): string {
  return shellCommand(['ovs-vsctl', ...(socket ? [`--db=unix:${socket}`] : []), ...argv]);
}

/** The text of one node's plan: diffs, then the OVS commands under a comment line. */
export function formatPlan(plan: NodePlan, socket?: string): string {
  let text = plan.files.map((f) => f.diff).join('');
  if (plan.ovs && plan.ovs.commands.length > 0) {
    text += `# Open vSwitch (node ${plan.node}): ${plan.ovs.commands.length} command(s) to reach the model\n`;
    text += plan.ovs.commands.map((c) => ovsLine(c, socket) + '\n').join('');
  }
  return text;
}

/** Runs `diff`; returns the exit code. */
export async function diff(cmd: Command, format: string, write: (text: string) => void): Promise<number> {
  const dir = chosenInventory(cmd);
  // One node looks up only the class directories its class names can be in, as `render` does
  // (docs/reclass-compatibility.md); several, or --all, list the whole tree.
  const oneNode = !cmd.plan.all && cmd.positionals.length === 1 && !/[*?[]/.test(cmd.positionals[0]);
  const inv = await openInventory(dir, {
    warn: warnOnStderr,
    ...(oneNode ? { listClasses: 'as-needed' as const } : {}),
  });
  const names = namedNodes(cmd, inv.nodeNames());
  const root = cmd.plan.root ?? '/';
  const outcomes = await renderMany(dir, names, { strict: cmd.strict }, inv);
  const single = names.length === 1 && !cmd.plan.all;
  let live: LiveOvs | undefined;
  let unreachable: string | undefined;
  if (single && outcomes[0].ok && (outcomes[0].ovs.length > 0 || cmd.plan.ovsdb !== undefined)) {
    const read = await readLiveOvs(cmd.plan.ovsdb ?? SYSTEM_OVSDB);
    if ('unreachable' in read) unreachable = read.unreachable;
    else live = read;
    if (unreachable)
      writeStderr(`reclass-net: ${escapeControl(unreachable)}; the files are compared, the OVS plan is not\n`);
  }
  const plans: NodePlan[] = [];
  let failed = 0;
  for (const o of outcomes) {
    if (!o.ok) {
      failed++;
      writeStderr(`reclass-net: ${escapeControl(o.message)}\n`);
      continue;
    }
    plans.push(await planNode(o, single ? root : join(root, o.name), live));
  }
  const changed = plans.filter(hasChanges);
  if (format === 'json') {
    write(
      JSON.stringify(
        {
          inventory: dir,
          root,
          ovsdb: unreachable ? { unreachable } : live ? (cmd.plan.ovsdb ?? SYSTEM_OVSDB) : null,
          nodes: plans,
          changed: changed.map((p) => p.node),
          failed,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    for (const plan of plans) write(formatPlan(plan, cmd.plan.ovsdb));
    if (cmd.verbose)
      for (const plan of plans)
        for (const u of plan.ovs?.unchecked ?? [])
          writeStderr(`reclass-net: not compared with the database: ovs-vsctl ${u.join(' ')}\n`);
  }
  if (failed > 0) return 1;
  return cmd.plan['detailed-exit-codes'] && changed.length > 0 ? 2 : 0;
}
