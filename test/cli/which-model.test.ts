// Which model a command uses: --inventory, RECLASS_NET_INVENTORY, the working directory when
// it is a model, else the embedded example with a notice. The newcomer's case: standing in a
// copy of a real corpus model, `reclass-net render cmp01` renders that model's cmp01.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseInventory, chosenInventory, looksLikeModel } from '../../src/cli/which-model.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(repo, 'dist/src/cli/launch.cjs');
const corpus = join(repo, '../shared/corpus/mcp-ocata-ovs/inventory');
const scratch = mkdtempSync(join(tmpdir(), 'reclass-net-which-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const env = { ...process.env, RECLASS_NET_INVENTORY: '' };
const run = (args: string[], cwd: string, extraEnv: Record<string, string> = {}) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd, env: { ...env, ...extraEnv } });

describe('chooseInventory', () => {
  it('prefers --inventory, then the environment, then a model in the working directory, then the example', () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty, { recursive: true });
    expect(chooseInventory('m', { RECLASS_NET_INVENTORY: 'e' }, corpus, () => '/ex')).toEqual({
      dir: 'm',
      source: '--inventory',
    });
    expect(chooseInventory(undefined, { RECLASS_NET_INVENTORY: 'e' }, corpus, () => '/ex')).toEqual({
      dir: 'e',
      source: 'RECLASS_NET_INVENTORY',
    });
    expect(chooseInventory(undefined, {}, corpus, () => '/ex')).toEqual({ dir: corpus, source: 'working directory' });
    expect(chooseInventory(undefined, { RECLASS_NET_INVENTORY: '' }, empty, () => '/ex')).toEqual({
      dir: '/ex',
      source: 'embedded example',
    });
  });

  it('takes nodes/ + classes/ without a config file as a model, and either alone not', () => {
    const bare = join(scratch, 'bare');
    mkdirSync(join(bare, 'nodes'), { recursive: true });
    expect(looksLikeModel(bare)).toBe(false);
    mkdirSync(join(bare, 'classes'));
    expect(looksLikeModel(bare)).toBe(true);
  });
});

describe('a newcomer in their own model', () => {
  it("renders the model's cmp01, not the example's, from a copy of a corpus directory", () => {
    const model = join(scratch, 'model');
    cpSync(corpus, model, { recursive: true });
    const r = run(['render', 'cmp01', '--file', 'interfaces', '--verbose'], model);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('cmp01.virtual-mcp-ocata-ovs.local');
    expect(r.stderr).toContain(`inventory ${model} (from working directory)`);
    expect(r.stderr).not.toContain('embedded example');
  });

  it('renders the example outside any model and says so on stderr, in one line', () => {
    const outside = join(scratch, 'outside');
    mkdirSync(outside, { recursive: true });
    const r = run(['render', 'cmp01', '--file', 'interfaces'], outside);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('cmp01.mcp-lab.local');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('using the embedded example model');
  });

  it('names the inventory in JSON output', () => {
    const r = run(['render', 'cmp01', '--format', 'json', '--inventory', corpus], scratch);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { inventory: string }).inventory).toBe(corpus);
  });
});

describe('the inventory a command runs on', () => {
  it('is the one main chose, and its absence is a bug of ours, not a usage error', () => {
    expect(chosenInventory({ inventory: corpus })).toBe(corpus);
    expect(() => chosenInventory({})).toThrow(/no inventory was chosen/);
  });
});
