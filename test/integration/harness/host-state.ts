/**
 * The state of a namespace host that must come back after a re-run, an ifdown/ifup and a
 * reboot: per device what ifupdown and OVS configure (MTU, addresses, master, kind, VLAN, bond
 * mode, up or down), the routes, and the whole OVS configuration keyed by names instead of
 * row uuids, so that two databases built by different paths (ovs-setup.sh, the `ovs_type`
 * stanzas, a reboot) can be compared. What differs between two equal hosts by nature is left
 * out: interface indexes, MAC addresses (veths and OVS taps get random ones), carrier state,
 * and the far ends of VLAN stand-ins made by the `ip` shim.
 */
import type { KernelState } from './kernel.js';
import type { DbSnapshot, OvsValue } from './ovsdb.js';
import { STAND_IN_PEER_PREFIX } from './shims.js';

export interface HostState {
  /** Device name -> its configuration as one comparable line per attribute. */
  links: Record<string, Record<string, string>>;
  routes: string[];
  /** `Table name` -> column -> value (JSON), uuids replaced by the names they point at. */
  ovs: Record<string, Record<string, string>>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Reduce a kernel state and (when OVS runs) a configuration snapshot to what is compared. */
export function hostStateOf(kernel: KernelState, ovs?: DbSnapshot): HostState {
  const links: HostState['links'] = {};
  for (const link of Object.values(kernel.links)) {
    if (link.name.startsWith(STAND_IN_PEER_PREFIX)) continue;
    const view: Record<string, string> = {
      mtu: String(link.mtu),
      up: String(link.up),
      addresses: [...link.addresses].sort().join(' '),
    };
    if (link.kind !== undefined) view.kind = link.kind;
    if (link.master !== undefined) view.master = link.master;
    if (link.vlan) view.vlan = `${link.vlan.id} on ${link.vlan.parent ?? '?'}`;
    if (link.bondMode !== undefined) view.bondMode = link.bondMode;
    links[link.name] = view;
  }
  const routes = kernel.routes
    .map(
      (r) =>
        `${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev ? ` dev ${r.dev}` : ''}${r.metric !== undefined ? ` metric ${r.metric}` : ''}`,
    )
    .sort();
  return { links, routes, ovs: ovs ? ovsByName(ovs) : {} };
}

/**
 * The OVS configuration by table and row name. Rows without a name (Open_vSwitch's single
 * row, QoS, ...) are keyed by their table alone plus a counter in content order, which is
 * stable for equal databases.
 */
function ovsByName(snapshot: DbSnapshot): HostState['ovs'] {
  const names = new Map<string, string>();
  for (const [table, rows] of Object.entries(snapshot)) {
    for (const [uuid, row] of Object.entries(rows))
      if (typeof row.name === 'string') names.set(uuid, `${table} ${row.name}`);
  }
  const rename = (value: OvsValue): OvsValue => {
    if (typeof value === 'string') return UUID.test(value) ? (names.get(value) ?? '(unnamed row)') : value;
    if (Array.isArray(value))
      return value.map(rename).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v)]));
    return value;
  };
  const view: HostState['ovs'] = {};
  for (const [table, rows] of Object.entries(snapshot)) {
    const unnamed: Array<Record<string, string>> = [];
    for (const row of Object.values(rows)) {
      const columns: Record<string, string> = {};
      for (const [column, value] of Object.entries(row)) columns[column] = JSON.stringify(rename(value));
      if (typeof row.name === 'string') view[`${table} ${row.name}`] = columns;
      else unnamed.push(columns);
    }
    unnamed
      .map((columns) => [JSON.stringify(columns), columns] as const)
      .sort(([a], [b]) => a.localeCompare(b))
      .forEach(([, columns], i) => (view[`${table} #${i + 1}`] = columns));
  }
  return view;
}

/**
 * Human-readable differences of `after` from `before` (empty when equal). `parts` limits the
 * comparison, e.g. to the OVS configuration alone.
 */
export function diffHostStates(
  before: HostState,
  after: HostState,
  parts: ReadonlyArray<'links' | 'routes' | 'ovs'> = ['links', 'routes', 'ovs'],
): string[] {
  const differences: string[] = [];
  const records = (
    what: string,
    a: Record<string, Record<string, string>>,
    b: Record<string, Record<string, string>>,
  ) => {
    for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (!(name in b)) differences.push(`${what} ${name}: gone`);
      else if (!(name in a)) differences.push(`${what} ${name}: new ${JSON.stringify(b[name])}`);
      else {
        for (const key of new Set([...Object.keys(a[name]), ...Object.keys(b[name])])) {
          if (a[name][key] !== b[name][key])
            differences.push(`${what} ${name} ${key}: ${a[name][key] ?? '(none)'} -> ${b[name][key] ?? '(none)'}`);
        }
      }
    }
  };
  if (parts.includes('links')) records('device', before.links, after.links);
  if (parts.includes('routes')) {
    for (const route of before.routes) if (!after.routes.includes(route)) differences.push(`route ${route}: gone`);
    for (const route of after.routes) if (!before.routes.includes(route)) differences.push(`route ${route}: new`);
  }
  if (parts.includes('ovs')) records('OVS', before.ovs, after.ovs);
  return differences;
}
