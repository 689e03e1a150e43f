/**
 * What a model change does to each host: both inventories resolved and rendered (each on two
 * threads), and per node the unified diff of every rendered file and the OVS commands added
 * or dropped; nodes only one side has are added or removed. Published output: no absolute
 * path of the machine, no secret-looking value (src/publish).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { unifiedDiff } from '../diff/unified.js';
import { ReclassNetError } from '../errors.js';
import { openInventory } from '../api/inventory.js';
import { publishedRoot, withoutMachinePaths } from '../publish/paths.js';
import { configuredSecretWords, makeRedactor } from '../publish/redact.js';
import { shellCommand } from '../render/shell.js';
import { renderMany, type NodeOutcome } from './render-many.js';

export interface NodeImpact {
  node: string;
  /** Unified diffs of the files that differ (old -> new). */
  files: Array<{ path: string; diff: string }>;
  /** OVS commands (shell lines) the new model adds / no longer has. */
  ovs: { added: string[]; removed: string[] };
  /** Set when the node renders on one side only (the error of the other). */
  error?: { side: 'old' | 'new'; message: string };
}

export interface Impact {
  old: string;
  new: string;
  added: string[];
  removed: string[];
  changed: NodeImpact[];
  unchanged: number;
}

function compare(name: string, a: NodeOutcome, b: NodeOutcome, clean: (t: string) => string): NodeImpact | undefined {
  if (!a.ok || !b.ok) {
    if (!a.ok && !b.ok && a.message === b.message) return undefined;
    const bad = !b.ok ? b : (a as Extract<NodeOutcome, { ok: false }>);
    return {
      node: name,
      files: [],
      ovs: { added: [], removed: [] },
      error: { side: !b.ok ? 'new' : 'old', message: clean(bad.message) },
    };
  }
  const files = [...new Set([...Object.keys(a.files), ...Object.keys(b.files)])]
    .sort()
    .map((path) => ({ path, diff: clean(unifiedDiff(`a/${path}`, `b/${path}`, a.files[path], b.files[path])) }))
    .filter((f) => f.diff !== '');
  const lines = (o: typeof a) => o.ovs.map((argv) => shellCommand(['ovs-vsctl', ...argv]));
  const [before, after] = [lines(a), lines(b)];
  const ovs = { added: after.filter((l) => !before.includes(l)), removed: before.filter((l) => !after.includes(l)) };
  if (files.length === 0 && ovs.added.length === 0 && ovs.removed.length === 0) return undefined;
  return { node: name, files, ovs: { added: ovs.added.map(clean), removed: ovs.removed.map(clean) } };
}

/**
 * The impact of going from the inventory at `oldDir` to the one at `newDir`.
 * @example
 * const impact = await modelImpact('main-checkout', 'branch-checkout');
 * impact.changed.map((n) => n.node); // ['cmp01.lab.local', 'cmp02.lab.local']
 */
export async function modelImpact(
  oldDir: string,
  newDir: string,
  options: { showSecrets?: boolean } = {},
): Promise<Impact> {
  const [oldInv, newInv] = [await openInventory(oldDir), await openInventory(newDir)];
  const [oldNames, newNames] = [oldInv.nodeNames(), newInv.nodeNames()];
  const both = newNames.filter((n) => oldNames.includes(n));
  const oldOut = await renderMany(oldDir, both, {}, oldInv);
  const newOut = await renderMany(newDir, both, {}, newInv);
  const redactor = makeRedactor(
    [...configuredSecretWords(oldInv.config.options), ...configuredSecretWords(newInv.config.options)],
    !options.showSecrets,
  );
  const dirs = [resolve(oldDir), resolve(newDir)];
  const clean = (text: string) =>
    redactor.text(withoutMachinePaths(withoutMachinePaths(text, dirs[1], []), dirs[0], []));
  const changed: NodeImpact[] = [];
  both.forEach((name, i) => {
    const impact = compare(name, oldOut[i], newOut[i], clean);
    if (impact) changed.push(impact);
  });
  return {
    old: publishedRoot(resolve(oldDir)),
    new: publishedRoot(resolve(newDir)),
    added: newNames.filter((n) => !oldNames.includes(n)),
    removed: oldNames.filter((n) => !newNames.includes(n)),
    changed,
    unchanged: both.length - changed.length,
  };
}

function runGit(args: string[], cwd: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => reject(new ReclassNetError('UsageError', `cannot run git: ${e.message}`)));
    child.on('close', (code) =>
      code === 0
        ? resolvePromise(out)
        : reject(new ReclassNetError('UsageError', `git ${args[0]} failed: ${err.trim().split('\n')[0]}`)),
    );
  });
}

/**
 * The inventory at `dir` as it was at git revision `rev`, extracted into a temporary
 * directory (`git archive | tar -x`: the repository is not touched). Call `remove` after.
 */
export async function inventoryAtRevision(
  dir: string,
  rev: string,
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const top = (await runGit(['rev-parse', '--show-toplevel'], dir)).trim();
  const sub = relative(top, resolve(dir));
  const temp = await mkdtemp(join(tmpdir(), 'reclass-net-impact-'));
  const remove = () => rm(temp, { recursive: true, force: true });
  try {
    await new Promise<void>((resolvePromise, reject) => {
      const git = spawn('git', ['archive', '--format=tar', rev, ...(sub ? [sub] : [])], {
        cwd: top,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const tar = spawn('tar', ['-x', '-C', temp], { stdio: ['pipe', 'ignore', 'pipe'] });
      let err = '';
      git.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      git.stdout.pipe(tar.stdin);
      git.on(
        'close',
        (code) =>
          code !== 0 &&
          reject(new ReclassNetError('UsageError', `git archive ${rev} failed: ${err.trim().split('\n')[0]}`)),
      );
      tar.on('close', (code) =>
        code === 0
          ? resolvePromise()
          : reject(new ReclassNetError('OutputError', `tar could not extract revision ${rev}`)),
      );
    });
  } catch (e) {
    await remove();
    throw e;
  }
  return { dir: join(temp, sub), remove };
}

/** The impact as text: a summary line, added and removed nodes, then each changed node. */
export function formatImpact(impact: Impact): string {
  const lines = [
    `impact ${impact.old} -> ${impact.new}: ${impact.changed.length} nodes changed, ${impact.added.length} added, ${impact.removed.length} removed, ${impact.unchanged} unchanged`,
  ];
  for (const n of impact.added) lines.push(`added: ${n}`);
  for (const n of impact.removed) lines.push(`removed: ${n}`);
  let text = lines.join('\n') + '\n';
  for (const n of impact.changed) {
    text += `\n=== node ${n.node}\n`;
    if (n.error) text += `fails to render on the ${n.error.side} side: ${n.error.message}\n`;
    text += n.files.map((f) => f.diff).join('');
    for (const l of n.ovs.removed) text += `-ovs: ${l}\n`;
    for (const l of n.ovs.added) text += `+ovs: ${l}\n`;
  }
  return text;
}
