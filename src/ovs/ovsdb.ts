/**
 * The live Open vSwitch database, read with `ovs-vsctl --format=json list TABLE` and decoded
 * from OVSDB's JSON (`["set",[...]]`, `["map",[[k,v],...]]`, `["uuid",u]`) into plain values.
 */
import { execFile } from 'node:child_process';

/** A decoded OVSDB datum: sets become arrays, maps objects, uuids strings. */
export type OvsValue = string | number | boolean | OvsValue[] | { [key: string]: OvsValue };
export type OvsRow = Record<string, OvsValue>;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function decodeDatum(datum: Json): OvsValue {
  if (Array.isArray(datum) && datum.length === 2 && typeof datum[0] === 'string') {
    const [tag, body] = datum as [string, Json];
    if ((tag === 'uuid' || tag === 'named-uuid') && typeof body === 'string') return body;
    if (tag === 'set') return (body as Json[]).map(decodeDatum);
    if (tag === 'map') {
      const object: { [key: string]: OvsValue } = {};
      for (const [key, value] of body as [Json, Json][]) object[atomText(decodeDatum(key))] = decodeDatum(value);
      return object;
    }
  }
  if (datum === null || typeof datum === 'object') throw new Error(`unexpected OVSDB datum ${JSON.stringify(datum)}`);
  return datum;
}

/** A datum as the text of a key or name; a set or map (never one in these places) as JSON. */
function atomText(value: OvsValue | undefined): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** `{"headings":[...],"data":[[...],...]}` (as text, or parsed) -> rows keyed by heading. */
export function decodeTable(text: string | { headings: string[]; data: Json[][] }): OvsRow[] {
  const table = typeof text === 'string' ? (JSON.parse(text) as { headings: string[]; data: Json[][] }) : text;
  return table.data.map((cells) =>
    Object.fromEntries(table.headings.map((h, i) => [h, decodeDatum(cells[i] ?? ['set', []])])),
  );
}

/** The tables a plan compares with, each row under its name (`.` for Open_vSwitch's one row). */
export interface LiveOvs {
  Open_vSwitch: Record<string, OvsRow>;
  Bridge: Record<string, OvsRow>;
  Port: Record<string, OvsRow>;
  Interface: Record<string, OvsRow>;
}

export const LIVE_TABLES = ['Open_vSwitch', 'Bridge', 'Port', 'Interface'] as const;

/** Rows by name; Port and Bridge references (uuids) replaced by names. */
export function liveOvsOf(tables: Record<(typeof LIVE_TABLES)[number], OvsRow[]>): LiveOvs {
  const names = new Map<string, string>();
  for (const table of ['Bridge', 'Port', 'Interface'] as const)
    for (const row of tables[table]) names.set(atomText(row._uuid), atomText(row.name));
  const byName = (rows: OvsRow[]) => Object.fromEntries(rows.map((r) => [atomText(r.name), r]));
  const withNames = (rows: OvsRow[], column: string) =>
    rows.map((r) => ({
      ...r,
      [column]: (Array.isArray(r[column]) ? r[column] : [r[column]]).map((u) => names.get(atomText(u)) ?? atomText(u)),
    }));
  return {
    Open_vSwitch: Object.fromEntries(tables.Open_vSwitch.slice(0, 1).map((r) => ['.', r])),
    Bridge: byName(withNames(tables.Bridge, 'ports')),
    Port: byName(withNames(tables.Port, 'interfaces')),
    Interface: byName(tables.Interface),
  };
}

function vsctl(program: string, db: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      program,
      [`--db=unix:${db}`, '--timeout=5', ...args],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(stderr.trim() || error.message));
        else resolve(stdout);
      },
    );
  });
}

/** The default socket of Debian's openvswitch-switch. */
export const SYSTEM_OVSDB = '/var/run/openvswitch/db.sock';

/**
 * The live database at `socket`, or why it could not be read (no socket, no ovs-vsctl, ...).
 * @example
 * const live = await readLiveOvs('/var/run/openvswitch/db.sock');
 * if ('unreachable' in live) console.error(live.unreachable);
 */
export async function readLiveOvs(socket: string, program = 'ovs-vsctl'): Promise<LiveOvs | { unreachable: string }> {
  try {
    const texts = await Promise.all(LIVE_TABLES.map((t) => vsctl(program, socket, ['--format=json', 'list', t])));
    const tables = Object.fromEntries(LIVE_TABLES.map((t, i) => [t, decodeTable(texts[i])])) as Record<
      (typeof LIVE_TABLES)[number],
      OvsRow[]
    >;
    return liveOvsOf(tables);
  } catch (e) {
    return { unreachable: `no Open vSwitch database reachable at ${socket}: ${(e as Error).message.split('\n')[0]}` };
  }
}
