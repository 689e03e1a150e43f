/**
 * Every node with interfaces of the reclass corpora in ../shared/corpus and of the network
 * corpora in ../shared/corpus-network (DPDK computes), with the parameters reclass 1.7 itself
 * resolved (expected/*.json), rendered and proven on a namespace host.
 */
import { describe, it } from 'vitest';
import { detectCapabilities } from './harness/capabilities.js';
import { CORPUS_DIR, NETWORK_CORPUS_DIR, listCorpora, loadCorpusNodes } from './harness/nodes.js';
import { loadRenderer } from './harness/renderer.js';
import { type NodeCase, registerNodeTests } from './harness/vitest.js';

const caps = await detectCapabilities();
const renderer = await loadRenderer();
const corpora = [
  ...(await listCorpora()).map((name) => ({ name, base: CORPUS_DIR })),
  ...(await listCorpora(NETWORK_CORPUS_DIR)).map((name) => ({ name, base: NETWORK_CORPUS_DIR })),
];

/**
 * Real pillars that are wrong, and the validation error that must stop them. mk24's KVM hosts
 * put VLAN bond0.100 (mtu 9000) on a bond0 that sets no MTU (1500): the VLAN could never
 * carry its frames.
 */
const INVALID: Record<string, RegExp> = {
  'kvm01.mk24_lab_ovs_dvr_vlan_bm.local': /interface bond0, key mtu: MTU 1500 .* below the MTU 9000 of VLAN bond0\.100/,
  'kvm02.mk24_lab_ovs_dvr_vlan_bm.local': /interface bond0, key mtu: MTU 1500 .* below the MTU 9000 of VLAN bond0\.100/,
  'kvm03.mk24_lab_ovs_dvr_vlan_bm.local': /interface bond0, key mtu: MTU 1500 .* below the MTU 9000 of VLAN bond0\.100/,
};

const withExpectations = (cases: NodeCase[]): NodeCase[] =>
  cases.map((node) => (INVALID[node.nodeName] ? { ...node, rejectedWith: INVALID[node.nodeName] } : node));

describe('reclass corpora on a namespace host', () => {
  it('are present', (context) => {
    if (corpora.length === 0) context.skip(`no corpus under ${CORPUS_DIR}`);
  });
});

for (const corpus of corpora) {
  describe(`corpus ${corpus.name}`, async () => {
    registerNodeTests(withExpectations(await loadCorpusNodes(corpus.name, corpus.base)), renderer, caps);
  });
}
