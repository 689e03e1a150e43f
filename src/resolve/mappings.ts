/**
 * `class_mappings` (reclass core.py): "PATTERN class class ..." lines that add classes to
 * nodes whose name matches a shell glob or a /regexp/. Split with Python's shlex rules.
 */
import { ReclassNetError } from '../errors.js';

const WHITESPACE = ' \t\r\n';

/** shlex.shlex(posix=True, whitespace_split=True, commenters=''), '/' quoting for regexps. */
function shlexSplit(text: string): string[] {
  const regexp = text[0] === '/';
  const quotes = regexp ? `'"/` : `'"`;
  const escapedQuotes = regexp ? '"/' : '"';
  const tokens: string[] = [];
  let token: string | null = null;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && escapedQuotes.includes(quote)) {
        const next = text[i + 1];
        if (next === undefined) break;
        token += next === quote || next === '\\' ? next : c + next;
        i++;
      } else token += c;
    } else if (WHITESPACE.includes(c)) {
      if (token !== null) tokens.push(token);
      token = null;
    } else if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined)
        throw new ReclassNetError('MappingFormatError', `error in mapping "${text}": no escaped character`);
      token = (token ?? '') + next;
      i++;
    } else if (quotes.includes(c)) {
      quote = c;
      token = token ?? '';
    } else token = (token ?? '') + c;
  }
  if (quote) {
    throw new ReclassNetError('MappingFormatError', `error in mapping "${text}": missing closing quote (or slash)`);
  }
  if (token !== null) tokens.push(token);
  return tokens;
}

/** Python's fnmatch.translate for fnmatchcase. */
function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) out += '\\[';
      else {
        let body = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (body[0] === '!') body = '^' + body.slice(1);
        else if (body[0] === '^') body = '\\' + body;
        out += `[${body}]`;
        i = j;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${out})$`);
}

/** Python regexp syntax that JavaScript spells differently. */
export function pythonRegExp(source: string, flags = ''): RegExp {
  const js = source
    .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>')
    .replace(/\\Z/g, '$(?![\\s\\S])');
  try {
    return new RegExp(js, flags);
  } catch (e) {
    throw new ReclassNetError('MappingFormatError', `invalid regular expression /${source}/: ${(e as Error).message}`);
  }
}

/** Python's Match.expand: \1, \g<1>, \g<name> in a class name template. */
function expand(template: string, match: RegExpExecArray): string {
  return template.replace(/\\g<([^>]+)>|\\(\d{1,2})/g, (_all, named: string | undefined, num: string | undefined) => {
    if (named !== undefined) return (/^\d+$/.test(named) ? match[Number(named)] : match.groups?.[named]) ?? '';
    return match[Number(num)] ?? '';
  });
}

/** The classes that `mappings` add to a node of this name, in order, without repeats. */
export function mappedClasses(mappings: string[], name: string): string[] {
  const classes: string[] = [];
  const add = (c: string) => {
    if (!classes.includes(c)) classes.push(c);
  };
  for (const mapping of mappings) {
    const tokens = shlexSplit(mapping);
    if (tokens.length === 0) continue;
    const [key, ...targets] = tokens;
    if (mapping[0] === '/') {
      const match = pythonRegExp(key).exec(name);
      if (match) targets.forEach((t) => add(expand(t, match)));
    } else if (globToRegExp(key).test(name)) {
      targets.forEach(add);
    }
  }
  return classes;
}
