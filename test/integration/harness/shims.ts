/**
 * Small programs put first on PATH while a rendered file is applied.
 *
 * - `ovs-vsctl`: the real one, pointed at the test's database, plus
 *   `-- set Bridge NAME datapath_type=netdev` on every `add-br` that does not choose a
 *   datapath itself: the kernel datapath module is missing here, and a bridge on the
 *   userspace datapath is otherwise identical. Every call is logged for reports.
 * - `systemctl` / `service`: openvswitch-switch's ifupdown hook starts the system OVS service
 *   unless it looks active; these say "active" for openvswitch-switch (the test's own daemons
 *   are running) and fail everything else, so no system service is ever started or queried.
 * - `ip` (only where VLANs are stood in, the kernel having no 8021q): `ip link add link RAW
 *   name NAME type vlan id N`, as bridge-utils and vlan's hooks call it to re-create a VLAN
 *   after an ifdown, makes the same veth stand-in the harness made before the first ifup. Its
 *   other end, `STAND_IN_PEER_PREFIX...`, stays in the namespace (the peer namespace is not
 *   reachable from the private mount namespace) and is left out of state comparisons.
 * - `dhclient`: a `inet dhcp` stanza would start a real DHCP client that keeps running and
 *   never gets an answer inside a namespace. The stub records the request and brings the link
 *   up, which is the part of DHCP the host state checks can see.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

async function writeExecutable(path: string, text: string): Promise<void> {
  await writeFile(path, text);
  await chmod(path, 0o755);
}

/**
 * Write the ovs-vsctl wrapper into `binDir`. `realVsctl` is the absolute path of the real
 * program (the wrapper must not find itself on PATH).
 */
export async function writeOvsVsctlShim(
  binDir: string,
  realVsctl: string,
  socket: string,
  logFile: string,
): Promise<void> {
  await mkdir(binDir, { recursive: true });
  await writeExecutable(
    join(binDir, 'ovs-vsctl'),
    `#!/bin/bash
# Test shim (reclass-net integration harness): real ovs-vsctl on the test database,
# userspace datapath for new bridges. See test/integration/harness/shims.ts.
args=("$@")
extra=()
db=(--db=unix:${socket})
case " $* " in *" --db="*|*" --db "*) db=() ;; esac
case " $* " in
  *datapath_type=*) ;;   # the caller chose a datapath: leave it alone
  *)
    for ((i = 0; i < \${#args[@]}; i++)); do
      [[ \${args[i]} == add-br ]] || continue
      (( i + 1 < \${#args[@]} )) || continue
      # "add-br BRIDGE PARENT VLAN" makes a fake bridge, which has no datapath of its own.
      if (( i + 3 < \${#args[@]} )) && [[ \${args[i+2]} != -* && \${args[i+3]} =~ ^[0-9]+$ ]]; then continue; fi
      extra+=(-- set Bridge "\${args[i+1]}" datapath_type=netdev)
    done
    ;;
esac
{ printf '%q ' ovs-vsctl "$@"; printf '\\n'; } >> ${JSON.stringify(logFile)}
exec ${JSON.stringify(realVsctl)} "\${db[@]}" "$@" "\${extra[@]}"
`,
  );
}

/** Write the systemctl, service and dhclient stubs into `binDir`; stubs log to `logFile`. */
export async function writeHostShims(binDir: string, logFile: string): Promise<void> {
  await mkdir(binDir, { recursive: true });
  const log = JSON.stringify(logFile);
  await writeExecutable(
    join(binDir, 'systemctl'),
    `#!/bin/sh
# Test shim: the test's own OVS daemons stand in for openvswitch-switch.service.
echo "systemctl $*" >> ${log}
case "$*" in
  *is-active*openvswitch-switch*) exit 0 ;;
  *) exit 1 ;;
esac
`,
  );
  await writeExecutable(
    join(binDir, 'service'),
    `#!/bin/sh
# Test shim: never start or stop a system service from a test.
echo "service $*" >> ${log}
exit 1
`,
  );
  await writeExecutable(
    join(binDir, 'dhclient'),
    `#!/bin/sh
# Test stub: no DHCP server exists in a test namespace, and a real client would keep running.
echo "dhclient $*" >> ${log}
for last in "$@"; do :; done
case " $* " in *" -r "*|*" -x "*) exit 0 ;; esac
ip link set dev "$last" up
`,
  );
}

/** Names of the far ends of VLAN stand-ins the `ip` shim makes: not part of the host. */
export const STAND_IN_PEER_PREFIX = 'rntsb';

/** Write the `ip` wrapper that stands a veth in for each VLAN a hook creates (see above). */
export async function writeVlanStandInShim(binDir: string, realIp: string, logFile: string): Promise<void> {
  await mkdir(binDir, { recursive: true });
  await writeExecutable(
    join(binDir, 'ip'),
    `#!/bin/bash
# Test shim: no 8021q here, so a VLAN a hook creates becomes a veth stand-in of that name.
if [[ $1 == link && $2 == add && " $* " == *" type vlan "* ]]; then
  args=("$@")
  for ((i = 0; i < \${#args[@]} - 1; i++)); do [[ \${args[i]} == name ]] && name=\${args[i+1]}; done
  peer=${STAND_IN_PEER_PREFIX}$$
  echo "ip $* (stood in by veth $name/$peer)" >> ${JSON.stringify(logFile)}
  ${JSON.stringify(realIp)} link add "$name" type veth peer name "$peer" && exec ${JSON.stringify(realIp)} link set "$peer" up
  exit 1
fi
exec ${JSON.stringify(realIp)} "$@"
`,
  );
}
