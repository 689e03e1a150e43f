// The CLI that helps: --version, help COMMAND / COMMAND --help, did-you-mean, nodes, completion.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [join(repo, 'dist/src/cli/launch.cjs'), ...args], { encoding: 'utf8', cwd: repo });

describe('a CLI that helps', () => {
  it('prints the version of package.json', () => {
    const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
    expect(cli('--version').stdout).toBe(`reclass-net ${version}\n`);
  });

  it("gives each command's own usage with help COMMAND and COMMAND --help", () => {
    const a = cli('help', 'diff');
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/^usage: reclass-net diff NAME\.\.\./);
    expect(a.stdout).toContain('example');
    expect(cli('diff', '--help').stdout).toBe(a.stdout);
  });

  it('suggests the nearest command, option and node, once each, exit 2 for usage and 1 for a node', () => {
    const command = cli('rendr', 'cmp01');
    expect([command.status, command.stderr]).toEqual([
      2,
      "reclass-net: UsageError: unknown command 'rendr'; did you mean render? (run 'reclass-net --help' for usage)\n",
    ]);
    expect(cli('render', 'cmp01', '--outt', 'x').stderr).toContain('did you mean --out?');
    const node = cli('render', 'cmp1');
    expect(node.status).toBe(1);
    expect(node.stderr).toContain('did you mean cmp01?');
    expect(node.stderr.match(/NodeNotFound/g)).toHaveLength(1);
  });

  it('refuses an unknown --format in every command with exit 2', () => {
    for (const args of [
      ['nodes'],
      ['render', 'cmp01'],
      ['diff', 'cmp01'],
      ['impact', '.', '.'],
      ['explain', 'cmp01', 'a:b'],
      ['generate-nodes'],
    ]) {
      expect(cli(...args, '--format', 'xml').status, args.join(' ')).toBe(2);
    }
  });

  it('lists nodes with cluster and role, and completes them in bash and zsh', () => {
    const nodes = (JSON.parse(cli('nodes', '--format', 'json').stdout) as { nodes: Record<string, unknown>[] }).nodes;
    const shapes = nodes.map(({ cluster, ...rest }) => ({ ...rest, cluster: typeof cluster }));
    expect(shapes).toContainEqual({ node: 'cmp01.mcp-lab.local', cluster: 'string', role: 'cmp' });
    const bash = cli('completion', 'bash');
    expect(bash.stdout).toContain('complete -o default -F _reclass_net reclass-net');
    expect(spawnSync('bash', ['-n'], { input: bash.stdout }).status).toBe(0);
    expect(cli('completion', 'zsh').stdout).toContain('compdef _reclass_net reclass-net');
    expect(cli('completion', 'fish').status).toBe(2);
  });
});
