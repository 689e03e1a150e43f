#!/usr/bin/env node
// `npm run bench`: reclass-net against reclass 1.7, side by side in one run (issue 7).
// See docs/performance.md for the methodology; bench/lib/measure.py for what
// "time" and "peak RSS" mean exactly. Plain Node ESM, no dependencies.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { measureOnce, summarise } from './lib/measure.mjs';
import { DEFAULTS } from './lib/options.mjs';
import { compareInventories, compareNodeOutputs } from './lib/compare.mjs';
import { describeMachine, loadAverage } from './lib/machine.mjs';
import * as report from './lib/report.mjs';
import { writePerformanceDoc } from './lib/doc.mjs';
import { benchServePillar } from './lib/serve-pillar.mjs';
import { benchDocsSite } from './lib/docs-site.mjs';
import { benchImpact } from './lib/impact.mjs';
import { benchOneNode, oneNodeTargets } from './lib/one-node.mjs';
import { prepareBaseline } from './lib/baseline.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GEN = resolve(REPO, '../shared/bench/gen-inventory');
const ORACLE = join(REPO, 'scripts/reclass-oracle');
const RECLASS_PKG = '/usr/lib/python3/dist-packages/reclass';
// The installed command (package.json's bin), run as a program so that its shebang applies,
// as it does for `npx reclass-net` or a PATH install. --cli overrides, e.g. to measure
// another build; a .js entry is run with this Node.
let CLI = join(REPO, 'dist/src/cli/launch.cjs');
const commandOf = (entry) => (entry.endsWith('.js') ? [process.execPath, entry] : [entry]);
const cli = (...args) => [...commandOf(CLI), ...args];
// The installed command of --baseline REV, once built (bench/lib/baseline.mjs).
let baseCli = null;
const LIB = join(REPO, 'dist/src/index.js');
const WORK = join(REPO, '.bench'); // gitignored
const OUT = join(WORK, 'out');

const USAGE = `usage: npm run bench -- [options]
  --sizes 100,1000,5000   inventory sizes (default ${DEFAULTS.sizes.join(',')})
  --repeat K              runs per tool for N <= 1000, best time kept (default ${DEFAULTS.repeat})
  --repeat-large K        runs per tool for N > 1000 (default ${DEFAULTS.repeatLarge})
  --cold-repeat K         runs of the single-node cold-process timings (default ${DEFAULTS.coldRepeat})
  --one-node-repeat K     interleaved rounds of the real-model one-node timings, medians (default ${DEFAULTS.oneNodeRepeat})
  --only-one-node         run only the real-model one-node timings (issue 22), not the inventories
  --node NAME             node of the N=1000 inventory for the cold timings (default ${DEFAULTS.node})
  --cli FILE              reclass-net entry point to measure (default dist/src/cli/launch.cjs)
  --baseline REV          also build REV (a git worktree under .bench/) and measure its installed
                          command interleaved with this one and reclass, reporting both ratios
  --timeout S             kill a measured process after S seconds (default ${DEFAULTS.timeout})
  --seed S                gen-inventory seed (default ${DEFAULTS.seed})
  --wait-idle S           first wait up to S seconds for the 1-minute load average to fall below cores/2
  --no-reclass            do not run reclass 1.7 even if installed
  --no-docs               do not rewrite docs/performance.md`;

