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

/** Every scalar (or empty container) under `value`, with its path below it. */
function leaves(
  value: Value,
  below: string[] = [],
  out: Array<{ path: string[]; value: Value }> = [],
): Array<{ path: string[]; value: Value }> {
  if (Array.isArray(value) && value.length > 0) value.forEach((v, i) => leaves(v, [...below, String(i)], out));
  else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leaves(v, [...below, k], out);
  } else out.push({ path: below, value });
  return out;
}

/**
 * A value and its history, oldest first. A container (`linux:network:interface`) has no
 * history of its own: it is built by merging what classes set, so it is explained key by
 * key, each leaf with the class files and lines that set, merged or overrode it.
 */
export function explainValue(
  node: ResolvedNode,
  keyPath: string,
  delimiter: string,
  options: ExplainOptions = {},
): string {
  const redactor = makeRedactor(options.secretWords, !options.showSecrets);
  redactor.collect(node.parameters);
  const path = splitPath(keyPath, delimiter).map(String);
  const value = lookup(node.parameters, path);
  if (value === undefined) {
    throw new ReclassNetError('ResolveError', `node ${node.name} has no parameter ${keyPath}`);
  }
  const history = (full: string[], indent: string): string[] => {
    const typed = full.map((p, i) => (Array.isArray(lookup(node.parameters, full.slice(0, i))) ? Number(p) : p));
    return node.provenance(typed).map((step, i) => {
      const file = options.root ? publishedPath(options.root, step.location?.file ?? '') : step.location?.file;
      const where = step.location ? `${file}:${step.location.line}:${step.location.column}` : '(no position)';
      const what =
        step.kind === 'reference'
          ? `through \${${step.reference}}`
          : `${step.kind} ${JSON.stringify(redactor.value(full, step.value))}`;
      return `${indent}${i + 1}. ${what} by ${step.source} at ${where}`;
    });
  };
  const lines: string[] = [];
  const parts = leaves(value);
  if (parts.length === 1 && parts[0].path.length === 0) {
    lines.push(`${node.name} ${keyPath} = ${JSON.stringify(redactor.value(path, value))}`);
    const steps = history(path, '  ');
    lines.push(...(steps.length > 0 ? steps : ['  (no recorded history: set by reclass itself)']));
  } else {
    lines.push(`${node.name} ${keyPath}: ${parts.length} values, key by key`);
    for (const part of parts) {
      const full = [...path, ...part.path];
      lines.push(`  ${[keyPath, ...part.path].join(delimiter)} = ${JSON.stringify(redactor.value(full, part.value))}`);
      const steps = history(full, '    ');
      lines.push(...(steps.length > 0 ? steps : ['    (no recorded history: set by reclass itself)']));
    }
  }
  return redactor.text(lines.join('\n')) + '\n';
}
