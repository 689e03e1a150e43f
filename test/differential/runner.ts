/**
 * Runs one generated inventory through reclass 1.7 (the oracle) and through reclass-net's CLI
 * and lists every disagreement.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstDifference, parseExactJson, show, type JValue } from './exact-json.js';
import { renderYaml, type GenInventory } from './yaml-model.js';

export const RECLASS_PYTHON_DIR = '/usr/lib/python3/dist-packages/reclass';
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
/** reclass-net's CLI; RECLASS_NET_DIFF_CLI points the test at another build. */
export const cliPath = process.env.RECLASS_NET_DIFF_CLI ?? join(repoRoot, 'dist/src/cli/launch.cjs');
export const oraclePath = join(repoRoot, 'scripts/reclass-oracle');
const driverPath = join(here, 'oracle_driver.py');
/** Debian's python3: python3-reclass is installed for it (a pyenv python3 on PATH would not see it). */
const PYTHON = '/usr/bin/python3';

export type Request = ['node', string] | ['inventory'];

export const requestName = (r: Request): string => (r[0] === 'node' ? `node ${r[1]}` : 'inventory');

export interface Outcome {
  rc: number;
  stdout: string;
  stderr: string;
  /** The oracle's exception class name when it failed; null otherwise (and always for reclass-net). */
  kind: string | null;
  timedOut?: boolean;
}

export function reclassAvailable(): boolean {
  return existsSync(RECLASS_PYTHON_DIR) && existsSync(oraclePath);
}

export function cliAvailable(): boolean {
  return existsSync(cliPath);
}

interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The signal that ended the process, if one did. */
  signal: string | null;
}

function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs: number }): Promise<ExecResult> {
  return new Promise((res) => {
    execFile(
      cmd,
      args,
      { cwd: opts.cwd, timeout: opts.timeoutMs, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: number | string; killed?: boolean; signal?: string }) | null;
        const timedOut = Boolean(e?.killed) && e?.signal === 'SIGKILL';
        const rc = e === null ? 0 : typeof e.code === 'number' ? e.code : 1;
        res({
          rc,
          stdout,
          stderr: timedOut ? `${stderr}\n(timed out after ${opts.timeoutMs} ms)` : stderr,
          timedOut,
          signal: e?.signal ?? null,
        });
      },
    );
  });
}

/** reclass 1.7, all requests in one Python process (see oracle_driver.py). */
export async function runOracle(invDir: string, requests: Request[]): Promise<Outcome[]> {
  const r = await run(PYTHON, [driverPath, invDir, JSON.stringify(requests)], { timeoutMs: 120_000 });
  if (r.rc !== 0 || r.timedOut) {
    const how = r.signal ? `killed by ${r.signal}` : `rc ${r.rc}`;
    throw new Error(`oracle driver failed (${how}) on ${invDir}: ${r.stderr.slice(-2000)}`);
  }
  const parsed = JSON.parse(r.stdout) as Array<{ rc: number; stdout: string; stderr: string; kind: string | null }>;
  return parsed.map((o) => ({ rc: o.rc, stdout: o.stdout, stderr: o.stderr, kind: o.kind }));
}

/** The real reclass CLI (scripts/reclass-oracle), one process per request: to check the driver. */
export async function runOracleCli(invDir: string, request: Request): Promise<Outcome> {
  const args = ['-b', '.', '-o', 'json', ...(request[0] === 'node' ? ['-n', request[1]] : ['-i'])];
  const r = await run(oraclePath, args, { cwd: invDir, timeoutMs: 60_000 });
  return { rc: r.rc, stdout: r.stdout, stderr: r.stderr, kind: null, timedOut: r.timedOut };
}

export async function runNet(invDir: string, request: Request): Promise<Outcome> {
  const args = [
    cliPath,
    ...(request[0] === 'node' ? ['node', request[1]] : ['inventory']),
    '--inventory',
    invDir,
    '--format',
    'json',
  ];
  const r = await run(process.execPath, args, { timeoutMs: 60_000 });
  return { rc: r.rc, stdout: r.stdout, stderr: r.stderr, kind: null, timedOut: r.timedOut };
}

// ---------------------------------------------------------------------------------------
// Comparison

