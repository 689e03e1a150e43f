/**
 * What a host lives through after its first `ifup -a`, each compared with the state that
 * first run left (see host-state.ts for what is compared):
 * - a second `ifup -a` on the same state: exit 0, nothing changes;
 * - `ifdown BR; ifup BR` of each bridge: the same state comes back (ports included);
 * - a reboot: a fresh namespace, fresh NICs and an empty OVS database, the files alone;
 * - `ovs-setup.sh` alone on an empty database: the same OVS configuration as the `ovs_type`
 *   stanzas gave on the rebooted host.
 */
import type { Cleanup } from './cleanup.js';
import type { RunResult } from './exec.js';
import { type HostState, diffHostStates, hostStateOf } from './host-state.js';
import { type ApplyResult, applyInterfaces } from './ifupdown.js';
import { readKernelState } from './kernel.js';
import { Netns, addVethNics } from './netns.js';
import { Ovs } from './ovs.js';
import { type PillarNetwork, devicesOfType } from './pillar.js';
import type { Report } from './report.js';
import { makeTempDir, removeTempDir } from './tempdir.js';

/** One namespace host as the lab built it: everything a further ifupdown run needs. */
export interface Host {
  ns: Netns;
  /** The scratch dir applyInterfaces keeps its /etc/network copy and state dir in. */
  dir: string;
  ovs?: Ovs;
  files: Record<string, string>;
  disableHooks: readonly string[];
  query: readonly string[];
  vlanStandIns: boolean;
}

/** The host's comparable state, now. */
export async function readHostState(host: Pick<Host, 'ns' | 'ovs'>): Promise<HostState> {
  const kernel = await readKernelState(host.ns);
  return hostStateOf(kernel, host.ovs ? await host.ovs.snapshot() : undefined);
}

function ifupdown(host: Host, steps: ReadonlyArray<readonly ['ifup' | 'ifdown', ...string[]]>): Promise<ApplyResult> {
  return applyInterfaces(host.ns, {
    files: host.files,
    dir: host.dir,
    disableHooks: host.disableHooks,
    vlanStandIns: host.vlanStandIns,
    query: [],
    steps,
    ...(host.ovs ? { ovs: host.ovs } : {}),
  });
}

/** Compare `now` with `baseline` as one check. */
function same(
  report: Report,
  label: string,
  baseline: HostState,
  now: HostState,
  parts?: Parameters<typeof diffHostStates>[2],
): void {
  const differences = diffHostStates(baseline, now, parts);
  report.check(label, differences.length === 0, differences.join('\n'));
}

/** A second `ifup -a`, as a configuration-management re-run does. */
export async function checkRerun(report: Report, host: Host, baseline: HostState): Promise<void> {
  const again = await ifupdown(host, [['ifup', '-a']]);
  report.check('ifup -a again exits 0', again.ok, tail(again.result));
  same(report, 'ifup -a again changes nothing', baseline, await readHostState(host));
}

/** Bridges an operator may take down and up on their own: enabled Linux and OVS bridges. */
export function bridgesOf(network: PillarNetwork): string[] {
  return [...devicesOfType(network, 'bridge'), ...devicesOfType(network, 'ovs_bridge')].map((d) => d.name);
}

/**
 * `ifdown BR; ifup BR` of each bridge in turn, each followed by a comparison with the baseline.
 * bridge-utils and vlan's hooks delete a VLAN on ifdown and re-create it on ifup; where the
 * kernel has no 8021q the `ip` shim re-creates its stand-in. A stand-in that still does not
 * come back is said in a note and left out of the comparisons that follow (with the routes
 * over it), never passed in silence.
 */
export async function checkBridgeCycles(
  report: Report,
  host: Host,
  baseline: HostState,
  bridges: readonly string[],
  standIns: readonly string[],
): Promise<void> {
  const lost = new Set<string>();
  for (const bridge of bridges) {
    const cycle = await ifupdown(host, [
      ['ifdown', bridge],
      ['ifup', bridge],
    ]);
    report.check(`ifdown ${bridge}; ifup ${bridge} exits 0`, cycle.ok, tail(cycle.result));
    const recreated = cycle.shimCalls.filter((call) => call.includes('(stood in by veth'));
    if (recreated.length > 0)
      report.note(
        `ifup ${bridge}: a hook re-created ${recreated.length} VLAN(s), stood in by veths (no 8021q): ${recreated.join('; ')}`,
      );
    const now = await readHostState(host);
    const gone = standIns.filter((name) => !lost.has(name) && baseline.links[name] && !now.links[name]);
    if (gone.length > 0) {
      report.note(
        `ifdown/ifup of ${bridge} deleted ${gone.join(', ')} (a stand-in the hooks could not re-create); not compared further`,
      );
      gone.forEach((name) => lost.add(name));
    }
    same(
      report,
      `ifdown ${bridge}; ifup ${bridge} restores the host`,
      withoutDevices(baseline, lost),
      withoutDevices(now, lost),
    );
  }
}

