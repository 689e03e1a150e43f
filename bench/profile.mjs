#!/usr/bin/env node
// Where does reclass-net spend its time? Runs one CLI command under `node --cpu-prof`
// and prints the functions with the most self and inclusive time (all threads,
// worker_threads write their own profile). Issue 7 asks that every speed trick be
// justified by a measurement; this is the measurement.
//
// usage: node bench/profile.mjs [--size N] [--top K] [-- CLI ARGS...]
//   default CLI ARGS: inventory --inventory .bench/inv-N --format json (N default 1000)
// Profiles are kept in .bench/prof/ for chrome://inspect or speedscope.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROF = join(REPO, '.bench/prof');

function parseArgs(argv) {
  const o = { size: 1000, top: 25, cli: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--size') o.size = Number(argv[++i]);
    else if (argv[i] === '--top') o.top = Number(argv[++i]);
    else if (argv[i] === '--') {
      o.cli = argv.slice(i + 1);
      break;
    } else {
      console.error(`profile: unknown option ${argv[i]}`);
      process.exit(2);
    }
  }
  o.cli ??= ['inventory', '--inventory', join(REPO, `.bench/inv-${o.size}`), '--format', 'json'];
  return o;
}

/** Self and inclusive milliseconds per function over every profile in dir. */
function summarise(dir) {
  const self = new Map(),
    total = new Map();
  let sampledMs = 0;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.cpuprofile'))) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    for (let i = 0; i < p.samples.length; i++) {
      const ms = (p.timeDeltas[i] ?? 0) / 1000;
      sampledMs += ms;
      let id = p.samples[i];
      add(self, label(byId.get(id)), ms);
      // Inclusive time: count each function once per sample even when recursive.
      const seen = new Set();
      for (; id != null; id = parent.get(id)) {
        const l = label(byId.get(id));
        if (!seen.has(l)) {
          seen.add(l);
          add(total, l, ms);
        }
      }
    }
  }
  return { self, total, sampledMs };
}

function label(node) {
  const cf = node.callFrame;
  const name = cf.functionName || '(anonymous)';
  if (!cf.url) return name; // (garbage collector), (program), (idle), native code
  const url = cf.url.replace(/^file:\/\//, '');
  const where = url.startsWith(REPO) ? relative(REPO, url) : url.replace(/^.*node_modules\//, '');
  return `${name}  ${where}:${cf.lineNumber + 1}`;
}

const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);

function print(title, map, sampledMs, top) {
  console.log(`\n${title}`);
  for (const [k, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / sampledMs).toFixed(1).padStart(5)}%  ${k}`);
  }
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const cli = join(REPO, 'dist/src/cli/main.js');
  if (!existsSync(cli)) {
    console.error('profile: dist/src/cli/main.js missing; run npm run build');
    process.exit(1);
  }
  rmSync(PROF, { recursive: true, force: true });
  mkdirSync(PROF, { recursive: true });
  const t0 = performance.now();
  // Output is discarded into a file: the profile is about computing it, not the terminal.
  execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', PROF, cli, ...o.cli], {
    stdio: ['ignore', 'ignore', 'inherit'],
    maxBuffer: 1 << 30,
  });
  console.log(`reclass-net ${o.cli.join(' ')}: ${(performance.now() - t0).toFixed(0)} ms under the profiler`);
  const { self, total, sampledMs } = summarise(PROF);
  print(`self time (top ${o.top} of ${sampledMs.toFixed(0)} ms sampled, all threads)`, self, sampledMs, o.top);
  print(`inclusive time (top ${o.top})`, total, sampledMs, o.top);
  console.log(`\nprofiles: ${PROF}`);
}

main();
