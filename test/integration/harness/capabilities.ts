/**
 * What this machine can do. Integration tests need root, network namespaces, Debian's
 * ifupdown and Open vSwitch; some machines lack kernel modules (8021q, bonding, even tun).
 * Tests ask for the features they need and skip, or skip just the affected checks, with the
 * reason printed, instead of failing for something that is not the code's fault.
 *
 * Kernel features are probed by really creating the device in a scratch namespace: a module
 * file on disk proves nothing (it may not load), and a missing /lib/modules proves nothing
 * either (the feature may be built in).
 */
import { access, constants } from 'node:fs/promises';
import { run, which } from './exec.js';
import { NETNS_PREFIX, uniqueId } from './names.js';
import { sweepStaleNamespaces } from './netns.js';
import { sweepStaleTempDirs } from './tempdir.js';

export const FEATURES = {
  root: 'running as root',
  netns: '`ip netns` (create a namespace and a veth pair in it)',
  linuxBridge: 'Linux bridge devices in a namespace',
  vlan: '802.1Q VLAN devices in a namespace (8021q)',
  bond: 'bonding devices in a namespace (bonding)',
  tun: '/dev/net/tun (OVS userspace datapath devices)',
  ifupdown: 'Debian ifupdown with --state-dir',
  unshare: '`unshare --mount` (a private /etc/network and /run for ifup)',
  ovs: 'Open vSwitch programs (ovsdb-tool, ovsdb-server, ovs-vswitchd, ovs-vsctl, ovsdb-client) and schema',
  ovsIfupdownHook: "openvswitch-switch's ifupdown hook (/etc/network/if-pre-up.d/openvswitch)",
  bridgeUtilsHook: "bridge-utils' ifupdown hook (bridge_ports)",
  ifenslaveHook: "ifenslave's ifupdown hook (bond-* options)",
  vlanHook: "the vlan package's ifupdown hook (vlan-raw-device)",
} as const;

export type Feature = keyof typeof FEATURES;

export interface FeatureStatus {
  ok: boolean;
  /** Why it is missing (or what was found). */
  detail: string;
}

export type Capabilities = Record<Feature, FeatureStatus>;

export const OVS_SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';

let cached: Promise<Capabilities> | undefined;

/** Probe once per worker process; every test file in the worker shares the answer. */
export function detectCapabilities(): Promise<Capabilities> {
  cached ??= probe();
  return cached;
}

/**
 * The reason to skip, naming every missing feature, or undefined when all are present.
 * Meant for `it.skipIf(...)`-style use: `const why = missing(caps, 'ovs'); if (why) ...`.
 */
export function missing(caps: Capabilities, ...features: Feature[]): string | undefined {
  const absent = features.filter((feature) => !caps[feature].ok);
  if (absent.length === 0) return undefined;
  return `missing on this machine: ${absent.map((f) => `${FEATURES[f]} (${caps[f].detail})`).join('; ')}`;
}

/** One line per feature, for a test log that says what was and was not checked. */
export function describeCapabilities(caps: Capabilities): string {
  return (Object.keys(FEATURES) as Feature[])
    .map((feature) => `${caps[feature].ok ? 'yes' : 'NO '} ${feature}: ${caps[feature].detail}`)
    .join('\n');
}

async function exists(path: string, mode = constants.F_OK): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}

const ok = (detail: string): FeatureStatus => ({ ok: true, detail });
const no = (detail: string): FeatureStatus => ({ ok: false, detail });

