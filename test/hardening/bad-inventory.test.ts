/**
 * Broken models, run through the built CLI as a user would: every failure must exit with the
 * DESIGN.md code (1 bad model or input, 2 bad usage), say in one paragraph what is wrong and
 * where (file:line:column, node, class chain), show no stack trace, never hang, and write
 * nothing when `render --out` fails.
 */
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, FIXTURES, expectCleanFailure, listFiles, removeDir, runCli, tempDir, writeTree } from './helpers.js';

const fx = (name: string) => join(FIXTURES, name);

let scratch: string;
beforeAll(() => {
  scratch = tempDir();
});
afterAll(() => removeDir(scratch));

/** Runs `render n1 --out OUT` on the inventory and proves nothing was written. */
function expectRenderWritesNothing(inventory: string, node = 'n1'): void {
  const out = join(scratch, `out-${Math.random().toString(36).slice(2)}`);
  const r = runCli(['render', node, '--inventory', inventory, '--out', out]);
  expect(r.code).not.toBe(0);
  expect(listFiles(out)).toEqual([]);
}

describe('YAML that cannot be read', () => {
  it('a syntax error in a node names the file, line and column', () => {
    const r = runCli(['node', 'n1', '--inventory', fx('yaml-syntax')]);
    expectCleanFailure(r, {
      code: 1,
      kind: 'YamlError',
      contains: [/yaml-syntax\/nodes\/n1\.yml:\d+:\d+/, 'for node n1'],
    });
    expectRenderWritesNothing(fx('yaml-syntax'));
  });

  it('a syntax error in a class names the class file, line, column and the chain that included it', () => {
    const r = runCli(['node', 'n1', '--inventory', fx('class-syntax')]);
    expectCleanFailure(r, {
      code: 1,
      kind: 'YamlError',
      contains: [
        /class-syntax\/classes\/system\/broken\.yml:\d+:\d+/,
        'for node n1',
        'via classes cluster.lab -> system.broken',
      ],
    });
    expectRenderWritesNothing(fx('class-syntax'));
  });

  it('prose that is not YAML is a YamlError at its line', () => {
    const r = runCli(['node', 'n1', '--inventory', fx('not-yaml')]);
    expectCleanFailure(r, { code: 1, kind: 'YamlError', contains: [/not-yaml\/nodes\/n1\.yml:\d+:\d+/] });
  });

  it.each([
    ['Latin-1 text', Buffer.from('parameters:\n  motd: "caf\xe9"\n', 'latin1')],
    ['UTF-16 with a BOM', Buffer.from('\ufeffparameters: {a: 1}\n', 'utf16le')],
    [
      'a binary file',
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28]),
    ],
  ])('a class file that is not UTF-8 (%s) is refused, naming the file and the chain', (_what, bytes) => {
    const inv = writeTree(join(scratch, `utf8-${_what.replace(/\W/g, '')}`), {
      'nodes/n1.yml': 'classes: [system.bad]\n',
      'classes/system/bad.yml': bytes,
    });
    const r = runCli(['node', 'n1', '--inventory', inv]);
    expectCleanFailure(r, {
      code: 1,
      kind: 'YamlError',
      contains: ['not valid UTF-8', 'classes/system/bad.yml', 'for node n1', 'via classes system.bad'],
    });
    expectRenderWritesNothing(inv);
  });

  it('a reclass-config.yml that is not UTF-8 is refused too', () => {
    const inv = writeTree(join(scratch, 'config-latin1'), {
      'reclass-config.yml': Buffer.from('nodes_uri: n\xf6des\n', 'latin1'),
      'nodes/n1.yml': 'parameters: {}\n',
    });
    const r = runCli(['node', 'n1', '--inventory', inv]);
    expectCleanFailure(r, { code: 1, kind: 'YamlError', contains: ['reclass-config.yml'] });
  });

  it('NUL and other control characters in a file are a YamlError, not a crash', () => {
    const inv = writeTree(join(scratch, 'control-chars'), {
      'nodes/n1.yml': 'parameters:\n  a: "x\u0000y"\n  b: x\u0007y\n',
    });
    const r = runCli(['node', 'n1', '--inventory', inv]);
    // PyYAML refuses these characters; accepting them would be fine too, crashing is not.
    if (r.code === 0) return;
    expectCleanFailure(r, { code: 1, contains: ['nodes/n1.yml'] });
  });
});

