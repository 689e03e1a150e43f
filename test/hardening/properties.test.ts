/**
 * Property-based hardening (fast-check, fixed seed, a few thousand cases per run): random
 * and mutated YAML into the loader, random inventories into the resolver, random network
 * pillars into the renderer. Each either succeeds or fails with our typed ReclassNetError,
 * never anything else (a TypeError or RangeError would be a crash the user sees as a trace);
 * every interfaces file that renders is accepted by Debian's `ifup --no-act`, keeps the
 * injection invariants, and its ovs-setup.sh hands ovs-vsctl exactly the modelled argv.
 *
 * Set HARDENING_SEED to explore other cases; a failure prints the seed and path to replay.
 * HARDENING_DUMP=DIR keeps a copy of the last random inventory (the failing one) in DIR.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReclassNetError } from '../../src/errors.js';
import { loadYaml } from '../../src/inventory/yaml.js';
import { openInventory } from '../../src/api/inventory.js';
import { ovsTransactions, renderNetwork } from '../../src/render/index.js';
import { FIXTURES, REPO, removeDir, tempDir } from './helpers.js';
import {
  IFUP,
  declaredCommands,
  ifupNoAct,
  interfacesViolations,
  runOvsScripts,
  type ScriptCase,
} from './invariants.js';

const SEED = Number(process.env.HARDENING_SEED ?? 20_250_611);
const params = (numRuns: number) => ({ seed: SEED, numRuns, endOnFailure: true });

let scratch: string;
beforeAll(() => {
  scratch = tempDir();
});
afterAll(() => removeDir(scratch));

/** Throws unless `fn` returns or throws a ReclassNetError. Returns the value or the error. */
function typedOrValue<T>(fn: () => T): { value?: T; error?: ReclassNetError } {
  try {
    return { value: fn() };
  } catch (e) {
    if (e instanceof ReclassNetError) return { error: e };
    throw e;
  }
}

/** Real YAML to mutate: the embedded model's class files and this suite's fixtures. */
function seedTexts(): string[] {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory() && !e.name.startsWith('.')) walk(p);
      else if (e.isFile() && /\.ya?ml$/.test(e.name) && texts.length < 400) texts.push(readFileSync(p, 'utf8'));
    }
  };
  for (const d of ['system', 'cluster', 'classes']) walk(join(REPO, d));
  walk(FIXTURES);
  return texts.filter((t) => t.length < 20_000);
}

/** Characters that mean something to YAML, plus a few that mean something to nothing. */
const YAML_CHARS = [...':-[]{}&*!|>\'"#%@`,?~=$\\\n\t \r\u0000\u00e9\ufeff<<0123456789abcxyz.'];

