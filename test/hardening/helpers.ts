/**
 * Shared pieces of the hardening suite: the built CLI run as a user runs it (a child process,
 * so exit codes, stderr and hangs are observed for real), inventories written to temp dirs,
 * and the checks every error message must pass.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
export function runCli(args: string[], options: { timeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const start = Date.now();
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 30_000,
    killSignal: 'SIGKILL',
    cwd: options.cwd ?? REPO,
    env: options.env ?? process.env,
    maxBuffer: 512 * 1024 * 1024,
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: Date.now() - start, timedOut };
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
