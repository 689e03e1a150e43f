/**
 * Applying an interfaces file with Debian's ifupdown inside a namespace, as on a real host.
 *
 * ifup runs in a private mount namespace (`ip netns exec NS unshare --mount --propagation
 * private`) where the host's own files are replaced by the test's:
 * - /etc/network: a copy of the host's hook directories (if-*.d: bridge-utils, openvswitch,
 *   ifenslave, vlan, ...) plus the rendered files at their real paths, so `source` lines,
 *   route hooks and the hooks' own nested `ifup --allow=...` / `ifquery` calls (which read
 *   /etc/network/interfaces and /run/network) all see the rendered configuration;
 * - /run: an empty tmpfs with /run/network bound to the test's state dir and, when OVS is
 *   used, /run/openvswitch (= /var/run/openvswitch) bound to the test's OVS run dir, where
 *   openvswitch-switch's hook finds the default db.sock of the test's daemons;
 * - /usr/local/sbin (first on the PATH ifupdown gives its hooks) and /usr/sbin/dhclient:
 *   the shims of shims.ts.
 * The command is `ifup -i /etc/network/interfaces --state-dir /run/network -a`.
 */
import { constants } from 'node:fs';
import { access, chmod, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { type RunResult, which } from './exec.js';
import type { Netns } from './netns.js';
import type { Ovs } from './ovs.js';
import { writeHostShims, writeOvsVsctlShim, writeVlanStandInShim } from './shims.js';

export const HOOK_DIRS = ['if-pre-up.d', 'if-up.d', 'if-down.d', 'if-post-down.d'] as const;

export interface ApplyOptions {
  /** Rendered files by absolute path; must contain /etc/network/interfaces. */
  files: Record<string, string>;
  /** A scratch dir owned by the caller (removed by the caller). */
  dir: string;
  /** OVS daemons the openvswitch hook should talk to. */
  ovs?: Ovs;
  /** VLANs are veth stand-ins (no 8021q): hooks that re-create a VLAN get one too. */
  vlanStandIns?: boolean;
  /** Host hooks (file names in if-*.d) to leave out, e.g. `ifenslave` when bonds are stood in. */
  disableHooks?: readonly string[];
  /**
   * Interfaces to look up with `ifquery` after ifup: the options ifupdown read for each
   * (vlan-raw-device, bond-slaves, ...), for configuration checks where the kernel cannot
   * show the result (missing modules).
   */
  query?: readonly string[];
  /** Extra ifup arguments (default: verbose, so reports show every command ifupdown ran). */
  ifupArgs?: readonly string[];
  /**
   * The ifupdown runs to make, in order, each `[program, ...arguments]` (e.g. `['ifdown',
   * 'br-ex']`), all on the same file and state dir; the first failure ends the sequence.
   * Default: one `ifup -a`.
   */
  steps?: ReadonlyArray<readonly ['ifup' | 'ifdown', ...string[]]>;
  timeoutMs?: number;
}

export interface ApplyResult {
  result: RunResult;
  /** ifup's exit code (the script's own setup failures are reported as exceptions). */
  ok: boolean;
  /** Contents of the state dir's ifstate file: interfaces ifupdown considers up. */
  upInterfaces: string[];
  /** Calls made to the systemctl/service/dhclient shims. */
  shimCalls: string[];
  /** `ifquery` output per queried interface (option -> value); undefined if ifupdown does not know it. */
  queries: Record<string, Record<string, string> | undefined>;
  /** Rendered files that were not placed (outside /etc/network: modprobe.d, ...). */
  ignoredFiles: string[];
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** Build the private /etc/network: host hooks (minus disabled ones) plus the rendered files. */
async function buildEtcNetwork(
  root: string,
  files: Record<string, string>,
  disableHooks: readonly string[],
): Promise<string[]> {
  await mkdir(join(root, 'interfaces.d'), { recursive: true });
  for (const hookDir of HOOK_DIRS) {
    const target = join(root, hookDir);
    await mkdir(target, { recursive: true });
    const source = join('/etc/network', hookDir);
    if (!(await exists(source))) continue;
    for (const entry of await readdir(source)) {
      // A further run on the same host (a re-run, a bridge's ifdown/ifup) finds them in place.
      if (disableHooks.includes(entry) || (await exists(join(target, entry)))) continue;
      await cp(join(source, entry), join(target, entry), { verbatimSymlinks: true, recursive: true });
    }
  }
  const ignored: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    const relative = posix.relative('/etc/network', path);
    if (!posix.isAbsolute(path) || relative.startsWith('..') || relative === '') {
      ignored.push(path);
      continue;
    }
    const target = join(root, relative);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
    // Hook scripts a renderer adds (e.g. if-up.d/route-IF) must be executable to run.
    if ((HOOK_DIRS as readonly string[]).includes(relative.split('/')[0] ?? '')) await chmod(target, 0o755);
  }
  return ignored;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export async function applyInterfaces(ns: Netns, options: ApplyOptions): Promise<ApplyResult> {
  if (options.files['/etc/network/interfaces'] === undefined)
    throw new Error('files must contain /etc/network/interfaces');
  const dir = options.dir;
  const etc = join(dir, 'etc-network');
  const state = join(dir, 'ifstate');
  const shims = join(dir, 'shims');
  const shimLog = join(dir, 'shim-calls.log');
  await mkdir(state, { recursive: true });
  const ignoredFiles = await buildEtcNetwork(etc, options.files, options.disableHooks ?? []);
  await writeHostShims(shims, shimLog);
  await writeFile(shimLog, ''); // the calls of this run alone, on a host run again
  if (options.vlanStandIns) {
    const realIp = await which('ip');
    if (!realIp) throw new Error('ip not found');
    await writeVlanStandInShim(shims, realIp, shimLog);
  }
  if (options.ovs) {
    const realVsctl = await which('ovs-vsctl');
    if (!realVsctl) throw new Error('ovs-vsctl not found');
    await writeOvsVsctlShim(shims, realVsctl, options.ovs.socket, join(options.ovs.dir, 'ovs-vsctl-calls.log'));
  }
  const dhclient = (await which('dhclient')) ? '/usr/sbin/dhclient' : undefined;

  const common = ['-i', '/etc/network/interfaces', '--state-dir', '/run/network', ...(options.ifupArgs ?? ['-v'])];
  const steps = options.steps ?? [['ifup', '-a']];
  const lines = [
    '#!/bin/bash',
    '# Generated by test/integration/harness/ifupdown.ts; runs in a private mount namespace.',
    'set -euo pipefail',
    'mount -t tmpfs -o mode=0755 rnt-run /run',
    'mkdir -p /run/network /run/openvswitch /run/lock',
    `mount --bind ${shellQuote(state)} /run/network`,
    ...(options.ovs ? [`mount --bind ${shellQuote(options.ovs.dir)} /run/openvswitch`] : []),
    `mount --bind ${shellQuote(etc)} /etc/network`,
    `mount --bind ${shellQuote(shims)} /usr/local/sbin`,
    ...(dhclient && (await exists(dhclient))
      ? [`mount --bind ${shellQuote(join(shims, 'dhclient'))} ${dhclient}`]
      : []),
    'set +e',
    'code=0',
    ...steps.map(
      ([program, ...args]) =>
        `[ $code -ne 0 ] || { echo ${shellQuote(`rnt: ${program} ${args.join(' ')}`)} >&2; ${program} ${[...common, ...args].map(shellQuote).join(' ')}; code=$?; }`,
    ),
    'echo "rnt: ifup exit $code" >&2',
    `mkdir -p ${shellQuote(join(dir, 'query'))}`,
    ...(options.query ?? []).map(
      (name, index) =>
        `ifquery -i /etc/network/interfaces --state-dir /run/network ${shellQuote(name)} > ${shellQuote(join(dir, 'query', String(index)))} 2>/dev/null || rm -f ${shellQuote(join(dir, 'query', String(index)))}`,
    ),
    'exit $code',
    '',
  ];
  const script = join(dir, 'ifup.sh');
  await writeFile(script, lines.join('\n'));
  await chmod(script, 0o755);

  const result = await ns.exec('unshare', ['--mount', '--propagation', 'private', script], {
    timeoutMs: options.timeoutMs ?? 180_000,
  });
  if (!/rnt: ifup exit \d+/.test(result.stderr)) {
    throw new Error(`could not set up the private mount namespace for ifup:\n${result.stderr}`);
  }
  let upInterfaces: string[] = [];
  try {
    upInterfaces = (await readFile(join(state, 'ifstate'), 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    // no ifstate: nothing came up
  }
  let shimCalls: string[] = [];
  try {
    shimCalls = (await readFile(shimLog, 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    // no shim was called
  }
  const queries: Record<string, Record<string, string> | undefined> = {};
  for (const [index, name] of (options.query ?? []).entries()) {
    try {
      const text = await readFile(join(dir, 'query', String(index)), 'utf8');
      queries[name] = parseIfquery(text);
    } catch {
      queries[name] = undefined;
    }
  }
  return { result, ok: result.code === 0 && !result.timedOut, upInterfaces, shimCalls, queries, ignoredFiles };
}

/** `ifquery IFACE` prints `option: value` lines (repeated options are joined with newlines). */
function parseIfquery(text: string): Record<string, string> {
  const options: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([^:\s]+):\s?(.*)$/.exec(line);
    if (!match) continue;
    const [, key, value] = match as unknown as [string, string, string];
    options[key] = key in options ? `${options[key]}\n${value}` : value;
  }
  return options;
}
