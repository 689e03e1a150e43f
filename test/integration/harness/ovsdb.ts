/**
 * Reading the Open vSwitch database: OVSDB JSON (as printed by `ovs-vsctl --format=json list`
 * and `ovsdb-client dump --format=json`) decoded into plain values, the typed view the tests
 * compare with a pillar, and a configuration snapshot that proves a second application of
 * ovs-setup.sh changed nothing.
 */

// OVSDB's JSON is decoded by the production reader of the live database (`diff`, `apply`):
// a format, not a judgement, so the tests need no decoder of their own.
import { type Json, type OvsRow, type OvsValue, decodeTable } from '../../../src/ovs/ovsdb.js';

export { decodeTable, type OvsRow, type OvsValue } from '../../../src/ovs/ovsdb.js';

/** A datum as text, as String() shows it, with a map (never one where this is used) as JSON. */
function asText(value: OvsValue | undefined): string {
  if (Array.isArray(value)) return value.map(asText).join(',');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** An optional scalar column (OVSDB encodes "absent" as an empty set). */
function optional<T extends OvsValue>(value: OvsValue | undefined): T | undefined {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return undefined;
  return (Array.isArray(value) && value.length === 1 ? value[0] : value) as T;
}

function list(value: OvsValue | undefined): OvsValue[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function stringMap(value: OvsValue | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, entry] of Object.entries(value)) result[key] = asText(entry);
  }
  return result;
}

export interface OvsBridge {
  name: string;
  ports: string[];
  /** `''` is the default (kernel "system") datapath; tests run with `netdev`. */
  datapathType: string;
  failMode?: string;
  otherConfig: Record<string, string>;
}

export interface OvsPort {
  name: string;
  /** The bridge that lists this port (undefined for an orphan row). */
  bridge?: string;
  interfaces: string[];
  tag?: number;
  trunks: number[];
  vlanMode?: string;
  bondMode?: string;
  lacp?: string;
  otherConfig: Record<string, string>;
}

export interface OvsInterface {
  name: string;
  /** `''` for a system (kernel) device, else internal, patch, ... */
  type: string;
  options: Record<string, string>;
  mtuRequest?: number;
  /** The MTU ovs-vswitchd reports (ephemeral, written by the daemon). */
  mtu?: number;
  error?: string;
  ofport?: number;
}

export interface OvsState {
  bridges: Record<string, OvsBridge>;
  ports: Record<string, OvsPort>;
  interfaces: Record<string, OvsInterface>;
}

/** Build the typed view from the Bridge, Port and Interface tables (as `ovs-vsctl list` rows). */
export function buildOvsState(bridgeRows: OvsRow[], portRows: OvsRow[], interfaceRows: OvsRow[]): OvsState {
  const interfaceName = new Map(interfaceRows.map((row) => [asText(row._uuid), asText(row.name)]));
  const portName = new Map(portRows.map((row) => [asText(row._uuid), asText(row.name)]));
  const state: OvsState = { bridges: {}, ports: {}, interfaces: {} };
  const bridgeOfPort = new Map<string, string>();
  for (const row of bridgeRows) {
    const name = asText(row.name);
    const ports = list(row.ports).map((uuid) => portName.get(asText(uuid)) ?? asText(uuid));
    for (const port of ports) bridgeOfPort.set(port, name);
    const bridge: OvsBridge = {
      name,
      ports: ports.sort(),
      datapathType: asText(row.datapath_type ?? ''),
      otherConfig: stringMap(row.other_config),
    };
    const failMode = optional<string>(row.fail_mode);
    if (failMode !== undefined) bridge.failMode = failMode;
    state.bridges[name] = bridge;
  }
  for (const row of portRows) {
    const name = asText(row.name);
    const port: OvsPort = {
      name,
      interfaces: list(row.interfaces)
        .map((uuid) => interfaceName.get(asText(uuid)) ?? asText(uuid))
        .sort(),
      trunks: list(row.trunks).map(Number),
      otherConfig: stringMap(row.other_config),
    };
    const bridge = bridgeOfPort.get(name);
    if (bridge !== undefined) port.bridge = bridge;
    const tag = optional<number>(row.tag);
    if (tag !== undefined) port.tag = Number(tag);
    const vlanMode = optional<string>(row.vlan_mode);
    if (vlanMode !== undefined) port.vlanMode = vlanMode;
    const bondMode = optional<string>(row.bond_mode);
    if (bondMode !== undefined) port.bondMode = bondMode;
    const lacp = optional<string>(row.lacp);
    if (lacp !== undefined) port.lacp = lacp;
    state.ports[name] = port;
  }
  for (const row of interfaceRows) {
    const name = asText(row.name);
    const iface: OvsInterface = { name, type: asText(row.type ?? ''), options: stringMap(row.options) };
    const mtuRequest = optional<number>(row.mtu_request);
    if (mtuRequest !== undefined) iface.mtuRequest = Number(mtuRequest);
    const mtu = optional<number>(row.mtu);
    if (mtu !== undefined) iface.mtu = Number(mtu);
    const error = optional<string>(row.error);
    if (error !== undefined) iface.error = error;
    const ofport = optional<number>(row.ofport);
    if (ofport !== undefined) iface.ofport = Number(ofport);
    state.interfaces[name] = iface;
  }
  return state;
}

