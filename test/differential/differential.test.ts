/**
 * Differential test: random inventories (fast-check, seeded) resolved by reclass-net's CLI and
 * by the real reclass 1.7 (Debian python3-reclass), compared request by request: the output,
 * the error kind when both fail (reclass's exception class name, reclass-net's kind) and the
 * `[WARNING]` lines, in order. Each inventory runs once: any disagreement is a failure.
 *
 * Environment:
 *   RECLASS_NET_DIFF_RUNS=N        inventories per run (default 300)
 *   RECLASS_NET_DIFF_SEED=S|random seed (default fixed, so `npm test` is deterministic)
 *   RECLASS_NET_DIFF_ONLY=i,j      only these inventory indices of the seed's sequence
 *   RECLASS_NET_DIFF_MINIMIZE=N    minimise the first N disagreements (default 2; 0: off)
 *   RECLASS_NET_DIFF_KEEP=1        keep every generated inventory on disk, not only failing ones
 *   RECLASS_NET_DIFF_ALL_NODES=1   run `reclass-net node` for every node, not only where needed
 *   RECLASS_NET_DIFF_CLI=FILE      test another build of the CLI (default dist/src/cli/launch.cjs)
 *   RECLASS_NET_DIFF_EXCLUDE=f,g   skip inventories using these generator features (see the
 *                                  summary's feature list), e.g. to look past a known bug
 *
 * A failure prints the seed, the inventory indices, the directories the failing inventories
 * were written to, and minimised reproducers.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstDifference, withoutReclassMetadata } from './exact-json.js';
import { sampleInventories } from './generator.js';
import { minimize } from './minimize.js';
import {
  cliAvailable,
  cliPath,
  diffInventory,
  RECLASS_PYTHON_DIR,
  reclassAvailable,
  requestName,
  requestsFor,
  runOracle,
  runOracleCli,
  type InventoryRun,
  type Mismatch,
  type Request,
  warningLines,
} from './runner.js';
import { describeInventory, writeInventory, type GenInventory } from './yaml-model.js';

const DEFAULT_SEED = 1_717_171_717;
const env = process.env;
const RUNS = Number(env.RECLASS_NET_DIFF_RUNS ?? 300);
const SEED =
  env.RECLASS_NET_DIFF_SEED === 'random'
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(env.RECLASS_NET_DIFF_SEED ?? DEFAULT_SEED);
const ONLY = env.RECLASS_NET_DIFF_ONLY?.split(',').map(Number);
const MINIMIZE = Number(env.RECLASS_NET_DIFF_MINIMIZE ?? 2);
const KEEP = env.RECLASS_NET_DIFF_KEEP === '1';
const ALL_NODES = env.RECLASS_NET_DIFF_ALL_NODES === '1';
const EXCLUDE = env.RECLASS_NET_DIFF_EXCLUDE?.split(',').filter(Boolean) ?? [];
const CONCURRENCY = 2;

const NO_RECLASS = `python3-reclass is not installed (${RECLASS_PYTHON_DIR} missing): no reference to compare with`;
const NO_CLI = `reclass-net's CLI is not built (${cliPath} missing): run \`npm run build\``;

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

function selected(): Array<{ index: number; inv: GenInventory }> {
  const count = ONLY ? Math.max(...ONLY) + 1 : RUNS;
  const all = sampleInventories(SEED, count).map((inv, index) => ({ index, inv }));
  return (ONLY ? all.filter((x) => ONLY.includes(x.index)) : all).filter(
    (x) => !x.inv.features.some((f) => EXCLUDE.includes(f)),
  );
}

interface Tally {
  requests: number;
  ok: number;
  kinds: Map<string, number>;
  features: Map<string, number>;
}

function tally(runs: Array<{ inv: GenInventory; run: InventoryRun }>): Tally {
  const t: Tally = { requests: 0, ok: 0, kinds: new Map(), features: new Map() };
  for (const { inv, run } of runs) {
    for (const f of inv.features) t.features.set(f, (t.features.get(f) ?? 0) + 1);
    run.oracle.forEach((o, i) => {
      if (run.requests[i][0] !== 'node') return;
      t.requests++;
      if (o.rc === 0) t.ok++;
      else t.kinds.set(o.kind ?? '?', (t.kinds.get(o.kind ?? '?') ?? 0) + 1);
    });
  }
  return t;
}

function formatTally(t: Tally): string {
  const kinds = [...t.kinds]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const feats = [...t.features]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return (
    `reclass resolved ${t.ok} of ${t.requests} node requests (${Math.round((100 * t.ok) / Math.max(1, t.requests))}%); ` +
    `failures: ${kinds}\nfeatures: ${feats}`
  );
}

/** The generator must keep producing mostly valid inventories and a spread of failures. */
function checkGeneratorHealth(t: Tally, sampleSize: number): void {
  const ratio = t.ok / t.requests;
  expect(ratio, `share of node requests reclass resolves\n${formatTally(t)}`).toBeGreaterThan(0.55);
  expect(ratio, `share of node requests reclass resolves\n${formatTally(t)}`).toBeLessThan(0.97);
  if (sampleSize >= 50) {
    expect(t.kinds.size, `distinct reclass error kinds\n${formatTally(t)}`).toBeGreaterThanOrEqual(
      sampleSize >= 200 ? 8 : 3,
    );
    expect(t.features.size, `distinct generator features\n${formatTally(t)}`).toBeGreaterThanOrEqual(
      sampleSize >= 200 ? 70 : 40,
    );
  }
}

