/**
 * One node, proven on a namespace "host": the pillar's NICs become veth pairs, the rendered
 * ovs-setup.sh runs against private OVS daemons, the rendered interfaces file is applied by
 * ifup (with openvswitch-switch's hook talking to those daemons), and the kernel and OVS
 * state are read back and compared with the pillar. ovs-setup.sh then runs a second time
 * and the database must not change.
 *
 * Input is just `(nodeName, parameters, rendered)`, so the same run works for the
 * network-reference pillars, the embedded example model and whole corpora.
 */
import { type Capabilities, missing } from './capabilities.js';
import { Cleanup } from './cleanup.js';
import type { RunResult } from './exec.js';
import { type ApplyResult, applyInterfaces } from './ifupdown.js';
import { type KernelState, readKernelState } from './kernel.js';
import {
  type Host,
  bridgesOf,
  checkBridgeCycles,
  checkReboot,
  checkRerun,
  checkScriptMatchesStanzas,
  newHost,
  readHostState,
  startOvs,
  tail,
} from './lifecycle.js';
import { Netns } from './netns.js';
import { Ovs } from './ovs.js';
import { type OvsState, diffSnapshots } from './ovsdb.js';
import { type PillarNetwork, devicesOfType, readPillarNetwork, usesOvs } from './pillar.js';
import { Report } from './report.js';
import { makeTempDir, removeTempDir } from './tempdir.js';
import { type StandIn, verifyKernel, verifyOvs } from './verify.js';

/** What a renderer produced for one node (the shape of `renderNetwork`'s result). */
export interface RenderedNode {
  /** Files by absolute path; /etc/network/interfaces at least. */
  files: Record<string, string>;
  /** The idempotent OVS script (ovs-setup.sh). */
  ovsScript: string;
}

export interface NodeRun {
  report: Report;
  network: PillarNetwork;
  standIns: StandIn[];
  ifup?: ApplyResult;
  kernel?: KernelState;
  ovsState?: OvsState;
  ovsRuns: RunResult[];
  /** Differences in the OVS database caused by the second run of ovs-setup.sh. */
  ovsDiff?: string[];
  ovsCalls: string[];
}

/** A node's resolved parameters (`linux:network` is what is read). */
export type Parameters = Record<string, unknown>;

/** Which devices must be veth stand-ins because the kernel (or Debian) cannot make them. */
function planStandIns(network: PillarNetwork, caps: Capabilities): StandIn[] {
  const standIns: StandIn[] = [];
  const vlanReason = missing(caps, 'vlan');
  if (vlanReason) {
    for (const vlan of devicesOfType(network, 'vlan'))
      standIns.push({ name: vlan.name, type: 'vlan', reason: `stood in by veths (${vlanReason})` });
  }
  const bondReason = missing(caps, 'bond', 'ifenslaveHook');
  if (bondReason) {
    for (const bond of devicesOfType(network, 'bond'))
      standIns.push({ name: bond.name, type: 'bond', reason: `stood in by veths (${bondReason})` });
  }
  return standIns;
}

/** The features a host run needs; anything else missing only narrows the checks. */
export function hostRunBlocker(network: PillarNetwork, caps: Capabilities): string | undefined {
  return missing(
    caps,
    'root',
    'netns',
    'linuxBridge',
    'ifupdown',
    'unshare',
    'bridgeUtilsHook',
    ...(usesOvs(network) ? (['ovs', 'ovsIfupdownHook'] as const) : []),
  );
}

/**
 * Run a node on a namespace host and verify it. Never throws for a failed check (those are
 * in `report.failures`); throws only when the harness itself cannot work. Callers should
 * skip first if {@link hostRunBlocker} gives a reason.
 */