const yamlMutation = (text: string) =>
  fc.oneof(
    // insert YAML-significant characters
    fc
      .tuple(fc.nat(text.length), fc.string({ unit: fc.constantFrom(...YAML_CHARS), minLength: 1, maxLength: 6 }))
      .map(([at, s]) => text.slice(0, at) + s + text.slice(at)),
    // delete a range
    fc.tuple(fc.nat(text.length), fc.nat(40)).map(([at, n]) => text.slice(0, at) + text.slice(at + n)),
    // duplicate, drop, swap or re-indent lines
    fc
      .tuple(fc.nat(200), fc.nat(200), fc.constantFrom('dup', 'drop', 'swap', 'indent', 'dedent', 'anchor', 'alias'))
      .map(([i, j, op]) => {
        const lines = text.split('\n');
        const a = i % Math.max(lines.length, 1);
        const b = j % Math.max(lines.length, 1);
        if (op === 'dup') lines.splice(a, 0, lines[a] ?? '');
        if (op === 'drop') lines.splice(a, 1);
        if (op === 'swap') [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
        if (op === 'indent') lines[a] = `  ${lines[a] ?? ''}`;
        if (op === 'dedent') lines[a] = (lines[a] ?? '').replace(/^ {1,2}/, '');
        if (op === 'anchor') lines[a] = (lines[a] ?? '').replace(/: /, ': &x ');
        if (op === 'alias') lines[a] = (lines[a] ?? '').replace(/: .*/, ': *x');
        return lines.join('\n');
      }),
  );

describe('the YAML loader: a value or a YamlError, never a crash', () => {
  const seeds = seedTexts();

  it('random text, any Unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        typedOrValue(() => loadYaml(text, 'random.yml'));
      }),
      params(1000),
    );
  });

  it('random text over the YAML alphabet', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...YAML_CHARS), maxLength: 300 }), (text) => {
        typedOrValue(() => loadYaml(text, 'random.yml'));
      }),
      params(1500),
    );
  });

  it('real model files, mutated (up to three mutations each)', () => {
    expect(seeds.length).toBeGreaterThan(20);
    const mutated = fc
      .constantFrom(...seeds)
      .chain((t) => yamlMutation(t))
      .chain((t) => fc.oneof(fc.constant(t), yamlMutation(t)))
      .chain((t) => fc.oneof(fc.constant(t), yamlMutation(t)));
    fc.assert(
      fc.property(mutated, (text) => {
        const { error } = typedOrValue(() => loadYaml(text, 'mutated.yml'));
        // Errors carry the file and, for syntax errors, a real position.
        if (error) expect(error.context.location?.file).toBe('mutated.yml');
      }),
      params(1500),
    );
  });

  it('any JSON value written as YAML loads back', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const { error } = typedOrValue(() => loadYaml(stringify({ v: value }, { version: '1.1' }), 'json.yml'));
        // The `yaml` writer's output for odd keys may not be PyYAML-readable; a typed error is fine.
        void error;
      }),
      params(500),
    );
  });
});

// ---------------------------------------------------------------------------------------
// Random inventories through the resolver.

const KEYS = ['k1', 'k2', 'k3', '_param', 'list', 'linux', 'exports'];
const CLASS_NAMES = ['a', 'b', 'c', 'd', 'd.e', 'd.f', 'g.h.i'];
const referenceText = fc.oneof(
  fc.constantFrom(
    '${k1}',
    '${k2}',
    '${_param:k1}',
    '${k1:k2}',
    '${_param:k3}',
    '${list}',
    '${missing}',
    '${_reclass_:name:short}',
  ),
  fc.constantFrom(
    'a-${k1}-b',
    '${k1}${k2}',
    '\\${escaped}',
    '${${k1}}',
    '${k1',
    '$[ exports:k1 ]',
    '$[ if exports:k1 == 1 ]',
    '${_param:${k2}}',
    '$[ exports:k1 if exports:k2 == a ]',
  ),
  fc.string({ unit: fc.constantFrom(...'${}[]:\\ak1_ '), maxLength: 16 }),
);
const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 8 }), referenceText);
const paramValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, scalar, tie('list'), tie('dict')),
  list: fc.array(tie('value'), { maxLength: 3 }),
  dict: fc.dictionary(fc.constantFrom(...KEYS, '~k1', '=k2', '~list', 'k4'), tie('value'), { maxKeys: 3 }),
})).value;
const entity = fc.record(
  {
    classes: fc.oneof(
      fc.subarray([...CLASS_NAMES, 'missing.class', '.e', '${_param:cls}', '../x']),
      fc.constant(null),
      fc.constant('not-a-list'),
    ),
    applications: fc.subarray(['app1', '~app1', 'app2']),
    parameters: fc.oneof(
      fc.dictionary(fc.constantFrom(...KEYS, '~k1', '=k2'), paramValue, { maxKeys: 4 }),
      fc.constant(null),
      fc.constant([1]),
    ),
    exports: fc.dictionary(fc.constantFrom('k1', 'k2'), scalar, { maxKeys: 2 }),
  },
  { requiredKeys: [] },
);
const inventory = fc.record({
  classes: fc.dictionary(fc.constantFrom(...CLASS_NAMES), entity, { minKeys: 1, maxKeys: 6 }),
  nodes: fc.dictionary(fc.constantFrom('n1', 'n2', 'n3.lab'), entity, { minKeys: 1, maxKeys: 3 }),
  /** Replace one file by mutated text, to push YAML errors through the resolver. */
  garble: fc.option(fc.tuple(fc.nat(), fc.string({ unit: fc.constantFrom(...YAML_CHARS), maxLength: 12 })), {
    nil: undefined,
  }),
  config: fc.constantFrom(
    '',
    'ignore_class_notfound: true\n',
    'allow_none_override: true\n',
    'ignore_overwritten_missing_references: false\n',
    'compose_node_name: true\n',
  ),
});

