// run.mjs's section for issue 19: the pillar of every node of the N=1000 inventory,
// reclass 1.7's ext_pillar once per minion against `reclass-net serve` over loopback
// (bench/serve-pillar.mjs does the measuring, in a process of its own).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Target of issue 19: the server answers the refresh of every minion at least 100x faster. */
const SERVE_TARGET = 100;

export function benchServePillar({ repo, dir, n, reclass, timeoutS, log }) {
  log(
    `\npillar of every node (N=${n}): reclass 1.7 ext_pillar per minion vs \`reclass-net serve\`, 8 clients over loopback`,
  );
  let r;
  try {
    const out = execFileSync(
      process.execPath,
      [join(repo, 'bench/serve-pillar.mjs'), repo, dir, ...(reclass ? [] : ['--no-reclass'])],
      {
        timeout: timeoutS * 1000,
        maxBuffer: 16 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    r = JSON.parse(out.toString());
  } catch (e) {
    log(`  FAILED: ${String(e.message).split('\n').slice(0, 3).join(' / ')}`);
    return null;
  }
  const { net, reclass: py } = r;
  log(
    `  reclass-net serve: ${r.nodes} requests in ${net.totalS.toFixed(3)} s, p50 ${net.p50Ms} ms, p99 ${net.p99Ms} ms, ` +
      `${net.failed} failed; server RSS ${net.rssMB} MB (peak ${net.peakMB} MB), model loaded in ${net.startupMs} ms`,
  );
  if (py) {
    log(
      `  reclass 1.7 ext_pillar: ${r.nodes} calls in ${py.callsS.toFixed(1)} s, p50 ${py.p50Ms} ms, p99 ${py.p99Ms} ms`,
    );
    log(
      `  ratio ${r.ratio}x (target ${SERVE_TARGET}x: ${r.ratio >= SERVE_TARGET ? 'PASS' : 'FAIL'}); outputs ${r.agree ? `agree on all ${r.nodes} nodes` : `DIFFER: ${r.differ.join(', ')}`}`,
    );
  }
  return r;
}
