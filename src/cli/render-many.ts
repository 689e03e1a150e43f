/**
 * `render NAME... | --all`: many nodes on two threads into `--out DIR/NODE/...`, each node
 * reported, a failing node not stopping the others; and `render NODE --file F`, one file alone.
 */
import { basename } from 'node:path';
import { warnOnStderr, writeStderr } from './stdio.js';
import { writeAll, type FileToWrite } from '../io/write-all.js';
import { renderMany, type NodeOutcome } from '../plan/render-many.js';
import { selectNodes } from '../plan/select.js';
import { renderFiles } from '../render/write.js';
import { openInventory } from '../api/inventory.js';
import { usageError, type Command } from './args.js';
import { escapeControl } from './terminal.js';
import { chosenInventory } from './which-model.js';
import type { NetworkBackend } from '../network/types.js';

/** The file of `files` that `wanted` names: its relative path, with or without `/`, or its base name. */
export function pickFile(files: Record<string, string>, wanted: string): string | undefined {
  const path = wanted.replace(/^\/+/, '');
  if (path in files) return path;
  const byBase = Object.keys(files).filter((p) => basename(p) === wanted);
  return byBase.length === 1 ? byBase[0] : undefined;
}

/** The nodes a command names: `--all`, or names, short names and globs. */
export function namedNodes(cmd: Command, all: readonly string[]): string[] {
  if (cmd.plan.all) {
    if (cmd.positionals.length > 0) throw usageError(`'${cmd.name}' takes node names or --all, not both`);
    return [...all];
  }
  if (cmd.positionals.length === 0)
    throw usageError(`'${cmd.name}' takes one or more node names (globs such as 'cmp*' too) or --all`);
  return selectNodes(all, cmd.positionals);
}

/** One line per node: what was written, or why it failed. */
function report(outcome: NodeOutcome, written: number): string {
  return outcome.ok
    ? `${outcome.name}: ${written} files\n`
    : `${outcome.name}: FAILED: ${escapeControl(outcome.message)}\n`;
}

/**
 * Renders the nodes; returns the exit code (1 if any node failed).
 * @example
 * await renderNodes(cmd, write); // reclass-net render 'cmp*' --out out
 */
export async function renderNodes(
  cmd: Command,
  backend: NetworkBackend | undefined,
  format: string,
  write: (text: string) => void,
): Promise<number> {
  const dir = chosenInventory(cmd);
  const inv = await openInventory(dir, { warn: warnOnStderr });
  const names = namedNodes(cmd, inv.nodeNames());
  const outcomes = await renderMany(dir, names, { strict: cmd.strict, ...(backend ? { backend } : {}) }, inv);
  for (const o of outcomes) if (o.ok) for (const w of o.warnings) writeStderr(`reclass-net: ${escapeControl(w)}\n`);
  const failed = outcomes.filter((o) => !o.ok);
  const out = cmd.out;
  if (out !== undefined) {
    const files: FileToWrite[] = outcomes.flatMap((o) => (o.ok ? renderFiles(out, o.name, o) : []));
    await writeAll(out, files);
  }
  if (format === 'json') {
    const nodes = outcomes.map((o) =>
      o.ok
        ? { node: o.name, ok: true, files: o.files, ovs: o.ovs, warnings: o.warnings }
        : { node: o.name, ok: false, kind: o.kind, message: o.message },
    );
    write(JSON.stringify({ inventory: dir, nodes, failed: failed.length }, null, 2) + '\n');
  } else if (cmd.out !== undefined) {
    for (const o of outcomes) write(report(o, o.ok ? Object.keys(o.files).length : 0));
    write(`${outcomes.length - failed.length} of ${outcomes.length} nodes rendered into ${cmd.out}\n`);
  } else {
    for (const o of outcomes) {
      if (!o.ok) continue;
      for (const [path, text] of Object.entries(o.files))
        write(
          `### ${o.name}: /${path} ${'#'.repeat(Math.max(3, 60 - o.name.length - path.length))}\n${text.trimEnd()}\n\n`,
        );
    }
  }
  if (format === 'json' || cmd.out === undefined)
    for (const o of failed) if (!o.ok) writeStderr(`reclass-net: ${escapeControl(o.message)}\n`);
  return failed.length > 0 ? 1 : 0;
}