function parseArgs(argv) {
  const o = { ...DEFAULTS, sizes: [...DEFAULTS.sizes] };
  const num = (v, name) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) fail(`${name} needs a positive integer, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i],
      v = argv[i + 1];
    switch (a) {
      case '--sizes':
        o.sizes = String(v)
          .split(',')
          .map((s) => num(s, a));
        i++;
        break;
      case '--repeat':
        o.repeat = num(v, a);
        i++;
        break;
      case '--repeat-large':
        o.repeatLarge = num(v, a);
        i++;
        break;
      case '--cold-repeat':
        o.coldRepeat = num(v, a);
        i++;
        break;
      case '--one-node-repeat':
        o.oneNodeRepeat = num(v, a);
        i++;
        break;
      case '--only-one-node':
        o.onlyOneNode = true;
        break;
      case '--node':
        o.node = v;
        i++;
        break;
      case '--cli':
        CLI = resolve(v);
        i++;
        break;
      case '--baseline':
        if (!v) fail('--baseline needs a git revision');
        o.baseline = v;
        i++;
        break;
      case '--timeout':
        o.timeout = num(v, a);
        i++;
        break;
      case '--seed':
        o.seed = num(v, a);
        i++;
        break;
      case '--wait-idle':
        o.waitIdle = num(v, a);
        i++;
        break;
      case '--no-reclass':
        o.reclass = false;
        break;
      case '--no-docs':
        o.docs = false;
        break;
      case '-h':
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        fail(`unknown option ${a}\n${USAGE}`);
    }
  }
  return o;
}

function fail(msg) {
  console.error(`bench: ${msg}`);
  process.exit(2);
}

const log = (s = '') => process.stdout.write(`${s}\n`);

// ---------------------------------------------------------------- inventories

/**
 * Generate (or reuse) the N-node inventory. The stamp records the generator's hash
 * and arguments, so a changed generator or an interrupted generation is redone
 * rather than silently benchmarked.
 */
function ensureInventory(n, seed) {
  const dir = join(WORK, `inv-${n}`);
  const stamp = join(dir, '.bench-stamp');
  const want = `${createHash('sha256').update(readFileSync(GEN)).digest('hex')} nodes=${n} seed=${seed}\n`;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return dir;
  log(`generating the ${n}-node inventory in ${dir}`);
  execFileSync(process.execPath, [GEN, '--nodes', String(n), '--out', dir, '--seed', String(seed)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  writeFileSync(stamp, want);
  return dir;
}

/**
 * Read every file once so that neither tool pays for cold disk reads that the
 * other then gets for free (the first tool run would otherwise be penalised).
 */
function warmPageCache(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) warmPageCache(p);
    else if (e.isFile()) readFileSync(p);
  }
}

// ---------------------------------------------------------------- commands

/** One command run `k` times in a row, summarised (best time, highest peak). */
function measureRepeated(k, cmd, io) {
  const runs = [];
  for (let i = 0; i < k; i++) runs.push(measureOnce(cmd, io));
  return summarise(runs);
}

const reclassInventoryCmd = () => [ORACLE, '-b', '.', '-i', '-o', 'json'];
const netInventoryCmd = (dir) => cli('inventory', '--inventory', dir, '--format', 'json');
const reclassNodeCmd = (name) => [ORACLE, '-b', '.', '-n', name, '-o', 'json'];
const netNodeCmd = (dir, name) => cli('node', name, '--inventory', dir, '--format', 'json');
const netRenderCmd = (dir, name) => cli('render', name, ...(dir ? ['--inventory', dir] : []), '--format', 'json');

/**
 * Run each tool `repeat` times, interleaved (reclass, reclass-net, reclass, ...),
 * so a slow drift of the machine (thermal, a neighbour) hits both alike.
 */
function measurePair({ label, dir, repeat, timeout, reclassCmd, netCmd, baseCmd = null, outBase }) {
  const runs = { reclass: [], net: [], base: [] };
  const files = {
    reclass: { stdout: `${outBase}.reclass.json`, stderr: `${outBase}.reclass.err` },
    net: { stdout: `${outBase}.net.json`, stderr: `${outBase}.net.err` },
    base: { stdout: `${outBase}.baseline.json`, stderr: `${outBase}.baseline.err` },
  };
  for (let i = 1; i <= repeat; i++) {
    for (const [tool, cmd] of [
      ['reclass', reclassCmd],
      ['net', netCmd],
      ['base', baseCmd],
    ]) {
      if (!cmd) continue;
      const r = measureOnce(cmd, { cwd: dir, ...files[tool], timeoutS: timeout });
      runs[tool].push(r);
      const name = { net: 'reclass-net', base: 'baseline', reclass: 'reclass' }[tool];
      log(
        `  ${label} run ${i}/${repeat} ${name.padEnd(11)} ${report.secs(r.wall_s).padStart(9)} ${report.mb(r.peak_kb).padStart(8)}` +
          (r.exit === 0
            ? ''
            : `  FAILED exit ${r.exit}${r.timed_out ? ' (timeout)' : ''}: ${r.stderrTail.split('\n').slice(-3).join(' / ')}`),
      );
    }
    // A tool that failed once will fail again; do not waste minutes repeating it.
    if (runs.reclass.some((r) => r.exit !== 0)) reclassCmd = null;
    if (runs.net.some((r) => r.exit !== 0)) netCmd = null;
    if (runs.base.some((r) => r.exit !== 0)) baseCmd = null;
  }
  return {
    reclass: runs.reclass.length ? summarise(runs.reclass) : null,
    net: runs.net.length ? summarise(runs.net) : null,
    base: runs.base.length ? summarise(runs.base) : null,
    files,
  };
}

// ---------------------------------------------------------------- phases

function benchInventories(opts, have) {
  // The generated sizes, then the shared corpora: real sites, where memory matters (issue 17).
  const targets = [
    ...opts.sizes.map((n) => ({ n, label: `N=${n}`, dir: ensureInventory(n, opts.seed) })),
    ...oneNodeTargets(REPO)
      .filter((t) => t.reclass)
      .map((t) => ({ n: null, label: t.label, dir: t.dir })),
  ];
  const out = [];
  for (const { n, label, dir } of targets) {
    warmPageCache(dir);
    const repeat = n === null || n <= 1000 ? opts.repeat : opts.repeatLarge;
    log(`\n${label}: \`inventory\`, best of ${repeat}`);
    const m = measurePair({
      label,
      dir,
      repeat,
      timeout: opts.timeout,
      outBase: join(OUT, `inventory-${label.replace(/\W+/g, '-')}`),
      reclassCmd: have.reclass ? reclassInventoryCmd() : null,
      netCmd: have.cli ? netInventoryCmd(dir) : null,
      baseCmd: baseCli ? baseCli('inventory', '--inventory', dir, '--format', 'json') : null,
    });
    let compare = null;
    if (m.reclass?.ok && m.net?.ok) {
      compare = compareInventories(m.files.reclass.stdout, m.files.net.stdout);
      log(`  outputs: ${compare.agree ? `agree on all ${compare.nodes} nodes` : 'DIFFER'}`);
      for (const e of compare.examples.slice(0, 12)) log(`    ${e}`);
    }
    out.push({ n, label, reclass: m.reclass, net: m.net, base: m.base, compare });
  }
  return out;
}

