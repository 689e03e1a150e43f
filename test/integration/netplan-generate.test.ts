/**
 * The netplan backend against Debian's netplan.io: `netplan generate --root-dir` accepts the
 * netplan file of every node of the embedded example model and of ../shared/corpus (and of a
 * fixture with what those lack: an OVS bond, patch pairs, bridge settings), and the networkd
 * files and OVS service commands it generates carry what the model says.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderNetwork } from '../../src/render/index.js';
import { which } from './harness/exec.js';
import { compareWithModel, netplanGenerate, ovsCommandsOf, values } from './harness/netplan.js';
import { CORPUS_DIR, listCorpora, loadCorpusNodes, loadInventoryNodes } from './harness/nodes.js';
import { makeTempDir, removeTempDir } from './harness/tempdir.js';
import type { NodeCase } from './harness/vitest.js';

const netplan = await which('netplan');
const noNetplan = netplan
  ? undefined
  : 'netplan is not installed (Debian package netplan.io): the netplan backend is not proven here';

/** Nodes every backend refuses (see docs/network.md): the validation error, not netplan's. */
const INVALID = /MTU 1500 .* below the MTU 9000 of VLAN bond0\.100/;

async function proveNode(node: NodeCase): Promise<'refused' | 'generated'> {
  let result;
  try {
    result = renderNetwork({ name: node.nodeName, parameters: node.parameters as never }, { backend: 'netplan' });
  } catch (error) {
    expect(String((error as Error).message)).toMatch(INVALID);
    return 'refused';
  }
  const root = await makeTempDir();
  try {
    const generated = await netplanGenerate(root, result.netplan!);
    expect(generated.stderr.replace(/^.*Permissions for .* are too open.*$/gm, '').trim()).toBe('');
    expect(compareWithModel(result.model, generated)).toEqual([]);
    return 'generated';
  } finally {
    await removeTempDir(root);
  }
}

describe('netplan generate accepts the netplan backend', () => {
  it.skipIf(noNetplan)(
    'on a fixture with an OVS bond, patch pairs, bridge settings and a tagged patch port',
    async () => {
      const text = await readFile(new URL('../fixtures/netplan/ovs-node.yml', import.meta.url), 'utf8');
      const parameters = parse(text) as Record<string, unknown>;
      const result = renderNetwork({ name: 'ovs-fixture', parameters: parameters as never }, { backend: 'netplan' });
      const root = await makeTempDir();
      try {
        const generated = await netplanGenerate(root, result.netplan!);
        expect(compareWithModel(result.model, generated)).toEqual([]);
        const ovs = ovsCommandsOf(generated);
        expect(ovs).toContain('set-fail-mode br-prv secure');
        expect(ovs).toContain('set Bridge br-prv other-config:hwaddr=52:54:00:00:00:01');
        expect(ovs).toContain('set Port bond-prv lacp=active');
        expect(ovs).toContain('set Port bond-prv bond_mode=balance-tcp');
        // The patch port's tag and the internal port are ovs-setup.sh's: netplan has no key for them.
        expect(ovs.some((c) => c.includes('tag='))).toBe(false);
        expect(result.ovsScript).toContain('set Port float-to-prv tag=1100');
        expect(result.ovsScript).toContain('add-port br-floating vhost0 -- set Interface vhost0 type=internal');
        expect(values(generated, '10-netplan-vhost0.network', 'Network', 'Address')).toEqual(['172.16.10.5/24']);
      } finally {
        await removeTempDir(root);
      }
    },
  );

  it.skipIf(noNetplan)('on every node of the embedded example model', async () => {
    const loaded = await loadInventoryNodes();
    if ('missing' in loaded) throw new Error(loaded.missing);
    const outcomes = [];
    for (const node of loaded.cases) outcomes.push(await proveNode(node));
    expect(outcomes.filter((o) => o === 'generated').length).toBe(loaded.cases.length);
  });

  it.skipIf(noNetplan)('on every node of ../shared/corpus that validates', async (context) => {
    const corpora = await listCorpora();
    if (corpora.length === 0) context.skip(`no corpus under ${CORPUS_DIR}`);
    let generated = 0;
    for (const corpus of corpora) {
      for (const node of await loadCorpusNodes(corpus)) if ((await proveNode(node)) === 'generated') generated++;
    }
    expect(generated).toBeGreaterThan(0);
  });

  it.runIf(noNetplan)('is reported as not proven when netplan is missing', (context) => {
    context.skip(noNetplan);
  });
});
