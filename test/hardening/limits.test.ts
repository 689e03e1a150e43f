/**
 * Issue 16, item 4: inputs that used to be bounded only after the damage (minutes,
 * gigabytes, an out-of-memory abort) now stop while being read or resolved, with an error
 * that names the file and the limit, inside generous time and memory ceilings; each limit
 * can be raised in reclass-config.yml. The properties hold the limits to their exact
 * boundaries with random sizes around each one.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReclassNetError } from '../../src/errors.js';
import { openInventory } from '../../src/api/inventory.js';
import { expectBoundedFailure, removeDir, runCli, runMeasured, tempDir, writeTree } from './helpers.js';

let scratch: string;
beforeAll(() => {
  scratch = tempDir();
});
afterAll(() => removeDir(scratch));

const flowList = (n: number) => `parameters:\n  a: [${Array.from({ length: n }, () => '1').join(', ')}]\n`;

/** 40 lines, each a list of two references to the line before: 2^40 values. */
function doublingList(): string {
  const lines = ['parameters:', '  a0: [x, y]'];
  for (let i = 1; i <= 40; i++) lines.push(`  a${i}: ["\${a${i - 1}}", "\${a${i - 1}}"]`);
  return lines.join('\n') + '\n';
}

function doublingString(): string {
  const lines = ['parameters:', '  a0: xy'];
  for (let i = 1; i <= 40; i++) lines.push(`  a${i}: "\${a${i - 1}}\${a${i - 1}}"`);
  return lines.join('\n') + '\n';
}

