/**
 * DPDK pillars on a namespace host: the corpus-network computes run with the corpora
 * (corpora.test.ts); this one adds what they lack, a DPDK bond and a port with queue
 * affinity, plus the host-wide DPDK settings. ovs-vswitchd here has no DPDK, so the ports
 * cannot open; the test proves that the database holds exactly what the pillar declared,
 * through both paths (ovs-setup.sh and the ovs_type stanzas) and after a reboot.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { detectCapabilities } from './harness/capabilities.js';
import { checkNode } from './harness/node-check.js';
import { type RendererLoad, loadRenderer, toRenderedNode } from './harness/renderer.js';
import { publish } from './harness/vitest.js';

const caps = await detectCapabilities();
const renderer: RendererLoad = await loadRenderer();
const parameters = parse(readFileSync(new URL('./fixtures/dpdk-compute.yml', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

describe('a DPDK compute on a namespace host', () => {
  it('holds on the host, the database holding the DPDK bond, ports and host-wide settings', async (context) => {
    if ('missing' in renderer) return context.skip(`renderer not available: ${renderer.missing}`);
    const rendered = toRenderedNode(renderer.render({ name: 'dcmp01.dpdk.local', parameters }));
    const outcome = await checkNode('dcmp01.dpdk.local', parameters, rendered, caps);
    if ('skipped' in outcome) return context.skip(outcome.skipped);
    const { ovsState, report } = outcome.run;
    await publish(context, report.summary());
    expect(report.failures).toEqual([]);
    expect(ovsState?.bridges['br-prv']).toMatchObject({ datapathType: 'netdev', ports: ['br-prv', 'dpdk_bond'] });
    expect(ovsState?.ports['dpdk_bond']).toMatchObject({ interfaces: ['dpdk0', 'dpdk1'], bondMode: 'active-backup' });
    expect(ovsState?.interfaces['dpdk1']).toMatchObject({
      type: 'dpdk',
      options: { 'dpdk-devargs': '0000:05:00.1', n_rxq: '2' },
      mtuRequest: 9000,
    });
    expect(ovsState?.interfaces['dpdk2']).toMatchObject({
      type: 'dpdk',
      options: { 'dpdk-devargs': '0000:06:00.0', n_rxq: '4' },
    });
    // The host-wide settings, set before any DPDK port by both paths.
    const calls = outcome.run.ovsCalls.filter((c) => c.includes('Open_vSwitch'));
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls)
      expect(call).toMatch(
        /other_config:dpdk-init=true .*other_config:pmd-cpu-mask=0x6 .*other_config:dpdk-socket-mem=1024\\?,1024/,
      ); // the call log quotes as printf %q does
    expect(report.skipped.some((s) => /dpdk2 opens: ovs-vswitchd of this machine has no DPDK/.test(s))).toBe(true);
  });
});
