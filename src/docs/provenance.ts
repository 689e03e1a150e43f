/**
 * The interfaces table of a node page: each interface's values (type, MTU, address, members,
 * bridge, peer, tag) with, for each, the history of the pillar keys it was made from: which
 * class file and line set it, overrode it, and which `${...}` references it went through.
 */
import { formatCidr } from '../network/ipv4.js';
import type { NetworkInterface } from '../network/types.js';
import { effectiveMtus, mtuText } from './mtu.js';
import { splitPath } from '../resolve/dictpath.js';
import type { ProvenanceStep, ResolvedNode, Value } from '../types.js';
import { publishedPath } from '../publish/paths.js';
import { makeRedactor, type Redactor } from '../publish/redact.js';
import { kindLabel } from './topology.js';

/** Nothing redacted: for callers that publish nothing. */
const SHOW_ALL = makeRedactor([], false);

/** The table's value columns, and the pillar keys each one is read from. */
export const COLUMN_KEYS = {
  name: ['name'],
  type: ['type', 'port_type', 'ovs_port_type'],
  mtu: ['mtu'],
  address: ['address', 'netmask', 'proto'],
  members: ['slaves', 'use_interfaces', 'use_ovs_ports', 'vlan_raw_device', 'master'],
  bridge: ['bridge', 'ovs_bridge'],
  peer: ['peer'],
  tag: ['tag', 'vlan_id', 'ovs_options'],
} as const;

export type Column = keyof typeof COLUMN_KEYS;
const COLUMNS = Object.keys(COLUMN_KEYS) as Column[];

/** One step of a value's history, ready to print. */
export interface StepView {
  kind: ProvenanceStep['kind'];
  /** The class (or node) that wrote the step. */
  source: string;
  /** `file:line:column`, the file relative to the inventory; empty when unknown. */
  where: string;
  /** `basename:line`, for a compact summary; empty when unknown. */
  short: string;
  /** For `reference` steps, the `${...}` path. */
  reference?: string;
  /** The value this step contributed, as text. */
  value?: string;
}

/** The history of one pillar key of one interface. */
export interface KeyHistory {
  /** The full parameter path, `linux:network:interface:KEY:mtu`. */
  path: string;
  /** The pillar key this history is about (`mtu`), or `entry` for the interface's whole mapping. */
  key: string;
  steps: StepView[];
  /** The step that last wrote the key itself (not a value it referenced): what a reader edits. */
  lastWrite?: StepView;
}

/** One row of the interfaces table. */
export interface InterfaceRow {
  key: string;
  name: string;
  kind: string;
  pillarType: string;
  enabled: boolean;
  /** The effective MTU: `9000`, `1500 (default)` where the pillar sets none, `9000 (from bond0)`. */
  mtu: string;
  /** The pillar sets no MTU: the number is the kernel's (or the parent's). */
  mtuDefault: boolean;
  /** OVS bridge datapath type (`system`, `netdev`), '' when not an OVS bridge or not set. */
  datapath: string;
  /** Validation problems that concern this interface. */
  problems: string[];
  address: string;
  members: string[];
  bridge: string;
  peer: string;
  tag: string;
  /** Per column, the histories of the pillar keys that column was read from. */
  history: Record<Column, KeyHistory[]>;
}

const INTERFACE_PATH = ['linux', 'network', 'interface'];