function classFile(name: string): string {
  const parts = name.split('.');
  // `d` is d/init.yml when d.* classes exist, as in MCP models.
  return name === 'd' ? 'd/init.yml' : `${parts.join('/')}.yml`;
}

describe('the resolver on random inventories: resolved nodes or a ReclassNetError', () => {
  it('random classes, references, overrides, constants, queries and garbled files', async () => {
    const dirs = Array.from({ length: 3 }, (_, i) => join(scratch, `inv-${i}`));
    let run = 0;
    let resolved = 0;
    let failed = 0;
    const kinds = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(inventory, async (inv) => {
        const dir = dirs[run++ % dirs.length];
        rmSync(dir, { recursive: true, force: true });
        const files: Record<string, string> = { 'reclass-config.yml': inv.config || '{}\n' };
        for (const [name, e] of Object.entries(inv.classes)) files[`classes/${classFile(name)}`] = stringify(e);
        for (const [name, e] of Object.entries(inv.nodes)) files[`nodes/${name}.yml`] = stringify(e);
        if (inv.garble) {
          const names = Object.keys(files).filter((f) => f !== 'reclass-config.yml');
          const target = names[inv.garble[0] % names.length];
          const text = files[target];
          const at = inv.garble[0] % (text.length + 1);
          files[target] = text.slice(0, at) + inv.garble[1] + text.slice(at);
        }
        for (const [rel, text] of Object.entries(files)) {
          mkdirSync(dirname(join(dir, rel)), { recursive: true });
          writeFileSync(join(dir, rel), text);
        }
        if (process.env.HARDENING_DUMP) {
          rmSync(process.env.HARDENING_DUMP, { recursive: true, force: true });
          for (const [rel, text] of Object.entries(files)) {
            mkdirSync(dirname(join(process.env.HARDENING_DUMP, rel)), { recursive: true });
            writeFileSync(join(process.env.HARDENING_DUMP, rel), text);
          }
        }
        const opened = await (async () => {
          try {
            return await openInventory(dir, { warn: () => {} });
          } catch (e) {
            if (e instanceof ReclassNetError) return undefined;
            throw e;
          }
        })();
        if (!opened) return;
        for (const name of opened.nodeNames()) {
          try {
            await opened.node(name);
            resolved++;
          } catch (e) {
            if (!(e instanceof ReclassNetError)) throw e;
            failed++;
            kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
            // The typed error knows which node it is about.
            expect(e.context.node ?? e.message).toBeTruthy();
          }
        }
      }),
      params(500),
    );
    // The generator must exercise both outcomes, or the property proves little.
    expect(resolved).toBeGreaterThan(100);
    expect(failed).toBeGreaterThan(100);
    expect(kinds.size).toBeGreaterThan(3);
  });

  // A reference into its own container, or to its own descendant, contains itself forever:
  // reclass dies with a Python RecursionError, reclass-net reports InfiniteRecursion.
  it.each([
    ['its own enclosing container', 'parameters:\n  k1:\n    a: ${k1}\n'],
    ['a list that contains it', 'parameters:\n  k1:\n    - ${k1}\n'],
    ['its own descendant', 'parameters:\n  k1: ${k1:k2}\n'],
  ])('a reference to %s is InfiniteRecursion naming the file', async (what, text) => {
    const dir = join(scratch, `self-reference-${what.replace(/\W/g, '')}`);
    mkdirSync(join(dir, 'nodes'), { recursive: true });
    writeFileSync(join(dir, 'nodes/n1.yml'), text);
    const inv = await openInventory(dir);
    const error = await inv.node('n1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReclassNetError);
    expect((error as ReclassNetError).kind).toBe('InfiniteRecursion');
    expect((error as ReclassNetError).context.location?.file).toContain('nodes/n1.yml');
  });
});

