// The embedded model's nodes/_generated/ files are what `reclass-net generate-nodes` makes of
// each cfg node's reclass:storage:node, as resolved by reclass-net itself.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(repo, 'dist/src/cli/launch.cjs');
const scratch = mkdtempSync(join(tmpdir(), 'reclass-net-gen-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

/** A copy of the embedded model under the scratch dir, to change freely. */
function copyModel(name: string): string {
  const model = join(scratch, name);
  for (const part of ['reclass-config.yml', 'classes', 'system', 'cluster', 'nodes']) {
    cpSync(join(repo, part), join(model, part), { recursive: true });
  }
  return model;
}

describe('generate-nodes on the embedded model', () => {
  it('finds the committed generated nodes up to date', () => {
    const r = run(['generate-nodes', '--check']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+ node files up to date, 0 changed\n$/);
  });

  it('compares meaning: reordered keys and other quoting are up to date, a changed value is a diff', () => {
    const model = copyModel('meaning');
    const file = join(model, 'nodes/_generated/cmp01.mcp-lab.local.yml');
    const original = readFileSync(file, 'utf8');
    const doc = parse(original) as { classes: string[]; parameters: Record<string, unknown> };
    // Same data, keys in another order and another style: what reclass reads is unchanged.
    writeFileSync(
      file,
      stringify({ parameters: doc.parameters, classes: doc.classes }, { defaultStringType: 'QUOTE_DOUBLE' }),
    );
    const same = run(['generate-nodes', '--check', '--inventory', model]);
    expect(same.stderr).toBe('');
    expect(same.status).toBe(0);
    writeFileSync(file, original.replace(/single_address: .*/, 'single_address: 10.99.99.99'));
    const changed = run(['generate-nodes', '--check', '--inventory', model]);
    expect(changed.status).toBe(1);
    expect(changed.stdout).toContain('--- _generated/cmp01.mcp-lab.local.yml');
    expect(changed.stdout).toMatch(/^-.*single_address: 10\.99\.99\.99$/m);
    expect(changed.stdout).toMatch(/^\+.*single_address: 10\.11\.1\.101$/m);
  });

  it('regenerates a file that drifted, and --check reports it first', () => {
    const model = copyModel('model');
    const file = join(model, 'nodes/_generated/cmp01.mcp-lab.local.yml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(/single_address: .*/, 'single_address: 10.99.99.99'));
    const check = run(['generate-nodes', '--check', '--inventory', model]);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain('cmp01.mcp-lab.local.yml');
    const fix = run(['generate-nodes', '--inventory', model]);
    expect(fix.status).toBe(0);
    expect(fix.stdout).toMatch(/, 1 changed\n$/);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });
});
