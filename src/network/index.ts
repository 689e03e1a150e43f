export type * from './types.js';
export { buildNetworkModel, analyzeNetwork, collectNetworkProblems, type NetworkAnalysis } from './build.js';
export { findDuplicateAddresses } from './duplicates.js';
export { formatProblem, type NetworkProblem } from './problems.js';
export { linuxNetworkSchema } from './schema.js';
export { dependencyOrder, parentsOf } from './order.js';
export { formatCidr } from './ipv4.js';