// ---------------------------------------------------------------------------------------
// Random network pillars through the renderer.

const NAMES = [
  'eth0',
  'eth1',
  'eth2',
  'eth3',
  'bond0',
  'br0',
  'br-ex',
  'br_prv',
  'vlan100',
  'eth0.100',
  'bond0.200',
  'p1',
  'p2',
  'int0',
  'tap+1',
  'x@y',
  'eth1:1',
];
const name = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 18 }) },
);
const ipv4 = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(10, 172, 192), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 }))
      .map((p) => p.join('.')),
  },
  { weight: 1, arbitrary: fc.constantFrom('10.0.0.1/24', '256.1.1.1', '::1', '', '10.0.0', 'host.example') },
);
const maybeWrong = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 10, arbitrary: good },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string({ maxLength: 6 }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.nat(3), { maxLength: 2 }),
      ),
    },
  );
const words = (pool: string[]) => fc.subarray(pool, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
const shellCmd = fc.oneof(
  fc.constantFrom(
    'echo up',
    'ip link set dev eth0 promisc on',
    'sysctl -w net.ipv4.ip_forward=1',
    'true; echo "$IFACE"',
    'test -e /x || exit 0',
  ),
  fc.string({ maxLength: 30 }),
);
const ovsWords = fc.oneof(
  fc.constantFrom(
    'bond_mode=active-backup',
    'lacp=active',
    'tag=100',
    'other_config:bond-detect-mode=miimon',
    'vlan_mode=native-untagged',
  ),
  fc.string({ unit: fc.constantFrom(...'abc=:_-/ ,.%@$;\'"'), maxLength: 20 }),
);

const ifaceRecord = fc
  .record(
    {
      type: maybeWrong(fc.constantFrom('eth', 'slave', 'bond', 'vlan', 'bridge', 'ovs_bridge', 'ovs_port', 'ovs_bond')),
      name: name,
      enabled: maybeWrong(fc.boolean()),
      proto: maybeWrong(fc.constantFrom('static', 'dhcp', 'manual')),
      address: maybeWrong(ipv4),
      netmask: maybeWrong(
        fc.oneof(
          fc.constantFrom('255.255.255.0', '255.255.0.0', '255.255.255.252', '255.0.255.0'),
          fc.integer({ min: 0, max: 33 }),
        ),
      ),
      gateway: maybeWrong(ipv4),
      mtu: maybeWrong(fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.constantFrom(1500, 9000, '9000'))),
      name_servers: maybeWrong(fc.array(ipv4, { maxLength: 2 })),
      use_interfaces: maybeWrong(fc.array(name, { maxLength: 3 })),
      use_ovs_ports: maybeWrong(fc.array(name, { maxLength: 2 })),
      ovs_bridge: maybeWrong(name),
      bridge: maybeWrong(name),
      peer: maybeWrong(name),
      port_type: maybeWrong(fc.constantFrom('internal', 'patch')),
      tag: maybeWrong(fc.integer({ min: 0, max: 4096 })),
      slaves: maybeWrong(fc.oneof(words(NAMES), fc.array(name, { maxLength: 3 }))),
      master: maybeWrong(name),
      mode: maybeWrong(fc.constantFrom('active-backup', '802.3ad', 'balance-rr', 4, 'balance-tcp', 'bogus')),
      vlan_id: maybeWrong(fc.integer({ min: 0, max: 4096 })),
      vlan_raw_device: maybeWrong(name),
      ovs_options: maybeWrong(ovsWords),
      ovs_extra: maybeWrong(fc.oneof(fc.array(ovsWords, { maxLength: 2 }), ovsWords)),
      datapath_type: maybeWrong(fc.constantFrom('netdev', 'system', 'net dev')),
      hwaddress: maybeWrong(fc.constantFrom('52:54:00:12:34:56', '52:54:00:12:34', 'zz:zz')),
      up_cmds: maybeWrong(fc.array(shellCmd, { maxLength: 2 })),
      post_down_cmds: maybeWrong(fc.array(shellCmd, { maxLength: 1 })),
      route: maybeWrong(
        fc.dictionary(
          fc.constantFrom('r1', 'r2'),
          fc.record({ address: ipv4, netmask: fc.constantFrom('255.255.0.0', '255.255.255.0', 16), gateway: ipv4 }),
          { maxKeys: 2 },
        ),
      ),
      stp: maybeWrong(fc.boolean()),
      miimon: maybeWrong(fc.integer({ min: 0, max: 1000 })),
      lacp_rate: maybeWrong(fc.constantFrom('fast', 'slow')),
      metric: maybeWrong(fc.integer({ min: 0, max: 1000 })),
    },
    { requiredKeys: ['type'] },
  )
  .map((r) => {
    // Mostly a handful of keys per interface, as in real pillars: drop most optional ones.
    return r;
  });

