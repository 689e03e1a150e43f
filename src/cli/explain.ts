/** `reclass-net explain`: a value and the history of how it got there, oldest first. */
import { ReclassNetError } from '../errors.js';
import { splitPath } from '../resolve/dictpath.js';
import { publishedPath } from '../publish/paths.js';
import { makeRedactor } from '../publish/redact.js';
import type { ResolvedNode, Value } from '../types.js';

/** How explain publishes: secret values redacted, files relative to the inventory. */
export interface ExplainOptions {
  /** The inventory directory, that files are shown relative to. */
  root?: string;
  /** The model's own secret-key words (`secret_keys` in reclass-config.yml). */
  secretWords?: string[];
  showSecrets?: boolean;
}

function lookup(parameters: Value, path: string[]): Value | undefined {
  let cur: Value | undefined = parameters;
  for (const key of path) {
    if (Array.isArray(cur) && /^\d+$/.test(key)) cur = cur[Number(key)];
    else if (cur && typeof cur === 'object' && !Array.isArray(cur) && Object.hasOwn(cur, key)) cur = cur[key];
    else return undefined;
  }
  return cur;
}

export function explainValue(node: ResolvedNode, keyPath: string, delimiter: string, options: ExplainOptions = {}): string {
  const redactor = makeRedactor(options.secretWords, !options.showSecrets);
  redactor.collect(node.parameters);
  const path = splitPath(keyPath, delimiter).map(String);
  const value = lookup(node.parameters, path);
  if (value === undefined) {
    throw new ReclassNetError('ResolveError', `node ${node.name} has no parameter ${keyPath}`);
  }
  const lines = [`${node.name} ${keyPath} = ${JSON.stringify(redactor.value(path, value))}`];
  const steps = node.provenance(path.map((p, i) => (Array.isArray(lookup(node.parameters, path.slice(0, i))) ? Number(p) : p)));
  if (steps.length === 0) lines.push('  (no recorded history: set by reclass itself or built from merged containers)');
  steps.forEach((step, i) => {
    const file = options.root ? publishedPath(options.root, step.location?.file ?? '') : step.location?.file;
    const where = step.location ? `${file}:${step.location.line}:${step.location.column}` : '(no position)';
    const what =
      step.kind === 'reference' ? `through \${${step.reference}}` : `${step.kind} ${JSON.stringify(redactor.value(path, step.value))}`;
    lines.push(`  ${i + 1}. ${what} by ${step.source} at ${where}`);
  });
  return redactor.text(lines.join('\n')) + '\n';
}