function withoutDevices(state: HostState, names: ReadonlySet<string>): HostState {
  if (names.size === 0) return state;
  const links = Object.fromEntries(Object.entries(state.links).filter(([name]) => !names.has(name)));
  const routes = state.routes.filter((route) => ![...names].some((name) => route.includes(` dev ${name}`)));
  return { ...state, links, routes };
}

/** What a reboot needs to build a host like the first one. */
export interface RebootPlan {
  /** Device names that exist before ifup: the NICs and the stand-ins. */
  nics: readonly string[];
  usesOvs: boolean;
  files: Record<string, string>;
  disableHooks: readonly string[];
  vlanStandIns: boolean;
}

/**
 * A reboot: fresh namespaces and NICs, an empty OVS database, and `ifup -a` from the files
 * alone (no ovs-setup.sh). Returns the rebooted host's state for further comparison.
 */
export async function checkReboot(
  report: Report,
  plan: RebootPlan,
  baseline: HostState,
  cleanup: Cleanup,
): Promise<HostState | undefined> {
  const { ns, dir } = await newHost(plan.nics, cleanup);
  const ovs = plan.usesOvs ? await startOvs(ns, cleanup) : undefined;
  const host: Host = {
    ns,
    dir,
    files: plan.files,
    disableHooks: plan.disableHooks,
    vlanStandIns: plan.vlanStandIns,
    query: [],
    ...(ovs ? { ovs } : {}),
  };
  const boot = await ifupdown(host, [['ifup', '-a']]);
  if (!report.check('after a reboot (empty OVS database, the files alone) ifup -a exits 0', boot.ok, tail(boot.result)))
    return undefined;
  const state = await readHostState(host);
  same(report, 'after a reboot the host comes back the same', baseline, state);
  return state;
}

/**
 * ovs-setup.sh alone on an empty database (its own daemons, in a namespace of its own) must
 * give the OVS configuration the `ovs_type` stanzas gave on the rebooted host.
 */
export async function checkScriptMatchesStanzas(
  report: Report,
  ovsScript: string,
  stanzasState: HostState,
  cleanup: Cleanup,
): Promise<void> {
  const ns = await Netns.create();
  cleanup.defer(`delete ${ns.name}`, () => ns.destroy());
  const ovs = await startOvs(ns, cleanup);
  const result = await ovs.applyScript(ovsScript);
  if (!report.check('ovs-setup.sh on an empty database exits 0', result.code === 0, tail(result))) return;
  const scriptState = hostStateOf({ links: {}, routes: [] }, await ovs.snapshot());
  same(
    report,
    'ovs-setup.sh alone and the ovs_type stanzas alone give the same OVS configuration',
    stanzasState,
    scriptState,
    ['ovs'],
  );
}

/**
 * A bare host: a namespace whose NICs are veths with their far ends up in a peer namespace
 * (so links get a carrier), and a scratch dir; all undone by `cleanup`.
 */
export async function newHost(nics: readonly string[], cleanup: Cleanup): Promise<{ ns: Netns; dir: string }> {
  const ns = await Netns.create();
  cleanup.defer(`delete ${ns.name}`, () => ns.destroy());
  const peer = await Netns.create('p');
  cleanup.defer(`delete ${peer.name}`, () => peer.destroy());
  const dir = await makeTempDir();
  cleanup.defer(`remove ${dir}`, () => removeTempDir(dir));
  await addVethNics(ns, peer, nics);
  return { ns, dir };
}

/** Private OVS daemons in `ns` on an empty database, stopped by `cleanup`. */
export async function startOvs(ns: Netns, cleanup: Cleanup): Promise<Ovs> {
  const ovs = await Ovs.start(ns, await makeTempDir());
  const ovsDir = ovs.dir;
  cleanup.defer(`remove ${ovsDir}`, () => removeTempDir(ovsDir));
  cleanup.defer('stop OVS', () => ovs.stop());
  return ovs;
}

export function tail(result: RunResult, lines = 40): string {
  const text = `${result.command} -> ${result.timedOut ? 'timeout' : `exit ${result.code}`}\n${result.stdout}\n${result.stderr}`;
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
