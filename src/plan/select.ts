/**
 * Which nodes a command names: full names, short names (`cmp01` for `cmp01.mcp-lab.local`)
 * and shell globs (`'cmp*'`, `'ctl0[12]'`), matched against both.
 */
import { ReclassNetError } from '../errors.js';
import { nearestWord } from '../network/suggest.js';

function shortName(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

/** A glob as a whole-string regular expression: `*`, `?` and `[...]` as the shell reads them. */
export function globRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        out += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

const isGlob = (pattern: string) => /[*?[]/.test(pattern);

/**
 * The nodes `patterns` name, in inventory order, each once. A pattern that matches nothing is
 * a NodeNotFound error naming the nearest node; a short name that fits several nodes is
 * ambiguous, as `node` says.
 * @example
 * selectNodes(['cmp01.lab', 'cmp02.lab', 'ctl01.lab'], ['cmp*']); // ['cmp01.lab', 'cmp02.lab']
 */
export function selectNodes(names: readonly string[], patterns: readonly string[]): string[] {
  const chosen = new Set<string>();
  for (const pattern of patterns) {
    let matches: string[];
    if (isGlob(pattern)) {
      const re = globRegExp(pattern);
      matches = names.filter((n) => re.test(n) || re.test(shortName(n)));
    } else if (names.includes(pattern)) matches = [pattern];
    else {
      matches = names.filter((n) => n.startsWith(`${pattern}.`));
      if (matches.length > 1) {
        throw new ReclassNetError(
          'AmbiguousNodeName',
          `'${pattern}' matches several nodes: ${matches.join(', ')}; give the full name`,
        );
      }
    }
    if (matches.length === 0) {
      const near = isGlob(pattern) ? undefined : nearestWord(pattern, [...names, ...names.map(shortName)]);
      throw new ReclassNetError(
        'NodeNotFound',
        `no node ${isGlob(pattern) ? 'matches' : 'is named'} '${pattern}'${near ? `; did you mean ${near}?` : ''}`,
      );
    }
    matches.forEach((m) => chosen.add(m));
  }
  return names.filter((n) => chosen.has(n));
}
