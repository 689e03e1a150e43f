/**
 * `apply NAME [--root DIR] [--noop]`: brings a host to its model as `netplan try` does, and
 * undoes it when an interface does not come up.
 *
 * 1. Plan (src/plan): changed files, the OVS plan against the live database, and the
 *    interfaces whose stanzas changed (apply-time keys honoured: `noifupdown` host-wide or per
 *    interface leaves an interface alone; `ipflush_onchange` flushes its addresses).
 * 2. Snapshot the OVS database (`ovsdb-client backup`).
 * 3. `ifdown` the changed interfaces with the old file still in place (children first), so
 *    ifupdown takes down what the old stanza brought up.
 * 4. Write the changed files through the one writer, each previous version kept beside it as
 *    `FILE.reclass-net-prev`; remove the files the model removes (kept the same way).
 * 5. Run the OVS plan, then `ifup` the changed interfaces, parents first.
 * If a step of 5 fails: ifdown what came up, restore the previous files, restore the OVS
 * snapshot, ifup the previous interfaces, and report what failed (exit 1).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReclassNetError } from '../errors.js';
import { present } from '../invariant.js';
import { writeAll, type FileToWrite } from '../io/write-all.js';
import type { NetworkModel } from '../network/types.js';
import { SYSTEM_OVSDB, readLiveOvs, type LiveOvs } from '../ovs/ovsdb.js';
import { planNode, type NodePlan } from '../plan/plan.js';
import { ovsPlan } from '../plan/ovs-plan.js';
import type { NodeRendered } from '../plan/render-many.js';
import { INTERFACES_PATH } from '../render/render.js';
import { changedInterfaces } from './stanzas.js';

/** Beside each replaced or removed file: its previous version. */
const PREVIOUS_SUFFIX = '.reclass-net-prev';

export interface ApplyOptions {
  root: string;
  ovsdb?: string;
  noop?: boolean;
  /** Progress lines (what runs), for the operator. */
  log?: (line: string) => void;
}

export interface ApplyPlan extends NodePlan {
  ifdown: string[];
  ifup: string[];
  flush: string[];
  ovsdb?: string;
}

export interface ApplyOutcome {
  plan: ApplyPlan;
  applied: boolean;
}

interface RunResult {
  code: number;
  output: string;
}