export type Category =
  | 'value' // both succeeded, outputs differ
  | 'net-failed' // reclass succeeded, reclass-net failed
  | 'net-succeeded' // reclass failed, reclass-net succeeded
  | 'kind' // both failed, different kinds
  | 'net-bad-output' // reclass-net exit 0 but stdout is not JSON
  | 'net-exit-code' // reclass-net failed with an exit code other than 1
  | 'net-stack-trace' // reclass-net printed a stack trace
  | 'warnings' // the outcomes agree, the `[WARNING]` lines (their number, wording or order) do not
  | 'reclass-crashed'; // not a disagreement: reclass crashed, reclass-net resolved (see notes)

export interface Mismatch {
  request: string;
  category: Category;
  /** The oracle's error kind, when it failed. */
  oracleKind: string | null;
  detail: string;
}

/** Python exceptions: reclass crashed (a class cycle, the `-i` query bug); any clean failure will do. */
const PYTHON_CRASHES = new Set([
  'RecursionError',
  'UnboundLocalError',
  'TypeError',
  'AttributeError',
  'KeyError',
  'ValueError',
  'IndexError',
  'RuntimeError',
  'NotImplementedError',
  'ScannerError',
  'ParserError',
  'ConstructorError',
  'ComposerError',
  'SystemExit',
]);

/**
 * reclass names an error by its exception class, reclass-net by its kind: the same name,
 * except where DESIGN.md names the kind otherwise (reclass-net's documented spelling).
 * ResolveErrorList is how reclass reports several ResolveErrors (the driver already maps it).
 */
const KIND_ALIASES: Readonly<Record<string, string>> = {
  ResolveErrorList: 'ResolveError',
  InfiniteRecursionError: 'InfiniteRecursion',
};

/** The kind reclass-net must report for the oracle's error; null: any (reclass crashed). */
function expectedNetKind(oracleKind: string): string | null {
  if (PYTHON_CRASHES.has(oracleKind)) return null;
  return KIND_ALIASES[oracleKind] ?? oracleKind;
}

/** reclass-net's error kind: the CLI ends a failure with `reclass-net: KIND: message`. */
function netErrorKind(stderr: string): string | null {
  const kinds = [...stderr.matchAll(/^reclass-net: ([A-Za-z]+): /gm)].map((m) => m[1]);
  return kinds.at(-1) ?? null;
}

export function kindMatches(oracleKind: string, netStderr: string): boolean {
  const expected = expectedNetKind(oracleKind);
  return expected === null || netErrorKind(netStderr) === expected;
}

/**
 * The warnings a run printed, in order: reclass prints `[WARNING] ...` lines on stderr (a
 * class skipped under ignore_class_notfound, a reference ignored under
 * ignore_overwritten_missing_references), and reclass-net must print the same lines.
 */
export function warningLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('[WARNING] '));
}

/** The first difference between two runs' warnings, or null. */
export function compareWarnings(oracle: string[], net: string[]): string | null {
  const n = Math.max(oracle.length, net.length);
  for (let i = 0; i < n; i++) {
    if (oracle[i] === net[i]) continue;
    const list = (ws: string[]): string =>
      ws.length === 0
        ? ' (none)'
        : ws
            .slice(0, 8)
            .map((w) => `\n  ${w}`)
            .join('') + (ws.length > 8 ? '\n  ...' : '');
    return (
      `warning ${i + 1}: reclass ${oracle[i] ?? '(none)'}, reclass-net ${net[i] ?? '(none)'}\n` +
      `reclass printed ${oracle.length}:${list(oracle)}\nreclass-net printed ${net.length}:${list(net)}`
    );
  }
  return null;
}

const STACK_TRACE = /^\s+at .+(:\d+:\d+\)?|<anonymous>\)?)$/m;

function lastLines(s: string, n = 6): string {
  return s.trim().split('\n').slice(-n).join('\n');
}

function parseOutput(text: string): JValue | Error {
  try {
    return parseExactJson(text);
  } catch (e) {
    return e as Error;
  }
}

function dropReclass(v: JValue): JValue {
  if (!isDict(v)) return v;
  const out: { [k: string]: JValue } = {};
  for (const [k, x] of Object.entries(v)) if (k !== '__reclass__') out[k] = x;
  return out;
}

