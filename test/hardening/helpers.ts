/**
 * Shared pieces of the hardening suite: the built CLI run as a user runs it (a child process,
 * so exit codes, stderr and hangs are observed for real), inventories written to temp dirs,
 * and the checks every error message must pass.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(REPO, 'dist/src/cli/launch.cjs');
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds. */
  ms: number;
  timedOut: boolean;
}

/**
 * Runs `node dist/src/cli/launch.cjs ARGS`. Always with a timeout: a hang is a failure of its
 * own, and must not stall the suite.
 */
export function runCli(
  args: string[],
  options: { timeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const start = Date.now();
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 30_000,
    killSignal: 'SIGKILL',
    cwd: options.cwd ?? REPO,
    env: options.env ?? process.env,
    maxBuffer: 512 * 1024 * 1024,
  });
  const timedOut = r.error !== undefined && 'code' in r.error && r.error.code === 'ETIMEDOUT';
  return {
    code: r.status,
    signal: r.signal,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    ms: Date.now() - start,
    timedOut,
  };
}

/** A fresh temp dir, removed by the returned cleanup (tests call it in afterAll/finally). */
export function tempDir(prefix = 'reclass-net-hardening-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (relative path -> content) under `root`, creating directories. */
export function writeTree(root: string, files: Record<string, string | Buffer>): string {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return root;
}

/** Every file below `dir`, relative, sorted (an empty list when `dir` does not exist). */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

export interface ErrorExpectation {
  /** 1: bad model or input, 2: bad usage. */
  code: 1 | 2;
  /** The error kind that must open the message (`reclass-net: KIND: ...`). */
  kind?: string;
  /** Strings the message must contain: the file, `file:line:column`, the node, the chain. */
  contains?: Array<string | RegExp>;
  /** Hard limit on the run time, to prove "quickly". */
  maxMs?: number;
}

/**
 * The contract of every failure: the exit code, nothing on stdout that looks like output,
 * stderr one paragraph (no blank line, no usage dump), no stack trace, no timeout.
 */
export function expectCleanFailure(r: CliResult, want: ErrorExpectation): void {
  const context = `exit ${r.code}, signal ${r.signal}, stderr:\n${r.stderr}`;
  expect(r.timedOut, `timed out after ${r.ms} ms`).toBe(false);
  expect(r.signal, context).toBeNull();
  expect(r.code, context).toBe(want.code);
  const err = r.stderr.trimEnd();
  expect(err, 'stderr is empty').not.toBe('');
  expect(err.split('\n'), `stderr is not one paragraph:\n${r.stderr}`).toHaveLength(1);
  expect(r.stderr, 'stack trace on stderr').not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/RangeError|TypeError|internal error|node:internal/);
  if (want.kind) expect(err.startsWith(`reclass-net: ${want.kind}: `), context).toBe(true);
  for (const c of want.contains ?? []) {
    if (typeof c === 'string') expect(err, context).toContain(c);
    else expect(err, context).toMatch(c);
  }
  if (want.maxMs !== undefined) expect(r.ms, `took ${r.ms} ms`).toBeLessThan(want.maxMs);
}

/** What a measured run adds: the kernel's peak resident memory of the process, in MB. */
export interface MeasuredResult extends CliResult {
  peakMb: number;
}

/** The ceilings of issue 16: generous, machine-independent bounds on a hostile input. */
export const CEILING = { ms: 10_000, mb: 1024 };

/**
 * Runs the CLI under bench/lib/measure.py, which reads the child's peak RSS from wait4
 * (Node cannot), so that a test can hold a hostile input to a memory ceiling as well as a
 * time ceiling. The child is killed at twice the time ceiling.
 */
export function runMeasured(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): MeasuredResult {
  const dir = tempDir('reclass-net-measure-');
  try {
    const out = join(dir, 'stdout');
    const err = join(dir, 'stderr');
    const timeoutS = (2 * CEILING.ms) / 1000;
    const r = spawnSync(
      'python3',
      [
        join(REPO, 'bench/lib/measure.py'),
        '--stdout',
        out,
        '--stderr',
        err,
        '--timeout',
        String(timeoutS),
        '--',
        process.execPath,
        CLI,
        ...args,
      ],
      { encoding: 'utf8', cwd: options.cwd ?? REPO, env: options.env ?? process.env, timeout: (timeoutS + 30) * 1000 },
    );
    const m = JSON.parse(r.stdout) as { wall_s: number; peak_kb: number; exit: number; timed_out: boolean };
    const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
    return {
      code: m.exit < 0 ? null : m.exit,
      signal: m.exit < 0 ? 'SIGKILL' : null,
      stdout: read(out),
      stderr: read(err),
      ms: Math.round(m.wall_s * 1000),
      timedOut: m.timed_out,
      peakMb: Math.round(m.peak_kb / 1024),
    };
  } finally {
    removeDir(dir);
  }
}

/** The clean-failure contract plus the ceilings: exit code, message, time and memory. */
export function expectBoundedFailure(r: MeasuredResult, want: ErrorExpectation): void {
  expectCleanFailure(r, { maxMs: CEILING.ms, ...want });
  expect(r.peakMb, `peak RSS ${r.peakMb} MB`).toBeLessThan(CEILING.mb);
}
