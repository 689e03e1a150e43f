/**
 * Models written by an attacker, or by someone careless: class names that walk out of the
 * class tree, values that would inject a stanza, an `up` command or shell code into files
 * that run as root, node names and --out targets that would write outside the output dir.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkValidationError, ReclassNetError } from '../../src/errors.js';
import { openInventory } from '../../src/api/inventory.js';
import { ovsTransactions, renderNetwork } from '../../src/render/index.js';
import { CLI, REPO, expectCleanFailure, listFiles, removeDir, runCli, tempDir, writeTree } from './helpers.js';
import { declaredCommands, interfacesViolations, runOvsScripts, type ScriptCase } from './invariants.js';
import { PAYLOADS, everyKindPillar, leafPaths, withKeyRenamed, withLeaf } from './pillars.js';

let scratch: string;
beforeAll(() => {
  scratch = tempDir();
});
afterAll(() => removeDir(scratch));

const STRACE = ['/usr/bin/strace', '/bin/strace'].find((p) => existsSync(p));

describe('class names that walk out of the class directory', () => {
  const HOSTILE = [
    '../../etc/passwd',
    '/etc/passwd',
    'a/../../b',
    '..',
    '.',
    '../outside/evil',
    '../../outside/evil',
    'sub/../../outside/evil',
    '....outside.evil',
    '/OUTSIDE/evil',
    '../outside/evil.yml',
    'outside/evil',
    '\u0000',
  ];
  let root: string;
  let inv: string;
  let outside: string;

  beforeAll(() => {
    root = join(scratch, 'escape');
    outside = join(root, 'outside');
    // Files that would parse as classes and set a marker if anything read them.
    const marker = 'parameters:\n  marker: PWNED\n';
    writeTree(root, {
      'outside/evil.yml': marker,
      'outside/init.yml': marker,
      'etc/passwd.yml': marker,
      'etc/passwd': marker,
      'b.yml': marker,
      'inventory/evil.yml': marker,
      'inventory/classes/sub/ok.yml': 'parameters:\n  fine: true\n',
    });
    inv = join(root, 'inventory');
    HOSTILE.forEach((name, i) => {
      const cls = name.replace('/OUTSIDE', outside);
      writeTree(inv, { [`nodes/n${i}.yml`]: `classes:\n  - ${JSON.stringify(cls)}\n` });
    });
    // The same names arriving through a reference, rendered before lookup.
    writeTree(inv, {
      'nodes/viaref.yml': `classes:\n  - \${_param:cls}\nparameters:\n  _param:\n    cls: ../outside/evil\n`,
    });
  });

  it.each(HOSTILE.map((name, i) => [name, i] as const))('%j is refused and nothing outside is read', (_name, i) => {
    const r = runCli(['node', `n${i}`, '--inventory', inv]);
    expectCleanFailure(r, { code: 1, contains: [`for node n${i}`] });
    expect(r.stderr).toMatch(/^reclass-net: (ClassNotFound|InvalidClassnameError|ClassNameResolveError): /);
    expect(r.stdout).not.toContain('PWNED');
  });

  it('a class name built by a reference is checked the same way', () => {
    const r = runCli(['node', 'viaref', '--inventory', inv]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain('PWNED');
  });

  it('with ignore_class_notfound the hostile classes are skipped, still not read', () => {
    writeFileSync(
      join(inv, 'reclass-config.yml'),
      'ignore_class_notfound: true\nignore_class_notfound_warning: false\n',
    );
    try {
      const r = runCli(['inventory', '--inventory', inv, '--format', 'json']);
      // InvalidClassnameError may still stop the run; what matters is that no marker appears.
      if (r.code === 0) {
        const doc = JSON.parse(r.stdout) as { nodes: Record<string, { parameters: Record<string, unknown> }> };
        expect(doc.nodes.n0.parameters.marker).toBeUndefined();
      }
      expect(r.stdout).not.toContain('PWNED');
    } finally {
      writeFileSync(join(inv, 'reclass-config.yml'), '{}\n');
    }
  });

  it.skipIf(!STRACE)('strace: no file outside the inventory is opened or stat-ed for any hostile name', () => {
    const log = join(scratch, 'strace.log');
    for (let i = 0; i < HOSTILE.length; i++) {
      const r = spawnSync(
        STRACE!,
        ['-f', '-qq', '-e', 'trace=%file', '-o', log, process.execPath, CLI, 'node', `n${i}`, '--inventory', inv],
        {
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      expect(r.status, r.stderr).toBe(1);
      const touched = readFileSync(log, 'utf8')
        .split('\n')
        .flatMap((line) => [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]))
        .filter((p) => p.startsWith(`${root}/`) && p !== inv && !p.startsWith(`${inv}/`));
      expect(touched, `node n${i} (${JSON.stringify(HOSTILE[i])}) touched files outside the inventory`).toEqual([]);
      const underInv = readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l.includes(join(inv, 'evil.yml')));
      expect(underInv, 'inventory/evil.yml is outside classes/ and must not be opened').toEqual([]);
    }
  });

  it('symlinks the operator placed in the tree are followed (formula metadata linked into classes/service)', () => {
    const site = writeTree(join(scratch, 'symlinked'), {
      'formulas/ntp/metadata/service/server/init.yml': 'parameters:\n  ntp:\n    server:\n      enabled: true\n',
      'formulas/ntp/metadata/service/client.yml': 'parameters:\n  ntp:\n    client:\n      enabled: true\n',
      'inventory/nodes/n1.yml': 'classes:\n  - service.ntp.server\n  - service.ntp.client\n  - system.base\n',
      'shared-system/base.yml': 'parameters:\n  base: true\n',
    });
    mkdirSync(join(site, 'inventory/classes/service'), { recursive: true });
    symlinkSync('../../../formulas/ntp/metadata/service', join(site, 'inventory/classes/service/ntp'));
    symlinkSync(join(site, 'shared-system'), join(site, 'inventory/classes/system'));
    const r = runCli(['node', 'n1', '--inventory', join(site, 'inventory'), '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const params = (JSON.parse(r.stdout) as { parameters: Record<string, unknown> }).parameters;
    expect(params.ntp).toEqual({ server: { enabled: true }, client: { enabled: true } });
    expect(params.base).toBe(true);
  });

  it('a symlink loop in the tree does not hang the walk', () => {
    const site = writeTree(join(scratch, 'symloop'), {
      'nodes/n1.yml': 'classes: [a.b]\n',
      'classes/a/b.yml': 'parameters: {x: 1}\n',
    });
    symlinkSync('..', join(site, 'classes/a/loop'));
    const r = runCli(['node', 'n1', '--inventory', site], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
  });
});

/** Renders `pillar` for node `n1`; the error when it throws. */
function tryRender(pillar: unknown, node = 'n1') {
  try {
    return { result: renderNetwork({ name: node, parameters: { linux: { network: pillar } } as never }) };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/**
 * Keys whose values the pillar declares as commands: `*_cmds` are shell lines, `ovs_extra`
 * is a list of ovs-vsctl words. A payload there may render (as words, or as the declared
 * command); anywhere else it must be refused or have no effect at all on the output.
 */
const DECLARED_SYNTAX = /(_cmds|ovs_extra)(:\d+)?$/;

describe('values that reach rendered files cannot add a stanza, a command or shell code', () => {
  it('the base pillar renders, and satisfies the invariants', () => {
    const pillar = everyKindPillar();
    const { result, error } = tryRender(pillar);
    expect(error).toBeUndefined();
    expect(
      interfacesViolations(result!.interfaces, result!.model, declaredCommands(pillar.interface as never)),
    ).toEqual([]);
  });

  it('every payload in every value and every interface key: refused, or rendered without effect', () => {
    const base = everyKindPillar();
    const baseline = tryRender(base).result!;
    const paths = leafPaths(base).filter((p) => p[0] === 'interface');
    const scripts: ScriptCase[] = [];
    const refusedWrongly: string[] = [];
    const violations: string[] = [];
    let refused = 0;
    for (const path of paths) {
      const key = path.slice(2).join(':');
      for (const payload of PAYLOADS) {
        for (const mode of ['append', 'replace'] as const) {
          const pillar = withLeaf(base, path, (old) => (mode === 'append' ? `${String(old)}${payload}` : payload));
          const { result, error } = tryRender(pillar);
          const label = `${path.join(':')} ${mode} ${JSON.stringify(payload)}`;
          if (error) {
            if (!(error instanceof NetworkValidationError)) refusedWrongly.push(`${label}: ${String(error)}`);
            refused++;
            continue;
          }
          const unchanged = result.interfaces === baseline.interfaces && result.ovsScript === baseline.ovsScript;
          if (!unchanged && !DECLARED_SYNTAX.test(key))
            violations.push(`${label}: rendered into the output, must be refused`);
          if (/[\n\r\u2028\0]/.test(payload) && !unchanged) violations.push(`${label}: a line break rendered`);
          const problems = interfacesViolations(
            result.interfaces,
            result.model,
            declaredCommands((pillar as { interface: never }).interface),
          );
          if (problems.length > 0) violations.push(`${label}: ${problems.join('; ')}`);
          scripts.push({ script: result.ovsScript, expected: ovsTransactions(result.model) });
        }
      }
    }
    expect(refusedWrongly).toEqual([]);
    expect(violations).toEqual([]);
    // Most combinations are refused outright (the rest are ignored keys and declared commands).
    expect(refused).toBeGreaterThan(paths.length * PAYLOADS.length);
    // Whatever did render has an ovs-setup.sh that passes arguments through intact.
    const dir = join(scratch, 'payload-scripts');
    mkdirSync(dir, { recursive: true });
    const results = runOvsScripts(dir, scripts);
    expect(results.flatMap((p, i) => p.map((x) => `case ${i}: ${x}`))).toEqual([]);
  });

  it('every payload in an interface key (the device name unless `name:` is set)', () => {
    const base = everyKindPillar();
    const table = base.interface as Record<string, Record<string, unknown>>;
    const problems: string[] = [];
    for (const key of Object.keys(table)) {
      for (const payload of PAYLOADS) {
        const pillar = withKeyRenamed(base, ['interface', key], (k) => `${k}${payload}`);
        const { result, error } = tryRender(pillar);
        const label = `${key}${JSON.stringify(payload)}`;
        if (error) {
          if (!(error instanceof NetworkValidationError)) problems.push(`${label}: ${String(error)}`);
        } else if (table[key].name === undefined) {
          problems.push(`${label}: rendered although the key is the device name`);
        } else {
          // With `name:` the key is only a label: it may appear in a comment, never on its own line.
          problems.push(
            ...interfacesViolations(
              result.interfaces,
              result.model,
              declaredCommands((pillar as { interface: never }).interface),
            ).map((p) => `${label}: ${p}`),
          );
          if (result.interfaces.includes(payload.trim()) && /[\n\r]/.test(payload))
            problems.push(`${label}: payload in the output`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('refusals name the node, the interface and the key', () => {
    const pillar = withLeaf(everyKindPillar(), ['interface', 'prv_int', 'address'], () => '10.2.0.2\nup reboot');
    const { error } = tryRender(pillar, 'cmp01');
    expect(error).toBeInstanceOf(NetworkValidationError);
    const message = (error as Error).message;
    expect(message).toContain('cmp01');
    expect(message).toContain('prv_int');
    expect(message).toContain('address');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('through the CLI: exit 1, NetworkValidationError naming the class file, nothing on stdout or in --out', () => {
    const inv = writeTree(join(scratch, 'inject-cli'), {
      'nodes/n1.yml': 'classes: [cluster.net]\n',
      'classes/cluster/net.yml': `parameters:\n  linux:\n    network:\n      interface:\n        eth0:\n          type: eth\n          proto: static\n          address: ${JSON.stringify('10.0.0.1\nup touch /tmp/pwned')}\n          netmask: 255.255.255.0\n`,
    });
    const out = join(scratch, 'inject-cli-out');
    const r = runCli(['render', 'n1', '--inventory', inv, '--out', out]);
    expectCleanFailure(r, {
      code: 1,
      kind: 'NetworkValidationError',
      contains: ['eth0', 'address', 'classes/cluster/net.yml', 'for node n1'],
    });
    expect(r.stdout).toBe('');
    expect(listFiles(out)).toEqual([]);
  });

  it('values that are allowed reach ovs-vsctl intact (sh -n, then a fake ovs-vsctl logs argv)', () => {
    // The widest values the validators let through: every allowed character in names and OVS words.
    const pillar = {
      interface: {
        'br-a_1.2@x+y': {
          type: 'ovs_bridge',
          ovs_extra: ['set Bridge br-a_1.2@x+y other_config:a%b=c,d/e:f'],
          datapath_type: 'netdev',
        },
        'p:0': {
          type: 'ovs_port',
          port_type: 'internal',
          bridge: 'br-a_1.2@x+y',
          ovs_bridge: 'br-a_1.2@x+y',
          proto: 'manual',
        },
        'e_9.z': { type: 'eth', ovs_bridge: 'br-a_1.2@x+y', proto: 'manual', ovs_options: 'tag=5 other_config:k=v=w' },
        'tap+1': { type: 'eth', proto: 'manual' },
        'tap-2': { type: 'eth', proto: 'manual' },
        b0: {
          type: 'ovs_bond',
          bridge: 'br-a_1.2@x+y',
          ovs_bridge: 'br-a_1.2@x+y',
          slaves: 'tap+1 tap-2',
          ovs_options: 'bond_mode=balance-slb',
        },
      },
    };
    const cases: ScriptCase[] = [];
    const { result, error } = tryRender(pillar);
    if (error) {
      // Some of these characters may be refused; then at least the refusal is typed.
      expect(error).toBeInstanceOf(ReclassNetError);
    } else {
      cases.push({ script: result.ovsScript, expected: ovsTransactions(result.model) });
    }
    cases.push({
      script: renderNetwork({ name: 'n1', parameters: { linux: { network: everyKindPillar() } } as never }).ovsScript,
      expected: ovsTransactions(
        renderNetwork({ name: 'n1', parameters: { linux: { network: everyKindPillar() } } as never }).model,
      ),
    });
    const dir = join(scratch, 'allowed-scripts');
    mkdirSync(dir, { recursive: true });
    expect(runOvsScripts(dir, cases).flat()).toEqual([]);
  });

  it('every node of the embedded model: invariants hold and ovs-setup.sh passes argv intact', async () => {
    const inv = await openInventory(REPO);
    const cases: ScriptCase[] = [];
    const problems: string[] = [];
    for (const node of await inv.nodes()) {
      let result;
      try {
        result = renderNetwork(node);
      } catch (e) {
        if (!(e instanceof ReclassNetError)) throw e;
        continue;
      }
      const linux = node.parameters.linux as { network?: { interface?: Record<string, unknown> } } | undefined;
      problems.push(
        ...interfacesViolations(result.interfaces, result.model, declaredCommands(linux?.network?.interface ?? {})).map(
          (p) => `${node.name}: ${p}`,
        ),
      );
      cases.push({ script: result.ovsScript, expected: ovsTransactions(result.model) });
    }
    expect(problems).toEqual([]);
    expect(cases.length).toBeGreaterThan(5);
    const dir = join(scratch, 'embedded-scripts');
    mkdirSync(dir, { recursive: true });
    expect(runOvsScripts(dir, cases).flat()).toEqual([]);
  });

  it('a node name with a newline or shell syntax (from its file name) cannot break a generated comment', () => {
    const names = ['evil\nrm -rf ~', 'n;reboot', 'n$(reboot)', "n'x"];
    const dir = join(scratch, 'node-names');
    const cases: ScriptCase[] = [];
    for (const name of names) {
      const result = renderNetwork({ name, parameters: { linux: { network: everyKindPillar() } } as never });
      for (const text of [result.interfaces, result.ovsScript]) {
        const header = text.split('\n').filter((l) => !l.startsWith('#') && l !== '' && l !== '#!/bin/sh');
        expect(header.join('\n')).not.toContain('rm -rf');
        expect(header.join('\n')).not.toContain('reboot');
      }
      cases.push({ script: result.ovsScript, expected: ovsTransactions(result.model) });
    }
    mkdirSync(dir, { recursive: true });
    expect(runOvsScripts(dir, cases).flat()).toEqual([]);
  });
});

describe('generate-nodes: node names from reclass:storage:node cannot write outside nodes/_generated', () => {
  const storage = (name: string) =>
    `parameters:\n  reclass:\n    storage:\n      node:\n        evil:\n          name: ${JSON.stringify(name)}\n          domain: lab.local\n          classes: [x]\n`;

  it.each(['../../evil', '/etc/evil', 'a/b', '..', 'a\nb'])('name %j is refused, nothing is written', (name) => {
    const base = join(scratch, `gen-${Math.random().toString(36).slice(2)}`);
    const inv = writeTree(join(base, 'inv'), { 'nodes/cfg01.yml': storage(name), 'classes/x.yml': '{}\n' });
    const r = runCli(['generate-nodes', '--inventory', inv]);
    expectCleanFailure(r, { code: 1, kind: 'MappingFormatError', contains: ['reclass:storage:node:evil:name'] });
    expect(listFiles(base)).toEqual(['inv/classes/x.yml', 'inv/nodes/cfg01.yml']);
  });

  it('a NUL in a generated name is a MappingFormatError', () => {
    const inv = writeTree(join(scratch, 'gen-nul/inv'), {
      'nodes/cfg01.yml': storage('a\u0000b'),
      'classes/x.yml': '{}\n',
    });
    const r = runCli(['generate-nodes', '--inventory', inv]);
    expectCleanFailure(r, { code: 1, kind: 'MappingFormatError' });
  });
});

describe('render --out stays inside its directory and never leaves a partial file', () => {
  const NET = `parameters:\n  linux:\n    network:\n      interface:\n        eth0:\n          type: eth\n          proto: static\n          address: 10.0.0.2\n          netmask: 255.255.255.0\n`;

  /** Every entry below `dir`, including hidden temp files and symlinks. */
  function entries(dir: string): string[] {
    const out: string[] = [];
    const walk = (d: string, rel: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        out.push(r);
        if (e.isDirectory()) walk(join(d, e.name), r);
      }
    };
    if (existsSync(dir)) walk(dir, '');
    return out.sort();
  }

  it('node files named ..yml and ...yml are the nodes "..yml" and "...yml" (as reclass names them), rendered inside --out', () => {
    const base = join(scratch, 'dotnames');
    const inv = writeTree(join(base, 'inv'), { 'nodes/..yml': NET, 'nodes/...yml': NET });
    const out = join(base, 'out', 'deeper');
    // Python's splitext keeps leading dots in the name, so no node is called "." or "..";
    // the writer refuses those names all the same (test/render/write.test.ts).
    for (const name of ['..yml', '...yml']) {
      const r = runCli(['render', name, '--inventory', inv, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(entries(join(base, 'out')).filter((e) => !e.startsWith('deeper'))).toEqual([]);
    expect(existsSync(join(base, 'etc'))).toBe(false);
    expect(listFiles(out)).toEqual([
      '...yml/etc/network/interfaces',
      '...yml/ovs-setup.sh',
      '..yml/etc/network/interfaces',
      '..yml/ovs-setup.sh',
    ]);
  });

  it('a symlink inside --out (the node dir, a subdir, or the file) is never written through', () => {
    const base = join(scratch, 'symlink-out');
    const inv = writeTree(join(base, 'inv'), { 'nodes/n1.yml': NET });
    const victim = writeTree(join(base, 'victim'), {
      interfaces: 'precious\n',
      'etc/network/interfaces': 'precious\n',
    });
    const layouts: Array<[string, (out: string) => void]> = [
      ['node dir', (out) => symlinkSync(victim, join(out, 'n1'))],
      [
        'etc dir',
        (out) => {
          mkdirSync(join(out, 'n1'), { recursive: true });
          symlinkSync(join(victim, 'etc'), join(out, 'n1/etc'));
        },
      ],
      [
        'file',
        (out) => {
          mkdirSync(join(out, 'n1/etc/network'), { recursive: true });
          symlinkSync(join(victim, 'interfaces'), join(out, 'n1/etc/network/interfaces'));
        },
      ],
    ];
    for (const [what, make] of layouts) {
      const out = join(base, `out-${what.replace(/\W/g, '')}`);
      mkdirSync(out, { recursive: true });
      make(out);
      const r = runCli(['render', 'n1', '--inventory', inv, '--out', out]);
      expectCleanFailure(r, { code: 1, kind: 'OutputError', contains: ['symlink'] });
      expect(readFileSync(join(victim, 'interfaces'), 'utf8'), what).toBe('precious\n');
      expect(readFileSync(join(victim, 'etc/network/interfaces'), 'utf8'), what).toBe('precious\n');
      expect(readdirSync(victim).sort(), what).toEqual(['etc', 'interfaces']);
    }
  });

  it('--out itself may be a symlink the user chose (it is the named directory)', () => {
    const base = join(scratch, 'out-is-link');
    const inv = writeTree(join(base, 'inv'), { 'nodes/n1.yml': NET });
    mkdirSync(join(base, 'real'), { recursive: true });
    symlinkSync(join(base, 'real'), join(base, 'link'));
    const r = runCli(['render', 'n1', '--inventory', inv, '--out', join(base, 'link')]);
    expect(r.code, r.stderr).toBe(0);
    expect(listFiles(join(base, 'real'))).toEqual(['n1/etc/network/interfaces', 'n1/ovs-setup.sh']);
    expect(lstatSync(join(base, 'link')).isSymbolicLink()).toBe(true);
  });

  it('a refused second target refuses the command before the first file is written', () => {
    const base = join(scratch, 'midway');
    const inv = writeTree(join(base, 'inv'), { 'nodes/n1.yml': NET });
    const out = join(base, 'out');
    mkdirSync(join(out, 'n1/ovs-setup.sh'), { recursive: true }); // a directory where the script goes
    const r = runCli(['render', 'n1', '--inventory', inv, '--out', out]);
    expectCleanFailure(r, { code: 1, kind: 'OutputError', contains: ['ovs-setup.sh'] });
    expect(entries(out)).toEqual(['n1', 'n1/ovs-setup.sh']);
  });

  it('a write that fails half-way (file size limit) leaves no partial file and no temp file', () => {
    const base = join(scratch, 'efbig');
    // Enough interfaces that the file outgrows a 1-block limit.
    const many = Array.from(
      { length: 60 },
      (_, i) =>
        `        eth${i}:\n          type: eth\n          proto: static\n          address: 10.0.${i}.2\n          netmask: 255.255.255.0\n`,
    ).join('');
    const inv = writeTree(join(base, 'inv'), {
      'nodes/n1.yml': `parameters:\n  linux:\n    network:\n      interface:\n${many}`,
    });
    const out = join(base, 'out');
    const r = spawnSync(
      'sh',
      ['-c', `ulimit -f 4 && exec "${process.execPath}" "${CLI}" render n1 --inventory "${inv}" --out "${out}"`],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('OutputError');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(entries(out).filter((e) => !['n1', 'n1/etc', 'n1/etc/network'].includes(e))).toEqual([]);
  });
});