describe('differential test against reclass 1.7', () => {
  it('the one-process oracle driver prints what scripts/reclass-oracle prints', async (ctx) => {
    if (!reclassAvailable()) ctx.skip(NO_RECLASS);
    const work = await mkdtemp(join(tmpdir(), 'reclass-net-diff-driver-'));
    try {
      let compared = 0;
      let failures = 0;
      for (const inv of sampleInventories(DEFAULT_SEED + 1, 8)) {
        const dir = await mkdtemp(join(work, 'inv-'));
        await writeInventory(inv, dir);
        const requests = requestsFor(inv, { inventory: true });
        const driver = await runOracle(dir, requests);
        for (const [i, r] of requests.entries()) {
          const cli = await runOracleCli(dir, r);
          const d = driver[i];
          expect(d.rc, `${requestName(r)} exit code in ${dir}`).toBe(cli.rc);
          expect(warningLines(d.stderr), `${requestName(r)} warnings in ${dir}`).toEqual(warningLines(cli.stderr));
          if (cli.rc === 0) {
            expect(
              firstDifference(withoutReclassMetadata(cli.stdout), withoutReclassMetadata(d.stdout)),
              `${requestName(r)} in ${dir}`,
            ).toBeNull();
          } else {
            failures++;
            const last = (s: string): string => s.trim().split('\n').at(-1)!;
            expect(last(d.stderr), `${requestName(r)} error message in ${dir}`).toBe(last(cli.stderr));
          }
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(10);
      expect(failures, 'some compared requests should fail').toBeGreaterThan(0);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 120_000);

  it('the generator makes mostly valid inventories and failures of many kinds', async (ctx) => {
    if (!reclassAvailable()) ctx.skip(NO_RECLASS);
    const work = await mkdtemp(join(tmpdir(), 'reclass-net-diff-gen-'));
    try {
      const runs: Array<{ inv: GenInventory; run: InventoryRun }> = [];
      await pool(sampleInventories(SEED, 60), CONCURRENCY, async (inv) => {
        const dir = await mkdtemp(join(work, 'inv-'));
        await writeInventory(inv, dir);
        runs.push({ inv, run: await diffInventory(inv, dir, { oracleOnly: true }) });
      });
      checkGeneratorHealth(tally(runs), 60);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 120_000);

  it(
    `reclass-net resolves ${ONLY ? ONLY.length : RUNS} random inventories as reclass 1.7 does (seed ${SEED})`,
    async (ctx) => {
      if (!reclassAvailable()) ctx.skip(NO_RECLASS);
      if (!cliAvailable()) ctx.skip(NO_CLI);
      const started = Date.now();
      const work = await mkdtemp(join(tmpdir(), `reclass-net-diff-${SEED}-`));
      const items = selected();
      const results: Array<{ index: number; inv: GenInventory; run: InventoryRun; dir: string }> = [];
      await pool(items, CONCURRENCY, async ({ index, inv }) => {
        const dir = join(work, `inv-${index}`);
        await writeInventory(inv, dir);
        // Run once: a disagreement is a failure, even one a rerun would not show.
        const run = await diffInventory(inv, dir, { allNodes: ALL_NODES, rotate: index });
        results.push({ index, inv, run, dir });
        if (run.mismatches.length === 0 && !KEEP) await rm(dir, { recursive: true, force: true });
      });
      results.sort((a, b) => a.index - b.index);
      const t = tally(results);
      const failing = results.filter((r) => r.run.mismatches.length > 0);
      const skippedI = results.filter((r) => r.run.inventorySkipped).length;
      const cliRuns = results.reduce((n, r) => n + (r.run.net?.filter((x) => x !== null).length ?? 0), 0);
      console.log(
        `differential: ${results.length} inventories, ${t.requests} node requests, ${cliRuns} reclass-net runs, seed ${SEED}, ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s; -i compared for ${results.length - skippedI} (skipped: inventory queries)\n` +
          formatTally(t),
      );
      const crashed = results.filter((r) => r.run.notes.length > 0);
      if (crashed.length > 0) {
        console.log(
          `reclass crashed where reclass-net resolved (not counted as disagreements) in ${crashed.length} inventories:\n` +
            crashed.map((r) => `#${r.index} ${r.run.notes[0].request}: ${r.run.notes[0].detail}`).join('\n'),
        );
      }

      let report = '';
      if (failing.length > 0) {
        const lines: string[] = [
          `${failing.length} of ${results.length} inventories disagree with reclass 1.7 (seed ${SEED}).`,
          `Rerun: RECLASS_NET_DIFF_SEED=${SEED} RECLASS_NET_DIFF_ONLY=${failing.map((f) => f.index).join(',')} npx vitest run test/differential`,
          '',
        ];
        const byCategory = new Map<string, number>();
        for (const f of failing) {
          for (const m of f.run.mismatches) byCategory.set(m.category, (byCategory.get(m.category) ?? 0) + 1);
          lines.push(`#${f.index} ${f.dir}`);
          for (const m of f.run.mismatches.slice(0, 4))
            lines.push(`  ${m.request} [${m.category}] ${m.detail.replaceAll('\n', '\n    ')}`);
          if (f.run.mismatches.length > 4) lines.push(`  ... ${f.run.mismatches.length - 4} more`);
        }
        lines.push('', `by category: ${[...byCategory].map(([k, n]) => `${k} ${n}`).join(', ')}`);
        // Minimise the first disagreements of distinct kinds.
        const seen = new Set<string>();
        let minimized = 0;
        for (const f of failing) {
          if (minimized >= MINIMIZE) break;
          const m: Mismatch = f.run.mismatches[0];
          const sig = `${m.category}/${m.oracleKind}/${m.detail.split(':')[0]}`;
          if (seen.has(sig)) continue;
          seen.add(sig);
          minimized++;
          const request: Request =
            m.request === 'inventory' ? ['inventory'] : ['node', m.request.slice('node '.length)];
          const small = await minimize(f.inv, m, request, { workDir: work, budgetMs: 60_000 });
          const dir = join(work, `inv-${f.index}-min`);
          await writeInventory(small.inv, dir);
          const again = await diffInventory(small.inv, dir, {
            only:
              request[0] === 'inventory'
                ? [...small.inv.nodes.map((n) => ['node', n.name] as Request), request]
                : [request],
          });
          lines.push(
            '',
            `Minimised #${f.index} (${small.checks} checks${small.timedOut ? ', budget exhausted' : ''}), ${dir}:`,
            `  ${m.request} [${m.category}]`,
            ...again.mismatches.map((x) => `  ${x.detail.replaceAll('\n', '\n  ')}`),
            describeInventory(small.inv).replace(/^/gm, '    '),
          );
        }
        report = lines.join('\n');
        await mkdir(work, { recursive: true });
        await writeFile(join(work, 'REPORT.txt'), `${report}\n`);
        console.log(`${report}\n(report: ${join(work, 'REPORT.txt')})`);
      } else if (!KEEP) {
        await rm(work, { recursive: true, force: true });
      }

      checkGeneratorHealth(t, results.length);
      expect(failing.length, report).toBe(0);
    },
    Math.max(120_000, RUNS * 3_000 + 200_000),
  );
});