function benchColdNode(opts, have) {
  const dir = ensureInventory(1000, opts.seed);
  const file = findNodeFile(join(dir, 'nodes'), opts.node);
  if (!file) {
    log(`\ncold node: ${opts.node} is not in the N=1000 inventory; skipped`);
    return null;
  }
  log(`\ncold \`node ${opts.node}\` (N=1000 inventory), best of ${opts.coldRepeat}`);
  const m = measurePair({
    label: 'node',
    dir,
    repeat: opts.coldRepeat,
    timeout: opts.timeout,
    outBase: join(OUT, 'node'),
    reclassCmd: have.reclass ? reclassNodeCmd(opts.node) : null,
    netCmd: have.cli ? netNodeCmd(dir, opts.node) : null,
    baseCmd: baseCli ? baseCli('node', opts.node, '--inventory', dir, '--format', 'json') : null,
  });
  let compare = null;
  if (m.reclass?.ok && m.net?.ok) {
    try {
      compare = compareNodeOutputs(m.files.reclass.stdout, m.files.net.stdout);
    } catch (e) {
      compare = { agree: false, examples: [`unparsable output: ${e.message}`] };
    }
    log(`  outputs: ${compare.agree ? 'agree' : 'DIFFER'}`);
    for (const e of compare.examples) log(`    ${e}`);
  }
  return { node: opts.node, reclass: m.reclass, net: m.net, base: m.base, compare };
}

