/**
 * Long-running programs (ovsdb-server, ovs-vswitchd) started by a test and stopped by pid.
 *
 * They run in the foreground as our own children (no --detach), so that their pid is the one
 * we spawned, Node reaps them, and a test can always stop what it started. A process-exit
 * hook kills whatever is still running if a worker exits without running its afterAll, and
 * where util-linux's setpriv exists the daemon also gets SIGKILL as parent-death signal, so
 * even a worker killed with SIGKILL leaves nothing running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { which } from './exec.js';

const running = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export class Daemon {
  private readonly exited: Promise<void>;
  private output = '';

  private constructor(
    readonly label: string,
    private readonly child: ChildProcess,
  ) {
    running.add(child);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => running.delete(child));
    // Keep the tail of the console output for error reports; log files hold the rest.
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString('utf8')).slice(-4000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  /** `argv` is run as is; use {@link withParentDeathSignal} on the program part of it. */
  static start(label: string, argv: readonly string[], env?: Record<string, string>): Daemon {
    const [file, ...args] = argv;
    if (file === undefined) throw new Error('empty argv');
    const child = spawn(file, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.on('error', () => undefined); // reported through isRunning()/output
    return new Daemon(label, child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined;
  }

  /** What the daemon printed (tail), and how it ended if it did. */
  describe(): string {
    const status = this.isRunning() ? 'running' : `exited (${this.child.exitCode ?? this.child.signalCode})`;
    return `${this.label} pid ${this.pid ?? '-'} ${status}\n${this.output.trimEnd()}`;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.isRunning()) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

let setpriv: string | undefined | null = null;

/** `[setpriv --pdeathsig KILL, ...argv]` when setpriv is available, else `argv`. */
export async function withParentDeathSignal(argv: readonly string[]): Promise<string[]> {
  if (setpriv === null) setpriv = await which('setpriv');
  return setpriv ? [setpriv, '--pdeathsig', 'KILL', ...argv] : [...argv];
}

/** Poll `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