describe('hostile inputs stop within the ceilings, naming the file and the limit', () => {
  it('a few megabytes of flow list', () => {
    const inv = writeTree(join(scratch, 'flow'), { 'nodes/n.yml': flowList(1_000_000) });
    const r = runMeasured(['node', 'n', '--inventory', inv]);
    expectBoundedFailure(r, {
      code: 1,
      kind: 'LimitExceeded',
      contains: [join(inv, 'nodes/n.yml'), 'max_yaml_values', 'for node n'],
    });
  });

  it('20 MB of flow list', () => {
    const inv = writeTree(join(scratch, 'flow20'), { 'nodes/n.yml': flowList(7_000_000) });
    const r = runMeasured(['node', 'n', '--inventory', inv]);
    expectBoundedFailure(r, { code: 1, kind: 'LimitExceeded', contains: [join(inv, 'nodes/n.yml'), 'max_file_bytes'] });
  });

  it('a flow list just under the byte limit', () => {
    // 15 MB: past the value count, below the byte limit, so the count must stop it early.
    const inv = writeTree(join(scratch, 'flow15'), { 'nodes/n.yml': flowList(5_000_000) });
    const r = runMeasured(['node', 'n', '--inventory', inv]);
    expectBoundedFailure(r, {
      code: 1,
      kind: 'LimitExceeded',
      contains: [join(inv, 'nodes/n.yml'), 'max_yaml_values'],
    });
  });

  it('40 lines of references that double a list', () => {
    const inv = writeTree(join(scratch, 'double-list'), { 'nodes/n.yml': doublingList() });
    const r = runMeasured(['node', 'n', '--inventory', inv]);
    expectBoundedFailure(r, {
      code: 1,
      kind: 'LimitExceeded',
      contains: [/n\.yml:\d+:\d+/, 'max_expansion_values', 'for node n'],
    });
  });

  it('40 lines of references that double a string', () => {
    const inv = writeTree(join(scratch, 'double-string'), { 'nodes/n.yml': doublingString() });
    const r = runMeasured(['node', 'n', '--inventory', inv]);
    expectBoundedFailure(r, {
      code: 1,
      kind: 'LimitExceeded',
      contains: [/n\.yml:\d+:\d+/, 'max_string_length', 'for node n'],
    });
  });

  it('two symlinks to ancestor directories', () => {
    const inv = writeTree(join(scratch, 'loop'), {
      'nodes/n.yml': 'parameters: {a: 1}\n',
      'classes/sub/x.yml': 'parameters: {}\n',
    });
    symlinkSync('..', join(inv, 'classes/sub/l1'));
    symlinkSync('..', join(inv, 'classes/sub/l2'));
    const r = runMeasured(['node', 'n', '--inventory', inv]);
    expectBoundedFailure(r, { code: 1, kind: 'SymlinkLoop', contains: [join(inv, 'classes'), 'max_directories'] });
  });

  it('a limit raised in reclass-config.yml lets a model that big through', () => {
    const body = flowList(1000);
    const small = writeTree(join(scratch, 'small-limit'), {
      'reclass-config.yml': 'limits:\n  max_yaml_values: 500\n',
      'nodes/n.yml': body,
    });
    expect(runCli(['node', 'n', '--inventory', small]).stderr).toContain('max_yaml_values');
    const raised = writeTree(join(scratch, 'raised-limit'), {
      'reclass-config.yml': 'limits:\n  max_yaml_values: 2000\n',
      'nodes/n.yml': body,
    });
    const r = runCli(['node', 'n', '--inventory', raised]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('a misspelt or invalid limit is a ConfigError', () => {
    for (const [i, limits] of ['max_yaml_valuez: 5', 'max_yaml_values: -1', 'max_seconds: soon'].entries()) {
      const inv = writeTree(join(scratch, `bad-limit-${i}`), {
        'reclass-config.yml': `limits:\n  ${limits}\n`,
        'nodes/n.yml': 'parameters: {}\n',
      });
      const r = runCli(['node', 'n', '--inventory', inv]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^reclass-net: ConfigError: /);
    }
  });
});

/** The node's resolution: 'ok', or the limit named by the LimitExceeded/SymlinkLoop error. */
async function outcome(dir: string): Promise<string> {
  try {
    const inv = await openInventory(dir, { provenance: false });
    await inv.node('n');
    return 'ok';
  } catch (e) {
    if (!(e instanceof ReclassNetError)) throw e;
    return /limits: (\w+)/.exec(e.message)?.[1] ?? e.kind;
  }
}

describe('each limit holds exactly at its boundary', () => {
  let run = 0;
  const fresh = (files: Record<string, string>) => writeTree(join(scratch, `prop-${run++}`), files);

  it('max_yaml_values: a file of n values loads when n is at most the limit', async () => {
    // Both sides of the precount threshold (64 KB of text: about 22 000 values).
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 21_000, max: 24_000 })),
        fc.integer({ min: -6, max: 6 }),
        async (m, delta) => {
          // parameters, its mapping, a, the list and m items.
          const values = m + 5;
          const limit = Math.max(1, values + delta);
          const dir = fresh({
            'reclass-config.yml': `limits:\n  max_yaml_values: ${limit}\n`,
            'nodes/n.yml': flowList(m),
          });
          expect(await outcome(dir)).toBe(values <= limit ? 'ok' : 'max_yaml_values');
        },
      ),
      { numRuns: 30 },
    );
  });

  it('max_file_bytes: a file of b bytes is read when b is at most the limit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 20, max: 5000 }), fc.integer({ min: -3, max: 3 }), async (bytes, delta) => {
        const text = `parameters:\n  a: '${'x'.repeat(bytes - 20)}'\n`;
        expect(Buffer.byteLength(text)).toBe(bytes);
        const limit = Math.max(1, bytes + delta);
        const dir = fresh({ 'reclass-config.yml': `limits:\n  max_file_bytes: ${limit}\n`, 'nodes/n.yml': text });
        expect(await outcome(dir)).toBe(bytes <= limit ? 'ok' : 'max_file_bytes');
      }),
      { numRuns: 30 },
    );
  });

  it('max_directories: a tree of d directories is walked when d is at most the limit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: -3, max: 3 }), async (extra, delta) => {
        const dir = fresh({ 'nodes/n.yml': 'parameters: {}\n' });
        for (let i = 0; i < extra; i++) mkdirSync(join(dir, `classes/d${i}`), { recursive: true });
        // The nodes tree is one directory; the classes tree is its root and `extra` more.
        const largest = extra + 1;
        const limit = Math.max(1, largest + delta);
        writeTree(dir, { 'reclass-config.yml': `limits:\n  max_directories: ${limit}\n` });
        expect(await outcome(dir)).toBe(largest <= limit ? 'ok' : 'max_directories');
      }),
      { numRuns: 25 },
    );
  });

  it('max_expansion_values: a reference to a list of m values copies m + 1', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: -4, max: 4 }), async (m, delta) => {
        const copied = m + 1;
        const limit = Math.max(1, copied + delta);
        const dir = fresh({
          'reclass-config.yml': `limits:\n  max_expansion_values: ${limit}\n  max_yaml_values: 100000\n`,
          'nodes/n.yml': `parameters:\n  a: [${Array.from({ length: m }, (_, i) => i).join(', ')}]\n  b: \${a}\n`,
        });
        expect(await outcome(dir)).toBe(copied <= limit ? 'ok' : 'max_expansion_values');
      }),
      { numRuns: 30 },
    );
  });

  it('max_string_length: interpolation may build a string of the limit, not one longer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: -3, max: 3 }), async (half, delta) => {
        const length = 2 * half;
        const limit = Math.max(1, length + delta);
        const dir = fresh({
          'reclass-config.yml': `limits:\n  max_string_length: ${limit}\n`,
          'nodes/n.yml': `parameters:\n  a: ${'x'.repeat(half)}\n  b: \${a}\${a}\n`,
        });
        expect(await outcome(dir)).toBe(length <= limit ? 'ok' : 'max_string_length');
      }),
      { numRuns: 30 },
    );
  });
});
