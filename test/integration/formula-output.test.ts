/**
 * The harness judged against salt-formula-linux's own output for the reference nodes
 * (expected-interfaces, expected-ovs.sh). Where the formula is right, every check must pass,
 * which shows the harness reads pillars the way the formula does; where the reference
 * README lists a formula bug, the harness must catch it, which shows the checks have teeth.
 */
import { describe, expect, it } from 'vitest';
import { detectCapabilities } from './harness/capabilities.js';
import { checkNode } from './harness/node-check.js';
import { listReferenceExamples, loadFormulaOutput, referenceAvailable } from './harness/reference.js';
import { publish } from './harness/vitest.js';

const caps = await detectCapabilities();
const examples = referenceAvailable() ? await listReferenceExamples() : [];

/** The failures the formula's output must produce, by example (README "known cases"). */
const KNOWN_BUGS: Record<string, RegExp[]> = {
  // The VLAN's raw device is taken from its name: vlan2430 on itself instead of bond0. With
  // 8021q the kernel shows it (ifup cannot create the VLAN); without, ifquery does.
  '04-kvm-vcp-bond-vlan-bridges': [/vlan2430/],
  // MTU is never given to OVS itself (mtu_request) ... Patch ports are one-off commands with
  // no stanza, and bridges carry no ovs_ports: ifdown/ifup of a bridge, or a reboot with the
  // files alone, loses them, and the stanzas alone build another database than the commands.
  '05-compute-ovs-dvr-patch': [
    /ovs bridge br-floating mtu_request/,
    /ovs bridge br-ex mtu_request/,
    /ovs bridge br-prv mtu_request/,
    /ifdown br-\S+; ifup br-\S+ restores the host: OVS Bridge br-(floating|ex) ports/,
    /after a reboot the host comes back the same: OVS Bridge br-ex ports/,
    /ovs_type stanzas alone give the same OVS configuration: OVS Bridge br-ex ports/,
  ],
  // ... so ovs-vswitchd resets internal ports to the bridge's MTU, overriding ifupdown's; the
  // bridge's ifdown deletes its internal port, which its ifup (no ovs_ports) never brings back.
  '06-gateway-ovs-intport-linuxbridge': [
    /ovs bridge br-floating mtu_request/,
    /ovs port float-to-ex mtu_request/,
    /kernel float-to-ex .* mtu/,
    /ifdown br-floating; ifup br-floating restores the host: device float-to-ex: gone/,
  ],
  // (br-stor and br-tun set no MTU: salt pins 1500 in ifupdown, but never in OVS.) The OVS bond
  // exists only as a command, never in the stanzas.
  '07-ovs-native-bond-intport-ip': [
    /ovs bridge br-data mtu_request/,
    /ovs bridge br-stor mtu_request/,
    /ovs port mgmt0 mtu_request/,
    /kernel mgmt0 .* mtu/,
    /ifdown br-(data|stor); ifup br-(data|stor) restores the host: device mgmt0: gone/,
    /after a reboot the host comes back the same: device mgmt0 mtu/,
    /ovs_type stanzas alone give the same OVS configuration: OVS Bridge br-data ports/,
  ],
  '08-ovs-ovsport-patch-tag-upcmds': [
    /ovs bridge br-prv mtu_request/,
    /ovs bridge br-tun mtu_request/,
    /ovs bridge br-ens7 mtu_request/,
    /ifdown br-\S+; ifup br-\S+ restores the host: OVS Bridge br-(prv|ens7) ports/,
    /after a reboot the host comes back the same: OVS Bridge br-ens7 ports/,
    /ovs_type stanzas alone give the same OVS configuration: OVS Bridge br-ens7 ports/,
  ],
};

describe("salt-formula-linux's output for the reference nodes", () => {
  for (const example of examples) {
    const bugs = KNOWN_BUGS[example.id] ?? [];
    it(`${example.id}: ${bugs.length > 0 ? 'known formula bugs are caught' : 'passes every check'}`, async (context) => {
      const outcome = await checkNode(example.nodeName, example.parameters, await loadFormulaOutput(example), caps);
      if ('skipped' in outcome) return context.skip(outcome.skipped);
      const { report } = outcome.run;
      await publish(
        context,
        bugs.length > 0
          ? `${report.summary()}\n  (the FAILED lines above are the formula bugs this test expects)`
          : report.summary(),
      );
      for (const bug of bugs)
        expect(
          report.failures.some((f) => bug.test(f)),
          `expected a failure matching ${bug}`,
        ).toBe(true);
      // Nothing else fails: each failure is explained by a known bug.
      expect(report.failures.filter((f) => !bugs.some((bug) => bug.test(f)))).toEqual([]);
    });
  }
});
