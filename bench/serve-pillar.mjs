#!/usr/bin/env node
// The pillar of every node, as a Salt master asks for it on a refresh of all minions
// (issue 19), side by side in one run:
// (a) reclass 1.7's ext_pillar called once per minion from one Python process
//     (bench/ext-pillar.py), as a master calls its reclass ext_pillar;
// (b) `reclass-net serve` answering the same /pillar/NAME requests over loopback to 8
//     concurrent clients with keep-alive connections, as masters configured with Salt's
//     http_json ext_pillar ask. The server is started and its model loaded before the
//     clock starts: it is resident; its start-up is reported beside.
// Both outputs are compared, every node's JSON text. Prints one JSON object on stdout.
//
// usage: node bench/serve-pillar.mjs REPO_ROOT INVENTORY_DIR [--no-reclass] [--clients K]
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [repo, dir, ...rest] = process.argv.slice(2);
const withReclass = !rest.includes('--no-reclass');
const clients = rest.includes('--clients') ? Number(rest[rest.indexOf('--clients') + 1]) : 8;
const CLI = join(repo, 'dist/src/cli/launch.cjs');
const work = mkdtempSync(join(tmpdir(), 'reclass-net-serve-bench-'));

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (s) => Math.round(s * 1e5) / 100;
const latencies = (seconds) => {
  const sorted = [...seconds].sort((a, b) => a - b);
  return { p50Ms: ms(quantile(sorted, 0.5)), p99Ms: ms(quantile(sorted, 0.99)), maxMs: ms(sorted.at(-1)) };
};

/** Resident set of a process, from /proc: now and its peak. */
function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMB: Math.round(kb('VmRSS') / 102.4) / 10, peakMB: Math.round(kb('VmHWM') / 102.4) / 10 };
}

async function startServer() {
  const t0 = performance.now();
  const child = spawn(CLI, ['serve', '--inventory', dir, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.setEncoding('utf8');
  const port = await new Promise((resolve, reject) => {
    child.stderr.on('data', (c) => {
      log += c;
      const m = / on 127\.0\.0\.1:(\d+)\n/.exec(log);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${log.slice(-500)}`)));
  });
  return { child, port, startupMs: Math.round(performance.now() - t0), log: () => log };
}

function get(agent, port, path) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          body: Buffer.concat(chunks).toString('utf8'),
          seconds: (performance.now() - t0) / 1000,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

async function measureServer(names) {
  const server = await startServer();
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: clients });
    const results = new Array(names.length);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < names.length) {
          const i = next++;
          results[i] = await get(agent, server.port, `/pillar/${encodeURIComponent(names[i])}`);
        }
      }),
    );
    const totalS = (performance.now() - t0) / 1000;
    agent.destroy();
    const rss = rssOf(server.child.pid);
    return {
      totalS,
      startupMs: server.startupMs,
      ...latencies(results.map((r) => r.seconds)),
      ...rss,
      results,
      failed: results.filter((r) => r.status !== 200).length,
    };
  } finally {
    server.child.kill('SIGTERM');
    if (server.child.exitCode === null) await once(server.child, 'exit');
  }
}

function measureReclass(names) {
  const out = join(work, 'ext-pillar.jsonl');
  const t0 = performance.now();
  const stdout = execFileSync(join(repo, 'bench/ext-pillar.py'), [dir, out], {
    input: names.join('\n'),
    maxBuffer: 64 * 1024 * 1024,
  });
  const totalS = (performance.now() - t0) / 1000;
  const { seconds } = JSON.parse(stdout);
  const texts = readFileSync(out, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  return { totalS, callsS: seconds.reduce((a, b) => a + b, 0), ...latencies(seconds), texts };
}

try {
  const names = JSON.parse(
    execFileSync(CLI, ['inventory', '--inventory', dir, '--format', 'json'], {
      maxBuffer: 1024 * 1024 * 1024,
    }).toString(),
  ).nodes;
  const nodeNames = Object.keys(names);
  const net = await measureServer(nodeNames);
  const reclass = withReclass ? measureReclass(nodeNames) : null;
  let differ = [];
  if (reclass) differ = nodeNames.filter((n, i) => net.results[i].body.trimEnd() !== reclass.texts[i]);
  // The figures without the bodies and texts compared above.
  const netFigures = { ...net, results: undefined };
  const reclassFigures = { ...reclass, texts: undefined };
  process.stdout.write(
    JSON.stringify({
      nodes: nodeNames.length,
      clients,
      net: netFigures,
      reclass: reclass ? reclassFigures : null,
      ratio: reclass ? Math.round((reclass.callsS / net.totalS) * 10) / 10 : null,
      agree: reclass ? differ.length === 0 : null,
      differ: differ.slice(0, 10),
    }) + '\n',
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
