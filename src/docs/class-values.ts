/**
 * A class page's parameters: each value the class writes, as written (with its `${...}`
 * references), and what it resolved to on the nodes that use the class. Nodes with the same
 * resolved value are grouped, so the page stays small for a class used by a thousand nodes.
 */
import type { Redactor } from '../publish/redact.js';
import type { ResolvedNode, Value } from '../types.js';
import { valueText } from './provenance.js';

/** How many distinct resolved values a parameter lists before summing the rest up. */
const MAX_VALUES_SHOWN = 12;
/** How many parameters of one class are tabulated (the whole YAML is shown anyway). */
const MAX_PARAMETERS = 200;

/** How many nodes of one value are named (the rest are counted). */
const MAX_NODES_SHOWN = 8;

export interface ResolvedGroup {
  value: string;
  /** The first MAX_NODES_SHOWN nodes with this value. */
  nodes: string[];
  /** How many nodes have it. */
  count: number;
}

export interface ClassParameter {
  /** `linux:network:interface:eth1:mtu`, with the inventory's delimiter. */
  path: string;
  /** As the class writes it (a reference stays `${...}`). */
  written: string;
  /** Whether the written value holds a reference (`${...}` or `$[...]`). */
  reference: boolean;
  /** Distinct resolved values, most nodes first; at most MAX_VALUES_SHOWN. */
  resolved: ResolvedGroup[];
  /** Nodes and values left out of `resolved`. */
  moreValues: number;
  moreNodes: number;
}

/** Reclass's key prefixes (`~` override, `=` constant) are not part of the key. */
function plainKey(key: string): string {
  return key.replace(/^[~=]+/, '');
}

/** Every scalar (or empty container) the class writes, with its path. */
function leaves(value: Value, path: string[], out: Array<{ path: string[]; value: Value }>): void {
  if (out.length >= MAX_PARAMETERS) return;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, plainKey(k)], out);
  } else out.push({ path, value });
}

function lookup(parameters: Value, path: string[]): Value | undefined {
  let cur: Value | undefined = parameters;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, key)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** The parameters `written` by a class, resolved on each of `users`. */
export function classParameters(
  written: Value | undefined,
  users: readonly ResolvedNode[],
  delimiter: string,
  redactor: Redactor,
): ClassParameter[] {
  if (written === undefined || written === null || typeof written !== 'object' || Array.isArray(written)) return [];
  const found: Array<{ path: string[]; value: Value }> = [];
  leaves(written, [], found);
  return found.map(({ path, value }) => {
    const text = valueText(redactor.value(path, value)) ?? '';
    const groups = new Map<string, string[]>();
    for (const node of users) {
      const resolved = lookup(node.parameters, path);
      const shown = resolved === undefined ? '(not set)' : (valueText(redactor.value(path, resolved)) ?? '');
      groups.set(shown, [...(groups.get(shown) ?? []), node.name]);
    }
    const sorted = [...groups]
      .map(([v, nodes]) => ({ value: v, nodes }))
      .sort((a, b) => b.nodes.length - a.nodes.length || (a.value < b.value ? -1 : 1));
    const shown = sorted
      .slice(0, MAX_VALUES_SHOWN)
      .map((g) => ({ value: g.value, nodes: g.nodes.slice(0, MAX_NODES_SHOWN), count: g.nodes.length }));
    const rest = sorted.slice(MAX_VALUES_SHOWN);
    return {
      path: path.join(delimiter),
      written: text,
      reference: /\$[{[]/.test(typeof value === 'string' ? value : JSON.stringify(value)),
      resolved: shown,
      moreValues: rest.length,
      moreNodes: rest.reduce((n, g) => n + g.nodes.length, 0),
    };
  });
}