/**
 * Columns that ovs-vswitchd or ovs-vsctl write on their own, not configuration: besides the
 * schema's `ephemeral` columns (statistics, status, link state, ...) these are
 * the reconfiguration counters (every waiting ovs-vsctl call bumps next_cfg, and the daemon
 * echoes it in cur_cfg) and the facts the daemon records about itself and its datapath.
 * A no-op ovs-setup.sh may change these; it must not change anything else.
 */
const VOLATILE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  Open_vSwitch: [
    'next_cfg',
    'cur_cfg',
    'statistics',
    'datapath_types',
    'iface_types',
    'dpdk_initialized',
    'dpdk_version',
  ],
  Bridge: ['datapath_id', 'datapath_version', 'status', 'rstp_status'],
  Port: ['status', 'rstp_status', 'rstp_statistics', 'statistics', 'bond_active_slave'],
  Interface: [
    'mac_in_use',
    'ifindex',
    'ofport',
    'error',
    'bfd_status',
    'cfm_remote_mpids',
    'cfm_fault',
    'cfm_fault_status',
    'cfm_remote_opstate',
    'cfm_health',
    'cfm_flap_count',
    'lacp_current',
    'statistics',
    'status',
    'admin_state',
    'link_state',
    'link_resets',
    'link_speed',
    'duplex',
    'mtu',
  ],
  Mirror: ['statistics'],
  Controller: ['is_connected', 'role', 'status'],
  Manager: ['is_connected', 'status'],
  Datapath: ['capabilities'],
};

/** Configuration of every table: table -> row uuid -> column -> value (volatile columns dropped). */
export type DbSnapshot = Record<string, Record<string, OvsRow>>;

/**
 * Parse `ovsdb-client dump --format=json` output (one table object per line, captioned
 * "NAME table"). Row uuids are kept: a script that deletes and re-creates a row "to be
 * idempotent" changes the database and must be caught.
 */
export function parseDump(text: string): DbSnapshot {
  const snapshot: DbSnapshot = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const table = JSON.parse(line) as { caption: string; headings: string[]; data: Json[][] };
    const name = table.caption.replace(/ table$/, '');
    const volatile = new Set(VOLATILE_COLUMNS[name] ?? []);
    const rows: Record<string, OvsRow> = {};
    for (const row of decodeTable(table)) {
      const kept: OvsRow = {};
      for (const [column, value] of Object.entries(row))
        if (column !== '_uuid' && !volatile.has(column)) kept[column] = value;
      rows[asText(row._uuid)] = kept;
    }
    snapshot[name] = rows;
  }
  return snapshot;
}

/** Human-readable differences between two snapshots; empty when they are equal. */
export function diffSnapshots(before: DbSnapshot, after: DbSnapshot): string[] {
  const differences: string[] = [];
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[table] ?? {};
    const b = after[table] ?? {};
    for (const uuid of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const label = `${table} ${asText(a[uuid]?.name ?? b[uuid]?.name ?? '')} ${uuid}`.replace(/ +/g, ' ');
      if (!(uuid in b)) differences.push(`${label}: row deleted`);
      else if (!(uuid in a)) differences.push(`${label}: row added ${JSON.stringify(b[uuid])}`);
      else {
        for (const column of new Set([...Object.keys(a[uuid]), ...Object.keys(b[uuid])])) {
          const x = JSON.stringify(a[uuid][column]);
          const y = JSON.stringify(b[uuid][column]);
          if (x !== y) differences.push(`${label}: ${column} ${x} -> ${y}`);
        }
      }
    }
  }
  return differences;
}