function runProgram(
  program: string,
  args: readonly string[],
  options: { stdinFile?: string; keepOutput?: boolean } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    void (async () => {
      // ovsdb-client restore seeks in its input: give it a file, not a pipe.
      const input = options.stdinFile === undefined ? undefined : await open(options.stdinFile, 'r');
      const child = spawn(program, args, { stdio: [input ? input.fd : 'ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      // stdio 'pipe' above gives both streams.
      present(child.stdout, `the output of ${program}`)
        .setEncoding('utf8')
        .on('data', (d: string) => (stdout += d));
      present(child.stderr, `the error output of ${program}`)
        .setEncoding('utf8')
        .on('data', (d: string) => (stderr += d));
      const done = (code: number, extra = '') => {
        void input?.close();
        resolve({ code, output: options.keepOutput ? stdout : `${stdout}${stderr}${extra}`.trim() });
      };
      child.on('error', (e) => done(127, `${program}: ${e.message}`));
      child.on('close', (code) => done(code ?? 1, options.keepOutput && code !== 0 ? stderr : ''));
    })();
  });
}

function applyError(node: string, message: string): ReclassNetError {
  return new ReclassNetError('OutputError', `apply: ${message}`, { node });
}

/** The plan of an apply: the node's plan plus the interfaces to cycle. */
async function planApply(rendered: NodeRendered, model: NetworkModel, options: ApplyOptions): Promise<ApplyPlan> {
  let live: LiveOvs | undefined;
  const socket = options.ovsdb ?? SYSTEM_OVSDB;
  if (rendered.ovs.length > 0 || options.ovsdb !== undefined) {
    const read = await readLiveOvs(socket);
    if ('unreachable' in read) {
      if (rendered.ovs.length > 0)
        throw applyError(
          rendered.name,
          `${read.unreachable}; the model has Open vSwitch objects, so nothing was changed`,
        );
    } else live = read;
  }
  const plan = await planNode(rendered, options.root, live);
  const interfacesChange = plan.files.find((f) => f.path === INTERFACES_PATH);
  const { changed, removed } = interfacesChange
    ? changedInterfaces(interfacesChange.old ?? '', interfacesChange.new ?? '')
    : { changed: [], removed: [] };
  const byName = new Map(model.interfaces.map((i) => [i.name, i]));
  const managed = (name: string) => !model.host.noIfupdown && !byName.get(name)?.applyTime.noIfupdown;
  const old = interfacesChange?.old ?? '';
  const wasThere = (name: string) =>
    new RegExp(`^\\s*iface\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s`, 'm').test(old);
  const up = changed.filter((n) => managed(n) && byName.get(n)?.enabled !== false && n !== 'lo');
  const down = [...removed, ...[...changed].reverse().filter(wasThere)].filter((n) => managed(n) && n !== 'lo');
  const flush = changed.filter((n) => managed(n) && byName.get(n)?.applyTime.ipflushOnChange);
  return { ...plan, ifdown: down, ifup: up, flush, ...(live ? { ovsdb: socket } : {}) };
}

/** Runs ifdown/ifup of `names` in order; stops at the first failure. */
async function cycle(
  program: 'ifup' | 'ifdown',
  names: readonly string[],
  file: string,
  log: (l: string) => void,
): Promise<{ done: string[]; failed?: { name: string; result: RunResult } }> {
  const done: string[] = [];
  for (const name of names) {
    log(`${program} ${name}`);
    const result = await runProgram(program, ['-i', file, name]);
    if (result.code !== 0) return { done, failed: { name, result } };
    done.push(name);
  }
  return { done };
}

/**
 * Plans and (unless `noop`) applies the node's render to the host at `options.root`.
 * @example
 * await applyNode(rendered, result.model, { root: '/', log: console.log });
 */
export async function applyNode(
  rendered: NodeRendered,
  model: NetworkModel,
  options: ApplyOptions,
): Promise<ApplyOutcome> {
  const log = options.log ?? (() => undefined);
  const plan = await planApply(rendered, model, options);
  const nothing = plan.files.length === 0 && (plan.ovs?.commands.length ?? 0) === 0;
  if (options.noop || nothing) return { plan, applied: false };

  let snapshot: string | undefined;
  if (plan.ovsdb) {
    const backup = await runProgram('ovsdb-client', ['backup', `unix:${plan.ovsdb}`, 'Open_vSwitch'], {
      keepOutput: true,
    });
    if (backup.code !== 0)
      throw applyError(
        plan.node,
        `cannot snapshot the OVS database (ovsdb-client backup): ${backup.output}; nothing was changed`,
      );
    const dir = await mkdtemp(join(tmpdir(), 'reclass-net-apply-'));
    snapshot = join(dir, 'Open_vSwitch.db');
    await writeFile(snapshot, backup.output, { mode: 0o600 });
  }
  try {
    return await applyPlan(rendered, plan, options, snapshot, log);
  } finally {
    if (snapshot !== undefined) await rm(join(snapshot, '..'), { recursive: true, force: true });
  }
}

async function applyPlan(
  rendered: NodeRendered,
  plan: ApplyPlan,
  options: ApplyOptions,
  snapshot: string | undefined,
  log: (line: string) => void,
): Promise<ApplyOutcome> {
  const root = options.root;
  const file = join(root, INTERFACES_PATH);
  const vsctl = (argv: readonly string[]) => runProgram('ovs-vsctl', [`--db=unix:${plan.ovsdb}`, ...argv]);
  const down = await cycle('ifdown', plan.ifdown, file, log);
  if (down.failed) {
    await cycle('ifup', [...down.done].reverse(), file, log);
    throw applyError(
      plan.node,
      `ifdown ${down.failed.name} failed (${down.failed.result.output}); the files were not changed`,
    );
  }
  for (const name of plan.flush) await runProgram('ip', ['addr', 'flush', 'dev', name]);

  // New versions and, beside each, the previous one: one all-or-nothing write.
  const writes: FileToWrite[] = [];
  for (const change of plan.files) {
    if (change.old !== undefined) writes.push({ path: change.path + PREVIOUS_SUFFIX, content: change.old });
    if (change.new !== undefined) writes.push({ path: change.path, content: change.new, mode: 0o644 });
  }
  await writeAll(root, writes);
  for (const change of plan.files) if (change.status === 'removed') await rm(join(root, change.path), { force: true });

  const restore = async (why: string): Promise<never> => {
    log(`rolling back: ${why}`);
    const undo: FileToWrite[] = plan.files.flatMap((c) =>
      c.old !== undefined ? [{ path: c.path, content: c.old }] : [],
    );
    if (undo.length > 0) await writeAll(root, undo);
    for (const c of plan.files) if (c.status === 'new') await rm(join(root, c.path), { force: true });
    if (snapshot !== undefined) {
      const back = await runProgram('ovsdb-client', ['restore', `unix:${plan.ovsdb}`], { stdinFile: snapshot });
      if (back.code !== 0) why += `; restoring the OVS database failed too: ${back.output}`;
    }
    const again = await cycle('ifup', [...plan.ifdown].reverse(), file, log);
    if (again.failed)
      why += `; bringing ${again.failed.name} back up with the previous file failed too: ${again.failed.result.output}`;
    throw applyError(plan.node, `${why}; the previous files, OVS database and interfaces were restored`);
  };

  // ifdown of an OVS stanza deletes its bridge or port: plan against the database as it is now.
  let commands = plan.ovs?.commands ?? [];
  if (plan.ovsdb) {
    const now = await readLiveOvs(plan.ovsdb);
    if ('unreachable' in now) await restore(now.unreachable);
    else commands = ovsPlan(rendered.ovs, now).commands;
  }
  for (const command of commands) {
    log(`ovs-vsctl ${command.join(' ')}`);
    const result = await vsctl(command);
    if (result.code !== 0) await restore(`ovs-vsctl ${command.join(' ')} failed: ${result.output}`);
  }
  const up = await cycle('ifup', plan.ifup, file, log);
  if (up.failed) {
    await cycle('ifdown', [up.failed.name, ...[...up.done].reverse()], file, log);
    await restore(`ifup ${up.failed.name} failed: ${up.failed.result.output.split('\n').slice(-3).join(' ')}`);
  }
  return { plan, applied: true };
}
