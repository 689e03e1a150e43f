// The main job, cold (issue 22): one node of a real model resolved (`node`) and rendered
// (`render`), each a fresh process of the installed command, beside `reclass -n` for the same
// node and a bare `node -e 0` started the way the command starts; median times of K rounds
// run interleaved (reclass, bare, node, render, reclass, ...), highest peak RSS. Then where
// one cold render's time goes: bench/cold-render-probe.mjs, plus the command's own loading
// (`help`, less the bare start-up).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureOnce } from './measure.mjs';
import { compareNodeOutputs } from './compare.mjs';

/** The real models of ../shared/corpus (as reclass runs them) and the embedded one (it cannot). */
export function oneNodeTargets(repo) {
  const corpus = join(repo, '../shared/corpus');
  const targets = ['mk24-ovs-dvr-vlan-bm', 'mcp-ocata-ovs']
    .map((name) => ({ label: name, dir: join(corpus, name, 'inventory'), short: 'cmp01', reclass: true }))
    .filter((t) => existsSync(t.dir));
  targets.push({ label: 'embedded example model', dir: repo, short: 'cmp01', reclass: false });
  return targets;
}

/** The file name of the node `short` abbreviates (`cmp01` -> `cmp01.domain`). */
function fullName(nodesDir, short) {
  for (const e of readdirSync(nodesDir, { withFileTypes: true, recursive: true })) {
    const m = /^(.*)\.ya?ml$/.exec(e.name);
    if (e.isFile() && m && (m[1] === short || m[1].startsWith(`${short}.`))) return m[1];
  }
  return short;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Median wall and CPU, highest peak RSS; null figures when any run failed. */
function summary(runs) {
  const failed = runs.find((r) => r.exit !== 0);
  return {
    ok: !failed,
    runs: runs.length,
    wall_s: median(runs.map((r) => r.wall_s)),
    walls: runs.map((r) => r.wall_s),
    cpu_s: median(runs.map((r) => r.user_s + r.sys_s)),
    peak_kb: Math.max(...runs.map((r) => r.peak_kb)),
    failure: failed ? `exit ${failed.exit}${failed.timed_out ? ' (timed out)' : ''}: ${failed.stderrTail}` : '',
  };
}

export function benchOneNode({ repo, cli, baseCli = null, oracle, out, repeat, timeoutS, haveReclass, log }) {
  const bare = ['env', '-u', 'NODE_EXTRA_CA_CERTS', process.execPath, '--v8-pool-size=0', '-e', '0'];
  const results = [];
  for (const t of oneNodeTargets(repo)) {
    const name = fullName(join(t.dir, 'nodes'), t.short);
    const base = join(out, `one-node-${t.label.replace(/\W+/g, '-')}`);
    const cmds = {
      reclass: haveReclass && t.reclass ? [oracle, '-b', '.', '-n', name, '-o', 'json'] : null,
      bare,
      node: cli('node', t.short, '--inventory', t.dir, '--format', 'json'),
      render: cli('render', t.short, '--inventory', t.dir, '--format', 'json'),
      // --baseline REV: the same two commands of that build, in the same rounds.
      baseNode: baseCli?.('node', t.short, '--inventory', t.dir, '--format', 'json') ?? null,
      baseRender: baseCli?.('render', t.short, '--inventory', t.dir, '--format', 'json') ?? null,
    };
    log(`\none node, cold: ${t.label} ${name}, median of ${repeat} interleaved rounds`);
    const runs = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
    for (let i = 0; i < repeat; i++) {
      for (const [what, cmd] of Object.entries(cmds)) {
        if (!cmd) continue;
        const r = measureOnce(cmd, {
          cwd: t.dir,
          stdout: `${base}.${what}.out`,
          stderr: `${base}.${what}.err`,
          timeoutS,
        });
        runs[what].push(r);
      }
    }
    const figures = Object.fromEntries(Object.entries(runs).map(([k, rs]) => [k, rs.length ? summary(rs) : null]));
    let compare = null;
    if (figures.reclass?.ok && figures.node?.ok) {
      try {
        compare = compareNodeOutputs(`${base}.reclass.out`, `${base}.node.out`);
      } catch (e) {
        compare = { agree: false, examples: [`unparsable output: ${e.message}`] };
      }
    }
    const timed = coldRenderPhases({ repo, cli, dir: t.dir, short: t.short, base, repeat, timeoutS, bare });
    // A probe that fails is said, not left out: its table would vanish from the report unnoticed.
    if (timed.failure) log(`  cold-render probe FAILED (${timed.failure}); no table of where the time goes`);
    const phases = timed.failure ? null : timed;
    const ms = (m) => (m?.ok ? `${(m.wall_s * 1000).toFixed(0)} ms` : m ? 'FAILED' : 'n/a');
    log(
      `  reclass ${ms(figures.reclass)}, node -e 0 ${ms(figures.bare)}, node ${ms(figures.node)}, render ${ms(figures.render)}` +
        (baseCli ? `; baseline node ${ms(figures.baseNode)}, render ${ms(figures.baseRender)}` : '') +
        (compare ? `; node output ${compare.agree ? 'agrees' : 'DIFFERS'}` : ''),
    );
    for (const [what, m] of Object.entries(figures))
      if (m && !m.ok) log(`  ${what} FAILED: ${m.failure.split('\n').slice(-2).join(' / ')}`);
    results.push({ label: t.label, nodeName: name, ...figures, compare, phases });
  }
  return results;
}

/**
 * Where one cold render's time goes: median of each phase over `repeat` probe processes, and
 * the command's own loading (`help`: the bundle compiled from its code cache and main run)
 * as the median `help` less the median bare start-up, measured interleaved with the probes.
 */
function coldRenderPhases({ repo, cli, dir, short, base, repeat, timeoutS, bare }) {
  const probe = [...bare.slice(0, -2), join(repo, 'bench/cold-render-probe.mjs'), repo, dir, short];
  const probes = [],
    helps = [],
    bares = [];
  for (let i = 0; i < repeat; i++) {
    bares.push(measureOnce(bare, { stdout: '/dev/null', stderr: `${base}.bare.err`, timeoutS }));
    helps.push(measureOnce(cli('help'), { stdout: '/dev/null', stderr: `${base}.help.err`, timeoutS }));
    const r = measureOnce(probe, { stdout: '/dev/null', stderr: `${base}.probe.err`, timeoutS });
    if (r.exit !== 0) {
      const tail = readFileSync(`${base}.probe.err`, 'utf8').trim().split('\n').slice(-2).join(' / ');
      return { failure: `exit ${r.exit}: ${tail}` };
    }
    const lines = readFileSync(`${base}.probe.err`, 'utf8').trim().split('\n');
    probes.push(JSON.parse(lines.at(-1)));
  }
  const phase = (k) => median(probes.map((p) => p[k]));
  return {
    startMs: median(bares.map((r) => r.wall_s)) * 1000,
    loadMs: (median(helps.map((r) => r.wall_s)) - median(bares.map((r) => r.wall_s))) * 1000,
    probeModulesMs: phase('modulesMs'),
    treeMs: phase('treeMs'),
    parseMs: phase('parseMs'),
    resolveMs: phase('resolveMs'),
    validateMs: phase('validateMs'),
    renderMs: phase('renderMs'),
    writeMs: phase('writeMs'),
    files: probes[0].files,
    classes: probes[0].classes,
  };
}