function findNodeFile(dir, name) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const f = findNodeFile(p, name);
      if (f) return f;
    } else if (e.name === `${name}.yml` || e.name === `${name}.yaml`) return p;
  }
  return null;
}

/**
 * `render` for every node, through the library (one process resolving the whole
 * inventory and rendering each node: what a deployment tool does), plus one cold
 * `render NAME` CLI process, which is what a person at a shell sees.
 */
function benchRender(opts, have) {
  const targets = [];
  if (opts.sizes.includes(1000) || !opts.sizes.length)
    targets.push({ label: 'synthetic N=1000', dir: ensureInventory(1000, opts.seed), node: opts.node });
  else
    targets.push({
      label: `synthetic N=${Math.min(...opts.sizes)}`,
      dir: ensureInventory(Math.min(...opts.sizes), opts.seed),
      node: null,
    });
  if (existsSync(join(REPO, 'nodes')))
    targets.push({ label: 'embedded example model', dir: null, node: firstNode(join(REPO, 'nodes')) });
  const out = [];
  for (const t of targets) {
    log(`\nrender, every node of the ${t.label}`);
    const base = join(OUT, `render-${t.label.replace(/\W+/g, '-')}`);
    const probeCmd = [process.execPath, join(REPO, 'bench/render-probe.mjs'), REPO, ...(t.dir ? [t.dir] : [])];
    const measure = summarise([
      measureOnce(probeCmd, { stdout: `${base}.json`, stderr: `${base}.err`, timeoutS: opts.timeout }),
    ]);
    let probe = null;
    if (measure.ok) {
      probe = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
      log(
        `  ${probe.nodes} nodes: resolve ${probe.resolveMs} ms, render ${probe.renderMs} ms; ${probe.rendered} rendered, ` +
          `${probe.errorCount} failed, ${probe.skipped} without network; process ${report.secs(measure.wall_s)}, ${report.mb(measure.peak_kb)}`,
      );
      for (const e of probe.errors) log(`    ${e}`);
    } else log(`  FAILED: ${measure.failure.split('\n').slice(-3).join(' / ')}`);
    let cold = null;
    const node = t.node ?? firstNode(join(t.dir ?? REPO, 'nodes'));
    if (have.cli && node) {
      cold = measureRepeated(opts.coldRepeat, netRenderCmd(t.dir, node), {
        stdout: `${base}.cli.out`,
        stderr: `${base}.cli.err`,
        timeoutS: opts.timeout,
      });
      log(
        `  cold \`render ${node}\`: ${cold.ok ? `${report.secs(cold.wall_s)}, ${report.mb(cold.peak_kb)}` : `FAILED ${cold.failure.split('\n').slice(-2).join(' / ')}`}`,
      );
    }
    out.push({ label: t.label, measure, probe, cold, coldNode: node });
  }
  return out;
}

/**
 * Where the time of one N=1000 `inventory` run goes (bench/phases-probe.mjs), next to
 * Node's own start-up (`node -e 0`): what the targets leave for reclass-net's own work.
 */
