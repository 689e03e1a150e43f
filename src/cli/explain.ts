/** `reclass-net explain`: a value and the history of how it got there, oldest first. */
import { ReclassNetError } from '../errors.js';
import { splitPath } from '../resolve/dictpath.js';
import type { ResolvedNode, Value } from '../types.js';

function lookup(parameters: Value, path: string[]): Value | undefined {
  let cur: Value | undefined = parameters;
  for (const key of path) {
    if (Array.isArray(cur) && /^\d+$/.test(key)) cur = cur[Number(key)];
    else if (cur && typeof cur === 'object' && !Array.isArray(cur) && Object.hasOwn(cur, key)) cur = cur[key];
    else return undefined;
  }
  return cur;
}

export function explainValue(node: ResolvedNode, keyPath: string, delimiter: string): string {
  const path = splitPath(keyPath, delimiter).map(String);
  const value = lookup(node.parameters, path);
  if (value === undefined) {
    throw new ReclassNetError('ResolveError', `node ${node.name} has no parameter ${keyPath}`);
  }
  const lines = [`${node.name} ${keyPath} = ${JSON.stringify(value)}`];
  const steps = node.provenance(path.map((p, i) => (Array.isArray(lookup(node.parameters, path.slice(0, i))) ? Number(p) : p)));
  if (steps.length === 0) lines.push('  (no recorded history: set by reclass itself or built from merged containers)');
  steps.forEach((step, i) => {
    const where = step.location ? `${step.location.file}:${step.location.line}:${step.location.column}` : '(no position)';
    const what =
      step.kind === 'reference' ? `through \${${step.reference}}` : `${step.kind} ${JSON.stringify(step.value)}`;
    lines.push(`  ${i + 1}. ${what} by ${step.source} at ${where}`);
  });
  return lines.join('\n') + '\n';
}
