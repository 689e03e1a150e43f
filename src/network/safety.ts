/**
 * What may reach a rendered file. The interfaces file is line-oriented (a newline starts a new
 * option or stanza) and its OVS options are word-split, and for `ovs_extra` even `eval`ed, by
 * Debian's ifupdown hook; `ovs-setup.sh` runs as root. So every value is held to the narrowest
 * shape its meaning allows, and only the pillar's own `*_cmds` may carry shell syntax.
 */

/** Linux's IFNAMSIZ is 16 including the terminating NUL. */
const MAX_IFNAME_BYTES = 15;

/** Characters with a meaning to sh, ifupdown or ovs-vsctl. */
const SHELL_META = /[\s'"`$\\;&|<>(){}[\]*?!#~^%]/;

/**
 * Why `name` is not a usable interface name, or undefined when it is. `allowAlias` permits
 * ifupdown's `NAME:LABEL` alias form.
 */
export function interfaceNameProblem(name: string, allowAlias = false): string | undefined {
  if (name.length === 0) return 'the interface name is empty';
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IFNAME_BYTES) {
    return `interface name "${printable(name)}" is ${bytes} bytes long; Linux allows at most ${MAX_IFNAME_BYTES}`;
  }
  if (hasControlCharacter(name))
    return `interface name "${printable(name)}" contains a control character (a newline would start a new stanza)`;
  if (/\s/.test(name)) return `interface name "${printable(name)}" contains whitespace`;
  if (name.includes('/')) return `interface name "${printable(name)}" contains "/"`;
  if (name === '.' || name === '..') return `"${name}" is not a valid interface name`;
  if (name.includes(':')) {
    if (!allowAlias || !/^[^:]+:[A-Za-z0-9]+$/.test(name)) {
      return `interface name "${printable(name)}" misuses ":" (only an ifupdown alias NAME:LABEL of an eth interface may contain it)`;
    }
  }
  if (SHELL_META.test(name) || name.startsWith('-')) {
    return `interface name "${printable(name)}" contains a shell metacharacter or starts with "-"`;
  }
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.:@+-]*$/.test(name)) {
    return `interface name "${printable(name)}" has characters outside [A-Za-z0-9_.:@+-]`;
  }
  return undefined;
}

/** A value that ends up as one option line of a stanza: no control characters at all. */
export function singleLineProblem(value: string): string | undefined {
  if (hasControlCharacter(value) || /[\u2028\u2029\u0085]/.test(value)) {
    return `value "${printable(value)}" contains a newline or control character, which would add lines to the interfaces file`;
  }
  return undefined;
}

/**
 * A word of an ovs-vsctl command (ovs_options, ovs_extra, bond modes): column names, values,
 * `--`, table and record names. Nothing a shell or ifupdown's `eval` would interpret.
 */
export function ovsWordProblem(word: string): string | undefined {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word) && !/^-[^-]/.test(word)) return undefined;
  return `"${printable(word)}" is not a plain ovs-vsctl word (only letters, digits and _ @ % + = : , . / - are allowed)`;
}

/** A token in a plain option value such as a bond mode or a DNS search domain. */
export function plainTokenProblem(value: string): string | undefined {
  if (/^[A-Za-z0-9_@+=:,./-]+$/.test(value)) return undefined;
  return `"${printable(value)}" must be a single word of letters, digits and _ @ + = : , . / -`;
}

/** C0 controls and DEL: a newline, NUL or escape sequence would break a line-oriented file. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * The text of a pillar value for a message or a lookup: a scalar as written, a list or mapping
 * as JSON (which String() would print as `[object Object]` or a bare comma list).
 */
export function valueText(value: unknown): string {
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Shows a value with its control characters escaped, so messages stay one line. */
export function printable(value: string): string {
  const escaped = JSON.stringify(value).slice(1, -1);
  return escaped.length > 80 ? `${escaped.slice(0, 77)}...` : escaped;
}