function benchPhases(opts) {
  const n = opts.sizes.includes(1000) ? 1000 : Math.min(...opts.sizes);
  const dir = ensureInventory(n, opts.seed);
  log(`\nphases of one N=${n} run, best of ${opts.repeat}; \`node -e 0\`, best of ${opts.coldRepeat}`);
  const base = join(OUT, 'phases');
  const probes = [];
  for (let i = 0; i < opts.repeat; i++) {
    const m = measureOnce([process.execPath, join(REPO, 'bench/phases-probe.mjs'), REPO, dir], {
      stdout: `${base}.json`,
      stderr: `${base}.err`,
      timeoutS: opts.timeout,
    });
    if (m.exit !== 0) {
      log(`  FAILED: ${m.stderrTail.split('\n').slice(-3).join(' / ')}`);
      return null;
    }
    probes.push(JSON.parse(readFileSync(`${base}.json`, 'utf8')));
  }
  const total = (p) => p.startupMs + p.importMs + p.cold.openMs + p.cold.nodesMs;
  const probe = probes.reduce((a, b) => (total(b) < total(a) ? b : a));
  const bareNode = (cmd) =>
    measureRepeated(opts.coldRepeat, cmd, { stdout: '/dev/null', stderr: `${base}.err`, timeoutS: 60 });
  const nodeStart = bareNode([process.execPath, '-e', '0']);
  // The installed command drops NODE_EXTRA_CA_CERTS (src/cli/launch.cts): where the
  // environment sets it, Node's start-up with and without it differ a lot.
  const certs = process.env.NODE_EXTRA_CA_CERTS;
  const nodeStartNoCerts = certs ? bareNode(['env', '-u', 'NODE_EXTRA_CA_CERTS', process.execPath, '-e', '0']) : null;
  log(
    `  start-up ${probe.startupMs.toFixed(0)} ms (node -e 0: ${report.secs(nodeStart.wall_s)}` +
      `${nodeStartNoCerts ? `, without NODE_EXTRA_CA_CERTS: ${report.secs(nodeStartNoCerts.wall_s)}` : ''}), modules ${probe.importMs.toFixed(0)} ms, ` +
      `index ${probe.cold.openMs.toFixed(0)} ms, nodes ${probe.cold.nodesMs.toFixed(0)} ms (again, warm: ${probe.warm.nodesMs.toFixed(0)} ms)`,
  );
  return { n, probe, nodeStart, nodeStartNoCerts, certs: certs ?? null };
}

function firstNode(dir) {
  const names = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (/\.ya?ml$/.test(e.name)) names.push(e.name.replace(/\.ya?ml$/, ''));
    }
  };
  walk(dir);
  return names.sort()[0] ?? null;
}

// ---------------------------------------------------------------- main

/**
 * On a shared machine, figures taken while other work runs are inflated; waiting
 * for a quiet moment is cheaper than explaining noisy numbers. Synchronous sleep:
 * nothing else runs in this process.
 */
