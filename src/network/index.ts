export type * from './types.js';
export {
  buildNetworkModel,
  analyzeNetwork,
  checkedAnalysis,
  collectNetworkProblems,
  type BuildOptions,
  type NetworkAnalysis,
} from './build.js';
export { findDuplicateAddresses } from './duplicates.js';
export { blockingProblems, formatProblem, type NetworkProblem, type Severity } from './problems.js';
export { linuxNetworkSchema } from './schema.js';
export { dependencyOrder, parentsOf } from './order.js';
export { formatCidr } from './ipv4.js';
