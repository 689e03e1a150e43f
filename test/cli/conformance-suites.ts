// The shared reclass 1.7 corpora, run through the built CLI exactly as the project's
// acceptance check runs them: every node's output must equal reclass's, key for key.
// One definition for every way of running the CLI (with and without the accelerator).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const shared = fileURLToPath(new URL('../../../shared/', import.meta.url));
const cli = `${repo}dist/src/cli/launch.cjs`;
const runner = `${shared}conformance/run`;

function runCorpus(extra: string[], nodeOptions: string[]) {
  const r = spawnSync(process.execPath, [runner, ...extra, '--', process.execPath, cli, 'node', ...nodeOptions], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const summary = r.stdout.trim().split('\n').pop() ?? '';
  return { status: r.status, summary, failures: r.stdout.split('\n').filter((l) => l.startsWith('FAIL')) };
}

/** The conformance cases and the real MCP models, `reclass-net node ...nodeOptions` against reclass. */
export function describeConformanceSuites(title: string, nodeOptions: string[] = []): void {
  describe.skipIf(!existsSync(runner))(title, () => {
    it('matches reclass on every conformance case', () => {
      const { status, summary, failures } = runCorpus([], nodeOptions);
      expect(failures).toEqual([]);
      expect(summary).toMatch(/^\d+ passed, 0 failed$/);
      expect(Number(summary.split(' ')[0])).toBeGreaterThanOrEqual(79);
      expect(status).toBe(0);
    });

    it('matches reclass on the real MCP models', () => {
      const { status, summary, failures } = runCorpus(['--cases', `${shared}corpus`], nodeOptions);
      expect(failures).toEqual([]);
      expect(summary).toMatch(/^\d+ passed, 0 failed$/);
      expect(Number(summary.split(' ')[0])).toBeGreaterThanOrEqual(38);
      expect(status).toBe(0);
    });
  });
}
