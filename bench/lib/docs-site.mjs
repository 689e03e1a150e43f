// run.mjs's section for issue 20: `reclass-net docs` of the N=1000 inventory, its time and
// peak memory (bench/lib/measure.py), and how big the site and its largest page are.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { measureOnce } from './measure.mjs';

function files(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

export function benchDocsSite({ cmd, dir, n, out, timeoutS, log }) {
  log(`\ndocs site of the N=${n} inventory: \`reclass-net docs --out\``);
  rmSync(out, { recursive: true, force: true });
  const r = measureOnce(cmd('docs', '--inventory', dir, '--out', out), {
    stdout: `${out}.stdout`,
    stderr: `${out}.stderr`,
    timeoutS,
  });
  if (r.exit !== 0) {
    log(`  FAILED (exit ${r.exit}): ${r.stderrTail}`);
    return null;
  }
  const sizes = files(out).map((f) => ({ f: relative(out, f), bytes: statSync(f).size }));
  const total = sizes.reduce((s, x) => s + x.bytes, 0);
  const pages = sizes.filter((x) => x.f.endsWith('.html')).sort((a, b) => b.bytes - a.bytes);
  const result = {
    n,
    seconds: r.wall_s,
    peakMB: Math.round((r.peak_kb ?? r.maxrss_kb) / 1024),
    files: sizes.length,
    totalMB: +(total / 1048576).toFixed(1),
    largestPage: pages[0] ? { page: pages[0].f, kB: Math.round(pages[0].bytes / 1024) } : null,
    medianPageKB: pages.length ? Math.round(pages[Math.floor(pages.length / 2)].bytes / 1024) : 0,
  };
  log(
    `  ${result.files} files, ${result.totalMB} MB in ${result.seconds.toFixed(1)} s (peak ${result.peakMB} MB); ` +
      `largest page ${result.largestPage?.page} ${result.largestPage?.kB} kB, median page ${result.medianPageKB} kB`,
  );
  return result;
}
