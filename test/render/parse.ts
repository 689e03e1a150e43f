/**
 * Test-side readers of the two outputs: an ifupdown interfaces parser (good enough for the
 * files salt-formula-linux and reclass-net write) and an OVS command simulator that turns
 * ovs-vsctl lines into the database state they produce.
 */

export interface ParsedStanza {
  name: string;
  method: string;
  auto: boolean;
  allow: string[];
  options: Array<[string, string]>;
}

export function parseInterfaces(text: string): Map<string, ParsedStanza> {
  const stanzas = new Map<string, ParsedStanza>();
  const auto = new Set<string>();
  const allow = new Map<string, string[]>();
  let current: ParsedStanza | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('source ')) continue;
    const words = line.split(/\s+/);
    const head = words[0];
    if (head === 'auto') {
      words.slice(1).forEach((w) => auto.add(w));
      current = undefined;
    } else if (head.startsWith('allow-')) {
      words.slice(1).forEach((w) => allow.set(w, [...(allow.get(w) ?? []), head.slice(6)]));
      current = undefined;
    } else if (head === 'iface') {
      current = { name: words[1], method: words[3], auto: false, allow: [], options: [] };
      stanzas.set(current.name, current);
    } else if (current) {
      current.options.push([head, line.slice(head.length).trim()]);
    }
  }
  for (const s of stanzas.values()) {
    s.auto = auto.has(s.name);
    s.allow = allow.get(s.name) ?? [];
  }
  return stanzas;
}

export function option(stanza: ParsedStanza | undefined, key: string): string | undefined {
  return stanza?.options.find(([k]) => k === key)?.[1];
}

export function options(stanza: ParsedStanza | undefined, key: string): string[] {
  return (stanza?.options ?? []).filter(([k]) => k === key).map(([, v]) => v);
}

/** `address A` + `netmask M` or `address A/P`, as A/P. */
export function cidrOf(stanza: ParsedStanza | undefined): string | undefined {
  const address = option(stanza, 'address');
  if (!address) return undefined;
  if (address.includes('/')) return address;
  const mask = option(stanza, 'netmask')!;
  const prefix = /^\d+$/.test(mask)
    ? Number(mask)
    : mask.split('.').reduce((n, o) => n + Number(o).toString(2).replace(/0/g, '').length, 0);
  return `${address}/${prefix}`;
}

export interface OvsState {
  bridges: Map<string, Record<string, string>>;
  ports: Map<string, { bridge: string; bond?: string[]; columns: Record<string, string> }>;
  interfaces: Map<string, Record<string, string>>;
}

/** Applies ovs-vsctl lines (as in ovs-setup.sh or expected-ovs.sh) to an empty database. */
export function simulateOvs(script: string): OvsState {
  const state: OvsState = { bridges: new Map(), ports: new Map(), interfaces: new Map() };
  for (const raw of script.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (!line.startsWith('ovs-vsctl')) continue;
    const words = line
      .split(/\s+/)
      .slice(1)
      .filter((w) => w !== '"$@"');
    const commands: string[][] = [[]];
    for (const w of words) {
      if (w === '--') commands.push([]);
      else commands[commands.length - 1].push(w);
    }
    for (const command of commands)
      apply(
        state,
        command.filter((w) => !w.startsWith('--may-exist')),
      );
  }
  return state;
}

function apply(state: OvsState, command: string[]): void {
  const [verb, ...args] = command;
  const columns = (words: string[]) =>
    Object.fromEntries(words.map((w) => w.split(/=(.*)/s).slice(0, 2) as [string, string]));
  switch (verb) {
    case undefined:
      return;
    case 'add-br':
      state.bridges.set(args[0], { ...(state.bridges.get(args[0]) ?? {}) });
      state.interfaces.set(args[0], { ...(state.interfaces.get(args[0]) ?? {}) });
      return;
    case 'add-port': {
      const [bridge, port, ...cols] = args;
      state.ports.set(port, {
        bridge: bridge,
        columns: { ...(state.ports.get(port)?.columns ?? {}), ...columns(cols) },
      });
      state.interfaces.set(port, { ...(state.interfaces.get(port) ?? {}) });
      return;
    }
    case 'add-bond': {
      const [bridge, bond, ...rest] = args;
      const slaves = rest.filter((w) => !w.includes('='));
      state.ports.set(bond, { bridge: bridge, bond: slaves, columns: columns(rest.filter((w) => w.includes('='))) });
      slaves.forEach((s) => state.interfaces.set(s, { ...(state.interfaces.get(s) ?? {}) }));
      return;
    }
    case 'set': {
      const [table, record, ...cols] = args;
      const t = table.toLowerCase();
      const target =
        t === 'bridge'
          ? state.bridges.get(record)
          : t === 'port'
            ? state.ports.get(record)?.columns
            : state.interfaces.get(record);
      if (!target) throw new Error(`set on missing ${table} ${record}`);
      Object.assign(target, columns(cols));
      return;
    }
    default:
      throw new Error(`unexpected ovs-vsctl command ${command.join(' ')}`);
  }
}
