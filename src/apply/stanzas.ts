/**
 * The stanzas of an interfaces file by interface, to tell which interfaces a change touches:
 * an interface changed when its `iface` block (with its options) or its `auto` / `allow-*`
 * marking differs between the old file and the new one.
 */

/** Interface name -> its stanza text (auto/allow lines and iface blocks, normalised). */
function stanzasByInterface(text: string): { order: string[]; stanzas: Map<string, string> } {
  const stanzas = new Map<string, string[]>();
  const order: string[] = [];
  const add = (name: string, line: string) => {
    let lines = stanzas.get(name);
    if (!lines) {
      stanzas.set(name, (lines = []));
      order.push(name);
    }
    lines.push(line);
  };
  let current: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const [word, ...rest] = line.split(/\s+/);
    if (word === 'auto' || word.startsWith('allow-')) {
      for (const name of rest) add(name, `${word}`);
      current = undefined;
    } else if (word === 'iface') {
      // An `iface` line without a name starts no stanza that later options could belong to.
      current = rest.at(0);
      if (current !== undefined) add(current, line);
    } else if (word === 'mapping' || word === 'source' || word === 'source-directory') {
      current = undefined;
    } else if (current !== undefined) add(current, line);
  }
  return { order, stanzas: new Map([...stanzas].map(([k, v]) => [k, v.join('\n')])) };
}

/**
 * The interfaces whose stanzas differ, in the new file's order (parents first) for ifup, and
 * those only the old file has, in its reverse order for ifdown.
 * @example
 * changedInterfaces(oldText, newText); // { changed: ['br-ex'], removed: [] }
 */
export function changedInterfaces(oldText: string, newText: string): { changed: string[]; removed: string[] } {
  const before = stanzasByInterface(oldText);
  const after = stanzasByInterface(newText);
  const changed = after.order.filter((name) => before.stanzas.get(name) !== after.stanzas.get(name));
  const removed = before.order.filter((name) => !after.stanzas.has(name)).reverse();
  return { changed, removed };
}
