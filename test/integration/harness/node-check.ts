/**
 * The entry point for checking any node: given `(nodeName, parameters, rendered)`, pick the
 * strongest proof this machine allows (a full namespace host, else OVS only) and run it.
 */
import { type Capabilities, missing } from './capabilities.js';
import {
  type NodeRun,
  type Parameters,
  type RenderedNode,
  hostRunBlocker,
  runNodeOnHost,
  runNodeOvsOnly,
} from './lab.js';
import { readPillarNetwork, usesOvs } from './pillar.js';

export type NodeCheck = { run: NodeRun } | { skipped: string };

export async function checkNode(
  nodeName: string,
  parameters: Parameters,
  rendered: RenderedNode,
  caps: Capabilities,
): Promise<NodeCheck> {
  const network = readPillarNetwork(parameters);
  const blocker = hostRunBlocker(network, caps);
  if (!blocker) return { run: await runNodeOnHost(nodeName, parameters, rendered, caps) };
  if (usesOvs(network) && !missing(caps, 'root', 'netns', 'ovs')) {
    const run = await runNodeOvsOnly(nodeName, parameters, rendered.ovsScript);
    run.report.note(`interfaces file not applied: ${blocker}`);
    return { run };
  }
  return { skipped: blocker };
}
