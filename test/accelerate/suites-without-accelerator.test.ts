/**
 * The conformance and corpus suites, and the differential test against reclass 1.7, with
 * the accelerator switched off: the resolver alone must pass them as it does with the
 * accelerator (test/cli/conformance.test.ts, test/differential). The CLI reads
 * RECLASS_NET_ACCELERATOR=off (what `--no-accelerator` sets for worker threads); the
 * conformance runner is given the flag itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const shared = fileURLToPath(new URL('../../../shared/', import.meta.url));
const cli = `${repo}dist/src/cli/launch.cjs`;
const runner = `${shared}conformance/run`;

function runCorpus(extra: string[]) {
  const r = spawnSync(process.execPath, [runner, ...extra, '--', process.execPath, cli, 'node', '--no-accelerator'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const summary = r.stdout.trim().split('\n').pop() ?? '';
  return { status: r.status, summary, failures: r.stdout.split('\n').filter((l) => l.startsWith('FAIL')) };
}

describe.skipIf(!existsSync(runner))('reclass 1.7 conformance, without the accelerator', () => {
  it('matches reclass on every conformance case', () => {
    const { status, summary, failures } = runCorpus([]);
    expect(failures).toEqual([]);
    expect(summary).toMatch(/^\d+ passed, 0 failed$/);
    expect(Number(summary.split(' ')[0])).toBeGreaterThanOrEqual(79);
    expect(status).toBe(0);
  });

  it('matches reclass on the real MCP models', () => {
    const { status, summary, failures } = runCorpus(['--cases', `${shared}corpus`]);
    expect(failures).toEqual([]);
    expect(summary).toMatch(/^\d+ passed, 0 failed$/);
    expect(Number(summary.split(' ')[0])).toBeGreaterThanOrEqual(38);
    expect(status).toBe(0);
  });
});

// The differential test, as it is, with every reclass-net process it starts resolving
// without the accelerator (each test file runs in a process of its own).
process.env.RECLASS_NET_ACCELERATOR = 'off';
await import('../differential/differential.test.js');
