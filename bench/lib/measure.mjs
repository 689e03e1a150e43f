// Node side of the measurement: runs a command under measure.py (see there for why a
// Python wrapper and what exactly is measured) and returns its figures.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MEASURE_PY = fileURLToPath(new URL('./measure.py', import.meta.url));

/**
 * Run `cmd` once. stdout/stderr of the command go to the given files (outputs of
 * 200 MB must never pass through this process's memory).
 * @returns {{wall_s:number,user_s:number,sys_s:number,maxrss_kb:number,tree_peak_kb:number,peak_kb:number,exit:number,timed_out:boolean,stderrTail:string}}
 */
export function measureOnce(cmd, { cwd, stdout, stderr, timeoutS = 0 }) {
  const args = [MEASURE_PY, '--stdout', stdout, '--stderr', stderr, '--timeout', String(timeoutS)];
  if (cwd) args.push('--cwd', cwd);
  const res = JSON.parse(execFileSync('python3', [...args, '--', ...cmd], { encoding: 'utf8' }));
  res.stderrTail = res.exit === 0 ? '' : tail(stderr, 600);
  return res;
}

/**
 * Summarise repeated runs: best (minimum) wall time, because timing noise on a
 * shared machine only ever adds; highest peak RSS, because a peak is what the
 * machine must provide. A failed run makes the whole measurement failed.
 */
export function summarise(runs) {
  const failed = runs.find((r) => r.exit !== 0);
  return {
    ok: !failed,
    runs: runs.length,
    wall_s: Math.min(...runs.map((r) => r.wall_s)),
    walls: runs.map((r) => r.wall_s),
    peak_kb: Math.max(...runs.map((r) => r.peak_kb)),
    // CPU time (user + sys, all threads) is much less disturbed than wall time by
    // other work on a shared machine, so it is reported next to it as a cross-check.
    cpu_s: Math.min(...runs.map((r) => r.user_s + r.sys_s)),
    failure: failed ? `exit ${failed.exit}${failed.timed_out ? ' (timed out)' : ''}: ${failed.stderrTail}` : '',
  };
}

function tail(file, bytes) {
  try {
    const s = readFileSync(file, 'utf8');
    return s.slice(-bytes).trim();
  } catch {
    return '';
  }
}
