/**
 * A value referring to a container that holds it (`p: {v: ${p}}`). reclass renders every
 * value merged into a leaf in order, so a later class that replaces it, or fails to merge
 * over it, decides the outcome as it would for any value; only a self-reference that stays
 * in the output would copy the container into itself without end, an InfiniteRecursion.
 * Each outcome was checked against reclass 1.7; where reclass-net says InfiniteRecursion,
 * reclass ends in a RecursionError, or prints the container into a string with a Python
 * object address in it.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openInventory } from '../../src/index.js';
import { ReclassNetError } from '../../src/errors.js';

const scratch = await mkdtemp(join(tmpdir(), 'reclass-net-self-ref-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Resolves n1 with classes a then b, each setting `p` as given: p:v's value, or the failure's kind. */
async function outcome(a: string, b: string, accelerator: boolean): Promise<unknown> {
  const dir = await mkdtemp(join(scratch, 'inv-'));
  await mkdir(join(dir, 'nodes'));
  await mkdir(join(dir, 'classes'));
  await writeFile(join(dir, 'nodes', 'n1.yml'), 'classes:\n  - a\n  - b\n');
  await writeFile(join(dir, 'classes', 'a.yml'), `parameters:\n  p:\n${a}`);
  await writeFile(join(dir, 'classes', 'b.yml'), `parameters:\n  p:\n${b}`);
  const inv = await openInventory(dir, { accelerator });
  try {
    const node = await inv.node('n1');
    return (node.parameters as { p: { v: unknown } }).p.v;
  } catch (e) {
    if (e instanceof ReclassNetError) return e.kind;
    throw e;
  }
}

describe.each([true, false])('a reference to a container holding the value, accelerator %s', (accelerator) => {
  it.each([
    ['replaced by a scalar, from a string', '    v: ${p}-post\n', '    v: x\n', 'x'],
    ['replaced by ~', '    v: ${p}\n', '    ~v: x\n', 'x'],
    ['replaced by ~, with a list', '    v: ${p}-post\n', '    ~v: [1]\n', [1]],
    ['a scalar over the dictionary it gives', '    v: ${p}\n', '    v: x\n', 'TypeMergeError'],
    ['a list over the dictionary it gives', '    v: [1]\n', '    v: ${p}\n', 'TypeMergeError'],
    ['merged with a dictionary: still in the output', '    v: ${p}\n', '    v: {a: 1}\n', 'InfiniteRecursion'],
    ['the last value: still in the output', '    v: x\n', '    v: ${p}-post\n', 'InfiniteRecursion'],
    ['alone', '    v: ${p}\n', '    w: 1\n', 'InfiniteRecursion'],
  ])('%s', async (_what, a, b, expected) => {
    expect(await outcome(a, b, accelerator)).toEqual(expected);
  });
});
