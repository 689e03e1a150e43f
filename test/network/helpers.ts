import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { NetworkNode } from '../../src/network/index.js';
import type { Provenance, ValueMap } from '../../src/types.js';

/**
 * A node from YAML text (a parameters mapping), with provenance pointing into that text as if
 * it were the class file `file`: enough to prove that messages name where a value was set.
 */
export function nodeFromYaml(yamlText: string, name = 'cmp01', file = 'classes/cluster/lab/network.yml'): NetworkNode {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter });
  const provenance: Provenance = (path) => {
    const node = doc.getIn(path, true) as YamlNode | undefined;
    if (!node || !(isScalar(node) || isMap(node) || isSeq(node)) || !node.range) return [];
    const { line, col } = lineCounter.linePos(node.range[0]);
    return [{ kind: 'set', source: 'cluster.lab.network', location: { file, line, column: col } }];
  };
  return { name, parameters: doc.toJS() as ValueMap, provenance };
}

/** A node whose `linux:network:interface` is the given YAML mapping. */
export function nodeWithInterfaces(interfacesYaml: string, extra = '', name = 'cmp01'): NetworkNode {
  const indented = interfacesYaml
    .trim()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
  return nodeFromYaml(
    `linux:\n  network:\n${
      extra
        ? `${extra
            .split('\n')
            .map((l) => `    ${l}`)
            .join('\n')}\n`
        : ''
    }    interface:\n${indented}\n`,
    name,
  );
}

const REFERENCE_DIR = new URL('../../../shared/network-reference/', import.meta.url);

export function referenceNode(dir: string): NetworkNode {
  const text = readFileSync(new URL(`${dir}/pillar.yml`, REFERENCE_DIR), 'utf8');
  return nodeFromYaml(text, dir, `network-reference/${dir}/pillar.yml`);
}

export function referenceFile(dir: string, file: string): string {
  return readFileSync(new URL(`${dir}/${file}`, REFERENCE_DIR), 'utf8');
}

export const REFERENCE_DIRS = [
  '01-eth-static-routes',
  '02-eth-manual-ipflush-noifupdown',
  '03-ctl-linuxbridge',
  '04-kvm-vcp-bond-vlan-bridges',
  '05-compute-ovs-dvr-patch',
  '06-gateway-ovs-intport-linuxbridge',
  '07-ovs-native-bond-intport-ip',
  '08-ovs-ovsport-patch-tag-upcmds',
];
