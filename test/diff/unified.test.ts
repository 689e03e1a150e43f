// The line diff against GNU diff -u (the reference), and its edit scripts by property.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { lineEdits, unifiedDiff } from '../../src/diff/unified.js';

const scratch = mkdtempSync(join(tmpdir(), 'reclass-net-udiff-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** GNU diff's hunks (headers dropped: they carry dates). */
function gnuDiff(a: string, b: string): string {
  writeFileSync(join(scratch, 'a'), a);
  writeFileSync(join(scratch, 'b'), b);
  const r = spawnSync('diff', ['-u', join(scratch, 'a'), join(scratch, 'b')], { encoding: 'utf8' });
  return r.stdout.split('\n').slice(2).join('\n');
}
const ours = (a: string, b: string) => unifiedDiff('a', 'b', a, b).split('\n').slice(2).join('\n');

describe('lineEdits', () => {
  it('is a shortest script that turns a into b', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 12 }),
        fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 12 }),
        (a, b) => {
          const edits = lineEdits(a, b);
          expect(edits.filter((e) => e.op !== '+').map((e) => e.line)).toEqual(a);
          expect(edits.filter((e) => e.op !== '-').map((e) => e.line)).toEqual(b);
          // kept lines are a longest common subsequence: compare with the LCS length
          const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
          for (let i = 1; i <= a.length; i++)
            for (let j = 1; j <= b.length; j++)
              lcs[i][j] = a[i - 1] === b[j - 1] ? lcs[i - 1][j - 1] + 1 : Math.max(lcs[i - 1][j], lcs[i][j - 1]);
          expect(edits.filter((e) => e.op === ' ').length).toBe(lcs[a.length][b.length]);
        },
      ),
    );
  });
});

describe('unifiedDiff', () => {
  it('is empty for equal texts and names /dev/null for a missing side', () => {
    expect(unifiedDiff('a', 'b', 'x\n', 'x\n')).toBe('');
    expect(unifiedDiff('a/f', 'b/f', undefined, 'x\n')).toBe('--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+x\n');
  });

  it('prints the hunks GNU diff -u prints', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const cases: Array<[string, string]> = [
      [lines.join('\n') + '\n', lines.map((l, i) => (i === 3 || i === 20 ? `${l} changed` : l)).join('\n') + '\n'],
      [lines.join('\n') + '\n', lines.filter((_, i) => i !== 0 && i !== 29).join('\n') + '\n'],
      ['a\nb\nc', 'a\nb\nc\n'],
      ['', 'a\n'],
      ['iface eth0 inet manual\n    mtu 1500\n', 'iface eth0 inet manual\n    mtu 9000\n'],
    ];
    for (const [a, b] of cases) expect(ours(a, b)).toBe(gnuDiff(a, b));
  });

  it('agrees with GNU diff -u on random texts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 25 }),
        fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 25 }),
        (a, b) => {
          const [ta, tb] = [a.map((l) => l + '\n').join(''), b.map((l) => l + '\n').join('')];
          // Equal-length scripts can differ in which lines they keep; compare the changed totals.
          const count = (text: string, sign: string) =>
            text.split('\n').filter((l) => l.startsWith(sign) && !l.startsWith(sign.repeat(3))).length;
          const [o, g] = [ours(ta, tb), gnuDiff(ta, tb)];
          expect([count(o, '-'), count(o, '+')]).toEqual([count(g, '-'), count(g, '+')]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
