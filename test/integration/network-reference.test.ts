/**
 * The eight network-reference nodes (../shared/network-reference), rendered by
 * `renderNetwork` and proven with the real programs: ifup applies the interfaces file in a
 * namespace whose veth pairs are the pillar's NICs, ovs-setup.sh runs against private OVS
 * daemons (twice: the database must not change), and the kernel and OVS state must be what
 * the pillar asks for (harness/verify.ts). Missing kernel features (VLAN, bonding) narrow
 * the checks and are listed in each test's report.
 */
import { describe, expect, it } from 'vitest';
import { detectCapabilities } from './harness/capabilities.js';
import { REFERENCE_DIR, listReferenceExamples, referenceAvailable } from './harness/reference.js';
import { loadRenderer } from './harness/renderer.js';
import { registerNodeTests } from './harness/vitest.js';

const caps = await detectCapabilities();
const examples = referenceAvailable() ? await listReferenceExamples() : [];
const renderer = await loadRenderer();

describe('network-reference nodes on a namespace host', () => {
  it('the reference examples are present', (context) => {
    if (!referenceAvailable())
      return context.skip(`no ${REFERENCE_DIR} (the shared dir is expected beside the repository)`);
    expect(examples.map((e) => e.id)).toHaveLength(8);
  });

  registerNodeTests(
    examples.map((e) => ({ title: e.id, nodeName: e.nodeName, parameters: e.parameters })),
    renderer,
    caps,
  );
});