const pillar = fc.record(
  {
    enabled: maybeWrong(fc.boolean()),
    bridge: maybeWrong(fc.constantFrom('none', 'linuxbridge', 'openvswitch')),
    interface: fc.oneof(
      { weight: 20, arbitrary: fc.dictionary(fc.constantFrom(...NAMES), ifaceRecord, { minKeys: 1, maxKeys: 6 }) },
      { weight: 1, arbitrary: fc.oneof(fc.constant(null), fc.constant('eth0'), fc.array(fc.nat(), { maxLength: 2 })) },
    ),
  },
  { requiredKeys: ['interface'] },
);

/** Well-formed topologies, so that a good share of cases render and reach ifup. */
const plausiblePillar = fc
  .record({
    nics: fc.integer({ min: 1, max: 4 }),
    bond: fc.boolean(),
    vlans: fc.subarray([100, 200, 300], { maxLength: 2 }),
    ovs: fc.boolean(),
    patch: fc.boolean(),
    linuxBridge: fc.boolean(),
    mtu: fc.constantFrom(undefined, 1500, 9000),
    dhcp: fc.boolean(),
    cmds: fc.array(shellCmd, { maxLength: 2 }),
    route: fc.boolean(),
  })
  .map((t) => {
    const iface: Record<string, Record<string, unknown>> = {};
    const nics = Array.from({ length: t.nics }, (_, i) => `eth${i}`);
    const withMtu = (o: Record<string, unknown>) => (t.mtu ? { ...o, mtu: t.mtu } : o);
    iface.eth0 = withMtu(
      t.dhcp
        ? { type: 'eth', proto: 'dhcp', up_cmds: t.cmds }
        : { type: 'eth', proto: 'static', address: '10.0.0.2', netmask: '255.255.255.0', up_cmds: t.cmds },
    );
    if (t.route && !t.dhcp)
      iface.eth0.route = { r: { address: '10.9.0.0', netmask: '255.255.0.0', gateway: '10.0.0.1' } };
    let parent = nics[1] ?? 'eth0';
    if (t.bond && nics.length >= 3) {
      iface.bond0 = withMtu({ type: 'bond', slaves: nics.slice(1).join(' '), mode: 'active-backup', proto: 'manual' });
      for (const n of nics.slice(1)) iface[n] = withMtu({ type: 'slave', master: 'bond0' });
      parent = 'bond0';
    } else {
      for (const n of nics.slice(1)) iface[n] = withMtu({ type: 'eth', proto: 'manual' });
    }
    for (const v of t.vlans) iface[`${parent}.${v}`] = { type: 'vlan', proto: 'manual' };
    if (t.linuxBridge && t.vlans.length > 0) {
      iface.br_mgmt = {
        type: 'bridge',
        proto: 'static',
        address: '10.1.0.2',
        netmask: '255.255.255.0',
        use_interfaces: [`${parent}.${t.vlans[0]}`],
      };
    }
    if (t.ovs) {
      iface['br-prv'] = withMtu({ type: 'ovs_bridge', datapath_type: 'netdev' });
      if (!t.bond && nics[1]) iface[nics[1]] = withMtu({ type: 'eth', proto: 'manual', ovs_bridge: 'br-prv' });
      iface.int0 = {
        type: 'ovs_port',
        bridge: 'br-prv',
        ovs_bridge: 'br-prv',
        proto: 'static',
        address: '10.2.0.2',
        netmask: '255.255.255.0',
        tag: 20,
      };
      if (t.patch) {
        iface['br-ex'] = { type: 'ovs_bridge' };
        iface['prv-ex'] = {
          type: 'ovs_port',
          port_type: 'patch',
          bridge: 'br-prv',
          ovs_bridge: 'br-prv',
          peer: 'ex-prv',
        };
        iface['ex-prv'] = {
          type: 'ovs_port',
          port_type: 'patch',
          bridge: 'br-ex',
          ovs_bridge: 'br-ex',
          peer: 'prv-ex',
        };
      }
    }
    return { bridge: t.ovs ? 'openvswitch' : 'none', interface: iface };
  });

