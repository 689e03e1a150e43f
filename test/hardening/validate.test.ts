/**
 * `reclass-net validate` is the command a CI job runs on a model: it must report every problem
 * of every node in one run (not stop at the first), one line each, and exit 1.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, removeDir, runCli, tempDir } from './helpers.js';

const INV = join(FIXTURES, 'validate-broken');

let scratch: string;
beforeAll(() => {
  scratch = tempDir();
});
afterAll(() => removeDir(scratch));

describe('validate reports every problem of every node at once', () => {
  it('a YAML error, a missing class, a reference cycle, two network errors and a duplicate address: all reported, exit 1', () => {
    const r = runCli(['validate', '--inventory', INV]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const lines = r.stderr.trimEnd().split('\n');
    const expectLine = (re: RegExp) =>
      expect(
        lines.filter((l) => re.test(l)),
        `${re} in:\n${r.stderr}`,
      ).toHaveLength(1);
    expectLine(/^YamlError: .*validate-broken\/nodes\/syntax\.yml:\d+:\d+, for node syntax$/);
    expectLine(
      /^ClassNotFound: class system\.does\.not\.exist not found, .*nodes\/missing-class\.yml, for node missing-class$/,
    );
    expectLine(/^InfiniteRecursion: .*nodes\/recursion\.yml:\d+:\d+, for node recursion$/);
    expectLine(/^node bad-network, interface eth0, key mtu: .*nodes\/bad-network\.yml:10:\d+/);
    expectLine(/^node bad-network, interface eth1, key ovs_bridge: .*br-missing/);
    expectLine(/address 10\.0\.0\.10 is assigned 2 times: node duplicate .*node good/);
    expect(lines).toHaveLength(6);
    expect(r.stdout).toBe('6 nodes checked, 6 errors, 0 warnings\n');
  });

  it('naming nodes checks just those', () => {
    const r = runCli(['validate', '--inventory', INV, 'good', 'recursion']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('2 nodes checked, 1 errors, 0 warnings\n');
    expect(r.stderr).toContain('for node recursion');
  });

  it('a clean inventory validates with exit 0', () => {
    const r = runCli(['validate', '--inventory', INV, 'good']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('1 nodes checked, 0 errors, 0 warnings\n');
  });

  // A 5,000-long reference chain exhausts the stack: that node is one NestingTooDeep problem.
  it('a node that overflows the stack is one more problem, the others are still reported', () => {
    const inv = join(scratch, 'with-deep-chain');
    cpSync(INV, inv, { recursive: true });
    let text = 'parameters:\n';
    for (let i = 1; i < 5000; i++) text += `  a${i}: \${a${i + 1}}\n`;
    writeFileSync(join(inv, 'nodes/deepchain.yml'), `${text}  a5000: end\n`);
    const r = runCli(['validate', '--inventory', inv], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('for node syntax');
    expect(r.stderr).toContain('deepchain');
  });
});
