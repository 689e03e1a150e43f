/** Pillar in, validated model out: the one entry point every renderer starts from. */
import { checkModel } from './checks.js';
import { isMapping, networkPillar, normalizePillar } from './normalize.js';
import { ProblemSink, validationError, type NetworkProblem } from './problems.js';
import { checkSchema } from './schema.js';
import type { NetworkModel, NetworkNode } from './types.js';

/**
 * What analyzeNetwork found: the model as far as it could be built, and every problem.
 * @example
 * const { model, problems } = analyzeNetwork(node);
 * if (problems.length > 0) console.error(problems.map(formatProblem).join('\n'));
 */
export interface NetworkAnalysis {
  model: NetworkModel;
  problems: NetworkProblem[];
}

/**
 * Validates and normalises a node's `linux:network` without throwing: the model (as far as it
 * could be built) and every problem found. For `validate`, which reports all nodes at once.
 * @example
 * const { problems } = analyzeNetwork(await inv.node('cmp01'));
 */
export function analyzeNetwork(node: NetworkNode): NetworkAnalysis {
  const sink = new ProblemSink(node.name, node.provenance);
  const linux = node.parameters['linux'];
  const pillar = isMapping(linux) ? linux['network'] : undefined;
  if (pillar !== undefined && pillar !== null) checkSchema(pillar, sink);
  const network = networkPillar(node.parameters);
  const { enabled, bridgeBackend, interfaces } = normalizePillar(network, sink);
  const table = network?.['interface'];
  const order = checkModel(interfaces, isMapping(table) ? table : {}, sink);
  // Report in pillar order (network-level keys first), whichever stage found the problem.
  const position = new Map(Object.keys(isMapping(table) ? table : {}).map((key, i) => [key, i + 1]));
  const rank = (p: NetworkProblem) => (p.interface === undefined ? 0 : position.get(p.interface) ?? Infinity);
  const problems = sink.problems.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map(({ p }) => p);
  return { model: { node: node.name, enabled, bridgeBackend, interfaces, order }, problems };
}

/**
 * Every problem of the node's network pillar, each with node, interface, key and origin.
 * @example
 * for (const p of collectNetworkProblems(await inv.node('cmp01'))) console.error(formatProblem(p));
 */
export function collectNetworkProblems(node: NetworkNode): NetworkProblem[] {
  return analyzeNetwork(node).problems;
}

/**
 * The node's validated network model. Collects every problem first, then throws one
 * NetworkValidationError listing them all.
 * @example
 * const model = buildNetworkModel(await inv.node('cmp01')); // throws NetworkValidationError
 * console.log(model.interfaces.map((i) => `${i.name} ${i.kind}`));
 */
export function buildNetworkModel(node: NetworkNode): NetworkModel {
  const { model, problems } = analyzeNetwork(node);
  if (problems.length > 0) throw validationError(node.name, problems);
  return model;
}
