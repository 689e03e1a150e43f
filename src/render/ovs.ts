/**
 * Model -> Open vSwitch commands and `ovs-setup.sh`. Every object is one ovs-vsctl
 * transaction (objects joined by `--`), created with `--may-exist` and configured with `set`,
 * so a second run finds everything in place and changes nothing.
 */
import { mustGet, present } from '../invariant.js';
import type { NetworkInterface, NetworkModel } from '../network/types.js';
import { assertRenderableModel } from './guard.js';
import { headerLabel } from './labels.js';
import {
  dpdkPortSettings,
  isOvsSystemPort,
  openVswitchSettings,
  ovsBondSettings,
  ovsBridgeSettings,
  ovsPortSettings,
  type Command,
} from './ovs-settings.js';
import { shellCommand } from './shell.js';
import { renderTemplate } from './templates.js';

/**
 * The ovs-vsctl invocations, as argument vectors (without the program name), parents first.
 * @example
 * for (const argv of ovsTransactions(model)) spawnSync('ovs-vsctl', ['--db=unix:/tmp/db.sock', ...argv]);
 */
export function ovsTransactions(model: NetworkModel): Command[] {
  assertRenderableModel(model);
  const byName = new Map(model.interfaces.map((i) => [i.name, i]));
  // Host-wide settings first: DPDK must be initialised before a DPDK port is added.
  const transactions: Command[] = model.interfaces.some((i) => i.enabled && i.kind.startsWith('ovs-'))
    ? openVswitchSettings(model.host.ovsOtherConfig)
    : [];
  for (const name of model.order) {
    const iface = mustGet(byName, name, 'interface');
    if (!iface.enabled) continue;
    const txn = transaction(iface, (n) => byName.get(n));
    if (txn) transactions.push(txn);
  }
  return transactions;
}

function transaction(
  iface: NetworkInterface,
  lookup: (name: string) => NetworkInterface | undefined,
): Command | undefined {
  let head: Command;
  let settings: Command[];
  switch (iface.kind) {
    case 'ovs-bridge':
      head = ['--may-exist', 'add-br', iface.name];
      settings = ovsBridgeSettings(iface);
      break;
    case 'ovs-internal-port':
      head = ['--may-exist', 'add-port', bridgeOf(iface), iface.name];
      settings = ovsPortSettings(iface, [['set', 'Interface', iface.name, 'type=internal']]);
      break;
    case 'ovs-patch-port':
      // Type and peer in the same transaction: a patch port never exists without its peer.
      head = ['--may-exist', 'add-port', bridgeOf(iface), iface.name];
      settings = ovsPortSettings(iface, [
        [
          'set',
          'Interface',
          iface.name,
          'type=patch',
          `options:peer=${present(iface.peer, `the peer of patch port ${iface.name}`)}`,
        ],
      ]);
      break;
    case 'ovs-bond':
      head = ['--may-exist', 'add-bond', bridgeOf(iface), iface.name, ...(iface.ovsBondSlaves ?? [])];
      settings = ovsBondSettings(iface, lookup);
      break;
    case 'ovs-dpdk-port':
      // A bond member is added by its bond's add-bond.
      if (iface.ovsBridge === undefined) return undefined;
      head = ['--may-exist', 'add-port', iface.ovsBridge, iface.name];
      settings = dpdkPortSettings(iface);
      break;
    default:
      if (!isOvsSystemPort(iface)) return undefined;
      head = ['--may-exist', 'add-port', bridgeOf(iface), iface.name];
      settings = ovsPortSettings(iface);
  }
  return [...head, ...settings.flatMap((s) => ['--', ...s])];
}

/** The bridge of an OVS port or bond, which the model always sets for these kinds. */
function bridgeOf(iface: NetworkInterface): string {
  return present(iface.ovsBridge, `the OVS bridge of ${iface.name}`);
}

/**
 * The commands as shell lines, `ovs-vsctl ...`, each argument quoted.
 * @example
 * ovsCommands(model); // ['ovs-vsctl --may-exist add-br br-int -- set Bridge br-int datapath_type=netdev', ...]
 */
export function ovsCommands(model: NetworkModel): string[] {
  return ovsTransactions(model).map((args) => shellCommand(['ovs-vsctl', ...args]));
}

/**
 * The script. Its arguments go to every ovs-vsctl call (`sh ovs-setup.sh --db=unix:PATH`),
 * so the same file serves a host's default database and a test's private one.
 * @example
 * await writeFile('ovs-setup.sh', renderOvsScript(model), { mode: 0o755 });
 * // then: sh ovs-setup.sh --db=unix:/run/openvswitch/db.sock
 */
export function renderOvsScript(model: NetworkModel): string {
  const lines = ovsTransactions(model).map((args) => `ovs-vsctl "$@" ${shellCommand(args)}`);
  return renderTemplate('ovs-setup.sh.njk', { node: headerLabel(model.node), lines });
}