function isDict(v: JValue | undefined): v is { [k: string]: JValue } {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) && v.constructor === Object;
}

function sortedLists(v: JValue | undefined): JValue | undefined {
  if (!isDict(v)) return v;
  const out: { [k: string]: JValue } = {};
  for (const [k, x] of Object.entries(v)) out[k] = Array.isArray(x) ? [...x].sort() : x;
  return out;
}

/** Compares one request's outcomes; `extraKinds`: other kinds acceptable for a failure. */
export function compareOutcome(request: Request, oracle: Outcome, net: Outcome, extraKinds: string[] = []): Mismatch[] {
  const name = requestName(request);
  const out: Mismatch[] = [];
  const mk = (category: Category, detail: string): Mismatch => ({
    request: name,
    category,
    oracleKind: oracle.kind,
    detail,
  });
  if (net.rc !== 0 && STACK_TRACE.test(net.stderr)) out.push(mk('net-stack-trace', lastLines(net.stderr, 10)));
  if (oracle.rc === 0 && net.rc === 0) {
    const e = parseOutput(oracle.stdout);
    const a = parseOutput(net.stdout);
    if (e instanceof Error) throw new Error(`oracle printed no JSON for ${name}: ${e.message}`);
    if (a instanceof Error) return [...out, mk('net-bad-output', `${a.message}\n${net.stdout.slice(0, 500)}`)];
    let d: string | null;
    if (request[0] === 'node') d = firstDifference(dropReclass(e), dropReclass(a));
    else d = compareInventory(e, a);
    if (d !== null) out.push(mk('value', d));
  } else if (oracle.rc === 0) {
    out.push(mk('net-failed', `reclass succeeded; reclass-net exit ${net.rc}: ${lastLines(net.stderr)}`));
  } else if (net.rc === 0 && oracle.kind !== null && PYTHON_CRASHES.has(oracle.kind)) {
    // reclass crashed (a Python exception, not a reclass error): resolving is a fix, not a
    // disagreement. Listed in the summary, not counted.
    out.push(
      mk(
        'reclass-crashed',
        `reclass crashed with ${oracle.kind} (${lastLines(oracle.stderr, 1)}); reclass-net resolved it`,
      ),
    );
  } else if (net.rc === 0) {
    out.push(
      mk(
        'net-succeeded',
        `reclass failed with ${oracle.kind}: ${lastLines(oracle.stderr, 3)}\nreclass-net printed: ${net.stdout.slice(0, 300)}`,
      ),
    );
  } else {
    if (net.rc !== 1 || net.timedOut) {
      out.push(
        mk(
          'net-exit-code',
          `reclass-net exit ${net.rc}${net.timedOut ? ' (timeout)' : ''}, expected 1: ${lastLines(net.stderr)}`,
        ),
      );
    }
    const kinds = [oracle.kind ?? 'unknown', ...extraKinds];
    if (!kinds.some((k) => kindMatches(k, net.stderr))) {
      out.push(
        mk(
          'kind',
          `reclass ${kinds.join(' / ')}, reclass-net ${netErrorKind(net.stderr) ?? '(no kind)'}: ` +
            `${lastLines(oracle.stderr, 3)}\nreclass-net: ${lastLines(net.stderr, 4)}`,
        ),
      );
    }
  }
  // Warnings, where the outcomes agree: a crashed reclass stopped at no particular point.
  const crashed = oracle.kind !== null && PYTHON_CRASHES.has(oracle.kind);
  if (out.length === 0 && !crashed && (oracle.rc === 0) === (net.rc === 0)) {
    const d = compareWarnings(warningLines(oracle.stderr), warningLines(net.stderr));
    if (d !== null) out.push(mk('warnings', d));
  }
  return out;
}

/** `reclass -i` output: nodes one by one, then the classes and applications maps. */
function compareInventory(e: JValue, a: JValue): string | null {
  if (!isDict(e) || !isDict(a)) return `inventory output is not a dict: reclass-net ${show(a)}`;
  const en = e.nodes;
  const an = a.nodes;
  if (!isDict(en) || !isDict(an)) return `nodes: reclass ${show(en)}, reclass-net ${show(an)}`;
  const names = [...new Set([...Object.keys(en), ...Object.keys(an)])].sort();
  for (const n of names) {
    const d = firstDifference(
      en[n] === undefined ? undefined : dropReclass(en[n]),
      an[n] === undefined ? undefined : dropReclass(an[n]),
      `nodes:${n}`,
    );
    if (d !== null) return d;
  }
  // The order of nodes in these lists is os.walk's directory order in reclass: compare sorted.
  for (const key of ['classes', 'applications']) {
    const d = firstDifference(sortedLists(e[key]), sortedLists(a[key]), key);
    if (d !== null) return d;
  }
  return null;
}