describe('files that are YAML but not a node or class', () => {
  it('a node file that is a list', () => {
    const r = runCli(['node', 'n1', '--inventory', fx('node-not-mapping')]);
    expectCleanFailure(r, {
      code: 1,
      kind: 'YamlError',
      contains: ['node-not-mapping/nodes/n1.yml:1:1', 'must be a mapping', 'for node n1'],
    });
    expectRenderWritesNothing(fx('node-not-mapping'));
  });

  it('a class file that is a string names the class chain', () => {
    const r = runCli(['node', 'n1', '--inventory', fx('class-not-mapping')]);
    expectCleanFailure(r, {
      code: 1,
      kind: 'YamlError',
      contains: ['class-not-mapping/classes/cluster/lab.yml:1:1', 'for node n1', 'via classes cluster.lab'],
    });
  });

  it('`parameters` that is a list names the key position', () => {
    const r = runCli(['node', 'n1', '--inventory', fx('parameters-not-mapping')]);
    expectCleanFailure(r, {
      code: 1,
      kind: 'YamlError',
      contains: ["'parameters' must be a mapping", 'classes/system/params.yml:3:', 'via classes system.params'],
    });
    expectRenderWritesNothing(fx('parameters-not-mapping'));
  });

  it('a FIFO named like a class file is refused at once, never waited on', () => {
    const inv = writeTree(join(scratch, 'fifo'), { 'nodes/n1.yml': 'classes: [pipe]\n' });
    mkdirSync(join(inv, 'classes'), { recursive: true });
    const made = spawnSync('mkfifo', [join(inv, 'classes/pipe.yml')]);
    if (made.status !== 0) return; // no mkfifo: nothing to prove
    const r = runCli(['node', 'n1', '--inventory', inv], { timeoutMs: 30_000 });
    expectCleanFailure(r, {
      code: 1,
      kind: 'YamlError',
      contains: ['not a regular file', 'classes/pipe.yml', 'via classes pipe'],
      maxMs: 25_000,
    });
  });

  it('a dangling symlink named like a class file is a clean error, not an internal one', () => {
    const inv = writeTree(join(scratch, 'dangling'), { 'nodes/n1.yml': 'classes: [gone]\n' });
    mkdirSync(join(inv, 'classes'), { recursive: true });
    symlinkSync(join(inv, 'does-not-exist.yml'), join(inv, 'classes/gone.yml'));
    const r = runCli(['node', 'n1', '--inventory', inv]);
    expectCleanFailure(r, { code: 1, kind: 'YamlError', contains: ['cannot read', 'classes/gone.yml', 'for node n1'] });
  });

  it('a symlink to /dev/zero is not read forever', () => {
    const inv = writeTree(join(scratch, 'devzero'), { 'nodes/n1.yml': 'classes: [zero]\n' });
    mkdirSync(join(inv, 'classes'), { recursive: true });
    symlinkSync('/dev/zero', join(inv, 'classes/zero.yml'));
    const r = runCli(['node', 'n1', '--inventory', inv], { timeoutMs: 30_000 });
    expectCleanFailure(r, { code: 1, kind: 'YamlError', contains: ['not a regular file', 'classes/zero.yml'] });
  });
});

describe('names that are not there', () => {
  it('a missing node', () => {
    const r = runCli(['node', 'nope', '--inventory', fx('missing-node')]);
    expectCleanFailure(r, { code: 1, kind: 'NodeNotFound', contains: ["'nope'", 'missing-node/nodes'] });
    const out = join(scratch, 'out-missing-node');
    expect(runCli(['render', 'nope', '--inventory', fx('missing-node'), '--out', out]).code).toBe(1);
    expect(listFiles(out)).toEqual([]);
  });

  it('an inventory directory that does not exist is an error, not an empty inventory', () => {
    const missing = join(scratch, 'no-such-inventory');
    expectCleanFailure(runCli(['inventory', '--inventory', missing]), {
      code: 1,
      kind: 'ConfigError',
      contains: [missing],
    });
    expectCleanFailure(runCli(['node', 'n1', '--inventory', missing]), {
      code: 1,
      kind: 'ConfigError',
      contains: [missing],
    });
  });

  it('an inventory that is a file', () => {
    const file = join(FIXTURES, 'missing-node/nodes/n1.yml');
    expectCleanFailure(runCli(['inventory', '--inventory', file]), { code: 1, kind: 'ConfigError', contains: [file] });
  });
});

