/**
 * Runs a reclass-net command (apply, diff) as an operator runs it on a host, but on a
 * namespace host: inside `ip netns exec NS unshare --mount --propagation private`, with the
 * host's /etc/network replaced by ROOT/etc/network (the host's ifupdown hooks copied in),
 * /run/network by a state dir, /run/openvswitch by the test's OVS run dir and
 * /usr/local/sbin by the shims (shims.ts), so `ifup`/`ifdown`/`ovs-vsctl` found on PATH are
 * the real programs acting on the test's host alone.
 */
import { chmod, cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunResult, which } from './exec.js';
import { HOOK_DIRS } from './ifupdown.js';
import type { Netns } from './netns.js';
import type { Ovs } from './ovs.js';
import { writeHostShims, writeOvsVsctlShim } from './shims.js';

const CLI = fileURLToPath(new URL('../../../dist/src/cli/launch.cjs', import.meta.url));

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export interface CommandHost {
  ns: Netns;
  ovs: Ovs;
  /** The host's root: ROOT/etc/network is its /etc/network. */
  root: string;
  /** Scratch: state dir, shims. */
  dir: string;
}

/** Make ROOT/etc/network with the host's hook directories, and the scratch dirs. */
export async function prepareRoot(host: CommandHost): Promise<void> {
  const etc = join(host.root, 'etc/network');
  for (const hookDir of HOOK_DIRS) {
    await mkdir(join(etc, hookDir), { recursive: true });
    let entries: string[] = [];
    try {
      entries = await readdir(join('/etc/network', hookDir));
    } catch {
      continue;
    }
    for (const entry of entries)
      await cp(join('/etc/network', hookDir, entry), join(etc, hookDir, entry), {
        verbatimSymlinks: true,
        recursive: true,
      });
  }
  await mkdir(join(host.dir, 'ifstate'), { recursive: true });
  const shims = join(host.dir, 'shims');
  await writeHostShims(shims, join(host.dir, 'shim-calls.log'));
  const realVsctl = await which('ovs-vsctl');
  if (!realVsctl) throw new Error('ovs-vsctl not found');
  await writeOvsVsctlShim(shims, realVsctl, host.ovs.socket, join(host.dir, 'ovs-vsctl-calls.log'));
}

/** `reclass-net ARGS` on the host; returns its exit code and output. */
export async function reclassNetOnHost(host: CommandHost, args: readonly string[]): Promise<RunResult> {
  const lines = [
    '#!/bin/bash',
    'set -euo pipefail',
    'mount -t tmpfs -o mode=0755 rnt-run /run',
    'mkdir -p /run/network /run/openvswitch /run/lock',
    `mount --bind ${quote(join(host.dir, 'ifstate'))} /run/network`,
    `mount --bind ${quote(host.ovs.dir)} /run/openvswitch`,
    `mount --bind ${quote(join(host.root, 'etc/network'))} /etc/network`,
    `mount --bind ${quote(join(host.dir, 'shims'))} /usr/local/sbin`,
    'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `exec ${quote(process.execPath)} ${quote(CLI)} ${args.map(quote).join(' ')}`,
    '',
  ];
  const script = join(host.dir, 'reclass-net.sh');
  await writeFile(script, lines.join('\n'));
  await chmod(script, 0o755);
  return host.ns.exec('unshare', ['--mount', '--propagation', 'private', script], { timeoutMs: 180_000 });
}