export async function runNodeOnHost(
  nodeName: string,
  parameters: Parameters,
  rendered: RenderedNode,
  caps: Capabilities,
): Promise<NodeRun> {
  const network = readPillarNetwork(parameters);
  const report = new Report(nodeName);
  const standIns = planStandIns(network, caps);
  const run: NodeRun = { report, network, standIns, ovsRuns: [], ovsCalls: [] };
  for (const type of new Set(standIns.map((s) => s.type))) {
    const group = standIns.filter((s) => s.type === type);
    report.note(`${type} devices ${group[0].reason}: ${group.map((s) => s.name).join(', ')}`);
  }
  const disableHooks = standIns.some((s) => s.type === 'bond') ? ['ifenslave'] : [];
  if (disableHooks.length > 0) report.note(`ifenslave hook disabled: bonds are stood in`);

  const cleanup = new Cleanup();
  try {
    const nics = [...network.physicalNics, ...standIns.map((s) => s.name)];
    const { ns, dir } = await newHost(nics, cleanup);
    const ovs = usesOvs(network) ? await startOvs(ns, cleanup) : undefined;
    if (ovs) {
      const first = await ovs.applyScript(rendered.ovsScript);
      run.ovsRuns.push(first);
      report.check('ovs-setup.sh (first run) exits 0', first.code === 0, tail(first));
    }

    const query = Object.keys(network.devices);
    const vlanStandIns = standIns.some((s) => s.type === 'vlan');
    const host: Host = { ns, dir, files: rendered.files, disableHooks, query, vlanStandIns, ...(ovs ? { ovs } : {}) };
    run.ifup = await applyInterfaces(ns, host);
    report.check('ifup -a exits 0', run.ifup.ok, tail(run.ifup.result));
    if (run.ifup.ignoredFiles.length > 0)
      report.note(`not installed (outside /etc/network): ${run.ifup.ignoredFiles.join(', ')}`);
    const dhcp = run.ifup.shimCalls.filter((c) => c.startsWith('dhclient '));
    if (dhcp.length > 0)
      report.note(
        `DHCP requested (stubbed: no server in a namespace): ${dhcp.map((c) => c.split(' ').at(-1)).join(', ')}`,
      );

    run.kernel = await readKernelState(ns);
    verifyKernel(report, network, run.kernel, {
      caps,
      standIns,
      ovsDevices: ovs !== undefined && caps.tun.ok,
      queries: run.ifup.queries,
    });

    if (ovs) {
      const before = await ovs.snapshot();
      const second = await ovs.applyScript(rendered.ovsScript);
      run.ovsRuns.push(second);
      report.check('ovs-setup.sh (second run) exits 0', second.code === 0, tail(second));
      const after = await ovs.snapshot();
      run.ovsDiff = diffSnapshots(before, after);
      report.check(
        'second ovs-setup.sh run leaves the database unchanged',
        run.ovsDiff.length === 0,
        run.ovsDiff.join('\n'),
      );
      run.ovsState = await ovs.state();
      run.ovsCalls = await ovs.calls();
      verifyOvs(report, network, run.ovsState, { nicsExist: true });
    }

    if (run.ifup.ok) {
      const baseline = await readHostState(host);
      await checkRerun(report, host, baseline);
      await checkBridgeCycles(
        report,
        host,
        baseline,
        bridgesOf(network),
        standIns.map((s) => s.name),
      );
      const rebooted = await checkReboot(
        report,
        { nics, usesOvs: ovs !== undefined, files: rendered.files, disableHooks, vlanStandIns },
        baseline,
        cleanup,
      );
      if (ovs && rebooted) await checkScriptMatchesStanzas(report, rendered.ovsScript, rebooted, cleanup);
    } else {
      report.skip('re-run, bridge ifdown/ifup, reboot', 'the first ifup -a failed');
    }
  } finally {
    await cleanup.run();
  }
  return run;
}

/**
 * OVS only, for machines without ifupdown: ovs-setup.sh twice against private daemons, then
 * the database is compared with the pillar. vswitchd still runs in a namespace so that its
 * devices stay out of the root namespace.
 */
export async function runNodeOvsOnly(nodeName: string, parameters: Parameters, ovsScript: string): Promise<NodeRun> {
  const network = readPillarNetwork(parameters);
  const report = new Report(`${nodeName} (OVS only)`);
  const run: NodeRun = { report, network, standIns: [], ovsRuns: [], ovsCalls: [] };
  const cleanup = new Cleanup();
  try {
    const ns = await Netns.create();
    cleanup.defer(`delete ${ns.name}`, () => ns.destroy());
    const dir = await makeTempDir();
    cleanup.defer(`remove ${dir}`, () => removeTempDir(dir));
    const ovs = await Ovs.start(ns, dir);
    cleanup.defer('stop OVS', () => ovs.stop());
    const first = await ovs.applyScript(ovsScript);
    run.ovsRuns.push(first);
    report.check('ovs-setup.sh (first run) exits 0', first.code === 0, tail(first));
    const before = await ovs.snapshot();
    const second = await ovs.applyScript(ovsScript);
    run.ovsRuns.push(second);
    report.check('ovs-setup.sh (second run) exits 0', second.code === 0, tail(second));
    run.ovsDiff = diffSnapshots(before, await ovs.snapshot());
    report.check(
      'second ovs-setup.sh run leaves the database unchanged',
      run.ovsDiff.length === 0,
      run.ovsDiff.join('\n'),
    );
    run.ovsState = await ovs.state();
    run.ovsCalls = await ovs.calls();
    verifyOvs(report, network, run.ovsState, { nicsExist: false });
  } finally {
    await cleanup.run();
  }
  return run;
}