describe('bad usage exits 2 with one line, not a usage dump', () => {
  it.each([
    ['an unknown flag', ['node', 'n1', '--bogus'], '--bogus'],
    ['an unknown short flag', ['node', 'n1', '-x'], '-x'],
    ['a flag without its value', ['node', 'n1', '--inventory'], '--inventory'],
    ['a missing node name', ['node'], "'node' takes one node name"],
    ['--file with two node names', ['render', 'a', 'b', '--file', 'interfaces'], 'name exactly one node'],
    ['an unknown command', ['frobnicate'], "unknown command 'frobnicate'"],
    ['no command', [], 'no command given'],
    ['an unknown format', ['node', 'n1', '--format', 'xml', '--inventory', fx('missing-node')], "'xml'"],
    ['explain without a path', ['explain', 'n1'], "'explain' takes"],
    ['arguments to inventory', ['inventory', 'extra'], "'inventory' takes no arguments"],
  ])('%s', (_what, args, mention) => {
    const r = runCli(args);
    expectCleanFailure(r, { code: 2, kind: 'UsageError', contains: [mention, '--help'] });
    expect(r.stdout).toBe('');
  });

  it('--help still prints the usage, on stdout, exit 0', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('reclass-net render NAME');
  });
});

describe('cycles', () => {
  it('a class include cycle A -> B -> A is a ClassCycle naming the cycle and the node', () => {
    const r = runCli(['node', 'n1', '--inventory', fx('class-cycle')], { timeoutMs: 30_000 });
    expectCleanFailure(r, { code: 1, kind: 'ClassCycle', contains: ['cycle.a -> cycle.b -> cycle.a', 'for node n1'] });
    expectRenderWritesNothing(fx('class-cycle'));
  });

  it('a class include cycle names the class file that closes it', () => {
    const r = runCli(['node', 'n1', '--inventory', fx('class-cycle')]);
    expectCleanFailure(r, { code: 1, kind: 'ClassCycle', contains: ['classes/cycle/b.yml'] });
  });

  it('a class that includes itself', () => {
    const inv = writeTree(join(scratch, 'self-include'), {
      'nodes/n1.yml': 'classes: [me]\n',
      'classes/me.yml': 'classes: [me]\n',
    });
    const r = runCli(['node', 'n1', '--inventory', inv], { timeoutMs: 30_000 });
    expectCleanFailure(r, { code: 1, kind: 'ClassCycle', contains: ['me -> me', 'for node n1'] });
  });

  it.each([
    ['1', 'ref-cycle-1', /ref-cycle-1\/nodes\/n1\.yml:2:\d+/],
    ['2 (node and class)', 'ref-cycle-2', /ref-cycle-2\/(nodes\/n1|classes\/refs)\.yml:\d+:\d+/],
    ['5 (through nested keys and a class)', 'ref-cycle-5', /ref-cycle-5\/(nodes\/n1|classes\/refs)\.yml:\d+:\d+/],
  ])('a reference cycle of length %s is InfiniteRecursion at a file:line:column', (_n, name, where) => {
    const r = runCli(['node', 'n1', '--inventory', fx(name)], { timeoutMs: 30_000 });
    expectCleanFailure(r, { code: 1, kind: 'InfiniteRecursion', contains: [where, 'for node n1', /at parameter \S+/] });
    expectRenderWritesNothing(fx(name));
  });
});

