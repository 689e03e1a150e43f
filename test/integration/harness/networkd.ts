/**
 * systemd-networkd (Debian's systemd) applying the files `netplan generate` wrote, inside a
 * network namespace and a private mount namespace, with no systemd, dbus or udev:
 * - /run/systemd is a private tmpfs holding the generated `.network` / `.netdev` files (and
 *   networkd's state dir, owned by systemd-network, as networkd drops privileges to it);
 * - /etc/systemd/network is covered by an empty dir, so the host's own files play no part;
 * - /sys is remounted read-only: networkd then takes udev as absent and does not wait for
 *   it to initialise each link (it would wait forever here);
 * - it runs until every link it manages is configured (or failed), read from its state files,
 *   and is killed by the script: the kernel state stays behind for the test to read.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunResult } from './exec.js';
import type { Netns } from './netns.js';

export const NETWORKD = '/lib/systemd/systemd-networkd';

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Applies `generatedRoot/run/systemd/network/*` in `ns`. Returns networkd's log and the link
 * states it reached (`ADMIN_STATE` per link).
 */
export async function applyWithNetworkd(
  ns: Netns,
  generatedRoot: string,
  scratch: string,
  timeoutSeconds = 30,
): Promise<{ result: RunResult; adminStates: Record<string, string> }> {
  const source = join(generatedRoot, 'run/systemd/network');
  const files = await readdir(source).catch(() => [] as string[]);
  const script = [
    'set -eu',
    'mount -t tmpfs -o mode=0755 rnt-systemd /run/systemd',
    'mkdir -p /run/systemd/network /run/systemd/netif/links /run/systemd/netif/leases /run/systemd/netif/lldp',
    ...(files.length > 0 ? [`cp ${quote(source)}/* /run/systemd/network/`] : []),
    'chown -R systemd-network:systemd-network /run/systemd/netif',
    `mkdir -p ${quote(join(scratch, 'empty'))}`,
    `mount --bind ${quote(join(scratch, 'empty'))} /etc/systemd/network`,
    'mount -o remount,ro /sys',
    `SYSTEMD_LOG_LEVEL=info SYSTEMD_LOG_TARGET=console ${NETWORKD} > ${quote(join(scratch, 'networkd.log'))} 2>&1 &`,
    'pid=$!',
    // Settled: every managed link's state file says configured, failed or unmanaged.
    `i=0; while [ $i -lt ${timeoutSeconds * 5} ]; do`,
    '  sleep 0.2; i=$((i+1))',
    '  busy=0; any=0',
    '  for f in /run/systemd/netif/links/*; do [ -e "$f" ] || continue; any=1',
    '    grep -Eq "^ADMIN_STATE=(pending|initialized|configuring)$" "$f" && busy=1; done',
    '  [ $any = 1 ] && [ $busy = 0 ] && break',
    'done',
    'for f in /run/systemd/netif/links/*; do echo "link $(basename $f) $(grep ^ADMIN_STATE= $f)"; done',
    'ip -o link show | sed "s/^/ip /"',
    'kill $pid; wait $pid 2>/dev/null || true',
    `cat ${quote(join(scratch, 'networkd.log'))} >&2`,
  ].join('\n');
  const result = await ns.exec('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
    timeoutMs: (timeoutSeconds + 30) * 1000,
  });
  const ifnames = new Map([...result.stdout.matchAll(/^ip (\d+): ([^:@]+)[:@]/gm)].map((m) => [m[1], m[2]]));
  const adminStates: Record<string, string> = {};
  for (const m of result.stdout.matchAll(/^link (\d+) ADMIN_STATE=(\S+)$/gm))
    adminStates[ifnames.get(m[1]) ?? m[1]] = m[2]!;
  return { result, adminStates };
}