// ---------------------------------------------------------------------------------------

export interface InventoryRun {
  requests: Request[];
  oracle: Outcome[];
  /** reclass-net's outcome per request; null where reclass-net was not asked. */
  net: Array<Outcome | null> | null;
  mismatches: Mismatch[];
  /** Requests where reclass crashed and reclass-net resolved: reported, not failed. */
  notes: Mismatch[];
  /** Why `-i` was not compared, if it was not. */
  inventorySkipped?: string;
}

function usesInventoryQueries(inv: GenInventory): boolean {
  return inv.files.some((f) => renderYaml(f.doc).includes('$['));
}

export function requestsFor(inv: GenInventory, opts: { inventory: boolean }): Request[] {
  const reqs: Request[] = inv.nodes.map((n) => ['node', n.name] as Request);
  for (const m of inv.missingNodes) reqs.push(['node', m]);
  if (opts.inventory) reqs.push(['inventory']);
  return reqs;
}

/**
 * Resolves the inventory (written at `dir`) with both tools and compares.
 *
 * reclass runs every request (one Python process). reclass-net runs in one process per
 * request, the cost that bounds the test: when reclass resolves every node and `-i` is
 * comparable, `reclass-net inventory` covers every node, and `reclass-net node` runs for one
 * of them (`rotate` picks which); otherwise (errors, inventory queries, `allNodes`) for each.
 * With `oracleOnly`, reclass-net is not run (the generator is being validated).
 */
export async function diffInventory(
  inv: GenInventory,
  dir: string,
  opts: { oracleOnly?: boolean; only?: Request[]; allNodes?: boolean; rotate?: number } = {},
): Promise<InventoryRun> {
  // reclass 1.7's -i crashes (UnboundLocalError) as soon as a node uses $[...]: skip -i then.
  const queries = usesInventoryQueries(inv);
  const requests = opts.only ?? requestsFor(inv, { inventory: !queries });
  const oracle = await runOracle(dir, requests);
  const run: InventoryRun = { requests, oracle, net: null, mismatches: [], notes: [] };
  if (queries) run.inventorySkipped = 'inventory queries ($[...]) crash reclass -i';
  if (opts.oracleOnly) return run;
  const nodeIdx = requests.flatMap((r, i) => (r[0] === 'node' ? [i] : []));
  const invIdx = requests.findIndex((r) => r[0] === 'inventory');
  const everything = opts.only !== undefined || opts.allNodes || invIdx < 0 || oracle.some((o) => o.rc !== 0);
  const first = everything ? [...requests.keys()] : [invIdx, nodeIdx[(opts.rotate ?? 0) % nodeIdx.length]];
  const net: Array<Outcome | null> = requests.map(() => null);
  run.net = net;
  const nodeKinds = oracle.filter((o, i) => requests[i][0] === 'node' && o.kind !== null).map((o) => o.kind!);
  const compare = async (indices: number[]): Promise<void> => {
    for (const i of indices) {
      const r = requests[i];
      const o = oracle[i];
      const n = await runNet(dir, r);
      net[i] = n;
      if (r[0] === 'inventory' && o.kind === 'UnboundLocalError') {
        run.inventorySkipped = 'reclass -i crashed with UnboundLocalError';
        continue;
      }
      // -i stops at the first failing node in directory order: any failing node's kind will do.
      for (const m of compareOutcome(r, o, n, r[0] === 'inventory' ? nodeKinds : [])) {
        (m.category === 'reclass-crashed' ? run.notes : run.mismatches).push(m);
      }
    }
  };
  await compare(first);
  // A disagreement: every other request too, for the report (nothing already compared is rerun).
  if (run.mismatches.length > 0) await compare([...requests.keys()].filter((i) => !first.includes(i)));
  return run;
}