function waitForIdle(maxS) {
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const deadline = Date.now() + maxS * 1000;
  for (let i = 0; loadAverage() > cores / 2 && Date.now() < deadline; i++) {
    if (i % 8 === 0) log(`waiting for the machine to be idle: load average ${loadAverage()} on ${cores} cores`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 15000);
  }
  if (loadAverage() > cores / 2) log(`gave up waiting after ${maxS} s`);
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  if (opts.waitIdle) waitForIdle(opts.waitIdle);
  const have = {
    reclass: opts.reclass && existsSync(RECLASS_PKG) && existsSync(ORACLE),
    cli: existsSync(CLI),
    lib: existsSync(LIB),
  };
  if (!have.reclass)
    log(
      opts.reclass
        ? `reclass 1.7 not installed (${RECLASS_PKG} missing): skipped, absolute figures only`
        : 'reclass 1.7: skipped (--no-reclass)',
    );
  if (!have.cli) log(`reclass-net CLI not built (${CLI} missing): reclass-net skipped`);

  if (opts.baseline) {
    try {
      const base = prepareBaseline({ repo: REPO, work: WORK, rev: opts.baseline, log });
      baseCli = (...args) => [...commandOf(base.cli), ...args];
      have.baseline = { rev: opts.baseline, sha: base.sha };
    } catch (e) {
      fail(e.message);
    }
  }

  const machine = describeMachine(REPO);
  log(
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory}; node ${machine.node}, python ${machine.python}, reclass ${machine.reclass}`,
  );
  if (machine.loadStart > machine.cores / 2)
    log(
      `warning: load average ${machine.loadStart} on ${machine.cores} cores; absolute times will be inflated (ratios stay fair: runs are interleaved)`,
    );

  const results = { machine, options: opts, have, sizes: [], render: [] };
  results.oneNode = have.cli
    ? benchOneNode({
        repo: REPO,
        cli,
        baseCli,
        oracle: ORACLE,
        out: OUT,
        repeat: opts.oneNodeRepeat,
        timeoutS: opts.timeout,
        haveReclass: have.reclass,
        log,
      })
    : [];
  if (!opts.onlyOneNode) {
    results.sizes = benchInventories(opts, have);
    results.cold = benchColdNode(opts, have);
    results.render = have.lib ? benchRender(opts, have) : [];
    results.phases = have.lib ? benchPhases(opts) : null;
    const serveN = opts.sizes.includes(1000) ? 1000 : Math.min(...opts.sizes);
    results.servePillar = have.cli
      ? benchServePillar({
          repo: REPO,
          dir: ensureInventory(serveN, opts.seed),
          n: serveN,
          reclass: have.reclass,
          timeoutS: opts.timeout,
          log,
        })
      : null;
    results.docsSite = have.cli
      ? benchDocsSite({
          cmd: cli,
          dir: ensureInventory(serveN, opts.seed),
          n: serveN,
          out: join(OUT, `docs-${serveN}`),
          timeoutS: opts.timeout,
          log,
        })
      : null;
    results.impact = have.cli
      ? benchImpact({ repo: REPO, dir: ensureInventory(serveN, opts.seed), n: serveN, timeoutS: opts.timeout, log })
      : null;
  }
  machine.loadEnd = loadAverage();
  writeFileSync(join(WORK, 'results.json'), JSON.stringify(results, null, 2));

  if (results.oneNode.length) {
    log('\n' + report.textTable(report.ONE_NODE_HEADERS, report.oneNodeRows(results.oneNode)));
    const t = report.onePhaseTable(results.oneNode);
    if (t.headers.length > 1) log('\n' + report.textTable(t.headers, t.rows));
  }
  if (results.sizes.length) log('\n' + report.textTable(report.INVENTORY_HEADERS, report.inventoryRows(results.sizes)));
  const growth = report.growthLine(results);
  if (growth) log(growth);
  if (results.cold) log('\n' + report.textTable(report.COLD_HEADERS, report.coldRows(results.cold)));
  if (results.render.length) log('\n' + report.textTable(report.RENDER_HEADERS, report.renderRows(results.render)));
  if (results.phases)
    log(
      '\n' +
        report.textTable(report.PHASE_HEADERS, report.phaseRows(results.phases)) +
        '\n' +
        report.phaseNote(results),
    );
  const baseRows = report.baselineRows(results);
  if (baseRows.length) {
    log(`\nagainst the baseline ${opts.baseline}:`);
    log(report.textTable(report.BASELINE_HEADERS, baseRows));
  }
  const verdicts = [...report.verdicts(results), ...report.memoryVerdicts(results)];
  if (verdicts.length) {
    log('\ntargets (issues 7 and 17):');
    for (const [what, value, pass] of verdicts) log(`  ${pass ? 'PASS' : 'FAIL'}  ${what}: ${value}`);
  }
  const verdicts22 = report.oneNodeVerdicts(results);
  if (verdicts22.length) {
    log('\ntargets (issue 22):');
    for (const [what, value, pass] of verdicts22) log(`  ${pass ? 'PASS' : 'FAIL'}  ${what}: ${value}`);
  }
  // A partial run would overwrite the whole-inventory figures of the document with nothing.
  if (opts.docs && opts.onlyOneNode) log('\n--only-one-node: docs/performance.md left as it is');
  else if (opts.docs) {
    const doc = writePerformanceDoc(join(REPO, 'docs/performance.md'), results, REPO);
    log(`\nwrote ${doc}`);
  }
  log(`raw results: ${join(WORK, 'results.json')}; outputs in ${OUT}`);
}

main();