describe('the renderer on random pillars: files or a ReclassNetError, and what renders is safe', () => {
  it('random and plausible linux:network pillars', () => {
    const interfaces: string[] = [];
    const scripts: ScriptCase[] = [];
    const violations: string[] = [];
    let rendered = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.oneof(pillar, plausiblePillar, plausiblePillar), (p) => {
        const { value, error } = typedOrValue(() =>
          renderNetwork({ name: 'n1', parameters: { linux: { network: p } } as never }),
        );
        if (error) {
          refused++;
          // One paragraph, however many problems.
          expect(error.message).not.toContain('\n');
          return;
        }
        rendered++;
        const table = (p as { interface?: unknown }).interface;
        const problems = interfacesViolations(
          value!.interfaces,
          value!.model,
          declaredCommands(table && typeof table === 'object' ? (table as never) : {}),
        );
        if (problems.length > 0) violations.push(`${JSON.stringify(p)}: ${problems.join('; ')}`);
        if (interfaces.length < 600) interfaces.push(value!.interfaces);
        if (scripts.length < 300) scripts.push({ script: value!.ovsScript, expected: ovsTransactions(value!.model) });
      }),
      params(2500),
    );
    expect(violations.slice(0, 5)).toEqual([]);
    expect(rendered).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);

    const dir = join(scratch, 'render-scripts');
    mkdirSync(dir, { recursive: true });
    const scriptProblems = runOvsScripts(dir, scripts).flatMap((p, i) =>
      p.map((x) => `script ${i}: ${x}\n${scripts[i].script}`),
    );
    expect(scriptProblems.slice(0, 3)).toEqual([]);

    if (!IFUP) {
      console.warn('ifup is not installed: skipping the `ifup --no-act` check of rendered files');
      return;
    }
    const ifupDir = join(scratch, 'ifup');
    mkdirSync(ifupDir, { recursive: true });
    const failures = ifupNoAct(ifupDir, interfaces);
    expect(failures.slice(0, 3).map((f) => f.output)).toEqual([]);
  });
});
