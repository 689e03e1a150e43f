/** Pillar in, validated model out: the one entry point every renderer starts from. */
import { checkModel } from './checks.js';
import { checkDesign, readDesign } from './design.js';
import { isMapping, networkPillar, normalizePillar } from './normalize.js';
import { ProblemSink, blockingProblems, validationError, type NetworkProblem } from './problems.js';
import { readHostSettings } from './host.js';
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
  const system = isMapping(linux) ? linux['system'] : undefined;
  const systemName = isMapping(system) && typeof system['name'] === 'string' ? system['name'] : undefined;
  const host = readHostSettings(enabled ? network : undefined, systemName, sink);
  const table = network?.['interface'];
  const order = checkModel(interfaces, isMapping(table) ? table : {}, sink);
  if (enabled) checkDesign(interfaces, readDesign(node.parameters, sink), sink);
  // Report in pillar order (network-level keys first), whichever stage found the problem.
  const position = new Map(Object.keys(isMapping(table) ? table : {}).map((key, i) => [key, i + 1]));
  const rank = (p: NetworkProblem) => (p.interface === undefined ? 0 : (position.get(p.interface) ?? Infinity));
  const problems = sink.problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
    .map(({ p }) => p);
  return { model: { node: node.name, enabled, bridgeBackend, interfaces, order, host }, problems };
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
 * Options of buildNetworkModel.
 * @example
 * buildNetworkModel(node, { strict: true }); // an unknown key stops the build too
 */
export interface BuildOptions {
  /** Treat warnings as errors (`--strict`). */
  strict?: boolean;
}

/**
 * The node's validated network model. Collects every problem first, then throws one
 * NetworkValidationError listing every error (and, with `strict`, every warning). Warnings
 * alone do not stop it: {@link analyzeNetwork} returns them.
 * @example
 * const model = buildNetworkModel(await inv.node('cmp01')); // throws NetworkValidationError
 * console.log(model.interfaces.map((i) => `${i.name} ${i.kind}`));
 */
export function buildNetworkModel(node: NetworkNode, options: BuildOptions = {}): NetworkModel {
  return checkedAnalysis(node, options).model;
}

/**
 * analyzeNetwork, throwing when a problem blocks the render; the warnings that remain come
 * back beside the model.
 * @example
 * const { model, problems } = checkedAnalysis(node); // problems: warnings only
 */
export function checkedAnalysis(node: NetworkNode, options: BuildOptions = {}): NetworkAnalysis {
  const analysis = analyzeNetwork(node);
  const blocking = blockingProblems(analysis.problems, options);
  if (blocking.length > 0) throw validationError(node.name, blocking);
  return analysis;
}