/** Short text for a value in a history line (values are untrusted; the page escapes them). */
export function valueText(value: Value | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** A file path as the reader knows it: relative to the inventory, never the machine's absolute path. */
export function displayPath(root: string, file: string): string {
  return publishedPath(root, file);
}

function stepView(step: ProvenanceStep, root: string, path: (string | number)[], redactor: Redactor): StepView {
  const loc = step.location;
  return {
    kind: step.kind,
    source: step.source,
    where: loc ? `${displayPath(root, loc.file)}:${loc.line}:${loc.column}` : '',
    short: loc ? `${loc.file.split(/[\\/]/).pop()}:${loc.line}` : '',
    reference: step.reference,
    value: valueText(redactor.value(path, step.value)),
  };
}

/**
 * The history of a parameter path, with the last step that wrote the path itself picked out:
 * a `reference` step is followed by the referenced value's own history, which is skipped.
 */
export function keyHistory(
  node: ResolvedNode,
  path: (string | number)[],
  root: string,
  delimiter: string,
  redactor: Redactor = SHOW_ALL,
): KeyHistory {
  const steps = node.provenance(path);
  let lastWrite: ProvenanceStep | undefined;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (step.kind === 'reference') {
      i += step.reference ? node.provenance(splitPath(step.reference, delimiter)).length : 0;
    } else lastWrite = step;
  }
  return {
    path: path.join(delimiter),
    key: path.length === 4 ? 'entry' : String(path[path.length - 1]),
    steps: steps.map((s) => stepView(s, root, path, redactor)),
    lastWrite: lastWrite && stepView(lastWrite, root, path, redactor),
  };
}

function pillarEntry(node: ResolvedNode, key: string): Record<string, Value> {
  let cur: Value | undefined = node.parameters;
  for (const k of [...INTERFACE_PATH, key]) {
    cur = cur && typeof cur === 'object' && !Array.isArray(cur) ? cur[k] : undefined;
  }
  return cur && typeof cur === 'object' && !Array.isArray(cur) ? cur : {};
}

function members(iface: NetworkInterface): string[] {
  if (iface.bond) return iface.bond.slaves;
  if (iface.vlan) return [iface.vlan.rawDevice];
  if (iface.bridgePorts) return iface.bridgePorts;
  if (iface.ovsBondSlaves) return iface.ovsBondSlaves;
  if (iface.ovsPorts) return iface.ovsPorts;
  return [];
}

/** The interfaces table of a node, one row per managed interface, in pillar order. */
export function interfaceRows(
  node: ResolvedNode,
  interfaces: NetworkInterface[],
  root: string,
  delimiter: string,
  redactor: Redactor = SHOW_ALL,
): InterfaceRow[] {
  const mtus = effectiveMtus({ interfaces });
  // A Linux bridge names its ports; the port's row shows the bridge it is in.
  const linuxBridgeOf = new Map<string, string>();
  for (const iface of interfaces) for (const port of iface.bridgePorts ?? []) linuxBridgeOf.set(port, iface.name);
  return interfaces.map((iface) => {
    const entry = pillarEntry(node, iface.key);
    const base = [...INTERFACE_PATH, iface.key];
    const history = {} as Record<Column, KeyHistory[]>;
    for (const column of COLUMNS) {
      const keys = COLUMN_KEYS[column].filter((k) => Object.hasOwn(entry, k));
      history[column] = keys.map((k) => keyHistory(node, [...base, k], root, delimiter, redactor));
      // The name column also tells which classes wrote the interface's entry at all.
      if (column === 'name') history[column].unshift(keyHistory(node, base, root, delimiter, redactor));
    }
    return {
      key: iface.key,
      name: iface.name,
      kind: kindLabel(iface.kind),
      pillarType: iface.pillarType,
      enabled: iface.enabled,
      mtu: mtuText(mtus.get(iface.name)),
      mtuDefault: mtus.get(iface.name)?.origin !== 'pillar',
      datapath: iface.datapathType ?? '',
      problems: [],
      address: iface.address ? formatCidr(iface.address) : iface.proto === 'dhcp' ? 'dhcp' : '',
      members: members(iface),
      bridge: iface.ovsBridge ?? linuxBridgeOf.get(iface.name) ?? iface.bondMaster ?? '',
      peer: iface.peer ?? '',
      tag: iface.tag !== undefined ? String(iface.tag) : iface.vlan ? `VLAN ${iface.vlan.id}` : '',
      history,
    };
  });
}
