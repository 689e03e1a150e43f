/**
 * Network namespaces: the sandbox every integration test works in. Nothing a test creates
 * (veth pairs, bridges, OVS tap devices, routes) ever exists in the root namespace, so tests
 * cannot disturb the host or each other, and no traffic can leave the machine.
 */
import { type RunOptions, type RunResult, run, runChecked } from './exec.js';
import { NETNS_PREFIX, ownerPid, uniqueId } from './names.js';

export class Netns {
  private deleted = false;

  private constructor(readonly name: string) {}

  /** Create a fresh namespace with a unique name; `lo` is brought up as on a booted host. */
  static async create(role: 'h' | 'p' = 'h'): Promise<Netns> {
    const ns = new Netns(`${NETNS_PREFIX}${role}-${uniqueId()}`);
    await runChecked('ip', ['netns', 'add', ns.name]);
    try {
      await ns.execChecked('ip', ['link', 'set', 'lo', 'up']);
    } catch (error) {
      await ns.destroy();
      throw error;
    }
    return ns;
  }

  /** Run a program inside the namespace (`ip netns exec`, which also remounts /sys for it). */
  exec(file: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
    return run('ip', ['netns', 'exec', this.name, file, ...args], options);
  }

  execChecked(file: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
    return runChecked('ip', ['netns', 'exec', this.name, file, ...args], options);
  }

  /** The argv prefix that runs a command in this namespace, for callers that spawn themselves. */
  argv(...command: string[]): string[] {
    return ['ip', 'netns', 'exec', this.name, ...command];
  }

  /** Delete the namespace; devices in it (veth ends, bridges, taps) go with it. Idempotent. */
  async destroy(): Promise<void> {
    if (this.deleted) return;
    this.deleted = true;
    const result = await run('ip', ['netns', 'delete', this.name]);
    if (result.code !== 0 && !/No such file/.test(result.stderr)) {
      throw new Error(`ip netns delete ${this.name}: ${result.stderr.trim()}`);
    }
  }
}

const peerCounters = new Map<string, number>();

/**
 * Give `host` one veth end per name (the host's "physical NICs" and stand-ins), with the
 * other end in `peer`, brought up there so that the host end gets a carrier once ifupdown
 * brings it up (routes via a gateway need a usable link). The peer ends are named
 * `pN`, numbered per peer namespace, which cannot clash since `peer` holds nothing else.
 */
export async function addVethNics(host: Netns, peer: Netns, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const index = peerCounters.get(peer.name) ?? 0;
    peerCounters.set(peer.name, index + 1);
    const peerName = `p${index}`;
    await runChecked('ip', [
      '-n',
      host.name,
      'link',
      'add',
      name,
      'type',
      'veth',
      'peer',
      'name',
      peerName,
      'netns',
      peer.name,
    ]);
    await runChecked('ip', ['-n', peer.name, 'link', 'set', peerName, 'up']);
  }
}

/** Namespaces left behind by a killed run of this harness (names start with {@link NETNS_PREFIX}). */
export async function listNamespaces(): Promise<string[]> {
  const result = await runChecked('ip', ['netns', 'list']);
  return result.stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name !== '');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Delete namespaces left by a harness process that no longer exists (a worker killed before
 * its afterAll ran). Namespaces of live processes, other test files included, are left alone.
 */
export async function sweepStaleNamespaces(): Promise<string[]> {
  const swept: string[] = [];
  for (const name of await listNamespaces()) {
    const pid = ownerPid(name);
    if (pid === undefined || pid === process.pid || isAlive(pid)) continue;
    if ((await run('ip', ['netns', 'delete', name])).code === 0) swept.push(name);
  }
  return swept;
}
