/**
 * A private Open vSwitch: a fresh database (`ovsdb-tool create` from the installed schema),
 * `ovsdb-server` on a unix socket in a temp dir, and `ovs-vswitchd` inside the test's network
 * namespace, so the userspace datapath's tap devices appear there and nowhere else.
 *
 * Nothing here uses the system's /var/run/openvswitch or /etc/openvswitch: OVS_RUNDIR,
 * OVS_DBDIR and OVS_LOGDIR point at the temp dir, so a system openvswitch-switch service,
 * running or not, is never touched.
 */
import { readFile, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { OVS_SCHEMA } from './capabilities.js';
import { Daemon, waitFor, withParentDeathSignal } from './daemon.js';
import { type RunResult, run, runChecked, which } from './exec.js';
import type { Netns } from './netns.js';
import { type DbSnapshot, type OvsState, buildOvsState, decodeTable, parseDump } from './ovsdb.js';
import { writeOvsVsctlShim } from './shims.js';

export class Ovs {
  private daemons: Daemon[] = [];

  private constructor(
    readonly ns: Netns,
    /** The run dir: db.sock, pid files, logs, control sockets. Bind-mounted on /var/run/openvswitch for ifup. */
    readonly dir: string,
    /** Directory holding the ovs-vsctl wrapper (see shims.ts). */
    readonly binDir: string,
  ) {}

  get socket(): string {
    return join(this.dir, 'db.sock');
  }

  get env(): Record<string, string> {
    return { OVS_RUNDIR: this.dir, OVS_DBDIR: this.dir, OVS_LOGDIR: this.dir };
  }

  /** Start ovsdb-server and ovs-vswitchd; `dir` must be an empty, short temp dir. */
  static async start(ns: Netns, dir: string): Promise<Ovs> {
    const ovs = new Ovs(ns, dir, join(dir, 'bin'));
    try {
      await ovs.startDaemons();
    } catch (error) {
      await ovs.stop();
      throw error;
    }
    return ovs;
  }

  private async startDaemons(): Promise<void> {
    const dir = this.dir;
    const realVsctl = await which('ovs-vsctl');
    if (!realVsctl) throw new Error('ovs-vsctl not found');
    await writeOvsVsctlShim(this.binDir, realVsctl, this.socket, join(dir, 'ovs-vsctl-calls.log'));
    await runChecked('ovsdb-tool', ['create', join(dir, 'conf.db'), OVS_SCHEMA]);

    const server = Daemon.start(
      'ovsdb-server',
      this.ns.argv(
        ...(await withParentDeathSignal(['ovsdb-server'])),
        join(dir, 'conf.db'),
        `--remote=punix:${this.socket}`,
        `--pidfile=${join(dir, 'ovsdb-server.pid')}`,
        `--unixctl=${join(dir, 'ovsdb-server.ctl')}`,
        `--log-file=${join(dir, 'ovsdb-server.log')}`,
        '--no-chdir',
        '-vconsole:off',
      ),
      this.env,
    );
    this.daemons.push(server);
    await waitFor('ovsdb-server to accept connections', async () => {
      if (!server.isRunning()) throw new Error(`ovsdb-server died:\n${server.describe()}`);
      return (await run('ovs-vsctl', [`--db=unix:${this.socket}`, '--no-wait', '--timeout=2', 'init'])).code === 0;
    });

    const vswitchd = Daemon.start(
      'ovs-vswitchd',
      this.ns.argv(
        ...(await withParentDeathSignal(['ovs-vswitchd'])),
        `unix:${this.socket}`,
        `--pidfile=${join(dir, 'ovs-vswitchd.pid')}`,
        `--unixctl=${join(dir, 'ovs-vswitchd.ctl')}`,
        `--log-file=${join(dir, 'ovs-vswitchd.log')}`,
        '--no-chdir',
        '-vconsole:off',
      ),
      this.env,
    );
    this.daemons.push(vswitchd);
    // Without --no-wait, ovs-vsctl waits until ovs-vswitchd has applied the change: proof it runs.
    await waitFor('ovs-vswitchd to apply the database', async () => {
      if (!vswitchd.isRunning()) throw new Error(`ovs-vswitchd died:\n${vswitchd.describe()}\n${await this.logTail()}`);
      return (await run('ovs-vsctl', [`--db=unix:${this.socket}`, '--timeout=3', 'init'])).code === 0;
    });
  }

  /** Pids of the running daemons (for reports and for the "nothing stays running" check). */
  pids(): number[] {
    return this.daemons.filter((d) => d.isRunning()).map((d) => d.pid!);
  }

  /** Run the real ovs-vsctl on this database (no shim: reads must not be altered). */
  vsctl(args: readonly string[]): Promise<RunResult> {
    return runChecked('ovs-vsctl', [`--db=unix:${this.socket}`, '--timeout=20', ...args]);
  }

  /**
   * Apply an OVS script (e.g. ovs-setup.sh) as a host would run it: executed by its own
   * shebang inside the namespace, with the ovs-vsctl wrapper first on PATH and OVS_RUNDIR
   * pointing here. Returns the result; callers decide whether a failure is fatal.
   */
  async applyScript(text: string, name = 'ovs-setup.sh'): Promise<RunResult> {
    const path = join(this.dir, name);
    await writeFile(path, text);
    await chmod(path, 0o755);
    return this.ns.exec(path, [], {
      env: { ...this.env, PATH: `${this.binDir}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` },
      timeoutMs: 120_000,
    });
  }

  async state(): Promise<OvsState> {
    const [bridges, ports, interfaces] = await Promise.all(
      ['Bridge', 'Port', 'Interface'].map(async (table) =>
        decodeTable((await this.vsctl(['--format=json', 'list', table])).stdout),
      ),
    );
    return buildOvsState(bridges, ports, interfaces);
  }

  /** The whole database, configuration columns only (see VOLATILE_COLUMNS). */
  async snapshot(): Promise<DbSnapshot> {
    const dump = await runChecked('ovsdb-client', ['dump', '--format=json', `unix:${this.socket}`, 'Open_vSwitch']);
    return parseDump(dump.stdout);
  }

  /** The ovs-vsctl calls made through the wrapper, in order (by scripts and by ifupdown's hook). */
  async calls(): Promise<string[]> {
    try {
      return (await readFile(join(this.dir, 'ovs-vsctl-calls.log'), 'utf8')).split('\n').filter((l) => l !== '');
    } catch {
      return [];
    }
  }

  /** The last lines of ovs-vswitchd's log, for failure reports. */
  async logTail(lines = 30): Promise<string> {
    try {
      const text = await readFile(join(this.dir, 'ovs-vswitchd.log'), 'utf8');
      return text.trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no ovs-vswitchd.log)';
    }
  }

  /** Stop ovs-vswitchd, then ovsdb-server, by pid. Idempotent. */
  async stop(): Promise<void> {
    for (const daemon of [...this.daemons].reverse()) await daemon.stop();
    this.daemons = [];
  }
}
