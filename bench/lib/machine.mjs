// The machine a benchmark ran on: figures are meaningless without it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export function describeMachine(repo) {
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    python: run('python3', ['--version']).replace(/^Python /, ''),
    reclass: reclassVersion(),
    commit: gitCommit(repo),
    loadStart: loadAverage(),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

/**
 * 1-minute load average. Other work on the machine slows both programs, and
 * interleaving keeps the ratios fair, but absolute figures taken under load are
 * not comparable across runs; the report says so.
 */
export function loadAverage() {
  return Math.round(os.loadavg()[0] * 100) / 100;
}

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {
    /* not Linux */
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function reclassVersion() {
  // Debian's package version is the honest identifier of the reference we ran.
  const v = run('dpkg-query', ['-W', '-f=${Version}', 'python3-reclass']);
  return v || 'not installed';
}

function gitCommit(repo) {
  const head = run('git', ['-C', repo, 'rev-parse', '--short', 'HEAD']);
  if (!head) return 'unknown';
  // Uncommitted source changes mean the figures belong to no commit; say so.
  const dirty = run('git', ['-C', repo, 'status', '--porcelain', '--', 'src', 'package.json'])
    ? ' (+ uncommitted src changes)'
    : '';
  return head + dirty;
}

function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}
