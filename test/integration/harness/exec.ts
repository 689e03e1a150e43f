/**
 * Running external programs (ip, ifup, ovs-vsctl, ...) from tests.
 *
 * Every call has a timeout, because a hung ovs-vsctl (daemon not up) or a DHCP client
 * would otherwise stall the whole vitest run until its global limit.
 */
import { spawn } from 'node:child_process';

export interface RunOptions {
  /** Milliseconds before the child is killed (SIGKILL). */
  timeoutMs?: number;
  /** Extra environment variables (merged over process.env). */
  env?: Record<string, string>;
  /** Text written to the child's stdin. */
  input?: string;
  cwd?: string;
}

export interface RunResult {
  command: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** A failed command, with everything needed to understand it in a test report. */
class CommandError extends Error {
  constructor(readonly result: RunResult) {
    super(
      `command failed (${result.timedOut ? 'timed out' : `exit ${result.code ?? result.signal}`}): ${result.command}\n` +
        `--- stdout\n${result.stdout.trimEnd()}\n--- stderr\n${result.stderr.trimEnd()}`,
    );
    this.name = 'CommandError';
  }
}

/** Shell-quote one argument, only for the human-readable command line in reports. */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Run a program; never throws for a non-zero exit (see {@link runChecked}). */
export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const command = [file, ...args].map(quote).join(' ');
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ? { ...process.env, ...options.env } : process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ command, code: 127, signal: null, stdout, stderr: stderr + String(error), timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ command, code, signal, stdout, stderr, timedOut });
    });
    child.stdin.on('error', () => undefined); // the child may exit before reading its input
    child.stdin.end(options.input ?? '');
  });
}

/** Run a program and throw a {@link CommandError} unless it exits 0. */
export async function runChecked(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(file, args, options);
  if (result.code !== 0 || result.timedOut) throw new CommandError(result);
  return result;
}

/** True if `file` can be found on PATH (or is an existing absolute path) and executed. */
export async function which(file: string): Promise<string | undefined> {
  const result = await run('sh', ['-c', 'command -v "$1"', 'sh', file], { timeoutMs: 10_000 });
  const path = result.stdout.trim();
  return result.code === 0 && path !== '' ? path : undefined;
}