describe('nesting deep enough to overflow a stack', () => {
  it('20,000 nested flow lists: a clean YamlError at a position, quickly', () => {
    const n = 20_000;
    const inv = writeTree(join(scratch, 'deep-flow'), {
      'nodes/n1.yml': `parameters:\n  a: ${'['.repeat(n)}${']'.repeat(n)}\n`,
    });
    const r = runCli(['node', 'n1', '--inventory', inv], { timeoutMs: 30_000 });
    expectCleanFailure(r, {
      code: 1,
      kind: 'YamlError',
      contains: [/deep-flow\/nodes\/n1\.yml:\d+:\d+/, 'nests', 'for node n1'],
      maxMs: 25_000,
    });
  });

  it('3,000 nested block mappings', () => {
    let text = 'parameters:\n';
    for (let i = 0; i < 3000; i++) text += `${' '.repeat(i + 2)}k${i}:\n`;
    text += `${' '.repeat(3002)}x: 1\n`;
    const inv = writeTree(join(scratch, 'deep-block'), { 'nodes/n1.yml': text });
    const r = runCli(['node', 'n1', '--inventory', inv], { timeoutMs: 30_000 });
    expectCleanFailure(r, { code: 1, kind: 'YamlError', contains: ['deep-block/nodes/n1.yml', 'nests'] });
  });

  it('just below the nesting limit everything works: node, inventory, render, explain', () => {
    const n = 450;
    const list = `${'['.repeat(n)}x${']'.repeat(n)}`;
    const map = `${'{k: '.repeat(n)}"\${z}"${'}'.repeat(n)}`;
    const inv = writeTree(join(scratch, 'deep-ok'), {
      'nodes/n1.yml': `classes: [c]\nparameters:\n  a: ${list}\n  m: \${b}\n  z: 1\n`,
      'classes/c.yml': `parameters:\n  b: ${map}\n`,
    });
    for (const args of [
      ['node', 'n1'],
      ['node', 'n1', '--format', 'json'],
      ['inventory'],
      ['render', 'n1'],
      ['validate'],
      ['explain', 'n1', 'b:k'],
    ]) {
      const r = runCli([...args, '--inventory', inv]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });

  it('a 5,000-long reference chain a1 -> a2 -> ... resolves or fails cleanly, never with a RangeError trace', () => {
    const n = 5000;
    let text = 'parameters:\n';
    for (let i = 1; i < n; i++) text += `  a${i}: \${a${i + 1}}\n`;
    text += `  a${n}: end\n`;
    const inv = writeTree(join(scratch, 'ref-chain'), { 'nodes/n1.yml': text });
    const r = runCli(['node', 'n1', '--inventory', inv, '--format', 'json'], { timeoutMs: 60_000 });
    if (r.code === 0) {
      expect((JSON.parse(r.stdout) as { parameters: { a1: unknown } }).parameters.a1).toBe('end');
    } else {
      expectCleanFailure(r, { code: 1, contains: ['for node n1'] });
    }
    expectRenderWritesNothing(inv);
  });

  it('a 1,000-long chain of references that each nest one level (output of cubic size) fails cleanly', () => {
    const n = 1000;
    let text = 'parameters:\n';
    for (let i = 1; i < n; i++) text += `  a${i}:\n    x: \${a${i + 1}}\n`;
    text += `  a${n}: end\n`;
    const inv = writeTree(join(scratch, 'ref-nest-chain'), { 'nodes/n1.yml': text });
    // Resolves, but the JSON text would exceed V8's string limit: an OutputError, not a crash.
    const r = runCli(['node', 'n1', '--inventory', inv, '--format', 'json'], { timeoutMs: 60_000 });
    if (r.code !== 0) expectCleanFailure(r, { code: 1 });
    // The YAML printer recurses per level and runs out of stack first.
    const y = runCli(['node', 'n1', '--inventory', inv], { timeoutMs: 60_000 });
    if (y.code !== 0) expectCleanFailure(y, { code: 1, contains: ['for node n1'] });
  });

  it('--debug shows the stack of such a failure (and only then)', () => {
    const inv = join(scratch, 'ref-chain');
    const r = runCli(['node', 'n1', '--inventory', inv, '--debug'], { timeoutMs: 60_000 });
    if (r.code !== 0) expect(r.stderr).toMatch(/^\s+at /m);
    const typed = runCli(['node', 'n1', '--inventory', fx('ref-cycle-1'), '--debug']);
    expect(typed.code).toBe(1);
    expect(typed.stderr).toMatch(/^\s+at /m);
  });
});

describe('YAML alias bombs', () => {
  it.each([
    ['lists', 'alias-bomb'],
    ['mappings and merge keys', 'alias-bomb-maps'],
  ])('billion laughs built from %s: a clean YamlError about aliases, within seconds', (_what, name) => {
    const r = runCli(['node', 'n1', '--inventory', fx(name)], { timeoutMs: 30_000 });
    expectCleanFailure(r, {
      code: 1,
      kind: 'YamlError',
      contains: ['alias', /alias-bomb(-maps)?\/nodes\/n1\.yml:\d+:\d+/],
      maxMs: 25_000,
    });
    expectRenderWritesNothing(fx(name));
  });

  it('ordinary aliases and merge keys still work', () => {
    const r = runCli(['node', 'n1', '--inventory', fx('aliases-ok'), '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const node = JSON.parse(r.stdout) as { parameters: { linux: { network: { interface: Record<string, unknown> } } } };
    expect(node.parameters.linux.network.interface.eth1).toEqual({
      mtu: 9000,
      proto: 'manual',
      type: 'eth',
    });
  });
});

describe('a very large inventory', () => {
  const NODES = 2000;
  const CLASSES = 50;
  /** Kernel peak RSS from GNU time, when it is installed; else the exit code alone. */
  const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

  it(`resolves ${NODES} nodes with inventory --format json in bounded memory`, () => {
    const files: Record<string, string> = {};
    for (let c = 0; c < CLASSES; c++) {
      files[`classes/system/s${c}.yml`] =
        `parameters:\n  _param:\n    p${c}: v${c}\n  svc${c}:\n    enabled: true\n    list: [1, 2, 3]\n    ref: \${_param:p${c}}\n    host: \${_param:host}\n`;
    }
    files['classes/cluster/init.yml'] =
      `classes:\n${Array.from({ length: CLASSES }, (_, c) => `  - system.s${c}\n`).join('')}` +
      'parameters:\n  linux:\n    network:\n      interface:\n        eth0:\n          type: eth\n          proto: static\n' +
      '          address: ${_param:addr}\n          netmask: 255.255.0.0\n';
    for (let n = 0; n < NODES; n++) {
      files[`nodes/n${n}.example.yml`] =
        `classes:\n  - cluster\nparameters:\n  _param:\n    host: n${n}\n    addr: 10.${(n >> 8) & 255}.${n & 255}.1\n`;
    }
    const inv = writeTree(join(scratch, 'large'), files);
    const start = Date.now();
    let stdout: string;
    let peakKb: number | undefined;
    if (TIME) {
      const r = spawnSync(TIME, ['-v', process.execPath, CLI, 'inventory', '--inventory', inv, '--format', 'json'], {
        encoding: 'utf8',
        timeout: 110_000,
        killSignal: 'SIGKILL',
        maxBuffer: 512 * 1024 * 1024,
      });
      expect(r.status, r.stderr.slice(-2000)).toBe(0);
      stdout = r.stdout;
      peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
    } else {
      const r = runCli(['inventory', '--inventory', inv, '--format', 'json'], { timeoutMs: 110_000 });
      expect(r.code, r.stderr).toBe(0);
      stdout = r.stdout;
    }
    const elapsed = Date.now() - start;
    const doc = JSON.parse(stdout) as { nodes: Record<string, { parameters: Record<string, { host?: unknown }> }> };
    expect(Object.keys(doc.nodes)).toHaveLength(NODES);
    expect(doc.nodes['n1999.example'].parameters.svc49.host).toBe('n1999');
    // About 450 MB today for 27 MB of JSON; 1.5 GB leaves room for the machine, not for a leak
    // that grows with the square of the inventory.
    if (peakKb !== undefined) expect(peakKb / 1024, 'peak RSS in MB').toBeLessThan(1536);
    expect(elapsed).toBeLessThan(100_000);
  });

  it('a reader that stops early (| head) gets no EPIPE stack trace', () => {
    const inv = join(scratch, 'large');
    const r = spawnSync(
      'sh',
      [
        '-c',
        `"${process.execPath}" "${CLI}" inventory --inventory "${inv}" 2>"${inv}.err" | head -c 100 >/dev/null; cat "${inv}.err"`,
      ],
      {
        encoding: 'utf8',
        timeout: 110_000,
      },
    );
    expect(r.stdout).not.toMatch(/EPIPE|^\s+at /m);
  });
});

describe('render --out writes nothing for a model that fails', () => {
  it('a node whose network pillar fails validation leaves --out empty, and an existing file untouched', () => {
    const inv = writeTree(join(scratch, 'invalid-net'), {
      'nodes/n1.yml':
        'parameters:\n  linux:\n    network:\n      interface:\n        eth0:\n          type: eth\n          mtu: lots\n',
    });
    const out = join(scratch, 'out-invalid-net');
    const r = runCli(['render', 'n1', '--inventory', inv, '--out', out]);
    expectCleanFailure(r, {
      code: 1,
      kind: 'NetworkValidationError',
      contains: ['eth0', 'mtu', 'invalid-net/nodes/n1.yml', 'for node n1'],
    });
    expect(listFiles(out)).toEqual([]);
    // A previous good render stays as it was.
    writeTree(out, { 'n1/etc/network/interfaces': 'previous\n' });
    runCli(['render', 'n1', '--inventory', inv, '--out', out]);
    expect(listFiles(out)).toEqual(['n1/etc/network/interfaces']);
  });
});