async function probe(): Promise<Capabilities> {
  const root = process.getuid?.() === 0 ? ok('uid 0') : no(`uid ${process.getuid?.() ?? '?'}`);
  // Once per worker, before any test creates namespaces: remove leftovers of killed runs.
  if (root.ok) {
    const swept = await sweepStaleNamespaces();
    if (swept.length > 0) console.log(`[integration] deleted namespaces of dead test runs: ${swept.join(' ')}`);
    await sweepStaleTempDirs();
  }
  const kernel = root.ok ? await probeKernel() : undefined;
  const skippedKernel = no('not probed: not root');
  return {
    root,
    netns: kernel?.netns ?? skippedKernel,
    linuxBridge: kernel?.linuxBridge ?? skippedKernel,
    vlan: kernel?.vlan ?? skippedKernel,
    bond: kernel?.bond ?? skippedKernel,
    tun: (await exists('/dev/net/tun', constants.R_OK | constants.W_OK)) ? ok('/dev/net/tun') : no('no /dev/net/tun'),
    ifupdown: await probeIfupdown(),
    unshare: await probeProgram('unshare'),
    ovs: await probeOvs(),
    ovsIfupdownHook: await probeFile('/etc/network/if-pre-up.d/openvswitch'),
    bridgeUtilsHook: await probeFile('/etc/network/if-pre-up.d/bridge'),
    ifenslaveHook: await probeFile('/etc/network/if-pre-up.d/ifenslave'),
    vlanHook: await probeFile('/etc/network/if-pre-up.d/vlan'),
  };
}

async function probeFile(path: string): Promise<FeatureStatus> {
  return (await exists(path)) ? ok(path) : no(`no ${path}`);
}

async function probeProgram(name: string): Promise<FeatureStatus> {
  const path = await which(name);
  return path ? ok(path) : no(`no ${name} on PATH`);
}

async function probeIfupdown(): Promise<FeatureStatus> {
  const path = await which('ifup');
  if (!path) return no('no ifup on PATH');
  // --state-dir arrived in ifupdown 0.8; busybox's ifup lacks it.
  const help = await run(path, ['--help']);
  const text = help.stdout + help.stderr;
  return text.includes('--state-dir') ? ok(path) : no(`${path} has no --state-dir (not Debian ifupdown >= 0.8?)`);
}

async function probeOvs(): Promise<FeatureStatus> {
  const programs = ['ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovsdb-client'];
  const absent: string[] = [];
  for (const program of programs) if (!(await which(program))) absent.push(program);
  if (!(await exists(OVS_SCHEMA))) absent.push(OVS_SCHEMA);
  if (absent.length > 0) return no(`not found: ${absent.join(', ')}`);
  const version = await run('ovs-vsctl', ['--version']);
  return ok(version.stdout.split('\n')[0] ?? 'ovs-vsctl');
}

/** Create each kind of device in a throw-away namespace; the first error is the reason. */
async function probeKernel(): Promise<Pick<Capabilities, 'netns' | 'linuxBridge' | 'vlan' | 'bond'>> {
  const ns = `${NETNS_PREFIX}probe-${uniqueId()}`;
  const added = await run('ip', ['netns', 'add', ns]);
  if (added.code !== 0) {
    const reason = no(`ip netns add: ${added.stderr.trim()}`);
    return { netns: reason, linuxBridge: reason, vlan: reason, bond: reason };
  }
  const ipn = (...args: string[]) => run('ip', ['-n', ns, ...args]);
  const attempt = async (what: string, ...args: string[]): Promise<FeatureStatus> => {
    const result = await ipn('link', 'add', ...args);
    return result.code === 0 ? ok(what) : no(`${what}: ${result.stderr.trim() || `exit ${result.code}`}`);
  };
  try {
    const netns = await attempt('veth pair in a namespace', 'pv0', 'type', 'veth', 'peer', 'name', 'pv1');
    if (!netns.ok) return { netns, linuxBridge: netns, vlan: netns, bond: netns };
    return {
      netns,
      linuxBridge: await attempt('ip link add type bridge', 'pbr0', 'type', 'bridge'),
      vlan: await attempt('ip link add type vlan', 'link', 'pv0', 'name', 'pv0.10', 'type', 'vlan', 'id', '10'),
      bond: await attempt('ip link add type bond', 'pbond0', 'type', 'bond'),
    };
  } finally {
    await run('ip', ['netns', 'delete', ns]);
  }
}
