/**
 * The ovs-vsctl commands that bring a live database to a model: of each transaction of
 * ovsTransactions(model), the parts the live database does not already satisfy. A missing
 * bridge or port keeps its whole transaction (add and configure together); a present one
 * keeps only the `set`s whose values differ. Ports a managed bridge has beyond the model's
 * are removed. Nothing is printed for a database that matches.
 */
import type { LiveOvs, OvsValue } from '../ovs/ovsdb.js';

export interface OvsPlan {
  /** ovs-vsctl argument vectors, in the model's order. */
  commands: string[][];
  /** Parts of the model this comparison cannot judge (ovs_extra commands other than set). */
  unchecked: string[][];
}

const HEADS = new Set(['add-br', 'add-port', 'add-bond']);

/** A transaction split at its `--` separators, options of each part kept. */
function parts(argv: readonly string[]): string[][] {
  const out: string[][] = [];
  let part: string[] = [];
  for (const arg of argv) {
    if (arg !== '--') part.push(arg);
    else {
      out.push(part);
      part = [];
    }
  }
  out.push(part);
  return out.filter((p) => p.length > 0);
}

/** The command of a part, '' for a part of options alone. */
const verb = (part: readonly string[]) => part.find((a) => !a.startsWith('--')) ?? '';
const operands = (part: readonly string[]) => part.slice(part.indexOf(verb(part)) + 1);

/** A value as ovs-vsctl prints it, as a comparable string: sets and maps sorted. */
function normalLive(value: OvsValue | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value))
    return value
      .map((v) => normalLive(v))
      .sort()
      .join(',');
  if (typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${k}=${normalLive(v)}`)
      .sort()
      .join(',');
  return String(value);
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

function normalWanted(text: string): string {
  const t = text.trim();
  if ((t.startsWith('[') && t.endsWith(']')) || (t.startsWith('{') && t.endsWith('}'))) {
    return t
      .slice(1, -1)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => s.split('=').map(unquote).join('='))
      .sort()
      .join(',');
  }
  return unquote(t);
}

/** Whether `column[:key]=value` already holds in `row`. */
function holds(row: Record<string, OvsValue> | undefined, assignment: string): boolean {
  if (!row) return false;
  const eq = assignment.indexOf('=');
  if (eq < 0) return false;
  const [lhs, value] = [assignment.slice(0, eq), assignment.slice(eq + 1)];
  const colon = lhs.indexOf(':');
  if (colon >= 0) {
    const map = row[lhs.slice(0, colon)];
    const key = unquote(lhs.slice(colon + 1));
    return (
      map !== undefined &&
      typeof map === 'object' &&
      !Array.isArray(map) &&
      key in map &&
      normalLive(map[key]) === normalWanted(value)
    );
  }
  return normalLive(row[lhs]) === normalWanted(value);
}

function headSatisfied(live: LiveOvs, head: readonly string[]): boolean {
  const [bridge, name] = operands(head);
  if (verb(head) === 'add-br') return bridge in live.Bridge;
  const port = live.Port[name];
  return port !== undefined && ((live.Bridge[bridge]?.ports as OvsValue[] | undefined) ?? []).includes(name);
}

/**
 * The plan for `transactions` (ovsTransactions of the model) against `live`.
 * @example
 * ovsPlan([['--may-exist', 'add-br', 'br-ex']], live).commands; // [] when br-ex exists
 */
export function ovsPlan(transactions: readonly string[][], live: LiveOvs): OvsPlan {
  const commands: string[][] = [];
  const unchecked: string[][] = [];
  const wantedPorts = new Map<string, Set<string>>();
  for (const txn of transactions) {
    const [first, ...rest] = parts(txn);
    if (first && HEADS.has(verb(first))) {
      const [bridge, name] = operands(first);
      if (verb(first) === 'add-br') wantedPorts.set(bridge, wantedPorts.get(bridge) ?? new Set([bridge]));
      else wantedPorts.set(bridge, (wantedPorts.get(bridge) ?? new Set([bridge])).add(name));
      if (!headSatisfied(live, first)) {
        commands.push([...txn]);
        continue;
      }
    }
    const needed: string[][] = [];
    for (const part of first && HEADS.has(verb(first)) ? rest : [first, ...rest]) {
      if (verb(part) !== 'set') {
        unchecked.push(part);
        continue;
      }
      const [table, record, ...assignments] = operands(part);
      const row = (live as unknown as Record<string, Record<string, Record<string, OvsValue>>>)[table]?.[record];
      const missing = assignments.filter((a) => !holds(row, a));
      if (missing.length > 0) needed.push(['set', table, record, ...missing]);
    }
    if (needed.length > 0) commands.push(needed.flatMap((p, i) => (i === 0 ? p : ['--', ...p])));
  }
  // Ports of a managed bridge that the model no longer has.
  for (const [bridge, ports] of wantedPorts) {
    for (const port of ((live.Bridge[bridge]?.ports as OvsValue[] | undefined) ?? []).map(String).sort()) {
      if (!ports.has(port)) commands.push(['--if-exists', 'del-port', bridge, port]);
    }
  }
  return { commands, unchecked };
}
